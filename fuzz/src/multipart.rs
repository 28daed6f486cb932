//! multipart/form-data parser: the same body parsed whole, in random pieces with random
//! pauses, and through the events entry point with small row arrays gives the same events
//! (spans merged), the same error and the same error offset. Data pieces are never empty, no
//! part's data contains a whole delimiter, and an accepted body's events are well nested.
//!
//! Input: 8 configuration bytes, then the body.
//! - `c[0]`: boundary (`b`, `AaB03x`, `----WebKitFormBoundary7MA4YWxkTrZu0gW`, or a
//!   70-byte one) in bits 0-1; bit 2 pause at random; bit 3 fail from a callback at random.
//! - `c[1]`: max parts (0: default, else `c[1]`); `c[2]`: max header size (0: default, else
//!   `c[2] * 4`); `c[3]`: max part size (0: none, else `c[3] * 4`); `c[4]`: max preamble and
//!   epilogue (0: default, else `c[4]`).
//! - `c[5]`: cut mode; `c[6..8]`: seed.

use wireframe::form::{
    execute_events, Action, FormError, Handler, MpEvent, MpEventRow, MultipartConfig,
    MultipartParser,
};

use crate::{cuts, take_config, Rng};

/// The boundaries the target chooses from.
pub const BOUNDARIES: [&[u8]; 4] = [
    b"b",
    b"AaB03x",
    b"----WebKitFormBoundary7MA4YWxkTrZu0gW",
    b"0123456789'()+_,-./:=? ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstu",
];

#[derive(Default)]
struct Log {
    events: Vec<(MpEvent, Vec<u8>)>,
    plan_fail: Option<u64>,
    count: u64,
    pause_rng: Option<Rng>,
    paused: bool,
}

impl Log {
    fn push(&mut self, kind: MpEvent, data: &[u8]) -> Action {
        let span = matches!(
            kind,
            MpEvent::HeaderField | MpEvent::HeaderValue | MpEvent::PartData
        );
        if span {
            assert!(!data.is_empty(), "empty {kind:?} piece");
        }
        match self.events.last_mut() {
            Some((k, bytes)) if span && *k == kind => bytes.extend_from_slice(data),
            _ => {
                self.events.push((kind, data.to_vec()));
                // Failures are planned per notification (never on a span, whose first piece
                // depends on the split), so every split fails alike.
                let k = self.count;
                self.count += 1;
                if let (Some(seed), false) = (self.plan_fail, span) {
                    if Rng::new(seed ^ k.wrapping_mul(0x9E37_79B9)).one_in(16) {
                        return Action::Fail;
                    }
                }
            }
        }
        if let Some(r) = self.pause_rng.as_mut() {
            if r.one_in(4) {
                self.paused = true;
                return Action::Pause;
            }
        }
        Action::Continue
    }
}

impl Handler for Log {
    fn part_begin(&mut self) -> Action {
        self.push(MpEvent::PartBegin, b"")
    }
    fn header_field(&mut self, d: &[u8]) -> Action {
        self.push(MpEvent::HeaderField, d)
    }
    fn header_value(&mut self, d: &[u8]) -> Action {
        self.push(MpEvent::HeaderValue, d)
    }
    fn header_end(&mut self) -> Action {
        self.push(MpEvent::HeaderEnd, b"")
    }
    fn headers_complete(&mut self) -> Action {
        self.push(MpEvent::HeadersComplete, b"")
    }
    fn part_data(&mut self, d: &[u8], _: bool) -> Action {
        self.push(MpEvent::PartData, d)
    }
    fn part_end(&mut self) -> Action {
        self.push(MpEvent::PartEnd, b"")
    }
    fn end(&mut self) -> Action {
        self.push(MpEvent::End, b"")
    }
}

#[derive(Debug, PartialEq, Eq)]
struct Outcome {
    events: Vec<(MpEvent, Vec<u8>)>,
    error: FormError,
    offset: u64,
}

/// Ends the body and says how the parse went.
fn finish(mut p: MultipartParser, log: Log) -> Outcome {
    let error = p.finish();
    Outcome {
        events: log.events,
        error,
        offset: if error == FormError::Ok {
            0
        } else {
            p.error_offset()
        },
    }
}

fn parse(
    boundary: &[u8],
    config: MultipartConfig,
    input: &[u8],
    cuts: &[usize],
    plan_fail: Option<u64>,
    pause_rng: Option<Rng>,
) -> Outcome {
    let mut p = MultipartParser::new(boundary, config).unwrap();
    let mut log = Log {
        plan_fail,
        pause_rng,
        ..Log::default()
    };
    let mut start = 0;
    let mut rounds = 0usize;
    'pieces: for end in cuts.iter().copied().chain([input.len()]) {
        let mut pos = start;
        loop {
            rounds += 1;
            assert!(rounds < 1_000_000, "no progress");
            log.paused = false;
            let n = p.execute(&input[pos..end], &mut log);
            assert!(n <= end - pos);
            match p.error() {
                FormError::Ok => {
                    assert_eq!(n, end - pos, "stopped without an error");
                    break;
                }
                FormError::Paused => {
                    assert!(log.paused, "paused without a pause request");
                    assert_eq!(p.error_offset(), (pos + n) as u64, "pause offset");
                    pos += n;
                }
                e => {
                    assert_eq!(p.execute(&input[pos + n..end], &mut log), 0);
                    assert_eq!(p.error(), e, "error state changed");
                    break 'pieces;
                }
            }
        }
        start = end;
    }
    finish(p, log)
}

/// The events entry point with `cap` rows per call, pieces at `cuts`; rows turned back into
/// merged events.
fn parse_rows(
    boundary: &[u8],
    config: MultipartConfig,
    input: &[u8],
    cuts: &[usize],
    cap: usize,
) -> Outcome {
    let mut p = MultipartParser::new(boundary, config).unwrap();
    let delim = p.delimiter().to_vec();
    let mut log = Log::default();
    let mut rows = vec![MpEventRow::default(); cap];
    let mut start = 0;
    'pieces: for end in cuts.iter().copied().chain([input.len()]) {
        let mut pos = start;
        loop {
            let piece = &input[pos..end];
            let (n, count) = execute_events(&mut p, piece, &mut rows, 0);
            for r in &rows[..count] {
                let (kind, bytes) = match r.kind {
                    9 => (MpEvent::PartData, &delim[..r.length]),
                    k => {
                        let kind = match k {
                            1 => MpEvent::PartBegin,
                            2 => MpEvent::HeaderField,
                            3 => MpEvent::HeaderValue,
                            4 => MpEvent::HeaderEnd,
                            5 => MpEvent::HeadersComplete,
                            6 => MpEvent::PartData,
                            7 => MpEvent::PartEnd,
                            8 => MpEvent::End,
                            _ => panic!("unknown row kind {k}"),
                        };
                        assert!(r.offset + r.length <= piece.len(), "row outside the input");
                        (kind, &piece[r.offset..r.offset + r.length])
                    }
                };
                log.push(kind, bytes);
            }
            pos += n;
            match p.error() {
                FormError::Ok => break,
                FormError::Paused => assert_eq!(count, cap, "paused with room left"),
                _ => break 'pieces,
            }
        }
        start = end;
    }
    finish(p, log)
}

/// The fuzz target.
pub fn check(data: &[u8]) {
    let (c, input) = take_config::<8>(data);
    let boundary = BOUNDARIES[(c[0] & 3) as usize];
    let mut config = MultipartConfig::DEFAULT;
    if c[1] != 0 {
        config.max_parts = c[1] as u32;
    }
    if c[2] != 0 {
        config.max_header_size = c[2] as u32 * 4;
    }
    config.max_part_size = c[3] as u64 * 4;
    if c[4] != 0 {
        config.max_preamble = c[4] as u32;
        config.max_epilogue = c[4] as u32;
    }
    let seed = u64::from_le_bytes([c[6], c[7], 0, 0, 0, 0, 0, 1]);
    let plan = (c[0] & 8 != 0).then_some(seed);
    let whole = parse(boundary, config, input, &[], plan, None);

    let mut rng = Rng::new(seed);
    let cut = cuts(&mut rng, input.len(), c[5]);
    let pause = (c[0] & 4 != 0).then(|| Rng::new(seed ^ 0x55));
    let split = parse(boundary, config, input, &cut, plan, pause);
    assert_eq!(whole, split, "split at {cut:?}");
    if plan.is_none() {
        let cap = 1 + rng.below(5);
        let rows = parse_rows(boundary, config, input, &cut, cap);
        assert_eq!(
            whole, rows,
            "events entry point, {cap} rows, split at {cut:?}"
        );
    }

    // Structure: parts nest, no part's data holds a whole delimiter, limits hold.
    let mut delim = b"\r\n--".to_vec();
    delim.extend_from_slice(boundary);
    let mut in_part = false;
    let mut parts = 0;
    for (kind, bytes) in &whole.events {
        match kind {
            MpEvent::PartBegin => {
                assert!(!in_part);
                in_part = true;
                parts += 1;
            }
            MpEvent::PartData => {
                assert!(in_part);
                assert!(!bytes.windows(delim.len()).any(|w| w == delim.as_slice()));
                if config.max_part_size != 0 {
                    assert!(bytes.len() as u64 <= config.max_part_size);
                }
            }
            MpEvent::PartEnd => {
                assert!(in_part);
                in_part = false;
            }
            MpEvent::End => assert!(!in_part),
            _ => assert!(in_part),
        }
    }
    assert!(parts <= config.max_parts);
    if whole.error == FormError::Ok {
        assert_eq!(whole.events.last().map(|e| e.0), Some(MpEvent::End));
    }
}
