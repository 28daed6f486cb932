//! permessage-deflate (RFC 7692): a compressor and a decompressor for one direction each of one
//! connection.
//!
//! The wire rules:
//! - A message is compressed as raw DEFLATE (RFC 1951) ending with a sync flush; the flush's
//!   trailing empty stored block, the four bytes `00 00 ff ff`, is removed before sending
//!   (RFC 7692 7.2.1) and appended again by the receiver before inflating (7.2.2).
//! - RSV1 marks the first frame of a compressed message; the frame decoder accepts it there
//!   only when [`flags::ALLOW_RSV1`](super::decoder::flags::ALLOW_RSV1) is set and rejects it
//!   on continuation and control frames with 1002. Control frames are never compressed.
//! - Each direction has its own LZ77 window (`*_max_window_bits`, 8..15) and may be told to
//!   start every message with an empty window (`*_no_context_takeover`). [`Agreement`] turns
//!   the handshake's [`DeflateParams`] into the settings of each direction for a role.
//!
//! This is the one part of wireframe that holds memory: each [`Compressor`] and
//! [`Decompressor`] makes exactly one heap allocation (the DEFLATE state, inside zlib-rs) when it
//! is created and none afterwards; its size is given by [`Compressor::memory_size`] and
//! [`Decompressor::memory_size`] (and before creation by [`compressor_memory`] and
//! [`decompressor_memory`]). Everything else works in caller buffers.
//!
//! Decompression never inflates more than the caller's output buffer holds, and counts the
//! inflated size of the message against a limit: one byte past it is
//! [`WsError::MessageTooLarge`] (close code 1009), so a small bomb cannot make anyone hold more
//! than the limit.

use super::decoder::{Action, Role};
use super::encoder::{header_len, write_header};
use super::error::WsError;
use super::header::{FrameHeader, Opcode, MAX_HEADER_LEN};
use super::mask::mask;
use super::utf8::Utf8Validator;
use crate::handshake::DeflateParams;

use zlib_rs::{
    Deflate, DeflateConfig, DeflateFlush, Inflate, InflateFlush, Method, Status, Strategy,
};

/// The four bytes a sync flush ends with, removed by the sender and restored by the receiver.
///
/// cbindgen:ignore
pub const FLUSH_TAIL: [u8; 4] = [0x00, 0x00, 0xFF, 0xFF];

/// Smallest output buffer [`Compressor::compress`] accepts: it keeps the last four bytes of
/// its output back until it knows whether they are the flush tail.
///
/// cbindgen:ignore
pub const MIN_COMPRESS_OUTPUT: usize = 8;

/// Compression settings that are the sender's own choice (the handshake does not negotiate
/// them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeflateOptions {
    /// zlib compression level: 0 (stored blocks only) to 9 (smallest output); 6 by default, as
    /// zlib, `ws` and `websockets` use.
    pub level: u8,
    /// zlib memory level 1..9: the size of the literal buffer (`7 << (mem_level + 6)` bytes);
    /// 8 by default, as zlib and `ws` use (`websockets` uses 5).
    pub mem_level: u8,
}

impl Default for DeflateOptions {
    fn default() -> Self {
        DeflateOptions {
            level: 6,
            mem_level: 8,
        }
    }
}

/// The settings of both directions of one connection, as agreed in the handshake.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Agreement {
    /// Window bits (8..15) this endpoint must not exceed when compressing.
    pub compress_window_bits: u8,
    /// This endpoint starts every message it sends with an empty window.
    pub compress_no_context_takeover: bool,
    /// Window bits (8..15) the peer compresses with.
    pub decompress_window_bits: u8,
    /// The peer starts every message with an empty window, so this endpoint may too.
    pub decompress_no_context_takeover: bool,
}

fn bits_or_15(bits: u8) -> u8 {
    if (8..=15).contains(&bits) {
        bits
    } else {
        15
    }
}

impl Agreement {
    /// The settings for `role` from the negotiated parameters `p` (the server's response, as
    /// [`crate::handshake::RequestValidator::finish`] or
    /// [`crate::handshake::ResponseValidator::finish`] return it). A server compresses with the
    /// `server_*` parameters and decompresses with the `client_*` ones; a client the reverse.
    /// A window parameter that is absent (or 0) means 15.
    pub fn new(p: &DeflateParams, role: Role) -> Agreement {
        let server = (
            bits_or_15(p.server_max_window_bits),
            p.server_no_context_takeover,
        );
        let client = (
            bits_or_15(p.client_max_window_bits),
            p.client_no_context_takeover,
        );
        let (mine, theirs) = match role {
            Role::Server => (server, client),
            Role::Client => (client, server),
        };
        Agreement {
            compress_window_bits: mine.0,
            compress_no_context_takeover: mine.1,
            decompress_window_bits: theirs.0,
            decompress_no_context_takeover: theirs.1,
        }
    }
}

/// zlib-rs cannot compress raw DEFLATE with a 256-byte window (zlib has the same rule) and uses
/// 512 bytes for 8. That still honours an agreed 8: zlib's matcher never reaches further back
/// than the window size minus 262 bytes (`MAX_DIST`), 250 bytes for a 512-byte window, so
/// every distance stays within the 256 bytes the peer keeps.
fn deflate_window_bits(bits: u8) -> u8 {
    bits.clamp(9, 15)
}

const ALIGN: usize = 64;

/// Upper bounds of zlib-rs's private state structs (measured in zlib-rs 0.6: 14.3 KiB for
/// inflate, which holds its Huffman tables; `tests/ws_deflate_alloc.rs` checks that the sizes
/// stated here are within 8 KiB above what is allocated).
const DEFLATE_STATE_BOUND: usize = 8 * 1024;
const INFLATE_STATE_BOUND: usize = 16 * 1024;

/// Heap bytes a [`Compressor`] with `window_bits` (8..15) and `mem_level` (1..9) allocates,
/// an upper bound within a few hundred bytes of the real figure: the window twice over, a
/// 16-bit chain entry per window position, a 64 Ki-entry hash table of 16-bit heads, the
/// literal and pending buffers (`7 << (mem_level + 6)`), the state struct and alignment.
/// 0 for out-of-range arguments.
pub fn compressor_memory(window_bits: u8, mem_level: u8) -> usize {
    if !(8..=15).contains(&window_bits) || !(1..=9).contains(&mem_level) {
        return 0;
    }
    let w = 1usize << deflate_window_bits(window_bits);
    let lit = 1usize << (mem_level + 6);
    2 * w + 2 * w + 65536 * 2 + 7 * lit + DEFLATE_STATE_BOUND + 8 * ALIGN
}

/// Heap bytes a [`Decompressor`] allocates: zlib-rs keeps a 32 KiB window (plus 64 bytes of
/// padding) whatever the window bits, and its state struct. The same for every window size.
pub fn decompressor_memory() -> usize {
    (1 << 15) + 64 + INFLATE_STATE_BOUND + 4 * ALIGN
}

/// Largest compressed size of a message of `len` bytes, flush tail removed: zlib's
/// conservative bound (fixed-code expansion, block overhead) plus the sync flush's empty block.
pub fn compress_bound(len: usize) -> usize {
    len.saturating_add((len.saturating_add(7)) >> 3)
        .saturating_add((len.saturating_add(63)) >> 6)
        .saturating_add(32)
}

/// What one call to a streaming function did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Input bytes used.
    pub consumed: usize,
    /// Output bytes written.
    pub written: usize,
    /// The step is finished: all input used and, at the end of a message, its last output
    /// byte written. When false, call again (with more output room).
    pub done: bool,
}

/// The compressor for the messages one endpoint sends.
pub struct Compressor {
    z: Deflate,
    window_bits: u8,
    mem_level: u8,
    no_context_takeover: bool,
    in_message: bool,
    hold: [u8; 4],
    hold_len: u8,
    message_out: u64,
}

impl core::fmt::Debug for Compressor {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Compressor")
            .field("window_bits", &self.window_bits)
            .field("no_context_takeover", &self.no_context_takeover)
            .field("in_message", &self.in_message)
            .finish_non_exhaustive()
    }
}

impl Compressor {
    /// A compressor that never uses more than `window_bits` (8..15) of window and, with
    /// `no_context_takeover`, starts every message afresh. Allocates
    /// [`compressor_memory`]`(window_bits, options.mem_level)` bytes at most, once.
    /// `InvalidArgument` for out-of-range arguments.
    pub fn new(
        window_bits: u8,
        no_context_takeover: bool,
        options: DeflateOptions,
    ) -> Result<Compressor, WsError> {
        if !(8..=15).contains(&window_bits)
            || !(1..=9).contains(&options.mem_level)
            || options.level > 9
        {
            return Err(WsError::InvalidArgument);
        }
        let config = DeflateConfig {
            level: i32::from(options.level),
            method: Method::Deflated,
            window_bits: -i32::from(deflate_window_bits(window_bits)),
            mem_level: i32::from(options.mem_level),
            strategy: Strategy::Default,
        };
        // The arguments were checked above, so zlib-rs accepts the configuration (it asserts
        // on a rejected one).
        let z = Deflate::new_with_config(config);
        Ok(Compressor {
            z,
            window_bits,
            mem_level: options.mem_level,
            no_context_takeover,
            in_message: false,
            hold: [0; 4],
            hold_len: 0,
            message_out: 0,
        })
    }

    /// Heap bytes this compressor holds (an upper bound; see [`compressor_memory`]).
    pub fn memory_size(&self) -> usize {
        compressor_memory(self.window_bits, self.mem_level)
    }

    /// Whether a message is in progress (its last input not yet compressed and flushed).
    pub fn in_message(&self) -> bool {
        self.in_message
    }

    /// Abandons the message in progress, if any, and empties the window (the next message
    /// starts a new context).
    pub fn reset(&mut self) {
        self.z.reset();
        self.in_message = false;
        self.hold_len = 0;
        self.message_out = 0;
    }

    /// Compresses the next `input` of the current message into `out` (at least
    /// [`MIN_COMPRESS_OUTPUT`] bytes). `fin` says `input` is the message's last piece; then the
    /// message is flushed and the flush tail left out. The output may be sent as the payload
    /// of one or more frames, RSV1 on the first.
    ///
    /// Returns what was done. When `done` is false, call again with the input not consumed
    /// (the same `fin`) and fresh output room. An empty message compresses to the single byte
    /// `00` (RFC 7692 7.2.3.6). `BufferTooSmall` for a too-small `out`.
    pub fn compress(
        &mut self,
        input: &[u8],
        out: &mut [u8],
        fin: bool,
    ) -> Result<Progress, WsError> {
        if out.len() < MIN_COMPRESS_OUTPUT {
            return Err(WsError::BufferTooSmall);
        }
        self.in_message = true;
        // Bytes held back from the previous call go first.
        let held = usize::from(self.hold_len);
        let (head, room) = out.split_at_mut(held);
        head.copy_from_slice(self.hold.get(..held).unwrap_or_default());
        let room_len = room.len();
        let flush = if fin {
            DeflateFlush::SyncFlush
        } else {
            DeflateFlush::NoFlush
        };
        let in_before = self.z.total_in();
        let out_before = self.z.total_out();
        let status = self
            .z
            .compress(input, room, flush)
            .map_err(|_| WsError::Internal)?;
        let consumed = (self.z.total_in() - in_before) as usize;
        let produced = (self.z.total_out() - out_before) as usize;
        let total = held + produced;
        // Hold the last four bytes back: they may be the flush tail.
        let keep = total.min(4);
        let written = total - keep;
        let mut hold = [0u8; 4];
        if let (Some(dst), Some(src)) = (hold.get_mut(..keep), out.get(written..total)) {
            dst.copy_from_slice(src);
        }
        self.hold = hold;
        self.hold_len = keep as u8;
        let all_in = consumed == input.len();
        // The flush is complete when zlib stopped with output room left (or had nothing
        // more to write).
        let drained = produced < room_len || status == Status::BufError;
        let done = all_in && (!fin || drained);
        let mut written = written;
        self.message_out = self.message_out.saturating_add(produced as u64);
        if fin && done {
            if self.message_out == 0 {
                // zlib writes nothing for an empty message after a flushed one (it skips a
                // second flush in a row); the stream stands at a byte boundary, so the empty
                // stored block's first byte is the whole message (RFC 7692 7.2.3.6).
                if let Some(b) = out.first_mut() {
                    *b = 0x00;
                }
                written = 1;
            } else if self.hold != FLUSH_TAIL || keep != 4 {
                return Err(WsError::Internal);
            }
            self.message_out = 0;
            self.hold_len = 0;
            self.in_message = false;
            if self.no_context_takeover {
                self.z.reset();
            }
        }
        Ok(Progress {
            consumed,
            written,
            done,
        })
    }

    /// Compresses a whole message into `out`, which should hold [`compress_bound`] of its
    /// length. Returns the compressed size; `BufferTooSmall` if `out` filled up (the message is
    /// then abandoned and the context reset, so the next message is still valid).
    pub fn compress_message(&mut self, input: &[u8], out: &mut [u8]) -> Result<usize, WsError> {
        if self.in_message {
            return Err(WsError::InvalidArgument);
        }
        let mut at = 0;
        let mut rest = input;
        while let Some(room) = out.get_mut(at..) {
            if room.len() < MIN_COMPRESS_OUTPUT {
                break;
            }
            let p = self.compress(rest, room, true)?;
            at += p.written;
            rest = rest.get(p.consumed..).unwrap_or_default();
            if p.done {
                return Ok(at);
            }
            if p.consumed == 0 && p.written == 0 {
                break;
            }
        }
        self.reset();
        Err(WsError::BufferTooSmall)
    }

    /// Writes a whole compressed data frame for `payload` (FIN and RSV1 set, masked with
    /// `mask_key` when given). `out` should hold [`encode_message_bound`] bytes. Returns the
    /// bytes written. `InvalidArgument` for a control opcode or while a streamed message is in
    /// progress; `BufferTooSmall` as for [`Compressor::compress_message`].
    pub fn encode_message(
        &mut self,
        opcode: Opcode,
        payload: &[u8],
        mask_key: Option<[u8; 4]>,
        out: &mut [u8],
    ) -> Result<usize, WsError> {
        if opcode != Opcode::Text && opcode != Opcode::Binary {
            return Err(WsError::InvalidArgument);
        }
        let body = out
            .get_mut(MAX_HEADER_LEN..)
            .ok_or(WsError::BufferTooSmall)?;
        let n = self.compress_message(payload, body)?;
        let header = FrameHeader {
            fin: true,
            rsv1: true,
            rsv2: false,
            rsv3: false,
            opcode,
            mask: mask_key,
            payload_len: n as u64,
        };
        let h = header_len(n as u64, mask_key.is_some());
        out.copy_within(MAX_HEADER_LEN..MAX_HEADER_LEN + n, h);
        write_header(out, &header)?;
        if let (Some(key), Some(p)) = (mask_key, out.get_mut(h..h + n)) {
            mask(p, key, 0);
        }
        Ok(h + n)
    }
}

/// Bytes [`Compressor::encode_message`] may need for a payload of `len` bytes.
pub fn encode_message_bound(len: usize) -> usize {
    compress_bound(len).saturating_add(MAX_HEADER_LEN)
}

/// The decompressor for the messages one endpoint receives.
///
/// Per message: [`Decompressor::begin_message`], then [`Decompressor::decompress`] for each
/// piece of compressed payload (as the frame decoder delivers it, frames of the message in
/// order), then [`Decompressor::finish`]. Output goes into caller buffers of any size; the
/// `*_with` variants call a sink with each piece instead. The inflated size of a message is
/// checked against the limit, and a text message's UTF-8 is validated, as output is produced.
pub struct Decompressor {
    z: Inflate,
    window_bits: u8,
    no_context_takeover: bool,
    max_message: u64,
    produced: u64,
    in_message: bool,
    text: bool,
    tail_fed: u8,
    fed_any: bool,
    utf8: Utf8Validator,
}

impl core::fmt::Debug for Decompressor {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Decompressor")
            .field("window_bits", &self.window_bits)
            .field("no_context_takeover", &self.no_context_takeover)
            .field("max_message", &self.max_message)
            .field("in_message", &self.in_message)
            .finish_non_exhaustive()
    }
}

impl Decompressor {
    /// A decompressor for a peer that compresses with at most `window_bits` (8..15), starting
    /// every message afresh if `no_context_takeover`; messages inflating to more than
    /// `max_message_size` bytes (0: no limit) fail with `MessageTooLarge`. Allocates
    /// [`decompressor_memory`] bytes at most, once. `InvalidArgument` for bad window bits.
    ///
    /// The inflater accepts distances up to 32 KiB whatever `window_bits` says: zlib-rs keeps
    /// a 32 KiB window anyway, and a peer that overreaches its own agreed window is not worth
    /// a failure.
    pub fn new(
        window_bits: u8,
        no_context_takeover: bool,
        max_message_size: u64,
    ) -> Result<Decompressor, WsError> {
        if !(8..=15).contains(&window_bits) {
            return Err(WsError::InvalidArgument);
        }
        Ok(Decompressor {
            z: Inflate::new(false, 15),
            window_bits,
            no_context_takeover,
            max_message: max_message_size,
            produced: 0,
            in_message: false,
            text: false,
            tail_fed: 0,
            fed_any: false,
            utf8: Utf8Validator::new(),
        })
    }

    /// Heap bytes this decompressor holds (an upper bound; see [`decompressor_memory`]).
    pub fn memory_size(&self) -> usize {
        decompressor_memory()
    }

    /// Sets the limit on a message's inflated size (0: none); takes effect at once.
    pub fn set_max_message_size(&mut self, max: u64) {
        self.max_message = max;
    }

    /// The limit on a message's inflated size (0: none).
    pub fn max_message_size(&self) -> u64 {
        self.max_message
    }

    /// Bytes inflated so far in the current message.
    pub fn message_size(&self) -> u64 {
        self.produced
    }

    /// Whether a message is in progress (begun and not finished).
    pub fn in_message(&self) -> bool {
        self.in_message
    }

    /// Abandons the message in progress, if any, and empties the window.
    pub fn reset(&mut self) {
        self.z.reset(false);
        self.in_message = false;
        self.produced = 0;
        self.tail_fed = 0;
        self.fed_any = false;
        self.utf8 = Utf8Validator::new();
    }

    /// Starts a compressed message (its first frame had RSV1). `text` asks for UTF-8
    /// validation of the inflated bytes. A message still in progress is abandoned and the
    /// window emptied.
    pub fn begin_message(&mut self, text: bool) {
        if self.in_message {
            self.reset();
        }
        self.in_message = true;
        self.text = text;
        self.produced = 0;
        self.tail_fed = 0;
        self.fed_any = false;
        self.utf8 = Utf8Validator::new();
    }

    /// A failed message leaves no message in progress and an empty window (the connection is
    /// to be closed anyway); [`Decompressor::message_size`] still tells how far it got.
    fn failed<T>(&mut self, e: WsError) -> Result<T, WsError> {
        self.z.reset(false);
        self.in_message = false;
        Err(e)
    }

    /// One inflate step of `input` into `out`, with the limit and UTF-8 checks.
    fn step(&mut self, input: &[u8], out: &mut [u8]) -> Result<(usize, usize, bool), WsError> {
        if !self.in_message {
            return Err(WsError::InvalidArgument);
        }
        match self.inflate_step(input, out) {
            Ok(r) => Ok(r),
            Err(e) => self.failed(e),
        }
    }

    fn inflate_step(
        &mut self,
        input: &[u8],
        out: &mut [u8],
    ) -> Result<(usize, usize, bool), WsError> {
        // Never let zlib write more than one byte past the limit.
        let cap = if self.max_message == 0 {
            out.len()
        } else {
            let left = self
                .max_message
                .saturating_sub(self.produced)
                .saturating_add(1);
            usize::try_from(left).map_or(out.len(), |l| l.min(out.len()))
        };
        let out = out.get_mut(..cap).unwrap_or_default();
        let in_before = self.z.total_in();
        let out_before = self.z.total_out();
        let r = self.z.decompress(input, out, InflateFlush::SyncFlush);
        let consumed = (self.z.total_in() - in_before) as usize;
        let written = (self.z.total_out() - out_before) as usize;
        // The checks go in stream order, so the error does not depend on how the input or the
        // output was split: a bad UTF-8 byte within the limit, then the first byte past the
        // limit, then corrupt data after the bytes that did inflate.
        let within = if self.max_message == 0 {
            written
        } else {
            let room = self.max_message.saturating_sub(self.produced);
            usize::try_from(room).map_or(written, |r| r.min(written))
        };
        if self.text {
            let piece = out.get(..within).unwrap_or_default();
            if self.utf8.feed(piece).is_err() {
                return Err(WsError::InvalidUtf8);
            }
        }
        self.produced = self.produced.saturating_add(written as u64);
        if within < written {
            return Err(WsError::MessageTooLarge);
        }
        let ended = match r {
            Ok(Status::StreamEnd) => true,
            Ok(_) => false,
            Err(_) => return Err(WsError::InvalidCompressedData),
        };
        if ended {
            // A block with BFINAL ended the DEFLATE stream (RFC 7692 7.2.3.4 shows one);
            // whatever follows in the message starts a new stream with an empty window.
            self.z.reset(false);
        }
        Ok((consumed, written, ended))
    }

    /// Inflates the next piece of the message's compressed payload into `out`. Returns what
    /// was done: when `done` is false, `out` filled up; call again with the rest of `input`.
    /// Errors (the close code to send is [`WsError::close_code`]): `InvalidCompressedData`
    /// (1007), `MessageTooLarge` (1009, with at most one byte past the limit written),
    /// `InvalidUtf8` (1007) for a text message; `InvalidArgument` outside a message or for an
    /// empty `out`. After an error no message is in progress and the window is empty.
    pub fn decompress(&mut self, input: &[u8], out: &mut [u8]) -> Result<Progress, WsError> {
        if out.is_empty() {
            return Err(WsError::InvalidArgument);
        }
        self.fed_any |= !input.is_empty();
        let (consumed, written, _) = self.step(input, out)?;
        Ok(Progress {
            consumed,
            written,
            done: consumed == input.len() && written < out.len(),
        })
    }

    /// Ends the message: inflates the restored flush tail and whatever output is still
    /// pending into `out`. Returns what was done; when `done` is false, call again with fresh
    /// room. Errors as for [`Decompressor::decompress`], plus `IncompleteUtf8` (1007) for a text
    /// message ending inside a code point and `InvalidCompressedData` for data ending inside a
    /// block.
    pub fn finish(&mut self, out: &mut [u8]) -> Result<Progress, WsError> {
        if out.is_empty() {
            return Err(WsError::InvalidArgument);
        }
        if !self.fed_any {
            // An empty compressed payload (what zlib-based senders write for an empty message
            // after a flushed one) is an empty message; the tail alone is no DEFLATE data.
            if let Err(e) = self.end_message() {
                return self.failed(e);
            }
            return Ok(Progress {
                consumed: 0,
                written: 0,
                done: true,
            });
        }
        let fed = usize::from(self.tail_fed);
        let tail = FLUSH_TAIL.get(fed..).unwrap_or_default();
        let (consumed, written, _) = self.step(tail, out)?;
        self.tail_fed = (fed + consumed) as u8;
        let done = usize::from(self.tail_fed) == FLUSH_TAIL.len() && written < out.len();
        if done {
            if let Err(e) = self.end_message() {
                return self.failed(e);
            }
        }
        Ok(Progress {
            consumed,
            written,
            done,
        })
    }

    fn end_message(&mut self) -> Result<(), WsError> {
        // After the tail the inflater must stand between blocks: a sync flush leaves it at a
        // byte boundary with no partial block, so anything else is truncated data.
        if self.fed_any && !zlib_between_blocks(&mut self.z) {
            return Err(WsError::InvalidCompressedData);
        }
        if self.text && !self.utf8.is_complete() {
            return Err(WsError::IncompleteUtf8);
        }
        self.in_message = false;
        if self.no_context_takeover {
            self.z.reset(false);
        }
        Ok(())
    }

    /// [`Decompressor::decompress`] for a whole piece: inflates all of `input`, calling `sink`
    /// with each non-empty piece of output (at most `scratch.len()` bytes, in `scratch`).
    /// `sink` returning [`Action::Fail`] stops with `CallbackError`; `Pause` is treated as
    /// `Continue`.
    pub fn decompress_with<F: FnMut(&[u8]) -> Action>(
        &mut self,
        input: &[u8],
        scratch: &mut [u8],
        mut sink: F,
    ) -> Result<(), WsError> {
        let mut rest = input;
        loop {
            let p = self.decompress(rest, scratch)?;
            deliver(scratch, p.written, &mut sink)?;
            rest = rest.get(p.consumed..).unwrap_or_default();
            if p.done {
                return Ok(());
            }
            if p.consumed == 0 && p.written == 0 {
                return Err(WsError::InvalidCompressedData);
            }
        }
    }

    /// [`Decompressor::finish`] with output delivered to `sink` as for
    /// [`Decompressor::decompress_with`].
    pub fn finish_with<F: FnMut(&[u8]) -> Action>(
        &mut self,
        scratch: &mut [u8],
        mut sink: F,
    ) -> Result<(), WsError> {
        loop {
            let p = self.finish(scratch)?;
            deliver(scratch, p.written, &mut sink)?;
            if p.done {
                return Ok(());
            }
            if p.consumed == 0 && p.written == 0 {
                return Err(WsError::InvalidCompressedData);
            }
        }
    }
}

fn deliver<F: FnMut(&[u8]) -> Action>(
    scratch: &[u8],
    n: usize,
    sink: &mut F,
) -> Result<(), WsError> {
    if n == 0 {
        return Ok(());
    }
    match sink(scratch.get(..n).unwrap_or_default()) {
        Action::Fail => Err(WsError::CallbackError),
        _ => Ok(()),
    }
}

/// Whether the inflater stands between DEFLATE blocks at a byte boundary. zlib-rs's stable
/// API does not expose `inflate`'s `data_type` bits, so this asks the way zlib's own
/// documentation suggests for a sync point: an empty stored block (`00 00 00 ff ff`, as a
/// sync flush writes) fed to the inflater must be accepted whole with no output. Fed in the
/// middle of a block it is either rejected or taken as block data.
fn zlib_between_blocks(z: &mut Inflate) -> bool {
    const EMPTY_STORED: [u8; 5] = [0x00, 0x00, 0x00, 0xFF, 0xFF];
    let mut out = [0u8; 1];
    let in_before = z.total_in();
    let out_before = z.total_out();
    let r = z.decompress(&EMPTY_STORED, &mut out, InflateFlush::SyncFlush);
    matches!(r, Ok(Status::Ok) | Ok(Status::BufError))
        && z.total_in() - in_before == EMPTY_STORED.len() as u64
        && z.total_out() == out_before
}
