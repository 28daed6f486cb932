//! The events entry point's recorder: callbacks turned into rows of (kind, offset, length).
//!
//! A binding hands the parser an array of [`EventRow`]s; the recorder fills it and pauses the
//! parser when it is full, so one call through the FFI replaces one call per span.

use super::callbacks::{Action, Callbacks, Event};
use super::parser::{Parser, ParserType};

/// One recorded event (`wf_http_event`). For spans, `offset` and `length` locate the bytes in
/// the buffer given to the call that recorded the row. Rows for `HeadersComplete` and
/// `MessageComplete` also carry a snapshot of the message's method, version, status, upgrade
/// and keep-alive, since the parser may already be on a later message when the row is read;
/// in other rows those fields are 0.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EventRow {
    /// The event (`WF_HTTP_EVENT_KIND_*`).
    pub kind: u8,
    /// Snapshot: the request method.
    pub method: u8,
    /// Snapshot: the major version.
    pub http_major: u8,
    /// Snapshot: the minor version.
    pub http_minor: u8,
    /// Snapshot: the status code.
    pub status_code: u16,
    /// Snapshot: 1 if the message upgrades the connection.
    pub upgrade: u8,
    /// Snapshot: 1 if the connection may carry another message.
    pub should_keep_alive: u8,
    /// Spans: offset of the bytes in the input buffer.
    pub offset: usize,
    /// Spans: number of bytes.
    pub length: usize,
}

/// Stop after recording `HeadersComplete`, so the caller can look at the head (and, for a
/// response to HEAD, call `wf_http_skip_body`) before the body is framed.
pub const WF_HTTP_EVENTS_STOP_AFTER_HEADERS: u32 = 0x1;
/// Do not record the notifications that end a span (`MethodComplete`, `UrlComplete`,
/// `VersionComplete`, `StatusComplete`, `HeaderFieldComplete`, `HeaderValueComplete`,
/// `ChunkExtensionNameComplete`, `ChunkExtensionValueComplete`): a binding that reads rows in
/// order knows a span ended when a row of another kind follows, and saves 23 of the 54 rows
/// of llhttp's bench request.
pub const WF_HTTP_EVENTS_SKIP_SPAN_COMPLETE: u32 = 0x2;

/// Records events into a caller's array. Build one per `execute` call.
#[derive(Debug)]
pub struct Recorder<'a> {
    base: usize,
    len: usize,
    rows: &'a mut [EventRow],
    count: usize,
    stop_after_headers: bool,
    skip_span_complete: bool,
    /// True if the recorder paused the parser (array full, or a stop after the headers).
    pub paused: bool,
}

impl<'a> Recorder<'a> {
    /// A recorder for a call on `input`, writing into `rows`; `options` holds
    /// `WF_HTTP_EVENTS_*` bits.
    pub fn new(input: &[u8], rows: &'a mut [EventRow], options: u32) -> Recorder<'a> {
        Recorder {
            base: input.as_ptr() as usize,
            len: input.len(),
            rows,
            count: 0,
            stop_after_headers: options & WF_HTTP_EVENTS_STOP_AFTER_HEADERS != 0,
            skip_span_complete: options & WF_HTTP_EVENTS_SKIP_SPAN_COMPLETE != 0,
            paused: false,
        }
    }

    /// The number of rows recorded.
    pub fn count(&self) -> usize {
        self.count
    }

    #[inline(always)]
    fn push(&mut self, row: EventRow) -> Action {
        let Some(slot) = self.rows.get_mut(self.count) else {
            // Only reachable with an empty array: nothing can be recorded.
            self.paused = true;
            return Action::Pause;
        };
        *slot = row;
        self.count += 1;
        if self.count == self.rows.len() {
            self.paused = true;
            return Action::Pause;
        }
        Action::Continue
    }
}

/// Runs `parser` over `input` with a [`Recorder`]. Returns (bytes consumed, rows recorded).
/// A pause the recorder caused (full array, stop after headers) is lifted before returning, so
/// the parser's error state is that of the input alone; the caller continues with the rest of
/// the input. Parsers of type BOTH are not supported here (they may report a method from their
/// own storage, which has no offset in the input); the caller checks that.
pub fn execute_events(
    parser: &mut Parser,
    input: &[u8],
    rows: &mut [EventRow],
    options: u32,
) -> (usize, usize) {
    debug_assert!(parser.parser_type() != ParserType::Both);
    let mut recorder = Recorder::new(input, rows, options);
    let consumed = parser.parse(&mut recorder, input);
    if recorder.paused {
        parser.resume();
    }
    (consumed, recorder.count)
}

// Inlined into the parser's loop, like the steps themselves: a call per row would cost more
// than the row.
impl Callbacks for Recorder<'_> {
    #[inline(always)]
    fn on_data(&mut self, _parser: &mut Parser, event: Event, data: &[u8]) -> Action {
        let offset = (data.as_ptr() as usize).wrapping_sub(self.base);
        if offset > self.len {
            // Not in the input (a BOTH parser's carried method): cannot be expressed.
            return Action::Fail;
        }
        self.push(EventRow {
            kind: event as u8,
            offset,
            length: data.len(),
            ..EventRow::default()
        })
    }

    #[inline(always)]
    fn on_notify(&mut self, parser: &mut Parser, event: Event) -> Action {
        if self.skip_span_complete && event.is_span_complete() {
            return Action::Continue;
        }
        let mut row = EventRow {
            kind: event as u8,
            ..EventRow::default()
        };
        if matches!(event, Event::HeadersComplete | Event::MessageComplete) {
            row.method = parser.method;
            row.http_major = parser.http_major;
            row.http_minor = parser.http_minor;
            row.status_code = parser.status_code;
            row.upgrade = parser.upgrade;
            row.should_keep_alive = parser.should_keep_alive() as u8;
        }
        let r = self.push(row);
        if r == Action::Continue && event == Event::HeadersComplete && self.stop_after_headers {
            self.paused = true;
            return Action::Pause;
        }
        r
    }
}
