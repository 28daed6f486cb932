//! Regressions found by the fuzz targets (fuzz/regressions/ holds the raw reproducers).

use wireframe::http::events::{execute_events, EventRow};
mod common;
use common::Consumed;
use wireframe::http::{Action, Callbacks, Errno, Event, Parser, ParserType};

/// Pauses on every event.
struct PauseAll;

impl Callbacks for PauseAll {
    fn on_data(&mut self, _: &mut Parser, _: Event, _: &[u8]) -> Action {
        Action::Pause
    }
    fn on_notify(&mut self, _: &mut Parser, _: Event) -> Action {
        Action::Pause
    }
}

const LONG_HEAD: &[u8] =
    b"GET / HTTP/1.1\r\nConnection: foo,  Close \r\nX: aaaaaaaaaaaaaaaa\r\n\r\n";

/// Without pauses, the head overflows a 32-byte limit at offset 32.
fn overflow_offset() -> usize {
    let mut p = Parser::new(ParserType::Request);
    p.set_max_header_size(32);
    let n = p.consumed(&mut (), LONG_HEAD);
    assert_eq!(p.errno(), Errno::HeaderOverflow);
    n
}

/// fuzz/regressions/http_split/header-limit-after-pause: a pause inside the head used to
/// forget the header bytes read before it, so the limit was enforced late or never.
#[test]
fn header_limit_counts_bytes_before_a_pause() {
    let expected = overflow_offset();
    assert_eq!(expected, 32);
    let mut p = Parser::new(ParserType::Request);
    p.set_max_header_size(32);
    let mut pos = 0;
    let mut pauses = 0;
    loop {
        let n = p.consumed(&mut PauseAll, &LONG_HEAD[pos..]);
        pos += n;
        if p.errno() != Errno::Paused {
            break;
        }
        pauses += 1;
        p.resume();
    }
    assert!(pauses > 3);
    assert_eq!((p.errno(), pos), (Errno::HeaderOverflow, expected));
}

/// fuzz/regressions/http_split/header-limit-events-entry-point: the events entry point pauses
/// whenever its array is full, so a small array disabled the header limit.
#[test]
fn header_limit_holds_through_the_events_entry_point() {
    let expected = overflow_offset();
    for cap in 1..8 {
        let mut p = Parser::new(ParserType::Request);
        p.set_max_header_size(32);
        let mut rows = vec![EventRow::default(); cap];
        let mut pos = 0;
        loop {
            let (n, count) = execute_events(&mut p, &LONG_HEAD[pos..], &mut rows, 0);
            pos += n;
            if p.errno() != Errno::Ok || (pos == LONG_HEAD.len() && count < cap) {
                break;
            }
        }
        assert_eq!(
            (p.errno(), pos),
            (Errno::HeaderOverflow, expected),
            "cap {cap}"
        );
    }
}

/// Pauses on every span piece of one kind.
struct PauseOn(Event, Vec<Event>);

impl Callbacks for PauseOn {
    fn on_data(&mut self, _: &mut Parser, e: Event, _: &[u8]) -> Action {
        self.1.push(e);
        if e == self.0 {
            Action::Pause
        } else {
            Action::Continue
        }
    }
    fn on_notify(&mut self, _: &mut Parser, e: Event) -> Action {
        self.1.push(e);
        Action::Continue
    }
}

/// fuzz/regressions/http_split/version-complete-after-pause: after a pause on the version's
/// last piece, a call with no bytes did not fire on_version_complete (the unsplit parse fires it
/// as soon as the version's third byte is read), so the events depended on the split.
#[test]
fn version_complete_fires_after_a_pause_without_more_bytes() {
    let input = b"POST / HTTP/1.1";
    let mut whole = PauseOn(Event::MessageComplete, Vec::new());
    let mut p = Parser::new(ParserType::Request);
    assert_eq!(p.consumed(&mut whole, input), input.len());
    assert_eq!(whole.1.last(), Some(&Event::VersionComplete));

    let mut log = PauseOn(Event::Version, Vec::new());
    let mut p = Parser::new(ParserType::Request);
    assert_eq!(p.consumed(&mut (), &input[..14]), 14);
    assert_eq!(p.consumed(&mut log, &input[14..]), 1);
    assert_eq!(p.errno(), Errno::Paused);
    p.resume();
    assert_eq!(p.consumed(&mut log, b""), 0);
    assert_eq!(p.errno(), Errno::Ok);
    assert_eq!(log.1, [Event::Version, Event::VersionComplete]);
}

/// fuzz/regressions/http_split/pause-on-failing-span: a pause requested on the valid piece
/// fired before an error turned the error into a pause; resuming then parsed on from the
/// error offset and failed elsewhere (or not at all).
#[test]
fn a_pause_on_the_piece_before_an_error_keeps_the_error() {
    let input = b"MKCALENDARXXXXXXX / HTTP/1.1\r\n\r\n";
    let mut p = Parser::new(ParserType::Request);
    assert_eq!(p.consumed(&mut (), input), 13);
    assert_eq!(p.errno(), Errno::InvalidMethod);

    let mut log = PauseOn(Event::Method, Vec::new());
    let mut p = Parser::new(ParserType::Request);
    assert_eq!(p.consumed(&mut log, input), 13);
    assert_eq!(p.errno(), Errno::InvalidMethod);
    assert_eq!(log.1, [Event::MessageBegin, Event::Method]);
    // The same with a bad header name after a valid part of it.
    let input = b"GET / HTTP/1.1\r\nHost\x01: x\r\n\r\n";
    let mut p = Parser::new(ParserType::Request);
    let expected = p.consumed(&mut (), input);
    assert_eq!(p.errno(), Errno::InvalidHeaderToken);
    let mut log = PauseOn(Event::HeaderField, Vec::new());
    let mut p = Parser::new(ParserType::Request);
    assert_eq!(p.consumed(&mut log, input), expected);
    assert_eq!(p.errno(), Errno::InvalidHeaderToken);
}
