//! The streaming HTTP/1.x state machine.
//!
//! One call to [`Parser::execute`] consumes a buffer and reports what it finds through
//! [`Callbacks`]: spans of the input (method, URL, header names and values, body, ...) and
//! notifications (message begin, headers complete, ...). The state survives between calls, so a
//! message may arrive in pieces split at any byte; a span then arrives in several pieces that
//! concatenate to the same bytes. Spans are found with the fast scans of [`super::scan`]: there
//! is no callback per byte.
//!
//! Every callback is made with the parser already in the state that follows it, so that a
//! callback may pause the parser and a later call resumes exactly after that event.

use core::ffi::c_void;

use super::callbacks::*;
use super::errno::{Errno, Error};
use super::flags::*;
use super::method::{Family, Method, MAX_METHOD_LEN};
use super::reason::Reason;
use super::scan;

// Each part of the grammar adds the steps of its states, and its helpers, to `Parser`.
mod chunked;
mod framing;
mod headers;
mod start_line;

/// Which messages a parser reads. Numbers are llhttp's.
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParserType {
    /// Requests or responses: the first bytes of each message decide.
    Both = 0,
    /// Requests only.
    Request = 1,
    /// Responses only.
    Response = 2,
}
// Internal flags (`_iflags`).
const I_HAD_MESSAGE: u8 = 0x1; // a message was parsed before: fire on_reset at the next one
const I_CLOSED: u8 = 0x2; // the last message closes the connection
const I_BODY_FINAL: u8 = 0x4; // the on_body in progress ends the body
const I_TE_ERROR: u8 = 0x8; // chunked given twice
const I_UPGRADING: u8 = 0x10; // message complete leads to the upgrade pause
const I_IN_HEAD: u8 = 0x20; // the start line, headers or trailers are being read
const I_VALUE_STARTED: u8 = 0x40; // the header value being read has had a byte that is not OWS

// Protocols (`_protocol`).
const PROTO_HTTP: u8 = 0;
const PROTO_RTSP: u8 = 1;
const PROTO_ICE: u8 = 2;

// The headers whose values the parser interprets (`_header`).
const H_OTHER: u8 = 0;
const H_CONTENT_LENGTH: u8 = 1;
const H_TRANSFER_ENCODING: u8 = 2;
const H_CONNECTION: u8 = 3;
const H_UPGRADE: u8 = 4; // only sets a flag; its value is not read

// `_vstate` bits for token lists.
const V_WS: u8 = 0x1; // whitespace after the token's characters
const V_PARAMS: u8 = 0x2; // inside `;params`, skipped
const V_ESCAPE: u8 = 0x4; // after a backslash in a quoted chunk extension

/// What follows `PRI * HTTP/2.0` CRLF in the HTTP/2 connection preface (RFC 9113 3.4).
const H2_PREFACE_REST: &[u8; 8] = b"\r\nSM\r\n\r\n";

/// Capacity of `_token`: the longest method (13), `HTTP`, or a header name the parser must
/// recognise (`transfer-encoding`, 17).
const TOKEN_CAP: usize = 24;
/// Capacity of `_vtok`: the longest token of a list value the parser recognises.
const VTOK_CAP: usize = 12;
// The struct spells the capacities as literals so that the C header can size the arrays.
const _: () = assert!(TOKEN_CAP == 24 && VTOK_CAP == 12);

#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    MessageStart,
    MessageStartLf,
    Notify,
    StartToken,
    Method,
    UrlStart,
    Url,
    AfterUrl,
    Http09Lf,
    Protocol,
    Version,
    AfterRequestVersion,
    RequestLineLf,
    AfterResponseVersion,
    StatusCode,
    AfterStatusCode,
    Status,
    StatusLf,
    HeaderFieldStart,
    HeaderField,
    FieldWs,
    ValueOws,
    Value,
    ValueLf,
    ValueEnd,
    HeadersLf,
    HeadersComplete,
    AfterHeaders,
    BodyIdentity,
    BodyEof,
    ChunkSizeStart,
    ChunkSize,
    ChunkSizeWs,
    ChunkExtNameStart,
    ChunkExtName,
    ChunkExtValueStart,
    ChunkExtValue,
    ChunkExtQuoted,
    ChunkExtAfterQuoted,
    ChunkSizeLf,
    ChunkData,
    ChunkDataCr,
    ChunkDataLf,
    MessageComplete,
    Upgrade,
    H2Preface,
}

impl State {
    const ALL: [State; 46] = [
        State::MessageStart,
        State::MessageStartLf,
        State::Notify,
        State::StartToken,
        State::Method,
        State::UrlStart,
        State::Url,
        State::AfterUrl,
        State::Http09Lf,
        State::Protocol,
        State::Version,
        State::AfterRequestVersion,
        State::RequestLineLf,
        State::AfterResponseVersion,
        State::StatusCode,
        State::AfterStatusCode,
        State::Status,
        State::StatusLf,
        State::HeaderFieldStart,
        State::HeaderField,
        State::FieldWs,
        State::ValueOws,
        State::Value,
        State::ValueLf,
        State::ValueEnd,
        State::HeadersLf,
        State::HeadersComplete,
        State::AfterHeaders,
        State::BodyIdentity,
        State::BodyEof,
        State::ChunkSizeStart,
        State::ChunkSize,
        State::ChunkSizeWs,
        State::ChunkExtNameStart,
        State::ChunkExtName,
        State::ChunkExtValueStart,
        State::ChunkExtValue,
        State::ChunkExtQuoted,
        State::ChunkExtAfterQuoted,
        State::ChunkSizeLf,
        State::ChunkData,
        State::ChunkDataCr,
        State::ChunkDataLf,
        State::MessageComplete,
        State::Upgrade,
        State::H2Preface,
    ];

    fn from_u8(value: u8) -> State {
        State::ALL
            .get(value as usize)
            .copied()
            .unwrap_or(State::MessageStart)
    }
}

/// An HTTP/1.x parser (`wf_http_parser`): a plain struct that owns no memory, so that it can be
/// embedded anywhere or placed on the stack. It is fed bytes, in pieces split anywhere, and
/// reports what it finds through callbacks.
///
/// In C: initialise it with `wf_http_parser_init` before use. The fields without a leading
/// `_` are READ-ONLY for callers, except `data`, which is theirs; they describe the message
/// being parsed and are valid from the callback that sets them until the next message begins.
/// Fields whose names start with `_` are PRIVATE.
#[repr(C)]
pub struct Parser {
    /// User data: the parser never reads or writes it.
    pub(crate) data: *mut c_void,
    /// The `Content-Length` of the message; in `on_chunk_header`, the chunk size. While a body
    /// is read, the bytes of it (or of the chunk) still to come.
    pub(crate) content_length: u64,
    /// The parser's type (`WF_HTTP_TYPE_*`).
    pub(crate) kind: u8,
    /// The request method (`WF_HTTP_METHOD_*`), for requests.
    pub(crate) method: u8,
    /// Major protocol version.
    pub(crate) http_major: u8,
    /// Minor protocol version.
    pub(crate) http_minor: u8,
    /// The response status code, for responses.
    pub(crate) status_code: u16,
    /// `WF_F_*` bits describing the headers seen.
    pub(crate) flags: u16,
    /// 1 when the message upgrades the connection (Upgrade with `Connection: upgrade`,
    /// CONNECT, or a 101 response); the bytes after it belong to another protocol.
    pub(crate) upgrade: u8,
    _state: u8,
    _after: u8,
    _pending: u8,
    _msg_kind: u8,
    _protocol: u8,
    _header: u8,
    _iflags: u8,
    _token_len: u8,
    _vtok_len: u8,
    _vstate: u8,
    _reason: u16,
    _errno: u32,
    _lenient: u32,
    _max_header_size: u32,
    _max_ext_size: u32,
    _head_bytes: u32,
    _ext_bytes: u32,
    _error_offset: usize,
    _scratch: u64,
    _token: [u8; 24],
    _vtok: [u8; 12],
}

/// Result of a step that may stop the parser: `Err(pos)` is the value `execute` returns.
type Step = Result<(), usize>;

/// Where one `execute` call is in its buffer. `run` keeps it in a local, so the compiler holds
/// its fields in registers across the inlined steps.
struct Cursor<'a> {
    /// The buffer of the `execute` call.
    data: &'a [u8],
    /// The offset of the next byte to read.
    pos: usize,
    /// The end of the window the head (start line, headers, trailers) may use in this buffer:
    /// `min(data.len(), limit)`.
    hend: usize,
    /// The offset beyond which bytes of the head are over the maximum header size
    /// (`usize::MAX` outside a head).
    limit: usize,
}

/// Why a step does not go on to a next state.
enum Halt {
    /// The input is used up: `run` stores this state, to resume in, and returns.
    Suspend(State),
    /// The parser stopped (error, pause, upgrade) at this offset, its state already stored.
    Stop(usize),
}

impl From<usize> for Halt {
    fn from(pos: usize) -> Halt {
        Halt::Stop(pos)
    }
}

/// What a state's step returns: the next state, or why there is none.
type Next = Result<State, Halt>;

impl<'a> Cursor<'a> {
    /// Needs one byte of the head at `pos`: suspends in `state` when the buffer is used up,
    /// stops with `HPE_HEADER_OVERFLOW` when the head's window is.
    #[inline(always)]
    fn need_head(&self, p: &mut Parser, state: State) -> Result<(), Halt> {
        if self.pos >= self.hend {
            if self.hend < self.data.len() {
                let at = self.hend;
                return Err(Halt::Stop(p.stop(
                    Errno::HeaderOverflow,
                    Reason::HeaderOverflow,
                    at,
                )));
            }
            return Err(Halt::Suspend(state));
        }
        Ok(())
    }

    /// Needs one byte (of a body or chunk framing) at `pos`: suspends in `state` otherwise.
    #[inline(always)]
    fn need_body(&self, state: State) -> Result<(), Halt> {
        if self.pos >= self.data.len() {
            return Err(Halt::Suspend(state));
        }
        Ok(())
    }

    /// Starts a new head window (start line or trailers) at `pos`.
    #[inline(always)]
    fn start_head(&mut self, p: &mut Parser) {
        p._head_bytes = 0;
        p._iflags |= I_IN_HEAD;
        self.limit = self.pos.saturating_add(p._max_header_size as usize);
        self.hend = self.data.len().min(self.limit);
    }

    /// Takes the bytes of a counted body (Content-Length or a chunk) that are in this buffer:
    /// at most `remaining`, which goes down by as many. Returns them.
    #[inline(always)]
    fn take_counted(&mut self, remaining: &mut u64) -> &'a [u8] {
        let avail = (self.data.len() - self.pos) as u64;
        let n = (*remaining).min(avail) as usize;
        *remaining -= n as u64;
        let start = self.pos;
        self.pos += n;
        &self.data[start..self.pos]
    }

    /// Ends the head window: the bytes from here on are not counted against the header size.
    #[inline(always)]
    fn end_head(&mut self, p: &mut Parser) {
        p._iflags &= !I_IN_HEAD;
        self.limit = usize::MAX;
        self.hend = self.data.len();
    }
}

impl Default for Parser {
    fn default() -> Self {
        Parser::new(ParserType::Both)
    }
}

// SAFETY: the only field that is not plain data is `data`, the C caller's user pointer. The
// parser never dereferences it and the Rust API gives no access to it, so moving a parser to
// another thread, or sharing `&Parser` between threads, cannot race through it.
unsafe impl Send for Parser {}
// SAFETY: as above; `&Parser` only reads integers.
unsafe impl Sync for Parser {}

impl core::fmt::Debug for Parser {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Parser")
            .field("type", &self.parser_type())
            .field("errno", &self.errno())
            .field("method", &self.method())
            .field("version", &(self.http_major, self.http_minor))
            .field("status_code", &self.status_code)
            .field("flags", &self.flags())
            .field("content_length", &self.content_length)
            .field("upgrade", &self.upgrade())
            .field("lenient", &self.lenient())
            .finish_non_exhaustive()
    }
}

impl Parser {
    /// A parser for messages of type `kind`, with the default limits and no leniency.
    ///
    /// ```
    /// use wireframe::http::{Parser, ParserType};
    ///
    /// let mut parser = Parser::new(ParserType::Response);
    /// let head = b"HTTP/1.1 204 No Content\r\nServer: x\r\n\r\n";
    /// assert_eq!(parser.execute(&mut (), head), Ok(head.len()));
    /// assert_eq!(parser.status_code(), 204);
    /// assert_eq!(parser.http_version(), (1, 1));
    /// assert!(parser.should_keep_alive());
    /// ```
    pub fn new(kind: ParserType) -> Parser {
        Parser {
            data: core::ptr::null_mut(),
            content_length: 0,
            kind: kind as u8,
            method: 0,
            http_major: 0,
            http_minor: 0,
            status_code: 0,
            flags: 0,
            upgrade: 0,
            _state: State::MessageStart as u8,
            _after: 0,
            _pending: 0,
            _msg_kind: 0,
            _protocol: 0,
            _header: 0,
            _iflags: 0,
            _token_len: 0,
            _vtok_len: 0,
            _vstate: 0,
            _reason: Reason::None as u16,
            _errno: 0,
            _lenient: 0,
            _max_header_size: WF_DEFAULT_MAX_HEADER_SIZE,
            _max_ext_size: WF_DEFAULT_MAX_CHUNK_EXTENSIONS_SIZE,
            _head_bytes: 0,
            _ext_bytes: 0,
            _error_offset: 0,
            _scratch: 0,
            _token: [0; TOKEN_CAP],
            _vtok: [0; VTOK_CAP],
        }
    }

    /// A parser for messages of type `kind` with `config`'s leniency and limits.
    ///
    /// ```
    /// use wireframe::http::{Config, Lenient, Parser, ParserType};
    ///
    /// let config = Config {
    ///     lenient: Lenient::OPTIONAL_CR_BEFORE_LF,
    ///     max_header_size: 8 * 1024,
    ///     ..Config::default()
    /// };
    /// let mut parser = Parser::with_config(ParserType::Request, config);
    /// assert_eq!(parser.execute(&mut (), b"GET / HTTP/1.1\nHost: a\n\n"), Ok(24));
    /// ```
    pub fn with_config(kind: ParserType, config: Config) -> Parser {
        let mut parser = Parser::new(kind);
        parser.set_lenient(config.lenient);
        parser.set_max_header_size(config.max_header_size);
        parser.set_max_chunk_extensions_size(config.max_chunk_extensions_size);
        parser
    }

    /// Makes the parser ready for a new connection: keeps its type, user data, leniency and
    /// limits, forgets everything else (errors included).
    pub fn reset(&mut self) {
        let mut fresh = Parser::new(self.parser_type());
        fresh.data = self.data;
        fresh._lenient = self._lenient;
        fresh._max_header_size = self._max_header_size;
        fresh._max_ext_size = self._max_ext_size;
        *self = fresh;
    }

    /// The parser's type.
    pub fn parser_type(&self) -> ParserType {
        match self.kind {
            1 => ParserType::Request,
            2 => ParserType::Response,
            _ => ParserType::Both,
        }
    }

    /// Sets the leniency flags (replacing the previous set).
    pub fn set_lenient(&mut self, flags: Lenient) {
        self._lenient = flags.bits();
    }

    /// The leniency flags in force.
    pub fn lenient(&self) -> Lenient {
        Lenient::from_bits(self._lenient & Lenient::ALL.bits()).unwrap_or_default()
    }

    /// Sets the `WF_LENIENT_*` bits as the C ABI passes them (replacing the previous set;
    /// unknown bits are kept but mean nothing).
    #[doc(hidden)]
    pub fn set_lenient_flags(&mut self, flags: u32) {
        self._lenient = flags;
    }

    /// The `WF_LENIENT_*` bits in force, as the C ABI reads them.
    #[doc(hidden)]
    pub fn lenient_flags(&self) -> u32 {
        self._lenient
    }

    /// Sets the maximum size, in bytes, of the start line plus headers, and of the trailers
    /// (0 restores the default, 80 KiB). Exceeding it stops with `Errno::HeaderOverflow`.
    pub fn set_max_header_size(&mut self, size: u32) {
        self._max_header_size = if size == 0 {
            WF_DEFAULT_MAX_HEADER_SIZE
        } else {
            size
        };
    }

    /// The maximum header size in force.
    pub fn max_header_size(&self) -> u32 {
        self._max_header_size
    }

    /// Sets the maximum number of chunk-extension bytes in one message (0 restores the default,
    /// 16 KiB). Exceeding it stops with `Errno::ChunkExtensionsOverflow`.
    pub fn set_max_chunk_extensions_size(&mut self, size: u32) {
        self._max_ext_size = if size == 0 {
            WF_DEFAULT_MAX_CHUNK_EXTENSIONS_SIZE
        } else {
            size
        };
    }

    /// What stopped the parser, or `Errno::Ok`.
    pub fn errno(&self) -> Errno {
        Errno::from_u32(self._errno).unwrap_or(Errno::Internal)
    }

    /// Why the parser stopped, in words (empty while there is no error).
    pub fn error_reason(&self) -> &'static core::ffi::CStr {
        Reason::from_u16(self._reason).text()
    }

    /// The offset, in the buffer of the `execute` call that stopped, of the byte where the
    /// parser stopped (the same value that call returned).
    pub fn error_offset(&self) -> usize {
        self._error_offset
    }

    /// Sets an error from outside the parser (a binding reporting its own failure, the panic
    /// boundary). `execute` returns 0 until the parser is reset.
    pub fn set_error(&mut self, errno: Errno) {
        self._errno = errno as u32;
        self._reason = if errno == Errno::Internal {
            Reason::Panic
        } else {
            Reason::None
        } as u16;
    }

    /// The `Content-Length` of the message; inside the chunk-header notification, the chunk
    /// size. While a body is read, the bytes of it (or of the chunk) still to come.
    pub fn content_length(&self) -> u64 {
        self.content_length
    }

    /// The protocol version, (major, minor): `(1, 1)` for `HTTP/1.1`; `(0, 9)` for an HTTP/0.9
    /// request. Known from the version-complete notification on.
    pub fn http_version(&self) -> (u8, u8) {
        (self.http_major, self.http_minor)
    }

    /// The response's status code (0 for a request, or before the status line is read).
    pub fn status_code(&self) -> u16 {
        self.status_code
    }

    /// What the headers read so far said about the message (framing and connection headers).
    pub fn flags(&self) -> MessageFlags {
        MessageFlags::from_bits(self.flags & MessageFlags::ALL.bits()).unwrap_or_default()
    }

    /// True when the message upgrades the connection (Upgrade with `Connection: upgrade`,
    /// CONNECT, or a 101 response): the bytes after it belong to another protocol. Known from
    /// the headers-complete notification on.
    pub fn upgrade(&self) -> bool {
        self.upgrade != 0
    }

    /// The request method, if the message is a request and its method is known.
    pub fn method(&self) -> Option<Method> {
        Method::from_u8(self.method)
    }

    /// Pauses the parser: `execute` does nothing and returns 0 until [`Parser::resume`]. Call it
    /// from outside callbacks; a callback pauses by returning [`Action::Pause`].
    pub fn pause(&mut self) {
        if self._errno == Errno::Ok as u32 {
            self._errno = Errno::Paused as u32;
            self._reason = Reason::Paused as u16;
        }
    }

    /// Ends a pause (`Errno::Paused`); does nothing in any other state.
    pub fn resume(&mut self) {
        if self._errno == Errno::Paused as u32 {
            self._errno = 0;
            self._reason = Reason::None as u16;
        }
    }

    /// Ends the pause after an upgrade (`Errno::PausedUpgrade`): the parser then reads the
    /// bytes after the upgraded message as a new HTTP message. Does nothing in any other state.
    pub fn resume_after_upgrade(&mut self) {
        if self._errno == Errno::PausedUpgrade as u32 {
            self._errno = 0;
            self._reason = Reason::None as u16;
        }
    }

    /// Declares that the current message has no body, as `on_headers_complete` returning 1
    /// does (with `upgrade`, as returning 2 does). Meant for a parser stopped right after the
    /// headers (the events entry point's `WF_HTTP_EVENTS_STOP_AFTER_HEADERS`), e.g. when it reads
    /// the response to a HEAD request. Has no effect once the body has started.
    pub fn skip_body(&mut self, upgrade: bool) {
        self.flags |= WF_F_SKIPBODY;
        if upgrade {
            self.upgrade = 1;
        }
    }

    /// Inside `on_body`: true if this piece ends the body (Content-Length bodies; a chunked
    /// body's end is known only at its last chunk).
    pub fn body_is_final(&self) -> bool {
        self._iflags & I_BODY_FINAL != 0
    }

    /// Signals the end of the input. A response whose body lasts until EOF completes here
    /// (`on_message_complete`); ending between messages is fine; ending inside a message is
    /// `Errno::InvalidEofState`. Returns the parser's error state afterwards.
    pub fn finish<C: Callbacks>(&mut self, cb: &mut C) -> Errno {
        if self._errno != 0 {
            return self.errno();
        }
        if !self.is_initialised() {
            self.stop(Errno::NotInitialized, Reason::NotInitialized, 0);
            return Errno::NotInitialized;
        }
        match State::from_u8(self._state) {
            State::MessageStart | State::MessageStartLf => Errno::Ok,
            State::BodyEof => {
                self._state = State::MessageStart as u8;
                self._iflags |= I_HAD_MESSAGE | I_CLOSED;
                let r = cb.on_notify(self, Event::MessageComplete);
                if r != Action::Continue {
                    self.callback_stop(r, Event::MessageComplete, 0);
                }
                self.errno()
            }
            _ => {
                self.stop(Errno::InvalidEofState, Reason::InvalidEof, 0);
                Errno::InvalidEofState
            }
        }
    }

    /// False for a parser that never went through [`Parser::new`] (a zero-filled C struct):
    /// every initialised parser has a nonzero header limit.
    #[inline(always)]
    fn is_initialised(&self) -> bool {
        self._max_header_size != 0
    }

    #[cold]
    fn stop(&mut self, errno: Errno, reason: Reason, pos: usize) -> usize {
        self._errno = errno as u32;
        self._reason = reason as u16;
        self._error_offset = pos;
        pos
    }

    #[cold]
    fn callback_stop(&mut self, r: Action, event: Event, pos: usize) -> usize {
        if r == Action::Pause {
            self.stop(Errno::Paused, Reason::PausedByCallback, pos)
        } else {
            self.stop(event.callback_error(), Reason::CallbackError, pos)
        }
    }

    /// Fires the valid piece of a span that ends in an error, then stops with the error: the
    /// events before an error are the same however the input was split.
    #[cold]
    #[allow(clippy::too_many_arguments)]
    fn fail_span<C: Callbacks>(
        &mut self,
        cb: &mut C,
        event: Event,
        piece: &[u8],
        errno: Errno,
        reason: Reason,
        at: usize,
    ) -> usize {
        if !piece.is_empty() {
            let r = cb.on_data(self, event, piece);
            // A pause requested on this piece does not hide the error that follows it.
            if r != Action::Continue && r != Action::Pause {
                return self.callback_stop(r, event, at);
            }
        }
        self.stop(errno, reason, at)
    }

    /// True when the leniency flag (a `WF_LENIENT_*` bit) is set.
    #[inline(always)]
    fn allows(&self, flag: u32) -> bool {
        self._lenient & flag != 0
    }

    #[inline(always)]
    fn set_state(&mut self, state: State) {
        self._state = state as u8;
    }

    /// Fires a notification with the parser already in `after`.
    #[inline(always)]
    fn notify<C: Callbacks>(
        &mut self,
        cb: &mut C,
        event: Event,
        after: State,
        pos: usize,
    ) -> Result<State, usize> {
        self.set_state(after);
        let r = cb.on_notify(self, event);
        if r != Action::Continue {
            return Err(self.callback_stop(r, event, pos));
        }
        Ok(after)
    }

    /// Fires a span piece (nothing for an empty piece). If the callback stops the parser, the
    /// parser is left in `resume`.
    #[inline(always)]
    fn span<C: Callbacks>(
        &mut self,
        cb: &mut C,
        event: Event,
        piece: &[u8],
        resume: State,
        pos: usize,
    ) -> Step {
        if piece.is_empty() {
            return Ok(());
        }
        let r = cb.on_data(self, event, piece);
        if r != Action::Continue {
            self.set_state(resume);
            return Err(self.callback_stop(r, event, pos));
        }
        Ok(())
    }

    /// Fires the last piece of a span and its completion, then leaves the parser in `after`.
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    fn end_span<C: Callbacks>(
        &mut self,
        cb: &mut C,
        event: Event,
        complete: Event,
        piece: &[u8],
        after: State,
        pos: usize,
    ) -> Result<State, usize> {
        if !piece.is_empty() {
            let r = cb.on_data(self, event, piece);
            if r != Action::Continue {
                self._pending = complete as u8;
                self._after = after as u8;
                self.set_state(State::Notify);
                return Err(self.callback_stop(r, event, pos));
            }
        }
        self.notify(cb, complete, after, pos)
    }

    /// Parses `data`, reporting what it finds to `cb`.
    ///
    /// Returns `Ok(n)`: `n` is `data.len()` when all of it was parsed, or the offset where the
    /// parser paused ([`Action::Pause`]; [`Parser::resume`], then go on from `n`) or stopped at
    /// the first byte after a message that upgrades the connection (the bytes from `n` on
    /// belong to the new protocol; [`Parser::errno`] tells the three apart:
    /// [`Errno::Paused`], [`Errno::PausedUpgrade`], [`Errno::PausedH2Upgrade`], or
    /// [`Errno::Ok`]). A pause or an upgrade may also come with the last byte, so
    /// `Ok(data.len())` with [`Parser::errno`] not `Ok` is possible. While the parser is paused
    /// it consumes nothing (`Ok(0)`).
    ///
    /// Returns `Err` when the input is invalid or a callback returned [`Action::Fail`]; the
    /// error is sticky: every later call returns it again until [`Parser::reset`].
    ///
    /// ```
    /// use wireframe::http::{Errno, Parser, ParserType};
    ///
    /// let mut parser = Parser::new(ParserType::Request);
    /// // Content-Length and Transfer-Encoding together: the request-smuggling classic.
    /// let smuggle = b"POST / HTTP/1.1\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n";
    /// let err = parser.execute(&mut (), smuggle).unwrap_err();
    /// assert_eq!(err.errno(), Errno::UnexpectedContentLength);
    /// assert_eq!(err.offset(), smuggle.len());
    /// ```
    pub fn execute<C: Callbacks>(&mut self, cb: &mut C, data: &[u8]) -> Result<usize, Error> {
        let n = self.parse(cb, data);
        let errno = self.errno();
        if errno.is_error() {
            return Err(Error::new(errno, self.error_reason(), self.error_offset()));
        }
        Ok(n)
    }

    /// [`Parser::execute`] as the C ABI and the events entry point use it: returns the bytes
    /// consumed, and the parser's errno says why it stopped.
    pub(crate) fn parse<C: Callbacks>(&mut self, cb: &mut C, data: &[u8]) -> usize {
        if self._errno != 0 {
            return 0;
        }
        if !self.is_initialised() {
            return self.stop(Errno::NotInitialized, Reason::NotInitialized, 0);
        }
        // `limit`: the offset beyond which bytes of the head are over the maximum header size.
        let used = self._head_bytes.min(self._max_header_size);
        let limit = if self._iflags & I_IN_HEAD != 0 {
            (self._max_header_size - used) as usize
        } else {
            usize::MAX
        };
        let mut cur = Cursor {
            data,
            pos: 0,
            hend: data.len().min(limit),
            limit,
        };
        let stop = match self.run(cb, &mut cur) {
            Ok(()) => data.len(),
            Err(pos) => pos,
        };
        // Inside a head, remember the header budget used so far, whether the input ran out or
        // the parser paused, so that the next call goes on counting.
        if self._iflags & I_IN_HEAD != 0 {
            let left = cur
                .limit
                .saturating_sub(stop)
                .min(self._max_header_size as usize);
            self._head_bytes = self._max_header_size - left as u32;
        }
        stop
    }

    /// The state machine: dispatches on the state until the input is used up (`Ok`) or the
    /// parser stops (`Err(pos)`). Each state's step lives with its part of the grammar.
    fn run<C: Callbacks>(&mut self, cb: &mut C, cur: &mut Cursor<'_>) -> Step {
        // The state lives in this local while the loop runs (so the compiler can jump from
        // state to state directly); it is stored in the parser before every callback, so that
        // a callback that stops the parser leaves it resumable, and on every return.
        let mut state = State::from_u8(self._state);
        loop {
            let step = match state {
                State::MessageStart => self.message_start(cb, cur, state),
                State::MessageStartLf => self.message_start_lf(cb, cur, state),
                State::HeadersComplete => self.headers_complete(cb, cur, state),
                State::AfterHeaders => self.after_headers(cb, cur, state),
                State::BodyIdentity => self.body_identity(cb, cur, state),
                State::BodyEof => self.body_eof(cb, cur, state),
                State::MessageComplete => self.message_complete(cb, cur, state),
                State::Upgrade => self.upgrade_pause(cb, cur, state),
                State::StartToken => self.start_token(cb, cur, state),
                State::Method => self.request_method(cb, cur, state),
                State::UrlStart => self.url_start(cb, cur, state),
                State::Url => self.url(cb, cur, state),
                State::AfterUrl => self.after_url(cb, cur, state),
                State::Http09Lf => self.http09_lf(cb, cur, state),
                State::Protocol => self.protocol(cb, cur, state),
                State::Version => self.version(cb, cur, state),
                State::AfterRequestVersion => self.after_request_version(cb, cur, state),
                State::RequestLineLf => self.request_line_lf(cb, cur, state),
                State::AfterResponseVersion => self.after_response_version(cb, cur, state),
                State::StatusCode => self.status_code_digits(cb, cur, state),
                State::AfterStatusCode => self.after_status_code(cb, cur, state),
                State::Status => self.status(cb, cur, state),
                State::StatusLf => self.status_lf(cb, cur, state),
                State::H2Preface => self.h2_preface(cb, cur, state),
                State::HeaderFieldStart => self.header_field_start(cb, cur, state),
                State::HeaderField => self.header_field(cb, cur, state),
                State::FieldWs => self.field_ws(cb, cur, state),
                State::ValueOws => self.value_ows(cb, cur, state),
                State::Value => self.value(cb, cur, state),
                State::ValueLf => self.value_lf(cb, cur, state),
                State::ValueEnd => self.value_end(cb, cur, state),
                State::HeadersLf => self.headers_lf(cb, cur, state),
                State::ChunkSizeStart => self.chunk_size_start(cb, cur, state),
                State::ChunkSize => self.chunk_size(cb, cur, state),
                State::ChunkSizeWs => self.chunk_size_ws(cb, cur, state),
                State::ChunkExtNameStart => self.chunk_ext_name_start(cb, cur, state),
                State::ChunkExtName | State::ChunkExtValue => self.chunk_ext_token(cb, cur, state),
                State::ChunkExtValueStart => self.chunk_ext_value_start(cb, cur, state),
                State::ChunkExtQuoted => self.chunk_ext_quoted(cb, cur, state),
                State::ChunkExtAfterQuoted => self.chunk_ext_after_quoted(cb, cur, state),
                State::ChunkSizeLf => self.chunk_size_lf(cb, cur, state),
                State::ChunkData => self.chunk_data(cb, cur, state),
                State::ChunkDataCr => self.chunk_data_cr(cb, cur, state),
                State::ChunkDataLf => self.chunk_data_lf(cb, cur, state),
                State::Notify => self.fire_pending(cb, cur, state),
            };
            state = match step {
                Ok(next) => next,
                Err(Halt::Suspend(at)) => {
                    self.set_state(at);
                    return Ok(());
                }
                Err(Halt::Stop(pos)) => return Err(pos),
            };
        }
    }

    /// A notification left pending by a callback that stopped the parser before it.
    #[inline(always)]
    fn fire_pending<C: Callbacks>(
        &mut self,
        cb: &mut C,
        cur: &mut Cursor<'_>,
        _state: State,
    ) -> Next {
        let event = Event::from_u8(self._pending).unwrap_or(Event::MessageComplete);
        let after = State::from_u8(self._after);
        Ok(self.notify(cb, event, after, cur.pos)?)
    }

    /// Stops with an error at `at` (the step's way out for a failure).
    #[cold]
    fn fail(&mut self, errno: Errno, reason: Reason, at: usize) -> Next {
        Err(Halt::Stop(self.stop(errno, reason, at)))
    }

    /// After a CR, at a byte that is there: takes the LF that must follow. A bare CR ends the
    /// line only under `WF_LENIENT_OPTIONAL_LF_AFTER_CR` (the byte is then not taken).
    #[inline(always)]
    fn expect_lf(&mut self, cur: &mut Cursor<'_>) -> Result<(), Halt> {
        if cur.data[cur.pos] == b'\n' {
            cur.pos += 1;
        } else if !self.allows(WF_LENIENT_OPTIONAL_LF_AFTER_CR) {
            return Err(Halt::Stop(self.stop(
                Errno::LfExpected,
                Reason::BareCr,
                cur.pos,
            )));
        }
        Ok(())
    }

    /// Leaves a notification for the state machine to fire next (through `State::Notify`).
    fn notify_pending(&mut self, event: Event, after: State) -> State {
        self._pending = event as u8;
        self._after = after as u8;
        State::Notify
    }
}
