//! RFC 6455 WebSocket framing: a streaming, allocation-free frame decoder, a frame encoder,
//! SIMD masking, an incremental UTF-8 validator and the close-code table.
//!
//! - [`header`]: opcodes (a typed enum with reserved variants) and the frame header.
//! - [`decoder`]: [`FrameDecoder`], a push decoder driven by a [`Handler`] of callbacks.
//! - [`encoder`]: writes frame headers, whole frames, close, ping and pong frames.
//! - [`mod@mask`]: [`mask()`], in-place XOR with the masking key, at any offset, and
//!   [`mask_into`], the same while copying into another buffer.
//! - [`utf8`]: [`Utf8Validator`], validation of UTF-8 split at any byte.
//! - [`close`]: close-status codes (RFC 6455 section 7.4 and the IANA registry).
//! - [`error`]: [`WsError`], one table of stable error numbers, names, descriptions and the
//!   close code to send.
//!
//! A client's masked text frame, written and then decoded by a server:
//!
//! ```
//! use wireframe::ws::{encoder, Action, DecoderConfig, FrameDecoder, FrameEnd, Handler};
//! use wireframe::ws::{Opcode, Role};
//!
//! let mut wire = [0u8; 64];
//! let key = Some([0x37, 0xfa, 0x21, 0x3d]); // a fresh random key per frame, in a client
//! let n = encoder::write_frame(&mut wire, true, false, Opcode::Text, key, b"Hello").unwrap();
//!
//! /// Collects the payload (unmasked in place, in pieces) and notes the message's end.
//! #[derive(Default)]
//! struct Message {
//!     text: Vec<u8>,
//!     complete: bool,
//! }
//! impl Handler for Message {
//!     fn payload(&mut self, data: &[u8]) -> Action {
//!         self.text.extend_from_slice(data);
//!         Action::Continue
//!     }
//!     fn frame_complete(&mut self, end: &FrameEnd) -> Action {
//!         self.complete = end.message_end;
//!         Action::Continue
//!     }
//! }
//!
//! let mut decoder = FrameDecoder::new(DecoderConfig::new(Role::Server));
//! let mut message = Message::default();
//! assert_eq!(decoder.decode(&mut wire[..n], &mut message), n);
//! assert_eq!((message.text.as_slice(), message.complete), (&b"Hello"[..], true));
//! ```

pub mod close;
pub mod decoder;
pub mod encoder;
pub mod error;
pub mod header;
pub mod mask;
pub mod utf8;

pub use close::CloseCode;
pub use decoder::{Action, DecoderConfig, FrameDecoder, FrameEnd, Handler, Role};
pub use error::WsError;
pub use header::{FrameHeader, Opcode};
pub use mask::{mask, mask_into};
pub use utf8::Utf8Validator;
