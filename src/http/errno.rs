//! Error codes of the HTTP parser, and the readable reasons that go with them.
//!
//! Numbers and names are llhttp's wherever llhttp has the same error, so logs and habits carry
//! over; codes llhttp lacks start at 64. A number is never reused for another meaning.

use core::ffi::CStr;

/// What stopped the parser. `Ok` while it runs; the pause codes are not failures: the parser
/// can be resumed after them.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Errno {
    /// No error.
    Ok = 0,
    /// A bug in the parser: a state that should be unreachable was reached, or a panic was
    /// caught at the C boundary.
    Internal = 1,
    /// A rule that only the strict parser enforces was broken (e.g. a chunk extension).
    Strict = 2,
    /// A CR was required and something else came (e.g. a bare LF ending a line).
    CrExpected = 25,
    /// A LF was required after a CR and something else came (a bare CR).
    LfExpected = 3,
    /// A Content-Length that must not be there (e.g. together with Transfer-Encoding).
    UnexpectedContentLength = 4,
    /// Whitespace where the grammar allows none.
    UnexpectedSpace = 30,
    /// Data arrived after a message that closed the connection.
    ClosedConnection = 5,
    /// The method is not one the parser knows, or not valid for the protocol.
    InvalidMethod = 6,
    /// The request target has a byte that may not appear in it.
    InvalidUrl = 7,
    /// A fixed part of the grammar did not match (e.g. `HTTP/`).
    InvalidConstant = 8,
    /// The protocol version is malformed or not supported.
    InvalidVersion = 9,
    /// A header name or value has a byte that may not appear in it, or the header section has
    /// a malformed line.
    InvalidHeaderToken = 10,
    /// A Content-Length is malformed, repeated, or too large.
    InvalidContentLength = 11,
    /// A chunk size is malformed or too large.
    InvalidChunkSize = 12,
    /// The status code is malformed.
    InvalidStatus = 13,
    /// The input ended in the middle of a message (`wf_http_finish`).
    InvalidEofState = 14,
    /// Transfer-Encoding is malformed or not acceptable (chunked not last in a request).
    InvalidTransferEncoding = 15,
    /// `on_message_begin` returned an error.
    CbMessageBegin = 16,
    /// `on_headers_complete` returned an error.
    CbHeadersComplete = 17,
    /// `on_message_complete` returned an error.
    CbMessageComplete = 18,
    /// `on_chunk_header` returned an error.
    CbChunkHeader = 19,
    /// `on_chunk_complete` returned an error.
    CbChunkComplete = 20,
    /// Paused by a callback or by `wf_http_pause`; `wf_http_resume` continues.
    Paused = 21,
    /// Paused after a message that upgrades the connection (Upgrade, CONNECT or 101); the
    /// bytes from the returned offset on belong to the new protocol.
    PausedUpgrade = 22,
    /// Paused on the HTTP/2 connection preface (`PRI * HTTP/2.0`).
    PausedH2Upgrade = 23,
    /// A data callback (`on_url`, `on_header_field`, `on_body`, ...) returned an error.
    User = 24,
    /// `on_url_complete` returned an error.
    CbUrlComplete = 26,
    /// `on_status_complete` returned an error.
    CbStatusComplete = 27,
    /// `on_method_complete` returned an error.
    CbMethodComplete = 32,
    /// `on_version_complete` returned an error.
    CbVersionComplete = 33,
    /// `on_header_field_complete` returned an error.
    CbHeaderFieldComplete = 28,
    /// `on_header_value_complete` returned an error.
    CbHeaderValueComplete = 29,
    /// `on_chunk_extension_name_complete` returned an error.
    CbChunkExtensionNameComplete = 34,
    /// `on_chunk_extension_value_complete` returned an error.
    CbChunkExtensionValueComplete = 35,
    /// `on_reset` returned an error.
    CbReset = 31,
    /// The start line and headers (or the trailers) exceed the maximum header size.
    HeaderOverflow = 64,
    /// The chunk extensions of one message exceed their byte limit.
    ChunkExtensionsOverflow = 65,
    /// A NULL pointer or an unusable argument was passed to a C entry point.
    InvalidArgument = 66,
    /// The parser was used without being initialised (`wf_http_parser_init`): for example a
    /// zero-filled struct.
    NotInitialized = 67,
}

impl Errno {
    /// Every code, in declaration order.
    pub fn all() -> &'static [Errno] {
        &ALL
    }

    /// The code's name, e.g. `"HPE_INVALID_METHOD"`, as a NUL-terminated static string.
    pub const fn name(self) -> &'static CStr {
        self.info().0
    }

    /// A one-line description of the code, as a NUL-terminated static string.
    pub const fn description(self) -> &'static CStr {
        self.info().1
    }

    /// The code with the number `value`, or `None` if no code has that number.
    pub fn from_u32(value: u32) -> Option<Errno> {
        ALL.iter().copied().find(|e| *e as u32 == value)
    }
}

/// The one table of codes: each code's name and description, in declaration order. It
/// generates `info` (behind `name` and `description`) and `ALL`; a code missing here is a
/// compile error (the generated match must be exhaustive).
macro_rules! errno_table {
    ($($variant:ident => $name:literal, $description:literal;)*) => {
        /// Every code, in declaration order.
        static ALL: [Errno; [$(Errno::$variant),*].len()] = [$(Errno::$variant),*];

        impl Errno {
            /// The name and the description of the code, NUL-terminated.
            const fn info(self) -> (&'static CStr, &'static CStr) {
                match self {
                    $(Errno::$variant => {
                        const INFO: (&CStr, &CStr) = (
                            crate::static_cstr(concat!($name, "\0")),
                            crate::static_cstr(concat!($description, "\0")),
                        );
                        INFO
                    })*
                }
            }
        }
    };
}

errno_table! {
    Ok => "HPE_OK", "success";
    Internal => "HPE_INTERNAL", "internal error in the parser";
    Strict => "HPE_STRICT", "strict mode assertion failed";
    CrExpected => "HPE_CR_EXPECTED", "CR character expected";
    LfExpected => "HPE_LF_EXPECTED", "LF character expected";
    UnexpectedContentLength => "HPE_UNEXPECTED_CONTENT_LENGTH", "unexpected Content-Length header";
    UnexpectedSpace => "HPE_UNEXPECTED_SPACE", "unexpected whitespace";
    ClosedConnection => "HPE_CLOSED_CONNECTION", "data received after the connection was to be closed";
    InvalidMethod => "HPE_INVALID_METHOD", "invalid HTTP method";
    InvalidUrl => "HPE_INVALID_URL", "invalid URL";
    InvalidConstant => "HPE_INVALID_CONSTANT", "invalid constant string";
    InvalidVersion => "HPE_INVALID_VERSION", "invalid HTTP version";
    InvalidHeaderToken => "HPE_INVALID_HEADER_TOKEN", "invalid character in a header";
    InvalidContentLength => "HPE_INVALID_CONTENT_LENGTH", "invalid Content-Length header";
    InvalidChunkSize => "HPE_INVALID_CHUNK_SIZE", "invalid chunk size";
    InvalidStatus => "HPE_INVALID_STATUS", "invalid HTTP status code";
    InvalidEofState => "HPE_INVALID_EOF_STATE", "the stream ended in the middle of a message";
    InvalidTransferEncoding => "HPE_INVALID_TRANSFER_ENCODING", "invalid Transfer-Encoding header";
    CbMessageBegin => "HPE_CB_MESSAGE_BEGIN", "the on_message_begin callback failed";
    CbHeadersComplete => "HPE_CB_HEADERS_COMPLETE", "the on_headers_complete callback failed";
    CbMessageComplete => "HPE_CB_MESSAGE_COMPLETE", "the on_message_complete callback failed";
    CbChunkHeader => "HPE_CB_CHUNK_HEADER", "the on_chunk_header callback failed";
    CbChunkComplete => "HPE_CB_CHUNK_COMPLETE", "the on_chunk_complete callback failed";
    Paused => "HPE_PAUSED", "the parser is paused";
    PausedUpgrade => "HPE_PAUSED_UPGRADE", "the parser is paused on a connection upgrade";
    PausedH2Upgrade => "HPE_PAUSED_H2_UPGRADE", "the parser is paused on the HTTP/2 connection preface";
    User => "HPE_USER", "a data callback failed";
    CbUrlComplete => "HPE_CB_URL_COMPLETE", "the on_url_complete callback failed";
    CbStatusComplete => "HPE_CB_STATUS_COMPLETE", "the on_status_complete callback failed";
    CbMethodComplete => "HPE_CB_METHOD_COMPLETE", "the on_method_complete callback failed";
    CbVersionComplete => "HPE_CB_VERSION_COMPLETE", "the on_version_complete callback failed";
    CbHeaderFieldComplete => "HPE_CB_HEADER_FIELD_COMPLETE", "the on_header_field_complete callback failed";
    CbHeaderValueComplete => "HPE_CB_HEADER_VALUE_COMPLETE", "the on_header_value_complete callback failed";
    CbChunkExtensionNameComplete => "HPE_CB_CHUNK_EXTENSION_NAME_COMPLETE", "the on_chunk_extension_name_complete callback failed";
    CbChunkExtensionValueComplete => "HPE_CB_CHUNK_EXTENSION_VALUE_COMPLETE", "the on_chunk_extension_value_complete callback failed";
    CbReset => "HPE_CB_RESET", "the on_reset callback failed";
    HeaderOverflow => "HPE_HEADER_OVERFLOW", "the header section exceeds the maximum header size";
    ChunkExtensionsOverflow => "HPE_CHUNK_EXTENSIONS_OVERFLOW", "the chunk extensions exceed their byte limit";
    InvalidArgument => "HPE_INVALID_ARGUMENT", "invalid argument";
    NotInitialized => "HPE_NOT_INITIALIZED", "the parser was not initialised";
}

impl Errno {
    /// True for the codes that stop parsing for good (everything but `Ok` and the three
    /// pauses).
    pub const fn is_error(self) -> bool {
        !matches!(
            self,
            Errno::Ok | Errno::Paused | Errno::PausedUpgrade | Errno::PausedH2Upgrade
        )
    }
}

/// `HPE_INVALID_METHOD: invalid HTTP method`: the name and the description.
impl core::fmt::Display for Errno {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let name = self.name().to_str().unwrap_or_default();
        let description = self.description().to_str().unwrap_or_default();
        write!(f, "{name}: {description}")
    }
}

impl std::error::Error for Errno {}

/// Why [`Parser::execute`](super::Parser::execute) stopped for good: the error code, the
/// parser's reason in words, and the offset of the offending byte in the buffer of that call.
///
/// cbindgen:ignore
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Error {
    errno: Errno,
    reason: &'static CStr,
    offset: usize,
}

impl Error {
    /// The error built from a stopped parser's state.
    pub(crate) fn new(errno: Errno, reason: &'static CStr, offset: usize) -> Error {
        Error {
            errno,
            reason,
            offset,
        }
    }

    /// The error code.
    pub fn errno(&self) -> Errno {
        self.errno
    }

    /// What exactly was wrong, e.g. `"Invalid character in header name"`.
    pub fn reason(&self) -> &'static str {
        self.reason.to_str().unwrap_or_default()
    }

    /// The offset, in the buffer given to the `execute` call that failed, of the byte where
    /// the error was found (the input's length when it was found at the end).
    pub fn offset(&self) -> usize {
        self.offset
    }
}

/// `HPE_INVALID_HEADER_TOKEN: Invalid character in header name (at byte 19)`.
impl core::fmt::Display for Error {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let name = self.errno.name().to_str().unwrap_or_default();
        write!(f, "{name}: {} (at byte {})", self.reason(), self.offset)
    }
}

impl std::error::Error for Error {}
