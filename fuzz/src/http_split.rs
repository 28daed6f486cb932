//! HTTP parser: the same input parsed whole and in random pieces, with random pauses, gives the
//! same events, error and stop offset; callback results that change the parse (skip body,
//! upgrade, callback errors) are planned per notification, so both parses get the same ones.
//! The events entry point, fed the same pieces, records the same events.
//!
//! Input: 8 configuration bytes, then the HTTP bytes.
//! - `c[0]`: bits 0-1 parser type (0 request, 1 response, 2 both, 3 request), bit 2 call
//!   `finish` at the end, bits 3-4 how to cut, bit 5 pause at random, bits 6-7 how often
//!   callbacks skip bodies, upgrade or fail (0 never).
//! - `c[1..3]`: leniency flags (little endian, `WF_LENIENT_*` bits).
//! - `c[3]`: maximum header size / 4 (0: default); `c[4]`: maximum chunk-extension bytes (0:
//!   default).
//! - `c[5..8]`: seed of the cuts, pauses and callback results.

use wireframe::http::events::{execute_events, EventRow, WF_HTTP_EVENTS_STOP_AFTER_HEADERS};
use wireframe::http::{Action, Callbacks, Errno, Event, Parser, ParserType, WF_LENIENT_ALL};

use crate::{cuts, take_config, Rng};

/// What a head snapshot holds: method, major, minor, status, upgrade, keep-alive.
type Snapshot = (u8, u8, u8, u16, u8, u8);

/// One logged event; adjacent pieces of one span are merged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The event.
    pub event: Event,
    /// Span bytes (empty for notifications).
    pub bytes: Vec<u8>,
    /// Head snapshot at HeadersComplete and MessageComplete.
    pub snapshot: Option<Snapshot>,
    /// Flags and content length at notifications (callbacks only; the rows do not carry them).
    pub extra: Option<(u16, u64)>,
}

/// The outcome of one parse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The events.
    pub log: Vec<Entry>,
    /// The final error state.
    pub errno: Errno,
    /// Absolute offset where the parser stopped (input length if it did not).
    pub stopped_at: usize,
    /// The error's reason text.
    pub reason: String,
}

/// Settings decoded from the configuration bytes.
#[derive(Clone, Copy, Debug)]
pub struct Config {
    /// Parser type.
    pub kind: ParserType,
    /// Call `finish` after the input.
    pub finish: bool,
    /// Cut mode for [`cuts`].
    pub cut_mode: u8,
    /// Pause at random.
    pub pauses: bool,
    /// How often callbacks change the parse (0 never, 3 often).
    pub plan: u8,
    /// `WF_LENIENT_*` bits.
    pub lenient: u32,
    /// Maximum header size (0 default).
    pub max_header: u32,
    /// Maximum chunk-extension bytes (0 default).
    pub max_ext: u32,
    /// Seed.
    pub seed: u64,
}

impl Config {
    /// Decodes the 8 configuration bytes.
    pub fn from_bytes(c: [u8; 8]) -> Config {
        Config {
            kind: match c[0] & 3 {
                1 => ParserType::Response,
                2 => ParserType::Both,
                _ => ParserType::Request,
            },
            finish: c[0] & 4 != 0,
            cut_mode: (c[0] >> 3) & 3,
            pauses: c[0] & 0x20 != 0,
            plan: c[0] >> 6,
            lenient: u16::from_le_bytes([c[1], c[2]]) as u32 & WF_LENIENT_ALL,
            max_header: c[3] as u32 * 4,
            max_ext: c[4] as u32,
            seed: u64::from_le_bytes([c[5], c[6], c[7], 0, 0, 0, 0, 0]),
        }
    }

    fn parser(&self) -> Parser {
        let mut p = Parser::new(self.kind);
        p.set_lenient_flags(self.lenient);
        p.set_max_header_size(self.max_header);
        p.set_max_chunk_extensions_size(self.max_ext);
        p
    }

    /// The planned result of notification number `k` (the same in every parse of the input).
    fn planned(&self, k: u64, event: Event) -> Action {
        if self.plan == 0 {
            return Action::Continue;
        }
        let mut r = Rng::new(self.seed.wrapping_mul(0x1000_0000_01B3) ^ k.wrapping_mul(0x9E37));
        let roll = r.below(256);
        if event == Event::HeadersComplete {
            let often = [0, 16, 64, 128][self.plan as usize];
            if roll < often / 2 {
                return Action::SkipBody;
            }
            if roll < often {
                return Action::SkipBodyUpgrade;
            }
        }
        let fail = [0, 1, 4, 16][self.plan as usize];
        if r.below(256) < fail {
            return Action::Fail;
        }
        Action::Continue
    }
}

struct Logger {
    cfg: Config,
    log: Vec<Entry>,
    notifications: u64,
    pause_rng: Option<Rng>,
    paused: bool,
    /// The buffer of the current `execute` call.
    base: usize,
    len: usize,
}

impl Logger {
    fn new(cfg: Config, pause_rng: Option<Rng>) -> Logger {
        Logger {
            cfg,
            log: Vec::new(),
            notifications: 0,
            pause_rng,
            paused: false,
            base: 0,
            len: 0,
        }
    }

    fn maybe_pause(&mut self) -> Action {
        if let Some(r) = self.pause_rng.as_mut() {
            if r.one_in(4) {
                self.paused = true;
                return Action::Pause;
            }
        }
        Action::Continue
    }
}

fn snapshot(p: &Parser) -> Snapshot {
    (
        p.method().map_or(0, |m| m as u8),
        p.http_version().0,
        p.http_version().1,
        p.status_code(),
        p.upgrade() as u8,
        p.should_keep_alive() as u8,
    )
}

impl Callbacks for Logger {
    fn on_data(&mut self, p: &mut Parser, event: Event, data: &[u8]) -> Action {
        assert!(event.is_span(), "on_data with {event:?}");
        assert!(!data.is_empty(), "empty piece of {event:?}");
        let start = data.as_ptr() as usize;
        let inside = start >= self.base && start + data.len() <= self.base + self.len;
        assert!(
            inside || (p.parser_type() == ParserType::Both && event == Event::Method),
            "{event:?} piece outside the input"
        );
        match self.log.last_mut() {
            Some(e) if e.event == event => e.bytes.extend_from_slice(data),
            _ => self.log.push(Entry {
                event,
                bytes: data.to_vec(),
                snapshot: None,
                extra: None,
            }),
        }
        self.maybe_pause()
    }

    fn on_notify(&mut self, p: &mut Parser, event: Event) -> Action {
        assert!(!event.is_span(), "on_notify with {event:?}");
        let snap = matches!(event, Event::HeadersComplete | Event::MessageComplete);
        self.log.push(Entry {
            event,
            bytes: Vec::new(),
            snapshot: snap.then(|| snapshot(p)),
            extra: Some((p.flags().bits(), p.content_length())),
        });
        let k = self.notifications;
        self.notifications += 1;
        let planned = self.cfg.planned(k, event);
        if planned != Action::Continue {
            return planned;
        }
        self.maybe_pause()
    }
}

/// Parses `input` in the pieces `cuts` delimits, pausing at random when `pause_rng` is given.
fn parse(cfg: Config, input: &[u8], cuts: &[usize], pause_rng: Option<Rng>) -> Outcome {
    let mut p = cfg.parser();
    let mut log = Logger::new(cfg, pause_rng);
    let mut bounds = cuts.to_vec();
    bounds.push(input.len());
    let mut start = 0;
    let mut rounds = 0usize;
    for &end in &bounds {
        let mut pos = start;
        // After a pause, execute is called again even with nothing left: events may be
        // pending (a message completing right after a paused body piece).
        loop {
            rounds += 1;
            assert!(rounds < 1_000_000, "no progress");
            let piece = &input[pos..end];
            log.base = piece.as_ptr() as usize;
            log.len = piece.len();
            log.paused = false;
            let n = crate::consumed(&mut p, &mut log, piece);
            assert!(n <= piece.len(), "consumed more than given");
            let errno = p.errno();
            if errno == Errno::Ok {
                assert_eq!(n, piece.len(), "stopped without an error");
                break;
            }
            assert_eq!(n, p.error_offset(), "return value is the error offset");
            if errno == Errno::Paused && log.paused {
                assert_eq!(
                    crate::consumed(&mut p, &mut log, piece),
                    0,
                    "a paused parser does nothing"
                );
                p.resume();
                pos += n;
                continue;
            }
            assert_ne!(errno, Errno::Paused, "paused without a pause request");
            return Outcome {
                log: log.log,
                errno,
                stopped_at: pos + n,
                reason: p.error_reason().to_string_lossy().into_owned(),
            };
        }
        start = end;
    }
    let mut errno = Errno::Ok;
    if cfg.finish {
        log.pause_rng = None;
        errno = p.finish(&mut log);
    }
    Outcome {
        log: log.log,
        errno,
        stopped_at: input.len(),
        reason: p.error_reason().to_string_lossy().into_owned(),
    }
}

/// Parses `input` through the events entry point in the pieces `cuts` delimits, with an array
/// of `cap` rows, and rebuilds the log (without `extra`).
fn parse_events(
    cfg: Config,
    input: &[u8],
    cuts: &[usize],
    cap: usize,
    options: u32,
) -> (Vec<Entry>, Errno, usize) {
    let mut p = cfg.parser();
    let mut rows = vec![EventRow::default(); cap];
    let mut log: Vec<Entry> = Vec::new();
    let mut bounds = cuts.to_vec();
    bounds.push(input.len());
    let mut start = 0;
    let mut rounds = 0usize;
    for &end in &bounds {
        let mut pos = start;
        loop {
            rounds += 1;
            assert!(rounds < 1_000_000, "no progress");
            let piece = &input[pos..end];
            let (n, count) = execute_events(&mut p, piece, &mut rows, options);
            assert!(n <= piece.len() && count <= cap);
            for row in &rows[..count] {
                let event = Event::from_u8(row.kind).expect("row kind");
                if event.is_span() {
                    assert!(row.length > 0, "empty row span");
                    let bytes = &piece[row.offset..row.offset + row.length];
                    match log.last_mut() {
                        Some(e) if e.event == event => e.bytes.extend_from_slice(bytes),
                        _ => log.push(Entry {
                            event,
                            bytes: bytes.to_vec(),
                            snapshot: None,
                            extra: None,
                        }),
                    }
                } else {
                    let snap = matches!(event, Event::HeadersComplete | Event::MessageComplete);
                    log.push(Entry {
                        event,
                        bytes: Vec::new(),
                        snapshot: snap.then_some((
                            row.method,
                            row.http_major,
                            row.http_minor,
                            row.status_code,
                            row.upgrade,
                            row.should_keep_alive,
                        )),
                        extra: None,
                    });
                }
            }
            pos += n;
            let errno = p.errno();
            if errno != Errno::Ok {
                return (log, errno, pos);
            }
            // Call again while the array was full, and after a stop after the headers (the
            // message may complete without another byte).
            let stopped_after_headers = options & WF_HTTP_EVENTS_STOP_AFTER_HEADERS != 0
                && count > 0
                && rows[count - 1].kind == Event::HeadersComplete as u8;
            if pos == end && count < cap && !stopped_after_headers {
                break;
            }
        }
        start = end;
    }
    let mut errno = Errno::Ok;
    if cfg.finish {
        // The rows cannot record what finish fires; ask the callbacks-free parser.
        errno = p.finish(&mut ());
    }
    (log, errno, input.len())
}

/// The fuzz target.
pub fn check(data: &[u8]) {
    let (c, input) = take_config::<8>(data);
    let cfg = Config::from_bytes(c);
    let whole = parse(cfg, input, &[], None);

    let mut rng = Rng::new(cfg.seed);
    let cut = cuts(&mut rng, input.len(), cfg.cut_mode);
    let pauses = cfg.pauses.then(|| Rng::new(rng.next_u64()));
    let split = parse(cfg, input, &cut, pauses);
    assert_eq!(
        split.errno, whole.errno,
        "errno differs; cuts {cut:?}; {} at {} vs {} at {}",
        split.reason, split.stopped_at, whole.reason, whole.stopped_at
    );
    assert_eq!(
        split.stopped_at, whole.stopped_at,
        "stop differs; cuts {cut:?}; {} vs {}",
        split.reason, whole.reason
    );
    assert_eq!(split.reason, whole.reason, "reason differs; cuts {cut:?}");
    assert_eq!(split.log, whole.log, "events differ; cuts {cut:?}");

    // The events entry point cannot return planned results; compare when there are none.
    if cfg.plan == 0 && cfg.kind != ParserType::Both {
        let cap = 1 + rng.below(8);
        let options = if rng.one_in(2) {
            WF_HTTP_EVENTS_STOP_AFTER_HEADERS
        } else {
            0
        };
        let (log, errno, stopped_at) = parse_events(cfg, input, &cut, cap, options);
        let mut expected = whole.log.clone();
        for e in &mut expected {
            e.extra = None;
        }
        // finish's events are not recorded by rows.
        let mut finish_events = 0;
        if cfg.finish && whole.stopped_at == input.len() {
            let plain = parse(
                Config {
                    finish: false,
                    ..cfg
                },
                input,
                &[],
                None,
            );
            finish_events = whole.log.len() - plain.log.len();
        }
        expected.truncate(expected.len() - finish_events);
        assert_eq!(
            (errno, stopped_at),
            (whole.errno, whole.stopped_at),
            "events entry point stops elsewhere; cuts {cut:?} cap {cap}"
        );
        assert_eq!(
            log, expected,
            "events entry point differs; cuts {cut:?} cap {cap}"
        );
    }
}
