//! wireframe: the HTTP/1.x and WebSocket wire formats, allocation-free, with a C ABI.
//!
//! - [`http`]: a streaming, callback-driven HTTP/1.x request and response parser in the style of
//!   http-parser and llhttp, strict against request smuggling.
//! - [`ws`]: an RFC 6455 WebSocket frame decoder and encoder with SIMD masking.
//! - [`handshake`]: the WebSocket opening handshake (accept key, validation, negotiation).
//! - [`form`]: multipart/form-data uploads, cookies, query strings, Basic credentials and the
//!   Set-Cookie writer.
//! - [`ffi`]: the C ABI over all of the above; the only module with `extern "C"` items.
//!
//! The core modules never allocate, never do I/O, keep no global mutable state and never panic
//! on any input: bad input is reported with an error code, a reason and a byte offset.

#![deny(missing_docs)]
#![deny(clippy::undocumented_unsafe_blocks)]

pub mod ffi;
pub mod form;
pub mod handshake;
pub mod http;
pub mod ws;
