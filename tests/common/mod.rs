//! Shared test support: a callbacks implementation that logs events as text, and drivers that
//! replay an input whole, split at every byte offset, and byte by byte.
#![allow(dead_code)]

use wireframe::http::{Action, Callbacks, Errno, Event, Parser, ParserType};

/// Logs events; adjacent pieces of one span are merged, so the log does not depend on splits.
#[derive(Default)]
pub struct Log {
    pub events: Vec<(Event, Vec<u8>, String)>,
    /// What on_headers_complete returns.
    pub headers_complete_result: Action,
    /// Pause (return CALLBACK_PAUSE) on every event of this kind.
    pub pause_on: Option<Event>,
    /// Fail (return -1) on this event kind.
    pub fail_on: Option<Event>,
}

pub fn event_name(e: Event) -> &'static str {
    match e {
        Event::MessageBegin => "begin",
        Event::Method => "method",
        Event::MethodComplete => "method_done",
        Event::Url => "url",
        Event::UrlComplete => "url_done",
        Event::Version => "version",
        Event::VersionComplete => "version_done",
        Event::Status => "status",
        Event::StatusComplete => "status_done",
        Event::HeaderField => "field",
        Event::HeaderFieldComplete => "field_done",
        Event::HeaderValue => "value",
        Event::HeaderValueComplete => "value_done",
        Event::HeadersComplete => "headers_done",
        Event::ChunkHeader => "chunk_header",
        Event::ChunkExtensionName => "ext_name",
        Event::ChunkExtensionNameComplete => "ext_name_done",
        Event::ChunkExtensionValue => "ext_value",
        Event::ChunkExtensionValueComplete => "ext_value_done",
        Event::Body => "body",
        Event::ChunkComplete => "chunk_done",
        Event::MessageComplete => "complete",
        Event::Reset => "reset",
    }
}

impl Log {
    /// The log as text lines: `url=/x` for spans, `headers_done ...` for notifications.
    pub fn lines(&self) -> Vec<String> {
        self.events
            .iter()
            .map(|(e, bytes, extra)| {
                if e.is_span() {
                    format!(
                        "{}={}",
                        event_name(*e),
                        String::from_utf8_lossy(bytes).escape_debug()
                    )
                } else if extra.is_empty() {
                    event_name(*e).to_string()
                } else {
                    format!("{} {}", event_name(*e), extra)
                }
            })
            .collect()
    }

    fn result_for(&self, e: Event) -> Action {
        if self.fail_on == Some(e) {
            Action::Fail
        } else if self.pause_on == Some(e) {
            Action::Pause
        } else {
            Action::Continue
        }
    }
}

impl Callbacks for Log {
    fn on_data(&mut self, _p: &mut Parser, event: Event, data: &[u8]) -> Action {
        assert!(!data.is_empty(), "empty span piece for {event:?}");
        match self.events.last_mut() {
            Some((last, bytes, _)) if *last == event => bytes.extend_from_slice(data),
            _ => self.events.push((event, data.to_vec(), String::new())),
        }
        self.result_for(event)
    }

    fn on_notify(&mut self, p: &mut Parser, event: Event) -> Action {
        let extra = match event {
            Event::HeadersComplete => format!(
                "v={}.{} ka={} up={}",
                p.http_version().0,
                p.http_version().1,
                p.should_keep_alive() as u8,
                p.upgrade() as u8
            ),
            Event::ChunkHeader => format!("size={}", p.content_length()),
            _ => String::new(),
        };
        self.events.push((event, Vec::new(), extra));
        let r = self.result_for(event);
        if r == Action::Continue && event == Event::HeadersComplete {
            return self.headers_complete_result;
        }
        r
    }
}

/// The outcome of parsing one input: the events, the error (or Ok), and the absolute offset
/// where the parser stopped (the input length if it did not stop).
#[derive(Debug, PartialEq, Eq, Clone)]
pub struct Outcome {
    pub lines: Vec<String>,
    pub errno: Errno,
    pub stopped_at: usize,
}

/// Settings for one run.
#[derive(Clone, Copy)]
pub struct Setup {
    pub kind: ParserType,
    pub lenient: u32,
    pub max_header_size: u32,
    pub headers_complete_result: Action,
    pub max_chunk_extensions_size: u32,
    pub finish: bool,
}

impl Setup {
    pub fn new(kind: ParserType) -> Setup {
        Setup {
            kind,
            lenient: 0,
            max_header_size: 0,
            headers_complete_result: Action::Continue,
            max_chunk_extensions_size: 0,
            finish: false,
        }
    }
}

fn new_parser(setup: Setup) -> (Parser, Log) {
    let mut p = Parser::new(setup.kind);
    p.set_lenient_flags(setup.lenient);
    p.set_max_header_size(setup.max_header_size);
    p.set_max_chunk_extensions_size(setup.max_chunk_extensions_size);
    let log = Log {
        headers_complete_result: setup.headers_complete_result,
        ..Log::default()
    };
    (p, log)
}

/// Parses `input` fed in the pieces that `cuts` (increasing offsets) delimit.
pub fn parse_pieces(setup: Setup, input: &[u8], cuts: &[usize]) -> Outcome {
    let (mut p, mut log) = new_parser(setup);
    let mut start = 0;
    let mut bounds: Vec<usize> = cuts.to_vec();
    bounds.push(input.len());
    for &end in &bounds {
        let piece = &input[start..end];
        let n = match p.execute(&mut log, piece) {
            Ok(n) => n,
            Err(e) => {
                assert_eq!((e.errno(), e.offset()), (p.errno(), p.error_offset()));
                e.offset()
            }
        };
        if p.errno() != Errno::Ok {
            assert_eq!(
                n,
                p.error_offset(),
                "execute's return equals the error offset"
            );
            return Outcome {
                lines: log.lines(),
                errno: p.errno(),
                stopped_at: start + n,
            };
        }
        assert_eq!(n, piece.len());
        start = end;
    }
    let mut errno = Errno::Ok;
    if setup.finish {
        errno = p.finish(&mut log);
    }
    Outcome {
        lines: log.lines(),
        errno,
        stopped_at: input.len(),
    }
}

/// Parses `input` whole, then split in two at every offset, then byte by byte, and checks
/// that every run gives the same outcome. Returns it.
pub fn parse_all_splits(setup: Setup, input: &[u8]) -> Outcome {
    let whole = parse_pieces(setup, input, &[]);
    for cut in 1..input.len() {
        let split = parse_pieces(setup, input, &[cut]);
        assert_eq!(
            split,
            whole,
            "split at {cut} differs for {:?}",
            String::from_utf8_lossy(input)
        );
    }
    let bytes: Vec<usize> = (1..input.len()).collect();
    let by_byte = parse_pieces(setup, input, &bytes);
    assert_eq!(
        by_byte,
        whole,
        "byte-by-byte differs for {:?}",
        String::from_utf8_lossy(input)
    );
    whole
}

/// Formats expected lines given as one string, one event a line, for readable vectors.
pub fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

/// Parses `input` (all splits) and asserts the exact events, error and stop offset.
#[track_caller]
pub fn check(setup: Setup, input: &[u8], expected: &str, errno: Errno, stopped_at: usize) {
    let out = parse_all_splits(setup, input);
    assert_eq!(
        out.lines,
        lines(expected),
        "events for {:?}",
        String::from_utf8_lossy(input)
    );
    assert_eq!(
        out.errno,
        errno,
        "errno for {:?}",
        String::from_utf8_lossy(input)
    );
    assert_eq!(
        out.stopped_at,
        stopped_at,
        "stop offset for {:?}",
        String::from_utf8_lossy(input)
    );
}

/// Parses `input` (all splits) and asserts the error and its offset only.
#[track_caller]
pub fn check_error(setup: Setup, input: &[u8], errno: Errno, offset: usize) {
    let out = parse_all_splits(setup, input);
    assert_eq!(
        (out.errno, out.stopped_at),
        (errno, offset),
        "error for {:?}; events {:?}",
        String::from_utf8_lossy(input),
        out.lines
    );
}

pub fn request() -> Setup {
    Setup::new(ParserType::Request)
}

pub fn response() -> Setup {
    Setup::new(ParserType::Response)
}

pub fn lenient(mut setup: Setup, flags: u32) -> Setup {
    setup.lenient = flags;
    setup
}

/// `Parser::execute` as the bytes it consumed (what the C ABI's `wf_http_execute` returns): the
/// offset of the error when the call fails, 0 when the parser had already failed.
pub trait Consumed {
    fn consumed<C: Callbacks>(&mut self, cb: &mut C, data: &[u8]) -> usize;
}

impl Consumed for Parser {
    fn consumed<C: Callbacks>(&mut self, cb: &mut C, data: &[u8]) -> usize {
        let failed_before = self.errno().is_error();
        match self.execute(cb, data) {
            Ok(n) => n,
            Err(_) if failed_before => 0,
            Err(e) => e.offset(),
        }
    }
}
