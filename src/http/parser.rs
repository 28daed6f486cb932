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

use super::errno::Errno;
use super::method::{Family, Method, MAX_METHOD_LEN};
use super::reason::Reason;
use super::scan;

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

/// What a callback reports. The span kinds carry bytes of the input; the others are
/// notifications. Used both by [`Callbacks`] and by the rows of the events entry point.
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Event {
    /// A new message starts (notification).
    MessageBegin = 0,
    /// Part of the request method (span).
    Method = 1,
    /// The method is complete (notification).
    MethodComplete = 2,
    /// Part of the request target (span).
    Url = 3,
    /// The request target is complete (notification).
    UrlComplete = 4,
    /// Part of the version, e.g. `1.1` (span).
    Version = 5,
    /// The version is complete (notification).
    VersionComplete = 6,
    /// Part of the response's reason phrase (span).
    Status = 7,
    /// The status line is complete (notification).
    StatusComplete = 8,
    /// Part of a header (or trailer) name (span).
    HeaderField = 9,
    /// The header name is complete (notification).
    HeaderFieldComplete = 10,
    /// Part of a header (or trailer) value (span).
    HeaderValue = 11,
    /// The header value is complete (notification).
    HeaderValueComplete = 12,
    /// The header section is complete (notification). Its callback may return 1 (no body
    /// follows) or 2 (no body, and the connection is upgraded).
    HeadersComplete = 13,
    /// A chunk-size line was read; `content_length` holds the chunk size (notification).
    ChunkHeader = 14,
    /// Part of a chunk extension name (span).
    ChunkExtensionName = 15,
    /// The chunk extension name is complete (notification).
    ChunkExtensionNameComplete = 16,
    /// Part of a chunk extension value, quotes included when quoted (span).
    ChunkExtensionValue = 17,
    /// The chunk extension value is complete (notification).
    ChunkExtensionValueComplete = 18,
    /// Part of the body, chunked framing removed (span).
    Body = 19,
    /// A chunk (and its CRLF, or the trailers after the last chunk) is complete
    /// (notification).
    ChunkComplete = 20,
    /// The message is complete (notification).
    MessageComplete = 21,
    /// The parser was reset for the next message on the same connection (notification; fired
    /// before `MessageBegin` of every message but the first).
    Reset = 22,
}

impl Event {
    /// True for the kinds that carry bytes of the input.
    pub const fn is_span(self) -> bool {
        matches!(
            self,
            Event::Method
                | Event::Url
                | Event::Version
                | Event::Status
                | Event::HeaderField
                | Event::HeaderValue
                | Event::ChunkExtensionName
                | Event::ChunkExtensionValue
                | Event::Body
        )
    }

    /// True for the notifications that end a span (`UrlComplete`, `HeaderValueComplete`, ...).
    pub const fn is_span_complete(self) -> bool {
        matches!(
            self,
            Event::MethodComplete
                | Event::UrlComplete
                | Event::VersionComplete
                | Event::StatusComplete
                | Event::HeaderFieldComplete
                | Event::HeaderValueComplete
                | Event::ChunkExtensionNameComplete
                | Event::ChunkExtensionValueComplete
        )
    }

    /// The error the parser reports when this event's callback returns an error.
    const fn callback_error(self) -> Errno {
        match self {
            Event::MessageBegin => Errno::CbMessageBegin,
            Event::MethodComplete => Errno::CbMethodComplete,
            Event::UrlComplete => Errno::CbUrlComplete,
            Event::VersionComplete => Errno::CbVersionComplete,
            Event::StatusComplete => Errno::CbStatusComplete,
            Event::HeaderFieldComplete => Errno::CbHeaderFieldComplete,
            Event::HeaderValueComplete => Errno::CbHeaderValueComplete,
            Event::HeadersComplete => Errno::CbHeadersComplete,
            Event::ChunkHeader => Errno::CbChunkHeader,
            Event::ChunkExtensionNameComplete => Errno::CbChunkExtensionNameComplete,
            Event::ChunkExtensionValueComplete => Errno::CbChunkExtensionValueComplete,
            Event::ChunkComplete => Errno::CbChunkComplete,
            Event::MessageComplete => Errno::CbMessageComplete,
            Event::Reset => Errno::CbReset,
            _ => Errno::User,
        }
    }

    /// Every event, in number order.
    pub fn all() -> &'static [Event] {
        &EVENTS
    }

    /// The event with number `value`, if any.
    pub fn from_u8(value: u8) -> Option<Event> {
        EVENTS.get(value as usize).copied()
    }
}

/// Every event, in number order.
static EVENTS: [Event; 23] = [
    Event::MessageBegin,
    Event::Method,
    Event::MethodComplete,
    Event::Url,
    Event::UrlComplete,
    Event::Version,
    Event::VersionComplete,
    Event::Status,
    Event::StatusComplete,
    Event::HeaderField,
    Event::HeaderFieldComplete,
    Event::HeaderValue,
    Event::HeaderValueComplete,
    Event::HeadersComplete,
    Event::ChunkHeader,
    Event::ChunkExtensionName,
    Event::ChunkExtensionNameComplete,
    Event::ChunkExtensionValue,
    Event::ChunkExtensionValueComplete,
    Event::Body,
    Event::ChunkComplete,
    Event::MessageComplete,
    Event::Reset,
];

/// What a callback returns to pause the parser (`Errno::Paused`).
pub const CALLBACK_PAUSE: i32 = Errno::Paused as i32;
/// What `on_headers_complete` returns when no body follows (e.g. the response to HEAD).
pub const WF_HTTP_SKIP_BODY: i32 = 1;
/// What `on_headers_complete` returns when no body follows and the connection is upgraded.
pub const WF_HTTP_SKIP_BODY_UPGRADE: i32 = 2;

/// Receives what the parser finds. Return 0 to go on, [`CALLBACK_PAUSE`] to pause, anything
/// else to stop with a callback error (`Errno::User` for spans, the event's `HPE_CB_*` code for
/// notifications).
pub trait Callbacks {
    /// A piece of a span: `data` borrows the input of the current `execute` call (for a parser
    /// of type BOTH, a method split across calls is given from the parser's own copy).
    fn on_data(&mut self, parser: &mut Parser, event: Event, data: &[u8]) -> i32;
    /// A notification.
    fn on_notify(&mut self, parser: &mut Parser, event: Event) -> i32;
}

/// Callbacks that accept everything: parse only to validate, or to read the parser's fields.
impl Callbacks for () {
    fn on_data(&mut self, _: &mut Parser, _: Event, _: &[u8]) -> i32 {
        0
    }
    fn on_notify(&mut self, _: &mut Parser, _: Event) -> i32 {
        0
    }
}

/// `flags`: `Connection: keep-alive` was seen.
pub const WF_F_CONNECTION_KEEP_ALIVE: u16 = 0x1;
/// `flags`: `Connection: close` was seen.
pub const WF_F_CONNECTION_CLOSE: u16 = 0x2;
/// `flags`: `Connection: upgrade` was seen.
pub const WF_F_CONNECTION_UPGRADE: u16 = 0x4;
/// `flags`: the body is chunked (chunked is the last transfer coding).
pub const WF_F_CHUNKED: u16 = 0x8;
/// `flags`: an `Upgrade` header was seen.
pub const WF_F_UPGRADE: u16 = 0x10;
/// `flags`: a `Content-Length` header was seen.
pub const WF_F_CONTENT_LENGTH: u16 = 0x20;
/// `flags`: no body will be read (`on_headers_complete` returned 1 or 2).
pub const WF_F_SKIPBODY: u16 = 0x40;
/// `flags`: the trailers are being parsed.
pub const WF_F_TRAILING: u16 = 0x80;
/// `flags`: a `Transfer-Encoding` header was seen.
pub const WF_F_TRANSFER_ENCODING: u16 = 0x200;

/// Leniency: accept any byte but CR and LF in header values, and any byte but CR, LF, colon,
/// SP and HTAB in header names (invalid token characters, control characters, NUL). Reopens header injection and smuggling through names that
/// intermediaries read differently (e.g. `Transfer-Encoding\x0b:`).
pub const WF_LENIENT_HEADERS: u32 = 0x1;
/// Leniency: accept `Content-Length` together with `Transfer-Encoding` (chunked wins, the
/// connection is not kept alive). Reopens CL.TE / TE.CL request smuggling.
pub const WF_LENIENT_CHUNKED_LENGTH: u32 = 0x2;
/// Leniency: keep parsing after a message that asked to close the connection. Reopens
/// response splitting and cache poisoning through data after `Connection: close`.
pub const WF_LENIENT_KEEP_ALIVE: u32 = 0x4;
/// Leniency: accept a request whose `Transfer-Encoding` does not end in chunked (its body is
/// read until EOF), and chunked given twice. Reopens TE.TE request smuggling.
pub const WF_LENIENT_TRANSFER_ENCODING: u32 = 0x8;
/// Leniency: accept any one-digit major and minor version. Reopens confusion between parsers
/// that disagree on what an unknown version means for framing and keep-alive.
pub const WF_LENIENT_VERSION: u32 = 0x10;
/// Leniency: bytes after a message that closes the connection are discarded: never parsed,
/// never reported (llhttp's `lenient_data_after_close`). Without it they are an error
/// (`HPE_CLOSED_CONNECTION`); with [`WF_LENIENT_KEEP_ALIVE`] they are parsed as a new message.
/// Hides a peer that sends more than it may, such as a request pipelined after
/// `Connection: close`.
pub const WF_LENIENT_DATA_AFTER_CLOSE: u32 = 0x20;
/// Leniency: a CR not followed by LF ends the line. Reopens smuggling through bare CR, which
/// other parsers treat as part of a value.
pub const WF_LENIENT_OPTIONAL_LF_AFTER_CR: u32 = 0x40;
/// Leniency: the CRLF after chunk data may be missing. Reopens smuggling through chunk
/// boundaries that other parsers place elsewhere.
pub const WF_LENIENT_OPTIONAL_CRLF_AFTER_CHUNK: u32 = 0x80;
/// Leniency: a bare LF ends a line. Reopens smuggling through bare LF, which other parsers
/// treat as part of a value.
pub const WF_LENIENT_OPTIONAL_CR_BEFORE_LF: u32 = 0x100;
/// Leniency: spaces and tabs may follow the chunk size. Reopens smuggling through chunk sizes
/// that other parsers read differently (`5 \r\n`).
pub const WF_LENIENT_SPACES_AFTER_CHUNK_SIZE: u32 = 0x200;
/// Leniency: repeated `Content-Length` headers are accepted when their values are equal.
/// Reopens smuggling through intermediaries that keep the first or the last of them.
pub const WF_LENIENT_DUPLICATE_CONTENT_LENGTH: u32 = 0x400;
/// Leniency: obs-fold (a header line starting with SP or HTAB continues the previous value).
/// Reopens header smuggling through intermediaries that see the folded line as a new header.
pub const WF_LENIENT_OBS_FOLD: u32 = 0x800;
/// Leniency: whitespace between a header name and its colon is ignored. Reopens smuggling
/// through `Transfer-Encoding : chunked`, which other parsers ignore.
pub const WF_LENIENT_SPACE_BEFORE_COLON: u32 = 0x1000;

/// Leniency: header values may hold any byte but NUL, CR and LF (the rule of the Fetch
/// standard; llhttp's `lenient_header_value_relaxed`): control characters such as VT, FF, ESC
/// and DEL reach the application. Header names stay strict. Reopens header injection and
/// smuggling through downstream parsers, loggers or terminals that treat a control character
/// as a separator or a command.
pub const WF_LENIENT_HEADER_VALUE_RELAXED: u32 = 0x2000;
/// Leniency: the request target may hold raw bytes 0x80-0xFF (UTF-8 that a client did not
/// percent-encode). Reopens routing and access-control bypasses where components decode or
/// normalise the non-ASCII bytes differently (one sees `/admin`, another a different path),
/// and log or cache-key confusion.
pub const WF_LENIENT_URL_NON_ASCII: u32 = 0x4000;

/// Every leniency flag: the bits `wf_http_set_lenient_flags` gives a meaning to.
pub const WF_LENIENT_ALL: u32 = 0x7fff;

/// Default maximum size of the start line plus headers (and of the trailers): 80 KiB, as in
/// http-parser.
pub const WF_DEFAULT_MAX_HEADER_SIZE: u32 = 80 * 1024;
/// Default maximum of chunk-extension bytes in one message: 16 KiB.
pub const WF_DEFAULT_MAX_CHUNK_EXTENSIONS_SIZE: u32 = 16 * 1024;

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

/// An HTTP/1.x parser: a plain C struct (`wf_http_parser`) that a caller may embed or place on
/// the stack; it owns no memory. Initialise it with [`Parser::new`] (C: `wf_http_parser_init`).
///
/// The public fields are READ-ONLY for callers, except `data`, which is theirs; they describe
/// the message being parsed and are valid from the callback that sets them until the next
/// message begins. Fields whose names start with `_` are PRIVATE.
#[repr(C)]
pub struct Parser {
    /// User data: the parser never reads or writes it.
    pub data: *mut c_void,
    /// The `Content-Length` of the message; in `on_chunk_header`, the chunk size. While a body
    /// is read, the bytes of it (or of the chunk) still to come.
    pub content_length: u64,
    /// The parser's type (`ParserType` as a number).
    pub kind: u8,
    /// The request method (`Method` as a number), for requests.
    pub method: u8,
    /// Major protocol version.
    pub http_major: u8,
    /// Minor protocol version.
    pub http_minor: u8,
    /// The response status code, for responses.
    pub status_code: u16,
    /// `WF_F_*` bits describing the headers seen.
    pub flags: u16,
    /// 1 when the message upgrades the connection (Upgrade with `Connection: upgrade`,
    /// CONNECT, or a 101 response); the bytes after it belong to another protocol.
    pub upgrade: u8,
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

#[inline(always)]
fn is_method_char(b: u8) -> bool {
    b.is_ascii_uppercase() || b == b'-' || b == b'_'
}

#[inline(always)]
fn hex_value(b: u8) -> Option<u64> {
    match b {
        b'0'..=b'9' => Some((b - b'0') as u64),
        b'a'..=b'f' => Some((b - b'a' + 10) as u64),
        b'A'..=b'F' => Some((b - b'A' + 10) as u64),
        _ => None,
    }
}

/// Recognises the headers whose values the parser interprets.
#[inline(always)]
fn header_kind(name: &[u8]) -> u8 {
    // Most names have none of the lengths below: one test rejects them.
    const LENGTHS: u32 = 1 << 7 | 1 << 10 | 1 << 14 | 1 << 16 | 1 << 17;
    if name.len() > 17 || LENGTHS & (1 << name.len()) == 0 {
        return H_OTHER;
    }
    match name.len() {
        10 if name.eq_ignore_ascii_case(b"connection") => H_CONNECTION,
        14 if name.eq_ignore_ascii_case(b"content-length") => H_CONTENT_LENGTH,
        16 if name.eq_ignore_ascii_case(b"proxy-connection") => H_CONNECTION,
        17 if name.eq_ignore_ascii_case(b"transfer-encoding") => H_TRANSFER_ENCODING,
        7 if name.eq_ignore_ascii_case(b"upgrade") => H_UPGRADE,
        _ => H_OTHER,
    }
}

impl Default for Parser {
    fn default() -> Self {
        Parser::new(ParserType::Both)
    }
}

impl Parser {
    /// A parser for messages of type `kind`, with the default limits and no leniency.
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

    /// Sets the `WF_LENIENT_*` bits (replacing the previous set).
    pub fn set_lenient_flags(&mut self, flags: u32) {
        self._lenient = flags;
    }

    /// The `WF_LENIENT_*` bits in force.
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

    /// The request method, if the message is a request and its method is known.
    pub fn method(&self) -> Option<Method> {
        Method::from_u8(self.method)
    }

    /// Pauses the parser: `execute` does nothing and returns 0 until [`Parser::resume`]. Call it
    /// from outside callbacks; a callback pauses by returning [`CALLBACK_PAUSE`].
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

    /// True if the message is a response whose body lasts until the connection closes.
    pub fn message_needs_eof(&self) -> bool {
        if self._msg_kind != ParserType::Response as u8 {
            return false;
        }
        let status = self.status_code;
        if status / 100 == 1 || status == 204 || status == 304 || self.flags & WF_F_SKIPBODY != 0 {
            return false;
        }
        if self.flags & WF_F_TRANSFER_ENCODING != 0 && self.flags & WF_F_CHUNKED == 0 {
            return true;
        }
        self.flags & (WF_F_CHUNKED | WF_F_CONTENT_LENGTH) == 0
    }

    /// True if the connection may carry another message after this one: HTTP/1.1 without
    /// `Connection: close`, or HTTP/1.0 with `Connection: keep-alive`; never when the body lasts
    /// until EOF, nor when the framing was suspicious (Transfer-Encoding in HTTP/1.0, or with a
    /// Content-Length under leniency).
    pub fn should_keep_alive(&self) -> bool {
        let v11 = self.http_major > 1 || (self.http_major == 1 && self.http_minor >= 1);
        if v11 {
            if self.flags & WF_F_CONNECTION_CLOSE != 0 {
                return false;
            }
        } else if self.flags & WF_F_CONNECTION_KEEP_ALIVE == 0 {
            return false;
        }
        if self.flags & WF_F_TRANSFER_ENCODING != 0
            && (!v11 || self.flags & WF_F_CONTENT_LENGTH != 0)
        {
            return false;
        }
        !self.message_needs_eof()
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
        match State::from_u8(self._state) {
            State::MessageStart | State::MessageStartLf => Errno::Ok,
            State::BodyEof => {
                self._state = State::MessageStart as u8;
                self._iflags |= I_HAD_MESSAGE | I_CLOSED;
                let r = cb.on_notify(self, Event::MessageComplete);
                if r != 0 {
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

    #[cold]
    fn stop(&mut self, errno: Errno, reason: Reason, pos: usize) -> usize {
        self._errno = errno as u32;
        self._reason = reason as u16;
        self._error_offset = pos;
        pos
    }

    #[cold]
    fn callback_stop(&mut self, r: i32, event: Event, pos: usize) -> usize {
        if r == CALLBACK_PAUSE {
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
            if r != 0 && r != CALLBACK_PAUSE {
                return self.callback_stop(r, event, at);
            }
        }
        self.stop(errno, reason, at)
    }

    #[inline(always)]
    fn lenient(&self, flag: u32) -> bool {
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
        if r != 0 {
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
        if r != 0 {
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
            if r != 0 {
                self._pending = complete as u8;
                self._after = after as u8;
                self.set_state(State::Notify);
                return Err(self.callback_stop(r, event, pos));
            }
        }
        self.notify(cb, complete, after, pos)
    }

    /// Parses `data`, reporting what it finds to `cb`. Returns the number of bytes consumed:
    /// `data.len()` when all of it was parsed; otherwise the offset where the parser stopped
    /// (an error, a pause, or the first byte after a message that upgrades the connection) and
    /// [`Parser::errno`] says why. A stop may also come with the last byte, so check
    /// [`Parser::errno`] after every call. While the parser has an error (or is paused) it
    /// returns 0.
    pub fn execute<C: Callbacks>(&mut self, cb: &mut C, data: &[u8]) -> usize {
        if self._errno != 0 {
            return 0;
        }
        // `limit`: the offset beyond which bytes of the head are over the maximum header size.
        let used = self._head_bytes.min(self._max_header_size);
        let mut limit = if self._iflags & I_IN_HEAD != 0 {
            (self._max_header_size - used) as usize
        } else {
            usize::MAX
        };
        let stop = match self.run(cb, data, &mut limit) {
            Ok(()) => data.len(),
            Err(pos) => pos,
        };
        // Inside a head, remember the header budget used so far, whether the input ran out or
        // the parser paused, so that the next call goes on counting.
        if self._iflags & I_IN_HEAD != 0 {
            let left = limit
                .saturating_sub(stop)
                .min(self._max_header_size as usize);
            self._head_bytes = self._max_header_size - left as u32;
        }
        stop
    }

    /// The state machine. Returns `Ok` when `data` is used up, `Err(pos)` when it stops.
    fn run<C: Callbacks>(&mut self, cb: &mut C, data: &[u8], limit: &mut usize) -> Step {
        let len = data.len();
        let mut pos = 0usize;
        // The state lives in this local while the loop runs (so the compiler can jump from
        // state to state directly); it is stored in the parser before every callback, so that
        // a callback that stops the parser leaves it resumable, and on every return.
        let mut state = State::from_u8(self._state);
        // The end of the window the head may use in this buffer.
        let mut hend = len.min(*limit);

        // Returns from `run` because the input is used up.
        macro_rules! suspend {
            () => {{
                self.set_state(state);
                return Ok(());
            }};
        }
        // Needs at least one byte of the head at `pos`.
        macro_rules! need_head {
            () => {
                if pos >= hend {
                    if hend < len {
                        return Err(self.stop(Errno::HeaderOverflow, Reason::HeaderOverflow, hend));
                    }
                    suspend!();
                }
            };
        }
        macro_rules! need_body {
            () => {
                if pos >= len {
                    self.set_state(state);
                    return Ok(());
                }
            };
        }
        macro_rules! fail {
            ($errno:expr, $reason:expr, $at:expr) => {
                return Err(self.stop($errno, $reason, $at))
            };
        }
        // Fails after firing the valid part `data[$start..$at]` of the span `$event`.
        macro_rules! fail_span {
            ($event:expr, $start:expr, $errno:expr, $reason:expr, $at:expr) => {
                return Err(self.fail_span(cb, $event, &data[$start..$at], $errno, $reason, $at))
            };
        }
        // Starts a new head window (start line or trailers) at `pos`.
        macro_rules! start_head {
            () => {{
                self._head_bytes = 0;
                self._iflags |= I_IN_HEAD;
                *limit = pos.saturating_add(self._max_header_size as usize);
                hend = len.min(*limit);
            }};
        }
        macro_rules! end_head {
            () => {{
                self._iflags &= !I_IN_HEAD;
                *limit = usize::MAX;
                hend = len;
            }};
        }

        loop {
            match state {
                State::MessageStart => {
                    need_body!();
                    if self._iflags & I_CLOSED != 0
                        && self._lenient & (WF_LENIENT_KEEP_ALIVE | WF_LENIENT_DATA_AFTER_CLOSE)
                            == WF_LENIENT_DATA_AFTER_CLOSE
                    {
                        // After a message that closes the connection: discarded, whatever it
                        // is, and so is everything after it.
                        suspend!();
                    }
                    let b = data[pos];
                    if b == b'\r' {
                        pos += 1;
                        state = State::MessageStartLf;
                        continue;
                    }
                    if b == b'\n' {
                        if !self.lenient(WF_LENIENT_OPTIONAL_CR_BEFORE_LF) {
                            fail!(Errno::CrExpected, Reason::BareLf, pos);
                        }
                        pos += 1;
                        continue;
                    }
                    if self._iflags & I_CLOSED != 0 && !self.lenient(WF_LENIENT_KEEP_ALIVE) {
                        fail!(Errno::ClosedConnection, Reason::DataAfterClose, pos);
                    }
                    self.begin_message();
                    start_head!();
                    let next = match self.parser_type() {
                        ParserType::Request => State::Method,
                        ParserType::Response => State::Protocol,
                        ParserType::Both => State::StartToken,
                    };
                    if self._iflags & I_HAD_MESSAGE != 0 {
                        // on_reset, then on_message_begin through `State::Notify`.
                        self._pending = Event::MessageBegin as u8;
                        self._after = next as u8;
                        state = self.notify(cb, Event::Reset, State::Notify, pos)?;
                    } else {
                        state = self.notify(cb, Event::MessageBegin, next, pos)?;
                    }
                }
                State::MessageStartLf => {
                    need_body!();
                    if data[pos] == b'\n' {
                        pos += 1;
                    } else if !self.lenient(WF_LENIENT_OPTIONAL_LF_AFTER_CR) {
                        fail!(Errno::LfExpected, Reason::BareCr, pos);
                    }
                    state = State::MessageStart;
                }
                State::Notify => {
                    let event = Event::from_u8(self._pending).unwrap_or(Event::MessageComplete);
                    let after = State::from_u8(self._after);
                    state = self.notify(cb, event, after, pos)?;
                }
                State::StartToken => {
                    need_head!();
                    let start = pos;
                    let mut i = pos;
                    while i < hend && is_method_char(data[i]) {
                        i += 1;
                    }
                    if let Err(fit) = self.push_token(&data[start..i], MAX_METHOD_LEN) {
                        fail!(Errno::InvalidMethod, Reason::MethodUnknown, start + fit);
                    }
                    if i == hend {
                        pos = i;
                        need_head!();
                    }
                    let b = data[i];
                    let n = self._token_len as usize;
                    if b == b'/' {
                        let proto = match &self._token[..n] {
                            b"HTTP" => PROTO_HTTP,
                            b"RTSP" => PROTO_RTSP,
                            b"ICE" => PROTO_ICE,
                            _ => fail!(Errno::InvalidMethod, Reason::MethodChar, i),
                        };
                        self._msg_kind = ParserType::Response as u8;
                        self._protocol = proto;
                        self._token_len = 0;
                        pos = i + 1;
                        state = State::Version;
                    } else if b == b' ' {
                        self._msg_kind = ParserType::Request as u8;
                        let Some(method) = Method::from_token(&self._token[..n]) else {
                            fail!(Errno::InvalidMethod, Reason::MethodUnknown, i);
                        };
                        self.method = method as u8;
                        // The method's bytes: from the input if all of them are in this
                        // buffer, else from the parser's copy.
                        let copy = self._token;
                        let piece = if i - start == n {
                            &data[start..i]
                        } else {
                            &copy[..n]
                        };
                        pos = i + 1;
                        state = self.end_span(
                            cb,
                            Event::Method,
                            Event::MethodComplete,
                            piece,
                            State::UrlStart,
                            pos,
                        )?;
                    } else {
                        fail!(Errno::InvalidMethod, Reason::MethodChar, i);
                    }
                }
                State::Method => {
                    need_head!();
                    if self._token_len == 0 {
                        if let Some(next) = self.whole_request_line(cb, data, pos, hend)? {
                            // Handled whole; the general states give the same events for
                            // every other request line.
                            pos = next;
                            state = State::HeaderFieldStart;
                            continue;
                        }
                    }
                    let start = pos;
                    let mut i = pos;
                    while i < hend && is_method_char(data[i]) {
                        i += 1;
                    }
                    if let Err(fit) = self.push_token(&data[start..i], MAX_METHOD_LEN) {
                        let at = start + fit;
                        fail_span!(
                            Event::Method,
                            start,
                            Errno::InvalidMethod,
                            Reason::MethodUnknown,
                            at
                        );
                    }
                    if i == hend {
                        self.span(cb, Event::Method, &data[start..i], State::Method, i)?;
                        pos = i;
                        need_head!();
                    }
                    if data[i] != b' ' {
                        fail_span!(
                            Event::Method,
                            start,
                            Errno::InvalidMethod,
                            Reason::MethodChar,
                            i
                        );
                    }
                    let n = self._token_len as usize;
                    let Some(method) = Method::from_token(&self._token[..n]) else {
                        fail_span!(
                            Event::Method,
                            start,
                            Errno::InvalidMethod,
                            Reason::MethodUnknown,
                            i
                        );
                    };
                    self.method = method as u8;
                    pos = i + 1;
                    state = self.end_span(
                        cb,
                        Event::Method,
                        Event::MethodComplete,
                        &data[start..i],
                        State::UrlStart,
                        pos,
                    )?;
                }
                State::UrlStart => {
                    need_head!();
                    let b = data[pos];
                    if !scan::URL[b as usize]
                        && !(b >= 0x80 && self.lenient(WF_LENIENT_URL_NON_ASCII))
                    {
                        fail!(Errno::InvalidUrl, Reason::UrlStart, pos);
                    }
                    state = State::Url;
                }
                State::Url => {
                    need_head!();
                    let start = pos;
                    let mut i = scan::url_end(data, pos, hend);
                    while i < hend && data[i] >= 0x80 && self.lenient(WF_LENIENT_URL_NON_ASCII) {
                        i = scan::url_end(data, i + 1, hend);
                    }
                    if i == hend {
                        self.span(cb, Event::Url, &data[start..i], State::Url, i)?;
                        pos = i;
                        need_head!();
                    }
                    match data[i] {
                        b' ' | b'\r' | b'\n' => {}
                        _ => fail_span!(Event::Url, start, Errno::InvalidUrl, Reason::UrlChar, i),
                    }
                    pos = i;
                    state = self.end_span(
                        cb,
                        Event::Url,
                        Event::UrlComplete,
                        &data[start..i],
                        State::AfterUrl,
                        pos,
                    )?;
                }
                State::AfterUrl => {
                    need_head!();
                    match data[pos] {
                        b' ' => {
                            pos += 1;
                            self._token_len = 0;
                            state = State::Protocol;
                        }
                        b => {
                            // HTTP/0.9: `GET /path` and the line end; GET only, no headers.
                            if self.method != Method::Get as u8 {
                                fail!(Errno::InvalidMethod, Reason::MethodHttp09, pos);
                            }
                            self.http_major = 0;
                            self.http_minor = 9;
                            if b == b'\r' {
                                pos += 1;
                                state = State::Http09Lf;
                            } else if self.lenient(WF_LENIENT_OPTIONAL_CR_BEFORE_LF) {
                                pos += 1;
                                end_head!();
                                state = State::HeadersComplete;
                            } else {
                                fail!(Errno::CrExpected, Reason::BareLf, pos);
                            }
                        }
                    }
                }
                State::Http09Lf => {
                    need_head!();
                    if data[pos] == b'\n' {
                        pos += 1;
                    } else if !self.lenient(WF_LENIENT_OPTIONAL_LF_AFTER_CR) {
                        fail!(Errno::LfExpected, Reason::BareCr, pos);
                    }
                    end_head!();
                    state = State::HeadersComplete;
                }
                State::Protocol => {
                    need_head!();
                    let start = pos;
                    let mut i = pos;
                    while i < hend && data[i].is_ascii_uppercase() {
                        i += 1;
                    }
                    if let Err(fit) = self.push_token(&data[start..i], 4) {
                        fail!(
                            Errno::InvalidConstant,
                            Reason::ExpectedProtocol,
                            start + fit
                        );
                    }
                    if i == hend {
                        pos = i;
                        need_head!();
                    }
                    let proto = match (&self._token[..self._token_len as usize], data[i]) {
                        (b"HTTP", b'/') => PROTO_HTTP,
                        (b"RTSP", b'/') => PROTO_RTSP,
                        (b"ICE", b'/') => PROTO_ICE,
                        _ => fail!(Errno::InvalidConstant, Reason::ExpectedProtocol, i),
                    };
                    if self._msg_kind == ParserType::Request as u8 {
                        let family = Method::from_u8(self.method).map(Method::family);
                        let ok = match (proto, family) {
                            (PROTO_HTTP, Some(Family::Http | Family::Both)) => true,
                            (PROTO_RTSP, Some(Family::Rtsp | Family::Both)) => true,
                            (PROTO_ICE, _) => self.method == Method::Source as u8,
                            _ => false,
                        };
                        if !ok {
                            fail!(Errno::InvalidConstant, Reason::MethodProtocol, i);
                        }
                    }
                    self._protocol = proto;
                    self._token_len = 0;
                    pos = i + 1;
                    state = State::Version;
                }
                State::Version => {
                    // `_token_len` counts the version bytes read: digit, dot, digit. With all
                    // three read (a pause on the version's last piece), no byte is needed.
                    if self._token_len < 3 {
                        need_head!();
                    }
                    let start = pos;
                    let mut i = pos;
                    while i < hend && self._token_len < 3 {
                        let b = data[i];
                        match self._token_len {
                            0 | 2 if b.is_ascii_digit() => {
                                if self._token_len == 0 {
                                    self.http_major = b - b'0';
                                } else {
                                    self.http_minor = b - b'0';
                                }
                            }
                            1 if b == b'.' => {}
                            _ => fail_span!(
                                Event::Version,
                                start,
                                Errno::InvalidVersion,
                                Reason::VersionChar,
                                i
                            ),
                        }
                        self._token_len += 1;
                        i += 1;
                    }
                    if self._token_len < 3 {
                        self.span(cb, Event::Version, &data[start..i], State::Version, i)?;
                        pos = i;
                        need_head!();
                        continue;
                    }
                    // The whole version is fired before it is checked; resuming a pause here
                    // re-enters this state with all three bytes read.
                    self.span(cb, Event::Version, &data[start..i], State::Version, i)?;
                    self.check_version(i)?;
                    let after = if self._msg_kind == ParserType::Request as u8 {
                        State::AfterRequestVersion
                    } else {
                        State::AfterResponseVersion
                    };
                    pos = i;
                    state = self.notify(cb, Event::VersionComplete, after, pos)?;
                }
                State::AfterRequestVersion => {
                    need_head!();
                    match data[pos] {
                        b'\r' => {
                            pos += 1;
                            state = State::RequestLineLf;
                        }
                        b'\n' if self.lenient(WF_LENIENT_OPTIONAL_CR_BEFORE_LF) => {
                            pos += 1;
                            state = self.after_request_line();
                        }
                        b'\n' => fail!(Errno::CrExpected, Reason::BareLf, pos),
                        _ => fail!(Errno::InvalidVersion, Reason::ExpectedCrlfAfterVersion, pos),
                    }
                }
                State::RequestLineLf => {
                    need_head!();
                    if data[pos] == b'\n' {
                        pos += 1;
                    } else if !self.lenient(WF_LENIENT_OPTIONAL_LF_AFTER_CR) {
                        fail!(Errno::LfExpected, Reason::BareCr, pos);
                    }
                    state = self.after_request_line();
                }
                State::AfterResponseVersion => {
                    need_head!();
                    if data[pos] != b' ' {
                        fail!(
                            Errno::InvalidVersion,
                            Reason::ExpectedSpaceAfterVersion,
                            pos
                        );
                    }
                    pos += 1;
                    self._token_len = 0;
                    self.status_code = 0;
                    state = State::StatusCode;
                }
                State::StatusCode => {
                    need_head!();
                    while pos < hend && self._token_len < 3 {
                        let b = data[pos];
                        if !b.is_ascii_digit() || (self._token_len == 0 && b == b'0') {
                            fail!(Errno::InvalidStatus, Reason::StatusChar, pos);
                        }
                        self.status_code = self.status_code * 10 + (b - b'0') as u16;
                        self._token_len += 1;
                        pos += 1;
                    }
                    if self._token_len < 3 {
                        need_head!();
                        continue;
                    }
                    state = State::AfterStatusCode;
                }
                State::AfterStatusCode => {
                    need_head!();
                    match data[pos] {
                        b' ' => {
                            pos += 1;
                            state = State::Status;
                        }
                        // No reason phrase: the status line ends after the code.
                        b'\r' => {
                            pos += 1;
                            state = self.notify(cb, Event::StatusComplete, State::StatusLf, pos)?;
                        }
                        b'\n' if self.lenient(WF_LENIENT_OPTIONAL_CR_BEFORE_LF) => {
                            pos += 1;
                            state = self.notify(
                                cb,
                                Event::StatusComplete,
                                State::HeaderFieldStart,
                                pos,
                            )?;
                        }
                        b'\n' => fail!(Errno::CrExpected, Reason::BareLf, pos),
                        _ => fail!(Errno::InvalidStatus, Reason::StatusCodeEnd, pos),
                    }
                }
                State::Status => {
                    need_head!();
                    let start = pos;
                    let i = scan::value_end(data, pos, hend);
                    if i == hend {
                        self.span(cb, Event::Status, &data[start..i], State::Status, i)?;
                        pos = i;
                        need_head!();
                    }
                    match data[i] {
                        b'\r' => {
                            pos = i + 1;
                            state = self.end_span(
                                cb,
                                Event::Status,
                                Event::StatusComplete,
                                &data[start..i],
                                State::StatusLf,
                                pos,
                            )?;
                        }
                        b'\n' if self.lenient(WF_LENIENT_OPTIONAL_CR_BEFORE_LF) => {
                            pos = i + 1;
                            state = self.end_span(
                                cb,
                                Event::Status,
                                Event::StatusComplete,
                                &data[start..i],
                                State::HeaderFieldStart,
                                pos,
                            )?;
                        }
                        b'\n' => {
                            fail_span!(Event::Status, start, Errno::CrExpected, Reason::BareLf, i)
                        }
                        _ => fail_span!(
                            Event::Status,
                            start,
                            Errno::InvalidStatus,
                            Reason::StatusReasonChar,
                            i
                        ),
                    }
                }
                State::StatusLf => {
                    need_head!();
                    if data[pos] == b'\n' {
                        pos += 1;
                    } else if !self.lenient(WF_LENIENT_OPTIONAL_LF_AFTER_CR) {
                        fail!(Errno::LfExpected, Reason::BareCr, pos);
                    }
                    state = State::HeaderFieldStart;
                }
                State::HeaderFieldStart => {
                    need_head!();
                    match data[pos] {
                        b'\r' => {
                            pos += 1;
                            state = State::HeadersLf;
                        }
                        b'\n' if self.lenient(WF_LENIENT_OPTIONAL_CR_BEFORE_LF) => {
                            pos += 1;
                            end_head!();
                            state = self.end_of_head(pos)?;
                        }
                        b'\n' => fail!(Errno::CrExpected, Reason::BareLf, pos),
                        b' ' | b'\t' => {
                            fail!(Errno::UnexpectedSpace, Reason::SpaceAfterStartLine, pos)
                        }
                        _ => {
                            self._token_len = 0;
                            self._header = H_OTHER;
                            state = State::HeaderField;
                            if let Some(next) = self.whole_header_line(cb, data, pos, hend)? {
                                // The line was handled whole; the general states below give
                                // the same events for every other case.
                                pos = next;
                                state = State::HeaderFieldStart;
                            }
                        }
                    }
                }
                State::HeaderField => {
                    need_head!();
                    let start = pos;
                    let mut i = scan::token_end(data, pos, hend);
                    if self.lenient(WF_LENIENT_HEADERS) {
                        while i < hend && !matches!(data[i], b':' | b'\r' | b'\n' | b' ' | b'\t') {
                            i = scan::token_end(data, i + 1, hend);
                        }
                    }
                    let carried = self._token_len as usize;
                    if i == hend {
                        self.keep_name_prefix(&data[start..i]);
                        self.span(
                            cb,
                            Event::HeaderField,
                            &data[start..i],
                            State::HeaderField,
                            i,
                        )?;
                        pos = i;
                        need_head!();
                    }
                    let b = data[i];
                    if b == b':'
                        || ((b == b' ' || b == b'\t')
                            && self.lenient(WF_LENIENT_SPACE_BEFORE_COLON))
                    {
                        if carried == 0 && i == start {
                            fail!(Errno::InvalidHeaderToken, Reason::HeaderNameEmpty, i);
                        }
                        if self.flags & WF_F_TRAILING == 0 {
                            let kind = if carried == 0 {
                                header_kind(&data[start..i])
                            } else {
                                self.keep_name_prefix(&data[start..i]);
                                let n = self._token_len as usize;
                                if n <= TOKEN_CAP {
                                    let name = self._token;
                                    header_kind(&name[..n])
                                } else {
                                    H_OTHER
                                }
                            };
                            self.begin_special_header(kind);
                        }
                        let after = if b == b':' {
                            pos = i + 1;
                            State::ValueOws
                        } else {
                            pos = i;
                            State::FieldWs
                        };
                        state = self.end_span(
                            cb,
                            Event::HeaderField,
                            Event::HeaderFieldComplete,
                            &data[start..i],
                            after,
                            pos,
                        )?;
                    } else if b == b' ' || b == b'\t' {
                        let reason = Reason::SpaceBeforeColon;
                        fail_span!(
                            Event::HeaderField,
                            start,
                            Errno::InvalidHeaderToken,
                            reason,
                            i
                        );
                    } else {
                        let reason = Reason::HeaderNameChar;
                        fail_span!(
                            Event::HeaderField,
                            start,
                            Errno::InvalidHeaderToken,
                            reason,
                            i
                        );
                    }
                }
                State::FieldWs => {
                    need_head!();
                    while pos < hend && matches!(data[pos], b' ' | b'\t') {
                        pos += 1;
                    }
                    need_head!();
                    if data[pos] != b':' {
                        fail!(Errno::InvalidHeaderToken, Reason::SpaceBeforeColon, pos);
                    }
                    pos += 1;
                    state = State::ValueOws;
                }
                State::ValueOws => {
                    // Leading whitespace, also at the start of a continuation line (obs-fold)
                    // while the value is still empty: it is never part of the value.
                    self._iflags &= !I_VALUE_STARTED;
                    while pos < hend && matches!(data[pos], b' ' | b'\t') {
                        pos += 1;
                    }
                    need_head!();
                    state = State::Value;
                }
                State::Value => {
                    need_head!();
                    let start = pos;
                    let mut i = scan::value_end(data, pos, hend);
                    if self.lenient(WF_LENIENT_HEADERS) {
                        while i < hend && !matches!(data[i], b'\r' | b'\n') {
                            i = scan::value_end(data, i + 1, hend);
                        }
                    } else if self.lenient(WF_LENIENT_HEADER_VALUE_RELAXED) {
                        while i < hend && !matches!(data[i], b'\r' | b'\n' | 0) {
                            i = scan::value_end(data, i + 1, hend);
                        }
                    }
                    if self._header != H_OTHER {
                        if let Err((errno, reason, at)) = self.special_value(&data[start..i], start)
                        {
                            fail_span!(Event::HeaderValue, start, errno, reason, at);
                        }
                    }
                    if i > start {
                        self._iflags |= I_VALUE_STARTED;
                    }
                    if i == hend {
                        self.span(cb, Event::HeaderValue, &data[start..i], State::Value, i)?;
                        pos = i;
                        need_head!();
                    }
                    // `next`: after the CR; a bare LF (lenient) is left for ValueLf to read.
                    let (after, next) = match data[i] {
                        b'\r' => (State::ValueLf, i + 1),
                        b'\n' if self.lenient(WF_LENIENT_OPTIONAL_CR_BEFORE_LF) => {
                            (State::ValueLf, i)
                        }
                        b'\n' => fail_span!(
                            Event::HeaderValue,
                            start,
                            Errno::CrExpected,
                            Reason::BareLf,
                            i
                        ),
                        _ => fail_span!(
                            Event::HeaderValue,
                            start,
                            Errno::InvalidHeaderToken,
                            Reason::HeaderValueChar,
                            i
                        ),
                    };
                    pos = next;
                    self.span(cb, Event::HeaderValue, &data[start..i], after, pos)?;
                    state = after;
                }
                State::ValueLf => {
                    need_head!();
                    if data[pos] == b'\n' {
                        pos += 1;
                    } else if !self.lenient(WF_LENIENT_OPTIONAL_LF_AFTER_CR) {
                        fail!(Errno::LfExpected, Reason::BareCr, pos);
                    }
                    // Without obs-fold no continuation line can follow: the value ends with
                    // its line, and a framing conflict it causes is reported here, without
                    // waiting for the next line.
                    if self._header != H_OTHER && !self.lenient(WF_LENIENT_OBS_FOLD) {
                        self.end_special_value(pos)?;
                    }
                    state = State::ValueEnd;
                }
                State::ValueEnd => {
                    // The value ends unless the next line is a continuation (obs-fold).
                    need_head!();
                    if matches!(data[pos], b' ' | b'\t') {
                        if !self.lenient(WF_LENIENT_OBS_FOLD) {
                            fail!(Errno::InvalidHeaderToken, Reason::ObsFold, pos);
                        }
                        state = if self._iflags & I_VALUE_STARTED != 0 {
                            State::Value
                        } else {
                            State::ValueOws
                        };
                        continue;
                    }
                    if self._header != H_OTHER {
                        self.end_special_value(pos)?;
                    }
                    state =
                        self.notify(cb, Event::HeaderValueComplete, State::HeaderFieldStart, pos)?;
                }
                State::HeadersLf => {
                    need_head!();
                    if data[pos] == b'\n' {
                        pos += 1;
                    } else if !self.lenient(WF_LENIENT_OPTIONAL_LF_AFTER_CR) {
                        fail!(Errno::LfExpected, Reason::BareCr, pos);
                    }
                    end_head!();
                    state = self.end_of_head(pos)?;
                }
                State::HeadersComplete => {
                    state = State::AfterHeaders;
                    self.set_state(state);
                    let r = cb.on_notify(self, Event::HeadersComplete);
                    match r {
                        0 => {}
                        WF_HTTP_SKIP_BODY => self.skip_body(false),
                        WF_HTTP_SKIP_BODY_UPGRADE => self.skip_body(true),
                        _ => return Err(self.callback_stop(r, Event::HeadersComplete, pos)),
                    }
                }
                State::AfterHeaders => {
                    let next = self.body_state();
                    state = next;
                }
                State::BodyIdentity => {
                    need_body!();
                    let avail = (len - pos) as u64;
                    let n = self.content_length.min(avail) as usize;
                    self.content_length -= n as u64;
                    let start = pos;
                    pos += n;
                    let next = if self.content_length == 0 {
                        self._iflags |= I_BODY_FINAL;
                        State::MessageComplete
                    } else {
                        State::BodyIdentity
                    };
                    state = next;
                    let r = self.span(cb, Event::Body, &data[start..pos], next, pos);
                    self._iflags &= !I_BODY_FINAL;
                    r?;
                }
                State::BodyEof => {
                    need_body!();
                    let start = pos;
                    pos = len;
                    self.span(cb, Event::Body, &data[start..pos], State::BodyEof, pos)?;
                }
                State::ChunkSizeStart => {
                    need_body!();
                    if hex_value(data[pos]).is_none() {
                        fail!(Errno::InvalidChunkSize, Reason::ChunkSizeChar, pos);
                    }
                    self.content_length = 0;
                    self._token_len = 0;
                    state = State::ChunkSize;
                }
                State::ChunkSize => {
                    while pos < len {
                        let b = data[pos];
                        let Some(v) = hex_value(b) else { break };
                        if self._token_len == 16 {
                            fail!(Errno::InvalidChunkSize, Reason::ChunkSizeTooLong, pos);
                        }
                        self.content_length = (self.content_length << 4) | v;
                        self._token_len += 1;
                        pos += 1;
                    }
                    need_body!();
                    match data[pos] {
                        b';' => {
                            if self.count_ext(1, pos).is_err() {
                                fail!(
                                    Errno::ChunkExtensionsOverflow,
                                    Reason::ChunkExtOverflow,
                                    pos
                                );
                            }
                            pos += 1;
                            state = State::ChunkExtNameStart;
                        }
                        b'\r' => {
                            pos += 1;
                            state = State::ChunkSizeLf;
                        }
                        b'\n' if self.lenient(WF_LENIENT_OPTIONAL_CR_BEFORE_LF) => {
                            pos = self.bare_lf_in_chunk_size_line(pos);
                            state = State::ChunkSizeLf;
                        }
                        b'\n' => fail!(Errno::CrExpected, Reason::BareLf, pos),
                        b' ' | b'\t' if self.lenient(WF_LENIENT_SPACES_AFTER_CHUNK_SIZE) => {
                            state = State::ChunkSizeWs;
                        }
                        b' ' | b'\t' => {
                            fail!(Errno::InvalidChunkSize, Reason::ChunkSizeSpace, pos)
                        }
                        _ => fail!(Errno::InvalidChunkSize, Reason::ChunkSizeChar, pos),
                    }
                }
                State::ChunkSizeWs => {
                    // Leniency: whitespace after the size; what follows it is read by the
                    // ChunkSize state, but no more digits.
                    while pos < len && matches!(data[pos], b' ' | b'\t') {
                        pos += 1;
                    }
                    need_body!();
                    if hex_value(data[pos]).is_some() {
                        fail!(Errno::InvalidChunkSize, Reason::ChunkSizeChar, pos);
                    }
                    state = State::ChunkSize;
                }
                State::ChunkExtNameStart => {
                    need_body!();
                    if !scan::TOKEN[data[pos] as usize] {
                        fail!(Errno::Strict, Reason::ChunkExtChar, pos);
                    }
                    state = State::ChunkExtName;
                }
                State::ChunkExtName | State::ChunkExtValue => {
                    let name = state == State::ChunkExtName;
                    let (event, complete, here) = if name {
                        (
                            Event::ChunkExtensionName,
                            Event::ChunkExtensionNameComplete,
                            State::ChunkExtName,
                        )
                    } else {
                        (
                            Event::ChunkExtensionValue,
                            Event::ChunkExtensionValueComplete,
                            State::ChunkExtValue,
                        )
                    };
                    need_body!();
                    let start = pos;
                    let i = scan::token_end(data, pos, len);
                    if let Err(at) = self.count_ext(i - start, start) {
                        let (errno, reason) =
                            (Errno::ChunkExtensionsOverflow, Reason::ChunkExtOverflow);
                        fail_span!(event, start, errno, reason, at);
                    }
                    if i == len {
                        self.span(cb, event, &data[start..i], here, i)?;
                        self.set_state(state);
                        return Ok(());
                    }
                    // `next`: where the state after the delimiter goes on.
                    let (after, next) = match data[i] {
                        b'=' if name => (State::ChunkExtValueStart, i + 1),
                        b';' => (State::ChunkExtNameStart, i + 1),
                        b'\r' => (State::ChunkSizeLf, i + 1),
                        b'\n' if self.lenient(WF_LENIENT_OPTIONAL_CR_BEFORE_LF) => {
                            (State::ChunkSizeLf, self.bare_lf_in_chunk_size_line(i))
                        }
                        b'\n' => fail_span!(event, start, Errno::CrExpected, Reason::BareLf, i),
                        _ => fail_span!(event, start, Errno::Strict, Reason::ChunkExtChar, i),
                    };
                    if self.count_ext(1, i).is_err() {
                        let (errno, reason) =
                            (Errno::ChunkExtensionsOverflow, Reason::ChunkExtOverflow);
                        fail_span!(event, start, errno, reason, i);
                    }
                    pos = next;
                    state = self.end_span(cb, event, complete, &data[start..i], after, pos)?;
                }
                State::ChunkExtValueStart => {
                    need_body!();
                    let b = data[pos];
                    if b == b'"' {
                        self._vstate = 0;
                        state = State::ChunkExtQuoted;
                    } else if scan::TOKEN[b as usize] {
                        state = State::ChunkExtValue;
                    } else {
                        fail!(Errno::Strict, Reason::ChunkExtChar, pos);
                    }
                }
                State::ChunkExtQuoted => {
                    // The span includes the quotes; `_vstate` remembers an open quote
                    // (V_PARAMS) and a pending backslash escape (V_ESCAPE).
                    need_body!();
                    let start = pos;
                    let mut i = pos;
                    let mut closed = false;
                    while i < len {
                        let b = data[i];
                        if self._vstate & V_ESCAPE != 0 {
                            if !scan::VALUE[b as usize] {
                                break;
                            }
                            self._vstate &= !V_ESCAPE;
                        } else if self._vstate & V_PARAMS == 0 {
                            // The opening quote.
                            self._vstate |= V_PARAMS;
                        } else if b == b'\\' {
                            self._vstate |= V_ESCAPE;
                        } else if b == b'"' {
                            i += 1;
                            closed = true;
                            break;
                        } else if !scan::VALUE[b as usize] {
                            break;
                        }
                        i += 1;
                    }
                    let event = Event::ChunkExtensionValue;
                    if let Err(at) = self.count_ext(i - start, start) {
                        let (errno, reason) =
                            (Errno::ChunkExtensionsOverflow, Reason::ChunkExtOverflow);
                        fail_span!(event, start, errno, reason, at);
                    }
                    if !closed && i < len {
                        // Stopped on a byte that may not appear in a quoted string.
                        fail_span!(event, start, Errno::Strict, Reason::ChunkExtChar, i);
                    }
                    pos = i;
                    if !closed {
                        self.span(
                            cb,
                            Event::ChunkExtensionValue,
                            &data[start..i],
                            State::ChunkExtQuoted,
                            i,
                        )?;
                        self.set_state(state);
                        return Ok(());
                    }
                    state = self.end_span(
                        cb,
                        Event::ChunkExtensionValue,
                        Event::ChunkExtensionValueComplete,
                        &data[start..i],
                        State::ChunkExtAfterQuoted,
                        pos,
                    )?;
                }
                State::ChunkExtAfterQuoted => {
                    need_body!();
                    let (after, next) = match data[pos] {
                        b';' => (State::ChunkExtNameStart, pos + 1),
                        b'\r' => (State::ChunkSizeLf, pos + 1),
                        b'\n' if self.lenient(WF_LENIENT_OPTIONAL_CR_BEFORE_LF) => {
                            (State::ChunkSizeLf, self.bare_lf_in_chunk_size_line(pos))
                        }
                        b'\n' => fail!(Errno::CrExpected, Reason::BareLf, pos),
                        _ => fail!(Errno::Strict, Reason::ChunkExtChar, pos),
                    };
                    if self.count_ext(1, pos).is_err() {
                        fail!(
                            Errno::ChunkExtensionsOverflow,
                            Reason::ChunkExtOverflow,
                            pos
                        );
                    }
                    state = after;
                    pos = next;
                }
                State::ChunkSizeLf => {
                    need_body!();
                    if data[pos] == b'\n' {
                        pos += 1;
                    } else if !self.lenient(WF_LENIENT_OPTIONAL_LF_AFTER_CR) {
                        fail!(Errno::LfExpected, Reason::BareCr, pos);
                    }
                    if self.content_length == 0 {
                        start_head!();
                    }
                    state = self.chunk_header(cb, pos)?;
                }
                State::ChunkData => {
                    need_body!();
                    let avail = (len - pos) as u64;
                    let n = self.content_length.min(avail) as usize;
                    self.content_length -= n as u64;
                    let start = pos;
                    pos += n;
                    let next = if self.content_length == 0 {
                        State::ChunkDataCr
                    } else {
                        State::ChunkData
                    };
                    state = next;
                    self.span(cb, Event::Body, &data[start..pos], next, pos)?;
                }
                State::ChunkDataCr => {
                    need_body!();
                    match data[pos] {
                        b'\r' => {
                            pos += 1;
                            state = State::ChunkDataLf;
                        }
                        b'\n' if self.lenient(WF_LENIENT_OPTIONAL_CR_BEFORE_LF) => {
                            pos += 1;
                            state =
                                self.notify(cb, Event::ChunkComplete, State::ChunkSizeStart, pos)?;
                        }
                        _ if self.lenient(WF_LENIENT_OPTIONAL_CRLF_AFTER_CHUNK) => {
                            state =
                                self.notify(cb, Event::ChunkComplete, State::ChunkSizeStart, pos)?;
                        }
                        b'\n' => fail!(Errno::CrExpected, Reason::BareLf, pos),
                        _ => fail!(Errno::CrExpected, Reason::ChunkDataCrlf, pos),
                    }
                }
                State::ChunkDataLf => {
                    need_body!();
                    if data[pos] == b'\n' {
                        pos += 1;
                    } else if !self.lenient(WF_LENIENT_OPTIONAL_LF_AFTER_CR) {
                        fail!(Errno::LfExpected, Reason::BareCr, pos);
                    }
                    state = self.notify(cb, Event::ChunkComplete, State::ChunkSizeStart, pos)?;
                }
                State::MessageComplete => {
                    let upgrading = self._iflags & I_UPGRADING != 0;
                    self._iflags |= I_HAD_MESSAGE;
                    if !self.should_keep_alive() {
                        self._iflags |= I_CLOSED;
                    }
                    let next = if upgrading {
                        State::Upgrade
                    } else {
                        State::MessageStart
                    };
                    state = self.notify(cb, Event::MessageComplete, next, pos)?;
                }
                State::H2Preface => {
                    // The rest of the HTTP/2 connection preface after its request line;
                    // `_token_len` counts the bytes of it already read. HTTP/2 frames start
                    // right after it: the parser stops there for good.
                    while (self._token_len as usize) < H2_PREFACE_REST.len() {
                        need_head!();
                        if data[pos] != H2_PREFACE_REST[self._token_len as usize] {
                            fail!(Errno::InvalidConstant, Reason::H2Preface, pos);
                        }
                        self._token_len += 1;
                        pos += 1;
                    }
                    self.set_state(State::H2Preface);
                    return Err(self.stop(Errno::PausedH2Upgrade, Reason::PausedH2, pos));
                }
                State::Upgrade => {
                    self._iflags &= !(I_UPGRADING | I_CLOSED);
                    self.set_state(State::MessageStart);
                    return Err(self.stop(Errno::PausedUpgrade, Reason::PausedUpgrade, pos));
                }
            }
        }
    }

    /// The fast path for the commonest header line: `name: value` CRLF, strict, entirely in
    /// the buffer together with the first byte of the next line. Fires exactly the events, with
    /// exactly the resume states, that the general states would; returns the offset of the
    /// next line, or `None` (having fired nothing and changed nothing) for any other line.
    #[inline(always)]
    fn whole_header_line<C: Callbacks>(
        &mut self,
        cb: &mut C,
        data: &[u8],
        start: usize,
        hend: usize,
    ) -> Result<Option<usize>, usize> {
        // Indexing `line` (the head's window) lets one check serve as both the window test
        // and the bounds check.
        let line = &data[..hend.min(data.len())];
        let colon = scan::token_end(line, start, line.len());
        if colon == start || line.get(colon) != Some(&b':') {
            return Ok(None);
        }
        let mut value = colon + 1;
        // Almost always exactly one space.
        if line.get(value) == Some(&b' ') {
            value += 1;
        }
        while let Some(b' ' | b'\t') = line.get(value) {
            value += 1;
        }
        let cr = scan::value_end(line, value, line.len());
        match line.get(cr..cr + 3) {
            Some([b'\r', b'\n', next]) if !matches!(next, b' ' | b'\t') => {}
            _ => return Ok(None),
        }
        let name = &data[start..colon];
        if self.flags & WF_F_TRAILING == 0 {
            self.begin_special_header(header_kind(name));
        }
        self.end_span(
            cb,
            Event::HeaderField,
            Event::HeaderFieldComplete,
            name,
            State::ValueOws,
            colon + 1,
        )?;
        let piece = &data[value..cr];
        if self._header != H_OTHER {
            if let Err((errno, reason, at)) = self.special_value(piece, value) {
                return Err(self.fail_span(
                    cb,
                    Event::HeaderValue,
                    &data[value..at],
                    errno,
                    reason,
                    at,
                ));
            }
        }
        self.span(cb, Event::HeaderValue, piece, State::ValueLf, cr + 1)?;
        if self._header != H_OTHER {
            self.end_special_value(cr + 2)?;
        }
        self.notify(
            cb,
            Event::HeaderValueComplete,
            State::HeaderFieldStart,
            cr + 2,
        )?;
        Ok(Some(cr + 2))
    }

    /// The fast path for the commonest request line: `METHOD target HTTP/1.x` CRLF, entirely
    /// in the buffer, with a method of the HTTP family. Fires exactly the events, with exactly
    /// the resume states, that the general states would; returns the offset of the first
    /// header line, or `None` (having fired nothing and changed nothing) for any other line.
    #[inline(always)]
    fn whole_request_line<C: Callbacks>(
        &mut self,
        cb: &mut C,
        data: &[u8],
        start: usize,
        hend: usize,
    ) -> Result<Option<usize>, usize> {
        let mut sp = start;
        while sp < hend && is_method_char(data[sp]) {
            sp += 1;
        }
        if sp >= hend || data[sp] != b' ' {
            return Ok(None);
        }
        let method = match Method::from_token(&data[start..sp]) {
            Some(m) if matches!(m.family(), Family::Http | Family::Both) && m != Method::Pri => m,
            _ => return Ok(None),
        };
        let url = sp + 1;
        if url >= hend || !scan::URL[data[url] as usize] {
            return Ok(None);
        }
        let url_end = scan::url_end(data, url, hend);
        let version = url_end + 1;
        // ` HTTP/1.x\r\n`
        if version + 10 > hend || data[url_end] != b' ' {
            return Ok(None);
        }
        let line = &data[version..version + 10];
        if &line[..7] != b"HTTP/1." || !matches!(line[7], b'0' | b'1') || &line[8..] != b"\r\n" {
            return Ok(None);
        }
        self.method = method as u8;
        let method_piece = &data[start..sp];
        self.end_span(
            cb,
            Event::Method,
            Event::MethodComplete,
            method_piece,
            State::UrlStart,
            url,
        )?;
        let target = &data[url..url_end];
        self.end_span(
            cb,
            Event::Url,
            Event::UrlComplete,
            target,
            State::AfterUrl,
            url_end,
        )?;
        // As the Version state leaves things after reading `1.x`.
        self._protocol = PROTO_HTTP;
        self._token_len = 3;
        self.http_major = 1;
        self.http_minor = line[7] - b'0';
        let digits = version + 5..version + 8;
        self.span(
            cb,
            Event::Version,
            &data[digits.clone()],
            State::Version,
            digits.end,
        )?;
        let after = State::AfterRequestVersion;
        self.notify(cb, Event::VersionComplete, after, digits.end)?;
        Ok(Some(version + 10))
    }

    /// Resets the per-message fields when a message starts.
    fn begin_message(&mut self) {
        self.flags = 0;
        self.content_length = 0;
        self.upgrade = 0;
        self.method = 0;
        self.status_code = 0;
        self.http_major = 0;
        self.http_minor = 0;
        self._token_len = 0;
        self._header = H_OTHER;
        self._ext_bytes = 0;
        self._iflags &= !(I_CLOSED | I_BODY_FINAL | I_TE_ERROR | I_UPGRADING);
        self._msg_kind = match self.parser_type() {
            ParserType::Response => ParserType::Response as u8,
            _ => ParserType::Request as u8,
        };
    }

    /// Appends `bytes` to the token being collected in `_token` (a method or a protocol name).
    /// If the token would exceed `max` bytes, appends nothing and returns how many of `bytes`
    /// still fit (the offset of the first byte too many).
    fn push_token(&mut self, bytes: &[u8], max: usize) -> Result<(), usize> {
        let n = self._token_len as usize;
        if n + bytes.len() > max {
            return Err(max - n);
        }
        self._token[n..n + bytes.len()].copy_from_slice(bytes);
        self._token_len = (n + bytes.len()) as u8;
        Ok(())
    }

    /// Keeps the beginning of a header name split across calls, so it can be recognised when
    /// it ends; `_token_len` counts the whole name (saturating), `_token` keeps what fits.
    fn keep_name_prefix(&mut self, bytes: &[u8]) {
        let n = self._token_len as usize;
        if n + bytes.len() <= TOKEN_CAP {
            self._token[n..n + bytes.len()].copy_from_slice(bytes);
            self._token_len = (n + bytes.len()) as u8;
        } else {
            self._token_len = u8::MAX;
        }
    }

    /// Checks the version just read: HTTP/1.0 and HTTP/1.1 (any one-digit version under
    /// leniency); HTTP/2.0 only in the HTTP/2 preface, whose method is PRI.
    fn check_version(&mut self, at: usize) -> Step {
        let (major, minor) = (self.http_major, self.http_minor);
        let is_pri =
            self._msg_kind == ParserType::Request as u8 && self.method == Method::Pri as u8;
        let ok = if is_pri {
            major == 2 && minor == 0
        } else {
            (major == 1 && minor <= 1) || self.lenient(WF_LENIENT_VERSION)
        };
        if !ok {
            return Err(self.stop(Errno::InvalidVersion, Reason::VersionUnsupported, at));
        }
        Ok(())
    }

    /// After the request line's CRLF: `PRI * HTTP/2.0` goes on with the rest of the HTTP/2
    /// connection preface, anything else reads headers.
    fn after_request_line(&mut self) -> State {
        if self.method == Method::Pri as u8 {
            self._token_len = 0;
            return State::H2Preface;
        }
        State::HeaderFieldStart
    }

    /// Starts interpreting a header's value if the header is one the parser must understand.
    fn begin_special_header(&mut self, kind: u8) {
        match kind {
            // Most headers: nothing to set up (`_header` is already H_OTHER for a new line).
            H_OTHER => return,
            H_UPGRADE => {
                self.flags |= WF_F_UPGRADE;
                return;
            }
            H_TRANSFER_ENCODING => self.flags |= WF_F_TRANSFER_ENCODING,
            _ => {}
        }
        self._header = kind;
        self._vstate = 0;
        self._vtok_len = 0;
        self._scratch = 0;
    }

    /// Interprets a piece of a special header's value; `base` is the piece's offset in the
    /// input, for error offsets.
    fn special_value(&mut self, piece: &[u8], base: usize) -> Result<(), (Errno, Reason, usize)> {
        if self._header == H_CONTENT_LENGTH {
            // `_vstate`: 0 before the digits, 1 in them, 2 in the whitespace after them.
            for (k, &b) in piece.iter().enumerate() {
                match b {
                    b'0'..=b'9' if self._vstate != 2 => {
                        let Some(v) = self
                            ._scratch
                            .checked_mul(10)
                            .and_then(|v| v.checked_add((b - b'0') as u64))
                        else {
                            return Err((
                                Errno::InvalidContentLength,
                                Reason::ContentLengthOverflow,
                                base + k,
                            ));
                        };
                        self._scratch = v;
                        self._vstate = 1;
                    }
                    b' ' | b'\t' if self._vstate != 0 => self._vstate = 2,
                    b' ' | b'\t' => {}
                    _ => {
                        return Err((
                            Errno::InvalidContentLength,
                            Reason::ContentLengthChar,
                            base + k,
                        ))
                    }
                }
            }
            return Ok(());
        }
        // A token list: runs of token bytes are taken whole; only delimiters go byte by byte.
        let mut k = 0;
        while k < piece.len() {
            if self._vstate & V_PARAMS != 0 {
                // Inside `;params`: skipped up to the next element.
                match piece[k..].iter().position(|&b| b == b',') {
                    Some(p) => k += p,
                    None => return Ok(()),
                }
            }
            let run = piece[k..]
                .iter()
                .position(|&b| matches!(b, b',' | b';' | b' ' | b'\t'))
                .unwrap_or(piece.len() - k);
            if run > 0 {
                self.push_list_token_bytes(&piece[k..k + run]);
                k += run;
                if k == piece.len() {
                    break;
                }
            }
            match piece[k] {
                b',' => {
                    self.end_list_token().map_err(|(e, r)| (e, r, base + k))?;
                    self._vstate = 0;
                }
                b';' => {
                    self.end_list_token().map_err(|(e, r)| (e, r, base + k))?;
                    self._vstate = V_PARAMS;
                }
                _ => {
                    if self._vtok_len > 0 {
                        self._vstate |= V_WS;
                    }
                }
            }
            k += 1;
        }
        Ok(())
    }

    /// Adds token bytes to the list element being read, lowercased; an element with inner
    /// whitespace ("chun ked") or longer than any the parser recognises is marked as unknown.
    fn push_list_token_bytes(&mut self, bytes: &[u8]) {
        let n = self._vtok_len as usize;
        if self._vstate & V_WS != 0 || n + bytes.len() > VTOK_CAP {
            self._vtok_len = VTOK_CAP as u8 + 1;
            return;
        }
        for (slot, b) in self._vtok[n..n + bytes.len()].iter_mut().zip(bytes) {
            *slot = b.to_ascii_lowercase();
        }
        self._vtok_len = (n + bytes.len()) as u8;
    }

    /// Ends one element of a token list (Transfer-Encoding, Connection).
    fn end_list_token(&mut self) -> Result<(), (Errno, Reason)> {
        let n = self._vtok_len as usize;
        self._vtok_len = 0;
        if n == 0 {
            return Ok(());
        }
        let token: &[u8] = if n <= VTOK_CAP { &self._vtok[..n] } else { b"" };
        if self._header == H_TRANSFER_ENCODING {
            if token == b"chunked" {
                if self.flags & WF_F_CHUNKED != 0 && !self.lenient(WF_LENIENT_TRANSFER_ENCODING) {
                    return Err((Errno::InvalidTransferEncoding, Reason::TeChunkedTwice));
                }
                self.flags |= WF_F_CHUNKED;
            } else {
                // Any coding after chunked means chunked is not the last one.
                self.flags &= !WF_F_CHUNKED;
            }
        } else {
            match token {
                b"close" => self.flags |= WF_F_CONNECTION_CLOSE,
                b"keep-alive" => self.flags |= WF_F_CONNECTION_KEEP_ALIVE,
                b"upgrade" => self.flags |= WF_F_CONNECTION_UPGRADE,
                _ => {}
            }
        }
        Ok(())
    }

    /// Finishes interpreting a special header's value at the end of its line.
    fn end_special_value(&mut self, at: usize) -> Step {
        if self._header == H_CONTENT_LENGTH {
            if self._vstate == 0 {
                return Err(self.stop(Errno::InvalidContentLength, Reason::ContentLengthEmpty, at));
            }
            if self.flags & WF_F_CONTENT_LENGTH != 0
                && !(self.lenient(WF_LENIENT_DUPLICATE_CONTENT_LENGTH)
                    && self.content_length == self._scratch)
            {
                return Err(self.stop(
                    Errno::UnexpectedContentLength,
                    Reason::ContentLengthDuplicate,
                    at,
                ));
            }
            self.flags |= WF_F_CONTENT_LENGTH;
            self.content_length = self._scratch;
        } else if let Err((errno, reason)) = self.end_list_token() {
            return Err(self.stop(errno, reason, at));
        }
        // Content-Length with Transfer-Encoding, in either order: reported at the end of the
        // second of them.
        let both = WF_F_CONTENT_LENGTH | WF_F_TRANSFER_ENCODING;
        if self.flags & both == both && !self.lenient(WF_LENIENT_CHUNKED_LENGTH) {
            return Err(self.stop(
                Errno::UnexpectedContentLength,
                Reason::ContentLengthWithTe,
                at,
            ));
        }
        self._header = H_OTHER;
        Ok(())
    }

    /// After the blank line that ends the headers (or the trailers).
    fn end_of_head(&mut self, pos: usize) -> Result<State, usize> {
        if self.flags & WF_F_TRAILING != 0 {
            return Ok(self.notify_pending(Event::ChunkComplete, State::MessageComplete));
        }
        // Content-Length with Transfer-Encoding was refused at the line that made the pair.
        let flags = self.flags;
        if flags & WF_F_TRANSFER_ENCODING != 0
            && self._msg_kind == ParserType::Request as u8
            && flags & WF_F_CHUNKED == 0
            && !self.lenient(WF_LENIENT_TRANSFER_ENCODING)
        {
            return Err(self.stop(
                Errno::InvalidTransferEncoding,
                Reason::TeChunkedNotLast,
                pos,
            ));
        }
        self.upgrade = if self._msg_kind == ParserType::Request as u8 {
            let wants = flags & WF_F_UPGRADE != 0 && flags & WF_F_CONNECTION_UPGRADE != 0;
            (wants || self.method == Method::Connect as u8) as u8
        } else {
            (self.status_code == 101) as u8
        };
        Ok(State::HeadersComplete)
    }

    /// Leaves a notification for the state machine to fire next (through `State::Notify`).
    fn notify_pending(&mut self, event: Event, after: State) -> State {
        self._pending = event as u8;
        self._after = after as u8;
        State::Notify
    }

    /// Decides how the body is framed, after `on_headers_complete`.
    fn body_state(&mut self) -> State {
        let flags = self.flags;
        let response = self._msg_kind == ParserType::Response as u8;
        let has_body = flags & WF_F_CHUNKED != 0
            || (flags & WF_F_CONTENT_LENGTH != 0 && self.content_length > 0);
        let connect = !response && self.method == Method::Connect as u8;
        if (self.upgrade != 0 && (connect || flags & WF_F_SKIPBODY != 0 || !has_body))
            || (response && self.status_code == 101)
        {
            self._iflags |= I_UPGRADING;
            return State::MessageComplete;
        }
        if self.upgrade != 0 {
            // An upgrade request with a body: the body first, then the upgrade pause.
            self._iflags |= I_UPGRADING;
        }
        if flags & WF_F_SKIPBODY != 0
            || (response
                && (self.status_code / 100 == 1
                    || self.status_code == 204
                    || self.status_code == 304))
        {
            return State::MessageComplete;
        }
        if flags & WF_F_CHUNKED != 0 {
            self.content_length = 0;
            return State::ChunkSizeStart;
        }
        if flags & WF_F_TRANSFER_ENCODING != 0 {
            // Not chunked: requests got here only under leniency; both read until EOF.
            return State::BodyEof;
        }
        if flags & WF_F_CONTENT_LENGTH != 0 {
            return if self.content_length == 0 {
                State::MessageComplete
            } else {
                State::BodyIdentity
            };
        }
        if self.message_needs_eof() {
            State::BodyEof
        } else {
            State::MessageComplete
        }
    }

    /// Where ChunkSizeLf goes on after a bare LF at `at` ends a chunk-size line (lenient):
    /// normally at the LF itself, which ChunkSizeLf then reads as the line end. With
    /// `WF_LENIENT_OPTIONAL_LF_AFTER_CR` as well, the LF stands for the CR, as in llhttp, and
    /// ChunkSizeLf takes one more LF if one follows: `0\n\n` then ends the size line only.
    fn bare_lf_in_chunk_size_line(&self, at: usize) -> usize {
        if self.lenient(WF_LENIENT_OPTIONAL_LF_AFTER_CR) {
            at + 1
        } else {
            at
        }
    }

    /// Counts `n` chunk-extension bytes starting at offset `at`; if they do not all fit in
    /// the limit, counts nothing and returns the offset of the first byte over it.
    fn count_ext(&mut self, n: usize, at: usize) -> Result<(), usize> {
        let left = self._max_ext_size.saturating_sub(self._ext_bytes) as usize;
        if n > left {
            return Err(at + left);
        }
        self._ext_bytes += n as u32;
        Ok(())
    }

    /// Fires `on_chunk_header` after a chunk-size line; a size of 0 leads to the trailers.
    fn chunk_header<C: Callbacks>(&mut self, cb: &mut C, pos: usize) -> Result<State, usize> {
        let next = if self.content_length == 0 {
            self.flags |= WF_F_TRAILING;
            State::HeaderFieldStart
        } else {
            State::ChunkData
        };
        self.notify(cb, Event::ChunkHeader, next, pos)
    }
}
