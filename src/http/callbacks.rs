//! What the parser reports: the event kinds and the callback trait.

use super::errno::Errno;
use super::parser::Parser;

/// What a callback reports. The span kinds carry bytes of the input; the others are
/// notifications. Used both by the callbacks and by the rows of the events entry point.
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
    pub(crate) const fn callback_error(self) -> Errno {
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

/// What a callback tells the parser to do next.
///
/// cbindgen:ignore
#[must_use]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Action {
    /// Go on parsing.
    #[default]
    Continue,
    /// Pause right after this event: [`Parser::execute`] returns the offset just after it, and
    /// after [`Parser::resume`] the caller goes on with the bytes from that offset.
    Pause,
    /// Stop with a callback error: the event's `Cb*` code for a notification
    /// ([`Errno::CbHeadersComplete`], ...), [`Errno::User`] for a piece of a span.
    Fail,
    /// From [`Event::HeadersComplete`]: the message has no body (the response to a HEAD
    /// request, say). From any other event it is an error, as [`Action::Fail`].
    SkipBody,
    /// From [`Event::HeadersComplete`]: no body follows and the connection is upgraded. From
    /// any other event it is an error, as [`Action::Fail`].
    SkipBodyUpgrade,
}

impl Action {
    /// The action a C callback's return value stands for: 0 goes on, `WF_HPE_PAUSED` pauses,
    /// 1 and 2 skip the body (and upgrade), anything else is an error.
    #[cfg(feature = "capi")]
    #[inline(always)]
    pub(crate) fn from_c(value: i32) -> Action {
        match value {
            0 => Action::Continue,
            v if v == Errno::Paused as i32 => Action::Pause,
            1 => Action::SkipBody,
            2 => Action::SkipBodyUpgrade,
            _ => Action::Fail,
        }
    }
}

/// Receives what the parser finds, through two methods: one for the pieces of spans (method,
/// target, header names and values, body, ...) and one for notifications (message begin,
/// headers complete, ...). Both default to [`Action::Continue`], so an implementation writes
/// only what it needs. The parser's getters ([`Parser::method`], [`Parser::status_code`],
/// ...) describe the message being parsed during every call.
///
/// ```
/// use wireframe::http::{Action, Callbacks, Event, Parser, ParserType};
///
/// /// Collects the request target.
/// #[derive(Default)]
/// struct Target(Vec<u8>);
///
/// impl Callbacks for Target {
///     fn on_data(&mut self, _: &mut Parser, event: Event, data: &[u8]) -> Action {
///         if event == Event::Url {
///             self.0.extend_from_slice(data); // may come in pieces: concatenate
///         }
///         Action::Continue
///     }
/// }
///
/// let mut parser = Parser::new(ParserType::Request);
/// let mut target = Target::default();
/// let request = b"GET /index.html HTTP/1.1\r\nHost: example.com\r\n\r\n";
/// assert_eq!(parser.execute(&mut target, request), Ok(request.len()));
/// assert_eq!(target.0, b"/index.html");
/// ```
pub trait Callbacks {
    /// A piece of a span. `data` borrows the input of the current `execute` call and is never
    /// empty; a span split across calls arrives in several pieces (for a parser of type BOTH, a
    /// method split across calls is given whole from the parser's own copy).
    fn on_data(&mut self, parser: &mut Parser, event: Event, data: &[u8]) -> Action {
        let _ = (parser, event, data);
        Action::Continue
    }

    /// A notification (the kinds for which [`Event::is_span`] is false).
    fn on_notify(&mut self, parser: &mut Parser, event: Event) -> Action {
        let _ = (parser, event);
        Action::Continue
    }
}

/// Callbacks that accept everything: parse only to validate, or to read the parser's getters.
impl Callbacks for () {}
