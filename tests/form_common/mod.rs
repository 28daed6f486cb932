//! Shared by the multipart tests: a recording handler and the split-everywhere harness.
#![allow(dead_code)]

use wireframe::form::{Action, FormError, Handler, MpEvent, MultipartConfig, MultipartParser};

/// One event with its bytes (data events merged across pieces).
pub type Ev = (MpEvent, Vec<u8>);

/// Records events; adjacent pieces of one span are merged so that every split compares equal.
#[derive(Default)]
pub struct Recorder {
    pub events: Vec<Ev>,
    /// Pause after every event (checks that resuming loses nothing).
    pub pause_every: bool,
}

impl Recorder {
    fn push(&mut self, kind: MpEvent, data: &[u8]) -> Action {
        match self.events.last_mut() {
            Some((k, bytes)) if *k == kind && !data.is_empty() => bytes.extend_from_slice(data),
            _ => self.events.push((kind, data.to_vec())),
        }
        if self.pause_every {
            Action::Pause
        } else {
            Action::Continue
        }
    }
}

impl Handler for Recorder {
    fn part_begin(&mut self) -> Action {
        self.push(MpEvent::PartBegin, b"")
    }
    fn header_field(&mut self, d: &[u8]) -> Action {
        assert!(!d.is_empty());
        self.push(MpEvent::HeaderField, d)
    }
    fn header_value(&mut self, d: &[u8]) -> Action {
        assert!(!d.is_empty());
        self.push(MpEvent::HeaderValue, d)
    }
    fn header_end(&mut self) -> Action {
        self.push(MpEvent::HeaderEnd, b"")
    }
    fn headers_complete(&mut self) -> Action {
        self.push(MpEvent::HeadersComplete, b"")
    }
    fn part_data(&mut self, d: &[u8], _: bool) -> Action {
        assert!(!d.is_empty());
        self.push(MpEvent::PartData, d)
    }
    fn part_end(&mut self) -> Action {
        self.push(MpEvent::PartEnd, b"")
    }
    fn end(&mut self) -> Action {
        self.push(MpEvent::End, b"")
    }
}

/// What a run ends with: the events, then the final state (after `finish`) and its offset.
#[derive(Debug, PartialEq, Eq)]
pub struct Outcome {
    pub events: Vec<Ev>,
    pub error: FormError,
    pub offset: u64,
}

/// Parses `chunks` in order (resuming after pauses), then finishes.
pub fn run(boundary: &[u8], config: MultipartConfig, chunks: &[&[u8]], pause: bool) -> Outcome {
    let mut p = MultipartParser::new(boundary, config).expect("valid boundary");
    let mut rec = Recorder {
        pause_every: pause,
        ..Default::default()
    };
    'outer: for chunk in chunks {
        let mut rest = *chunk;
        loop {
            let n = p.execute(rest, &mut rec);
            assert!(n <= rest.len());
            match p.error() {
                FormError::Ok => {
                    assert_eq!(n, rest.len());
                    break;
                }
                FormError::Paused => rest = &rest[n..],
                _ => break 'outer,
            }
        }
    }
    let error = p.finish();
    Outcome {
        events: rec.events,
        error,
        offset: if error == FormError::Ok {
            0
        } else {
            p.error_offset()
        },
    }
}

/// Runs `body` whole, split at every byte, byte by byte, paused after every event, and (for
/// short bodies) in three pieces at every pair of positions; every run must give `want`.
pub fn check_all_splits(boundary: &[u8], config: MultipartConfig, body: &[u8], want: &Outcome) {
    let whole = run(boundary, config, &[body], false);
    assert_eq!(&whole, want, "whole body");
    for cut in 0..=body.len() {
        let got = run(boundary, config, &[&body[..cut], &body[cut..]], false);
        assert_eq!(&got, want, "split at {cut}");
    }
    let bytes: Vec<&[u8]> = body.chunks(1).collect();
    assert_eq!(&run(boundary, config, &bytes, false), want, "byte by byte");
    assert_eq!(
        &run(boundary, config, &[body], true),
        want,
        "paused after every event"
    );
    assert_eq!(
        &run(boundary, config, &bytes, true),
        want,
        "byte by byte, paused"
    );
    if body.len() <= 160 {
        for a in 0..=body.len() {
            for b in a..=body.len() {
                let got = run(
                    boundary,
                    config,
                    &[&body[..a], &body[a..b], &body[b..]],
                    false,
                );
                assert_eq!(&got, want, "split at {a} and {b}");
            }
        }
    }
}
