//! The readable reasons the parser gives with an error: one table, stored in the parser as a
//! small number so that the parser stays a plain C struct.

use core::ffi::CStr;

macro_rules! reasons {
    ($($id:ident => $text:literal,)*) => {
        /// Why the parser stopped, in words; `None` while there is no error.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[repr(u16)]
        pub(crate) enum Reason {
            None,
            $($id,)*
        }

        impl Reason {
            const ALL: &'static [Reason] = &[Reason::None, $(Reason::$id,)*];

            /// The reason's text, NUL-terminated.
            pub(crate) const fn text(self) -> &'static CStr {
                match self {
                    Reason::None => c"",
                    $(Reason::$id => $text,)*
                }
            }

            /// The reason stored as `value`; `None` for an unknown number.
            pub(crate) fn from_u16(value: u16) -> Reason {
                Reason::ALL.get(value as usize).copied().unwrap_or(Reason::None)
            }
        }
    };
}

reasons! {
    Panic => c"A panic was caught at the C boundary",
    Paused => c"Paused",
    PausedByCallback => c"Paused by a callback",
    PausedUpgrade => c"Pause on CONNECT/Upgrade",
    PausedH2 => c"Pause on PRI/Upgrade (HTTP/2 connection preface)",
    H2Preface => c"Expected the HTTP/2 connection preface after `PRI * HTTP/2.0`",
    CallbackError => c"A callback returned an error",
    BareLf => c"Bare LF where CRLF is required",
    BareCr => c"Bare CR: expected LF after CR",
    DataAfterClose => c"Data after `Connection: close`",
    MethodChar => c"Invalid character in method",
    MethodUnknown => c"Unknown method",
    MethodProtocol => c"Method not valid for this protocol",
    MethodHttp09 => c"Only GET is valid in an HTTP/0.9 request",
    UrlStart => c"Unexpected start character in URL",
    UrlChar => c"Invalid character in URL",
    ExpectedProtocol => c"Expected HTTP/, RTSP/ or ICE/",
    VersionChar => c"Invalid character in version",
    VersionUnsupported => c"Unsupported HTTP version",
    ExpectedCrlfAfterVersion => c"Expected CRLF after version",
    ExpectedSpaceAfterVersion => c"Expected a single space after version",
    StatusChar => c"Invalid status code",
    StatusCodeEnd => c"Expected space or CRLF after the status code",
    StatusReasonChar => c"Invalid character in status reason",
    SpaceAfterStartLine => c"Whitespace between the start line and the first header",
    HeaderNameChar => c"Invalid character in header name",
    HeaderNameEmpty => c"Empty header name",
    SpaceBeforeColon => c"Whitespace between header name and colon",
    HeaderValueChar => c"Invalid character in header value",
    ObsFold => c"Obsolete line folding (obs-fold) in header value",
    ContentLengthChar => c"Invalid character in Content-Length",
    ContentLengthEmpty => c"Empty Content-Length",
    ContentLengthOverflow => c"Content-Length overflow",
    ContentLengthDuplicate => c"Duplicate Content-Length",
    ContentLengthWithTe => c"Content-Length can't be present with Transfer-Encoding",
    TeChunkedNotLast => c"Request has a Transfer-Encoding whose last coding is not chunked",
    TeChunkedTwice => c"Transfer-Encoding applies chunked more than once",
    HeaderOverflow => c"Header section exceeds the maximum header size",
    ChunkSizeChar => c"Invalid character in chunk size",
    ChunkSizeTooLong => c"Chunk size has more than 16 hex digits",
    ChunkSizeSpace => c"Whitespace after chunk size",
    ChunkExtChar => c"Invalid character in chunk extension",
    ChunkExtOverflow => c"Chunk extensions exceed their byte limit",
    ChunkDataCrlf => c"Expected CRLF after chunk data",
    InvalidEof => c"Invalid EOF state",
    NotInitialized => c"The parser was not initialised (wf_http_parser_init)",
}
