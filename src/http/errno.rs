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

    /// The name and the description of the code: the one table both come from.
    const fn info(self) -> (&'static CStr, &'static CStr) {
        match self {
            Errno::Ok => (c"HPE_OK", c"success"),
            Errno::Internal => (c"HPE_INTERNAL", c"internal error in the parser"),
            Errno::Strict => (c"HPE_STRICT", c"strict mode assertion failed"),
            Errno::CrExpected => (c"HPE_CR_EXPECTED", c"CR character expected"),
            Errno::LfExpected => (c"HPE_LF_EXPECTED", c"LF character expected"),
            Errno::UnexpectedContentLength => (
                c"HPE_UNEXPECTED_CONTENT_LENGTH",
                c"unexpected Content-Length header",
            ),
            Errno::UnexpectedSpace => (c"HPE_UNEXPECTED_SPACE", c"unexpected whitespace"),
            Errno::ClosedConnection => (
                c"HPE_CLOSED_CONNECTION",
                c"data received after the connection was to be closed",
            ),
            Errno::InvalidMethod => (c"HPE_INVALID_METHOD", c"invalid HTTP method"),
            Errno::InvalidUrl => (c"HPE_INVALID_URL", c"invalid URL"),
            Errno::InvalidConstant => (c"HPE_INVALID_CONSTANT", c"invalid constant string"),
            Errno::InvalidVersion => (c"HPE_INVALID_VERSION", c"invalid HTTP version"),
            Errno::InvalidHeaderToken => (
                c"HPE_INVALID_HEADER_TOKEN",
                c"invalid character in a header",
            ),
            Errno::InvalidContentLength => (
                c"HPE_INVALID_CONTENT_LENGTH",
                c"invalid Content-Length header",
            ),
            Errno::InvalidChunkSize => (c"HPE_INVALID_CHUNK_SIZE", c"invalid chunk size"),
            Errno::InvalidStatus => (c"HPE_INVALID_STATUS", c"invalid HTTP status code"),
            Errno::InvalidEofState => (
                c"HPE_INVALID_EOF_STATE",
                c"the stream ended in the middle of a message",
            ),
            Errno::InvalidTransferEncoding => (
                c"HPE_INVALID_TRANSFER_ENCODING",
                c"invalid Transfer-Encoding header",
            ),
            Errno::CbMessageBegin => (
                c"HPE_CB_MESSAGE_BEGIN",
                c"the on_message_begin callback failed",
            ),
            Errno::CbHeadersComplete => (
                c"HPE_CB_HEADERS_COMPLETE",
                c"the on_headers_complete callback failed",
            ),
            Errno::CbMessageComplete => (
                c"HPE_CB_MESSAGE_COMPLETE",
                c"the on_message_complete callback failed",
            ),
            Errno::CbChunkHeader => (
                c"HPE_CB_CHUNK_HEADER",
                c"the on_chunk_header callback failed",
            ),
            Errno::CbChunkComplete => (
                c"HPE_CB_CHUNK_COMPLETE",
                c"the on_chunk_complete callback failed",
            ),
            Errno::Paused => (c"HPE_PAUSED", c"the parser is paused"),
            Errno::PausedUpgrade => (
                c"HPE_PAUSED_UPGRADE",
                c"the parser is paused on a connection upgrade",
            ),
            Errno::PausedH2Upgrade => (
                c"HPE_PAUSED_H2_UPGRADE",
                c"the parser is paused on the HTTP/2 connection preface",
            ),
            Errno::User => (c"HPE_USER", c"a data callback failed"),
            Errno::CbUrlComplete => (
                c"HPE_CB_URL_COMPLETE",
                c"the on_url_complete callback failed",
            ),
            Errno::CbStatusComplete => (
                c"HPE_CB_STATUS_COMPLETE",
                c"the on_status_complete callback failed",
            ),
            Errno::CbMethodComplete => (
                c"HPE_CB_METHOD_COMPLETE",
                c"the on_method_complete callback failed",
            ),
            Errno::CbVersionComplete => (
                c"HPE_CB_VERSION_COMPLETE",
                c"the on_version_complete callback failed",
            ),
            Errno::CbHeaderFieldComplete => (
                c"HPE_CB_HEADER_FIELD_COMPLETE",
                c"the on_header_field_complete callback failed",
            ),
            Errno::CbHeaderValueComplete => (
                c"HPE_CB_HEADER_VALUE_COMPLETE",
                c"the on_header_value_complete callback failed",
            ),
            Errno::CbChunkExtensionNameComplete => (
                c"HPE_CB_CHUNK_EXTENSION_NAME_COMPLETE",
                c"the on_chunk_extension_name_complete callback failed",
            ),
            Errno::CbChunkExtensionValueComplete => (
                c"HPE_CB_CHUNK_EXTENSION_VALUE_COMPLETE",
                c"the on_chunk_extension_value_complete callback failed",
            ),
            Errno::CbReset => (c"HPE_CB_RESET", c"the on_reset callback failed"),
            Errno::HeaderOverflow => (
                c"HPE_HEADER_OVERFLOW",
                c"the header section exceeds the maximum header size",
            ),
            Errno::ChunkExtensionsOverflow => (
                c"HPE_CHUNK_EXTENSIONS_OVERFLOW",
                c"the chunk extensions exceed their byte limit",
            ),
            Errno::InvalidArgument => (c"HPE_INVALID_ARGUMENT", c"invalid argument"),
            Errno::NotInitialized => (c"HPE_NOT_INITIALIZED", c"the parser was not initialised"),
        }
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

/// Every code, in declaration order.
static ALL: [Errno; 40] = [
    Errno::Ok,
    Errno::Internal,
    Errno::Strict,
    Errno::CrExpected,
    Errno::LfExpected,
    Errno::UnexpectedContentLength,
    Errno::UnexpectedSpace,
    Errno::ClosedConnection,
    Errno::InvalidMethod,
    Errno::InvalidUrl,
    Errno::InvalidConstant,
    Errno::InvalidVersion,
    Errno::InvalidHeaderToken,
    Errno::InvalidContentLength,
    Errno::InvalidChunkSize,
    Errno::InvalidStatus,
    Errno::InvalidEofState,
    Errno::InvalidTransferEncoding,
    Errno::CbMessageBegin,
    Errno::CbHeadersComplete,
    Errno::CbMessageComplete,
    Errno::CbChunkHeader,
    Errno::CbChunkComplete,
    Errno::Paused,
    Errno::PausedUpgrade,
    Errno::PausedH2Upgrade,
    Errno::User,
    Errno::CbUrlComplete,
    Errno::CbStatusComplete,
    Errno::CbMethodComplete,
    Errno::CbVersionComplete,
    Errno::CbHeaderFieldComplete,
    Errno::CbHeaderValueComplete,
    Errno::CbChunkExtensionNameComplete,
    Errno::CbChunkExtensionValueComplete,
    Errno::CbReset,
    Errno::HeaderOverflow,
    Errno::ChunkExtensionsOverflow,
    Errno::InvalidArgument,
    Errno::NotInitialized,
];
