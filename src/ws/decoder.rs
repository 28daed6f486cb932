//! The streaming frame decoder.
//!
//! [`FrameDecoder::decode`] takes whatever bytes have arrived, in pieces of any size, and reports
//! events to a [`Handler`]: a frame header, the payload in pieces (unmasked in place, pointing
//! into the caller's buffer), then frame complete. A header split at any byte and a payload
//! split anywhere give the same events; only the payload pieces' boundaries differ. Every
//! RFC 6455 rule is checked at a fixed byte of the stream, so an error and its offset do not
//! depend on how the input was split.

use super::close::close_code_may_be_sent;
use super::error::WsError;
use super::header::{FrameHeader, Opcode, MAX_CONTROL_PAYLOAD};
use super::mask::mask;
use super::utf8::Utf8Validator;

/// Which end of the connection the decoder runs on; it decides the masking rule (RFC 6455
/// 5.1): a server requires every frame to be masked, a client rejects masked frames.
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Decode frames sent by a client: every frame must be masked.
    Server = 0,
    /// Decode frames sent by a server: no frame may be masked.
    Client = 1,
}

/// What a [`Handler`] callback asks the decoder to do next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Go on decoding.
    Continue,
    /// Stop after this event; `decode` returns the offset just past the event's bytes and the
    /// next `decode` call, given the rest of the input, resumes.
    Pause,
    /// Stop with [`WsError::CallbackError`].
    Fail,
}

/// What the decoder knows when a frame is complete.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FrameEnd {
    /// The frame's own opcode (Continuation for a non-first fragment).
    pub opcode: Opcode,
    /// The message's opcode: Text or Binary for data frames (also for continuations), the
    /// frame's own opcode for control frames.
    pub message_opcode: Opcode,
    /// The FIN bit.
    pub fin: bool,
    /// Whether this frame completed a message: a data frame with FIN, or any control frame.
    pub message_end: bool,
    /// For a close frame, its status code, or 1005 (no status received) for an empty close
    /// payload; 0 for every other frame.
    pub close_code: u16,
}

/// The decoder's callbacks. Each has a default that does nothing and continues.
pub trait Handler {
    /// A frame header has been decoded (and checked).
    fn frame_header(&mut self, header: &FrameHeader) -> Action {
        let _ = header;
        Action::Continue
    }
    /// The next piece of the current frame's payload, already unmasked. `data` is part of the
    /// buffer given to `decode` and is valid only during the call. Never called with an empty
    /// piece.
    fn payload(&mut self, data: &[u8]) -> Action {
        let _ = data;
        Action::Continue
    }
    /// The current frame's payload is complete and valid.
    fn frame_complete(&mut self, end: &FrameEnd) -> Action {
        let _ = end;
        Action::Continue
    }
}

impl Handler for () {}

/// FrameDecoder option flags (bit set, `DecoderConfig::flags`).
///
/// cbindgen:ignore
pub mod flags {
    /// Accept RSV1 on the first frame of a data message (negotiated permessage-deflate). Text
    /// messages with RSV1 are compressed, so their UTF-8 is not validated by the decoder: the
    /// caller validates after inflating.
    pub const ALLOW_RSV1: u32 = 1;
    /// Accept RSV2 on any frame (an extension the caller negotiated defines it).
    pub const ALLOW_RSV2: u32 = 2;
    /// Accept RSV3 on any frame (an extension the caller negotiated defines it).
    pub const ALLOW_RSV3: u32 = 4;
    /// Accept payload lengths that are not minimally encoded (the default rejects them with
    /// `NonMinimalLength`, close code 1002).
    pub const LENIENT_LENGTH: u32 = 8;
    /// Do not validate UTF-8 in text messages (the caller does it). Close reasons are still
    /// validated.
    pub const SKIP_UTF8: u32 = 16;
    /// Every defined flag.
    pub const ALL: u32 = 31;
}

/// FrameDecoder settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DecoderConfig {
    /// Server or client (masking rule).
    pub role: Role,
    /// Bit set of [`flags`].
    pub flags: u32,
    /// Largest payload of one frame, in bytes; 0 means no limit. Exceeding it fails with
    /// `FrameTooLarge` (close code 1009) as soon as the length is decoded.
    pub max_frame_payload: u64,
    /// Largest message (sum of its frames' payload lengths, compressed bytes when RSV1 is
    /// set), in bytes; 0 means no limit. Exceeding it fails with `MessageTooLarge` (1009) as
    /// soon as the offending frame's length is decoded.
    pub max_message_size: u64,
    /// Largest number of frames in one data message; 0 means no limit. Exceeding it fails with
    /// `TooManyFragments` (1009) at the first byte of the offending frame.
    pub max_fragments: u32,
}

/// Default maximum message size: 100 MiB (the default `maxPayload` of Node's `ws`).
///
/// cbindgen:ignore
pub const DEFAULT_MAX_MESSAGE_SIZE: u64 = 100 * 1024 * 1024;
/// Default maximum number of frames in one message.
///
/// cbindgen:ignore
pub const DEFAULT_MAX_FRAGMENTS: u32 = 65536;

impl DecoderConfig {
    /// Defaults for `role`: strict (no flags), no frame limit beyond the message limit,
    /// [`DEFAULT_MAX_MESSAGE_SIZE`], [`DEFAULT_MAX_FRAGMENTS`].
    pub const fn new(role: Role) -> Self {
        DecoderConfig {
            role,
            flags: 0,
            max_frame_payload: 0,
            max_message_size: DEFAULT_MAX_MESSAGE_SIZE,
            max_fragments: DEFAULT_MAX_FRAGMENTS,
        }
    }
}

const MAGIC: u32 = 0x5746_5753; // "WFWS"

const ST_B0: u8 = 0;
const ST_B1: u8 = 1;
const ST_EXT: u8 = 2;
const ST_MASK: u8 = 3;
const ST_PAYLOAD: u8 = 4;

/// The decoder's state: plain data with a fixed layout, so that it can be embedded (as part of
/// `wf_ws_decoder`) without an allocation. Every field is private and only integers, so no bit
/// pattern is invalid; a decoder that was never initialised reports that it is not
/// initialised (`WF_WS_ERR_NOT_INITIALIZED`).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct FrameDecoder {
    _magic: u32,
    _flags: u32,
    _max_frame: u64,
    _max_message: u64,
    _max_fragments: u32,
    _error: u32,
    _error_offset: u64,
    _total: u64,
    _len: u64,
    _pos: u64,
    _msg_size: u64,
    _msg_fragments: u32,
    _role: u8,
    _state: u8,
    _b0: u8,
    _b1: u8,
    _ext_left: u8,
    _mask_left: u8,
    _mask: [u8; 4],
    _msg_opcode: u8,
    _msg_validate: u8,
    _close_b0: u8,
    _close_code: u16,
    _utf8: Utf8Validator,
    _close_utf8: Utf8Validator,
}

impl FrameDecoder {
    /// A decoder at the start of a stream, with `config`.
    pub const fn new(config: DecoderConfig) -> Self {
        FrameDecoder {
            _magic: MAGIC,
            _flags: config.flags,
            _max_frame: config.max_frame_payload,
            _max_message: config.max_message_size,
            _max_fragments: config.max_fragments,
            _error: WsError::Ok as u32,
            _error_offset: 0,
            _total: 0,
            _len: 0,
            _pos: 0,
            _msg_size: 0,
            _msg_fragments: 0,
            _role: config.role as u8,
            _state: ST_B0,
            _b0: 0,
            _b1: 0,
            _ext_left: 0,
            _mask_left: 0,
            _mask: [0; 4],
            _msg_opcode: 0,
            _msg_validate: 0,
            _close_b0: 0,
            _close_code: 0,
            _utf8: Utf8Validator::new(),
            _close_utf8: Utf8Validator::new(),
        }
    }

    /// The settings in force.
    pub fn config(&self) -> DecoderConfig {
        DecoderConfig {
            role: if self._role == Role::Client as u8 {
                Role::Client
            } else {
                Role::Server
            },
            flags: self._flags,
            max_frame_payload: self._max_frame,
            max_message_size: self._max_message,
            max_fragments: self._max_fragments,
        }
    }

    /// Changes the settings; takes effect from the next frame header byte decoded.
    pub fn set_config(&mut self, config: DecoderConfig) {
        self._role = config.role as u8;
        self._flags = config.flags;
        self._max_frame = config.max_frame_payload;
        self._max_message = config.max_message_size;
        self._max_fragments = config.max_fragments;
    }

    /// The state: `Ok`, `Paused` (the last `decode` stopped at a pause), or the error that
    /// stopped decoding for good.
    pub fn error(&self) -> WsError {
        if self._magic != MAGIC {
            return WsError::NotInitialized;
        }
        WsError::from_u32(self._error).unwrap_or(WsError::NotInitialized)
    }

    /// Leaves the decoder failed with `WsError::Internal`: what the C boundary does when a bug
    /// panics inside `decode`, so that a caller looping while bytes remain stops.
    #[cfg(feature = "capi")]
    pub(crate) fn fail_internal(&mut self) {
        if self._magic == MAGIC {
            self._error = WsError::Internal as u32;
            self._error_offset = self._total;
        }
    }

    /// Stream offset (bytes since the decoder was created) of the byte at which the error was
    /// detected, or just past the event that paused; 0 in the `Ok` state. Independent of how
    /// the input was split.
    pub fn error_offset(&self) -> u64 {
        self._error_offset
    }

    /// The close code to send because of the current error (1002, 1007, 1009 or 1011), or 0.
    pub fn close_code(&self) -> u16 {
        self.error().close_code()
    }

    /// Total bytes consumed since the decoder was created.
    pub fn bytes_consumed(&self) -> u64 {
        self._total
    }

    /// Whether a fragmented data message is in progress (its final frame not yet complete).
    pub fn in_message(&self) -> bool {
        self._msg_opcode != 0
    }

    /// Whether the decoder is between frames (no partial frame buffered).
    pub fn at_frame_boundary(&self) -> bool {
        self._state == ST_B0
    }

    /// Decodes `data`, unmasking payload bytes in place and reporting events to `handler`.
    ///
    /// Returns the number of bytes consumed: `data.len()` when all was decoded (a partial
    /// frame at the end is remembered), or, when [`FrameDecoder::error`] is not `Ok`, the offset
    /// in `data` of the byte at which the error was detected or just past the event that
    /// paused. After a pause, call again with `&mut data[returned..]`. After an error the
    /// decoder consumes nothing more (returns 0). Never panics.
    pub fn decode<H: Handler + ?Sized>(&mut self, data: &mut [u8], handler: &mut H) -> usize {
        match self.error() {
            WsError::Ok => {}
            WsError::Paused => {
                self._error = WsError::Ok as u32;
                self._error_offset = 0;
            }
            _ => return 0,
        }
        let mut i = 0usize;
        let r = self.run(data, &mut i, handler);
        let base = self._total;
        self._total = base.saturating_add(i as u64);
        if let Err(e) = r {
            self._error = e as u32;
            self._error_offset = self._total;
        }
        i
    }

    fn act(a: Action) -> Result<(), WsError> {
        match a {
            Action::Continue => Ok(()),
            Action::Pause => Err(WsError::Paused),
            Action::Fail => Err(WsError::CallbackError),
        }
    }

    fn run<H: Handler + ?Sized>(
        &mut self,
        data: &mut [u8],
        i: &mut usize,
        h: &mut H,
    ) -> Result<(), WsError> {
        loop {
            if self._state == ST_PAYLOAD {
                if self._pos >= self._len {
                    self.finish_frame(h)?;
                    continue;
                }
                let Some(rest) = data.get_mut(*i..) else {
                    return Ok(());
                };
                if rest.is_empty() {
                    return Ok(());
                }
                let left = self._len - self._pos;
                let n = usize::try_from(left).map_or(rest.len(), |l| l.min(rest.len()));
                let piece = rest.get_mut(..n).unwrap_or_default();
                self.payload_piece(piece, i, h)?;
                continue;
            }
            let Some(&b) = data.get(*i) else {
                return Ok(());
            };
            // Errors in header bytes are reported at the byte itself.
            match self._state {
                ST_B0 => self.byte0(b)?,
                ST_B1 => self.byte1(b)?,
                ST_EXT => self.ext_byte(b)?,
                _ => {
                    // ST_MASK (any other value is impossible; treat it as a mask byte). The
                    // key bytes that are here are taken at once.
                    let left = (self._mask_left as usize).clamp(1, 4);
                    let here = data.get(*i..).unwrap_or_default();
                    let n = left.min(here.len());
                    if let (Some(slots), Some(bytes)) =
                        (self._mask.get_mut(4 - left..4 - left + n), here.get(..n))
                    {
                        slots.copy_from_slice(bytes);
                    }
                    self._mask_left = (left - n) as u8;
                    *i += n;
                    if self._mask_left == 0 {
                        self.header_done(h)?;
                    }
                    continue;
                }
            }
            *i += 1;
            if self._state == ST_PAYLOAD {
                // The header ended at this byte (unmasked frame).
                self.header_done(h)?;
            }
        }
    }

    fn opcode(&self) -> Opcode {
        Opcode::from_nibble(self._b0)
    }

    fn byte0(&mut self, b: u8) -> Result<(), WsError> {
        self._b0 = b;
        let op = Opcode::from_nibble(b);
        let fin = b & 0x80 != 0;
        if op.is_reserved() {
            return Err(WsError::ReservedOpcode);
        }
        if b & 0x40 != 0 {
            if self._flags & flags::ALLOW_RSV1 == 0 {
                return Err(WsError::ReservedBits);
            }
            if op.is_control() || op == Opcode::Continuation {
                return Err(WsError::UnexpectedRsv1);
            }
        }
        if (b & 0x20 != 0 && self._flags & flags::ALLOW_RSV2 == 0)
            || (b & 0x10 != 0 && self._flags & flags::ALLOW_RSV3 == 0)
        {
            return Err(WsError::ReservedBits);
        }
        if op.is_control() {
            if !fin {
                return Err(WsError::FragmentedControl);
            }
        } else if op == Opcode::Continuation {
            if self._msg_opcode == 0 {
                return Err(WsError::UnexpectedContinuation);
            }
            let n = self._msg_fragments.saturating_add(1);
            if self._max_fragments != 0 && n > self._max_fragments {
                return Err(WsError::TooManyFragments);
            }
            self._msg_fragments = n;
        } else {
            if self._msg_opcode != 0 {
                return Err(WsError::ExpectedContinuation);
            }
            self._msg_opcode = op as u8;
            self._msg_size = 0;
            self._msg_fragments = 1;
            self._utf8 = Utf8Validator::new();
            self._msg_validate = u8::from(
                op == Opcode::Text && b & 0x40 == 0 && self._flags & flags::SKIP_UTF8 == 0,
            );
        }
        self._state = ST_B1;
        Ok(())
    }

    fn byte1(&mut self, b: u8) -> Result<(), WsError> {
        self._b1 = b;
        let masked = b & 0x80 != 0;
        if self._role == Role::Server as u8 && !masked {
            return Err(WsError::UnmaskedFrame);
        }
        if self._role != Role::Server as u8 && masked {
            return Err(WsError::MaskedFrame);
        }
        let len7 = b & 0x7F;
        if self.opcode().is_control() && len7 as usize > MAX_CONTROL_PAYLOAD {
            return Err(WsError::ControlTooLong);
        }
        self._len = 0;
        match len7 {
            126 => {
                self._ext_left = 2;
                self._state = ST_EXT;
                Ok(())
            }
            127 => {
                self._ext_left = 8;
                self._state = ST_EXT;
                Ok(())
            }
            n => {
                self._len = u64::from(n);
                self.length_done()
            }
        }
    }

    fn ext_byte(&mut self, b: u8) -> Result<(), WsError> {
        if self._ext_left == 8 && self._b1 & 0x7F == 127 && b & 0x80 != 0 {
            return Err(WsError::LengthTopBit);
        }
        self._len = (self._len << 8) | u64::from(b);
        self._ext_left = self._ext_left.saturating_sub(1);
        if self._ext_left > 0 {
            return Ok(());
        }
        if self._flags & flags::LENIENT_LENGTH == 0 {
            let minimal = if self._b1 & 0x7F == 126 {
                self._len >= 126
            } else {
                self._len > 0xFFFF
            };
            if !minimal {
                return Err(WsError::NonMinimalLength);
            }
        }
        self.length_done()
    }

    fn length_done(&mut self) -> Result<(), WsError> {
        let op = self.opcode();
        if op == Opcode::Close && self._len == 1 {
            return Err(WsError::CloseTooShort);
        }
        if self._max_frame != 0 && self._len > self._max_frame {
            return Err(WsError::FrameTooLarge);
        }
        if !op.is_control() {
            let total = self._msg_size.checked_add(self._len);
            match total {
                Some(t) if self._max_message == 0 || t <= self._max_message => self._msg_size = t,
                _ => return Err(WsError::MessageTooLarge),
            }
        }
        if self._b1 & 0x80 != 0 {
            self._mask_left = 4;
            self._state = ST_MASK;
        } else {
            self._state = ST_PAYLOAD;
        }
        Ok(())
    }

    fn header_done<H: Handler + ?Sized>(&mut self, h: &mut H) -> Result<(), WsError> {
        self._state = ST_PAYLOAD;
        self._pos = 0;
        if self.opcode() == Opcode::Close {
            self._close_code = 0;
            self._close_utf8 = Utf8Validator::new();
        }
        let masked = self._b1 & 0x80 != 0;
        let header = FrameHeader {
            fin: self._b0 & 0x80 != 0,
            rsv1: self._b0 & 0x40 != 0,
            rsv2: self._b0 & 0x20 != 0,
            rsv3: self._b0 & 0x10 != 0,
            opcode: self.opcode(),
            mask: if masked { Some(self._mask) } else { None },
            payload_len: self._len,
        };
        let a = h.frame_header(&header);
        Self::act(a)
    }

    fn payload_piece<H: Handler + ?Sized>(
        &mut self,
        piece: &mut [u8],
        i: &mut usize,
        h: &mut H,
    ) -> Result<(), WsError> {
        if self._b1 & 0x80 != 0 {
            mask(piece, self._mask, self._pos);
        }
        let op = self.opcode();
        let mut bad: Option<(usize, WsError)> = None;
        if op == Opcode::Close {
            for (k, &b) in piece.iter().enumerate() {
                let p = self._pos.saturating_add(k as u64);
                if p == 0 {
                    self._close_b0 = b;
                } else if p == 1 {
                    let code = u16::from_be_bytes([self._close_b0, b]);
                    self._close_code = code;
                    if !close_code_may_be_sent(code) {
                        bad = Some((k, WsError::InvalidCloseCode));
                        break;
                    }
                } else {
                    let tail = piece.get(k..).unwrap_or_default();
                    if let Err(e) = self._close_utf8.feed(tail) {
                        bad = Some((k.saturating_add(e), WsError::InvalidCloseReason));
                    }
                    break;
                }
            }
        } else if !op.is_control()
            && self._msg_validate != 0
            && self._msg_opcode == Opcode::Text as u8
        {
            if let Err(e) = self._utf8.feed(piece) {
                bad = Some((e, WsError::InvalidUtf8));
            }
        }
        let (good, err) = match bad {
            Some((e, err)) => (e.min(piece.len()), Some(err)),
            None => (piece.len(), None),
        };
        let delivered = piece.get(..good).unwrap_or_default();
        let mut step = Ok(());
        if !delivered.is_empty() {
            let a = h.payload(delivered);
            step = Self::act(a);
        }
        self._pos = self._pos.saturating_add(good as u64);
        *i = i.saturating_add(good);
        if let Some(err) = err {
            return Err(err);
        }
        step
    }

    fn finish_frame<H: Handler + ?Sized>(&mut self, h: &mut H) -> Result<(), WsError> {
        let op = self.opcode();
        let fin = self._b0 & 0x80 != 0;
        let mut end = FrameEnd {
            opcode: op,
            message_opcode: op,
            fin,
            message_end: true,
            close_code: 0,
        };
        if op.is_control() {
            if op == Opcode::Close {
                if !self._close_utf8.is_complete() {
                    return Err(WsError::InvalidCloseReason);
                }
                end.close_code = if self._len == 0 {
                    1005
                } else {
                    self._close_code
                };
            }
        } else {
            end.message_opcode = Opcode::from_nibble(self._msg_opcode);
            end.message_end = fin;
            if fin {
                if self._msg_validate != 0 && !self._utf8.is_complete() {
                    return Err(WsError::IncompleteUtf8);
                }
                self._msg_opcode = 0;
                self._msg_size = 0;
                self._msg_fragments = 0;
            }
        }
        self._state = ST_B0;
        let a = h.frame_complete(&end);
        Self::act(a)
    }
}
