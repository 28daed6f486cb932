//! Pause and resume, upgrades, the events entry point, body_is_final, and the URL parser.

mod common;
use common::*;
use wireframe::http::events::{execute_events, EventRow, WF_HTTP_EVENTS_STOP_AFTER_HEADERS};
use wireframe::http::url::{parse_url, UrlPart};
use wireframe::http::*;

const CHUNKED: &[u8] = b"POST /u?q=1 HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3;a=b;c=\"d\"\r\nabc\r\n0\r\nT: v\r\n\r\nGET /next HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi";
const RESPONSES: &[u8] = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcHTTP/1.1 204 No Content\r\n\r\n";

/// Pausing on every event of one kind, then resuming from the returned offset, gives the
/// same events as a parse without pauses.
#[test]
fn pause_and_resume_at_every_event_kind() {
    for (kind, input) in [
        (ParserType::Request, CHUNKED),
        (ParserType::Response, RESPONSES),
    ] {
        let plain = parse_all_splits(Setup::new(kind), input);
        assert_eq!(plain.errno, Errno::Ok);
        for &event in Event::all() {
            let mut p = Parser::new(kind);
            let mut log = Log {
                pause_on: Some(event),
                ..Log::default()
            };
            let mut rest = input;
            let mut pauses = 0;
            loop {
                let n = p.consumed(&mut log, rest);
                if p.errno() == Errno::Paused {
                    pauses += 1;
                    assert_eq!(
                        p.consumed(&mut log, rest),
                        0,
                        "a paused parser does nothing"
                    );
                    p.resume();
                    rest = &rest[n..];
                    continue;
                }
                assert_eq!(p.errno(), Errno::Ok);
                assert_eq!(n, rest.len());
                break;
            }
            assert_eq!(log.lines(), plain.lines, "pausing on {event:?}");
            let expected = log.events.iter().filter(|(e, _, _)| *e == event).count();
            // Spans may pause once per piece; in one buffer every span is one piece.
            assert_eq!(pauses, expected, "pauses on {event:?}");
        }
    }
}

#[test]
fn pause_from_outside_a_callback() {
    let mut p = Parser::new(ParserType::Request);
    p.pause();
    assert_eq!(p.consumed(&mut (), b"GET / HTTP/1.1\r\n\r\n"), 0);
    assert_eq!(p.errno(), Errno::Paused);
    p.resume();
    assert_eq!(p.consumed(&mut (), b"GET / HTTP/1.1\r\n\r\n"), 18);
    assert_eq!(p.errno(), Errno::Ok);
}

#[test]
fn resume_after_upgrade_parses_what_follows_as_http() {
    let input =
        b"GET / HTTP/1.1\r\nConnection: upgrade\r\nUpgrade: x\r\n\r\nGET /2 HTTP/1.1\r\n\r\n";
    let mut p = Parser::new(ParserType::Request);
    let mut log = Log::default();
    let n = p.consumed(&mut log, input);
    assert_eq!((p.errno(), n), (Errno::PausedUpgrade, 51));
    // Resuming a plain pause does not lift an upgrade pause.
    p.resume();
    assert_eq!(p.errno(), Errno::PausedUpgrade);
    p.resume_after_upgrade();
    assert_eq!(p.consumed(&mut log, &input[n..]), input.len() - n);
    assert_eq!(p.errno(), Errno::Ok);
    assert!(log.lines().contains(&"url=/2".to_string()));
}

/// Rebuilds the callback log from event rows, to compare with the callbacks' own log.
fn rows_to_lines(rows: &[(EventRow, Vec<u8>)]) -> Vec<String> {
    let mut log: Vec<(Event, Vec<u8>)> = Vec::new();
    for (row, bytes) in rows {
        let event = Event::from_u8(row.kind).unwrap();
        match log.last_mut() {
            Some((last, b)) if *last == event && event.is_span() => b.extend_from_slice(bytes),
            _ => log.push((event, bytes.clone())),
        }
    }
    log.iter()
        .map(|(e, b)| {
            if e.is_span() {
                format!(
                    "{}={}",
                    event_name(*e),
                    String::from_utf8_lossy(b).escape_debug()
                )
            } else {
                event_name(*e).to_string()
            }
        })
        .collect()
}

fn strip_extras(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .map(|l| match l.split_once(' ') {
            Some((first, _)) if !first.contains('=') => first.to_string(),
            _ => l.clone(),
        })
        .collect()
}

/// The events entry point records exactly the callbacks, whatever the array size and the
/// split, and snapshots the head in HeadersComplete and MessageComplete rows.
#[test]
fn events_entry_point_matches_callbacks() {
    for (kind, input) in [
        (ParserType::Request, CHUNKED),
        (ParserType::Response, RESPONSES),
    ] {
        let expected = strip_extras(&parse_all_splits(Setup::new(kind), input).lines);
        for capacity in [1, 2, 3, 7, 64] {
            for cut in [0, 1, 17, 40, input.len() / 2, input.len() - 1] {
                let mut p = Parser::new(kind);
                let mut rows = vec![EventRow::default(); capacity];
                let mut got: Vec<(EventRow, Vec<u8>)> = Vec::new();
                for piece in [&input[..cut], &input[cut..]] {
                    let mut rest = piece;
                    loop {
                        let (n, count) = execute_events(&mut p, rest, &mut rows, 0);
                        assert_eq!(p.errno(), Errno::Ok);
                        for row in &rows[..count] {
                            let bytes = rest[row.offset..row.offset + row.length].to_vec();
                            got.push((*row, bytes));
                        }
                        rest = &rest[n..];
                        // A full array may leave events pending even with no input left.
                        if count < capacity {
                            assert!(rest.is_empty());
                            break;
                        }
                    }
                }
                assert_eq!(
                    rows_to_lines(&got),
                    expected,
                    "capacity {capacity} cut {cut}"
                );
                let heads: Vec<&EventRow> = got
                    .iter()
                    .map(|(r, _)| r)
                    .filter(|r| r.kind == Event::HeadersComplete as u8)
                    .collect();
                if kind == ParserType::Request {
                    assert_eq!(heads[0].method, Method::Post as u8);
                    assert_eq!(heads[1].method, Method::Get as u8);
                    assert_eq!((heads[0].http_major, heads[0].http_minor), (1, 1));
                    assert_eq!(heads[0].should_keep_alive, 1);
                } else {
                    let codes: Vec<u16> = heads.iter().map(|r| r.status_code).collect();
                    assert_eq!(codes, [100, 200, 204]);
                }
            }
        }
    }
}

/// Without the span-complete rows, the rows are the full set minus those, in the same order.
#[test]
fn events_can_skip_span_complete_rows() {
    use wireframe::http::events::WF_HTTP_EVENTS_SKIP_SPAN_COMPLETE;
    for (kind, input) in [
        (ParserType::Request, CHUNKED),
        (ParserType::Response, RESPONSES),
    ] {
        let record = |options| {
            let mut p = Parser::new(kind);
            let mut rows = vec![EventRow::default(); 256];
            let (n, count) = execute_events(&mut p, input, &mut rows, options);
            assert_eq!((n, p.errno()), (input.len(), Errno::Ok));
            rows.truncate(count);
            rows
        };
        let all = record(0);
        let short = record(WF_HTTP_EVENTS_SKIP_SPAN_COMPLETE);
        let expected: Vec<EventRow> = all
            .into_iter()
            .filter(|r| !Event::from_u8(r.kind).unwrap().is_span_complete())
            .collect();
        assert_eq!(short, expected);
        assert!(short.iter().any(|r| r.kind == Event::HeaderValue as u8));
    }
}

/// Stopping after the headers lets a client mark the response to a HEAD request bodiless.
#[test]
fn events_stop_after_headers_and_skip_body() {
    let input = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    let mut p = Parser::new(ParserType::Response);
    let mut rows = vec![EventRow::default(); 64];
    let (n, count) = execute_events(&mut p, input, &mut rows, WF_HTTP_EVENTS_STOP_AFTER_HEADERS);
    assert_eq!(n, 38);
    assert_eq!(rows[count - 1].kind, Event::HeadersComplete as u8);
    assert_eq!(p.errno(), Errno::Ok);
    p.skip_body(false);
    let (m, count) = execute_events(&mut p, &input[n..], &mut rows, 0);
    assert_eq!(m, input.len() - n);
    let kinds: Vec<u8> = rows[..count].iter().map(|r| r.kind).collect();
    assert_eq!(kinds[0], Event::MessageComplete as u8);
    assert!(rows[..count]
        .iter()
        .any(|r| r.kind == Event::Body as u8 && r.length == 2));
}

#[test]
fn body_is_final_marks_the_last_piece() {
    struct Finals(Vec<bool>);
    impl Callbacks for Finals {
        fn on_data(&mut self, p: &mut Parser, e: Event, _: &[u8]) -> Action {
            if e == Event::Body {
                self.0.push(p.body_is_final());
            }
            Action::Continue
        }
        fn on_notify(&mut self, _: &mut Parser, _: Event) -> Action {
            Action::Continue
        }
    }
    let mut p = Parser::new(ParserType::Request);
    let mut f = Finals(Vec::new());
    p.consumed(&mut f, b"POST / HTTP/1.1\r\nContent-Length: 6\r\n\r\nabc");
    p.consumed(&mut f, b"def");
    assert_eq!(f.0, [false, true]);
    assert!(!p.body_is_final());
}

#[test]
fn errno_table_is_consistent() {
    for &e in Errno::all() {
        assert_eq!(Errno::from_u32(e as u32), Some(e));
        assert!(e.name().to_str().unwrap().starts_with("HPE_"));
        assert!(!e.description().to_bytes().is_empty());
    }
    assert_eq!(Errno::InvalidMethod as u32, 6);
    assert_eq!(Errno::Paused as u32, 21);
    assert_eq!(status_str(404).to_str().unwrap(), "Not Found");
    assert_eq!(status_str(999).to_str().unwrap(), "<unknown>");
}

#[track_caller]
fn url_parts(url: &str, connect: bool) -> Vec<(UrlPart, String)> {
    let parsed = parse_url(url.as_bytes(), connect).expect(url);
    let parts = [
        UrlPart::Schema,
        UrlPart::Host,
        UrlPart::Port,
        UrlPart::Path,
        UrlPart::Query,
        UrlPart::Fragment,
        UrlPart::Userinfo,
    ];
    parts
        .iter()
        .filter_map(|&part| {
            parsed
                .get(url.as_bytes(), part)
                .map(|b| (part, String::from_utf8(b.to_vec()).unwrap()))
        })
        .collect()
}

#[test]
fn url_parser() {
    use UrlPart::*;
    let s = |v: &str| v.to_string();
    assert_eq!(
        url_parts("http://user:pw@example.com:8080/p/a?q=1&r#frag?x", false),
        [
            (Schema, s("http")),
            (Host, s("example.com")),
            (Port, s("8080")),
            (Path, s("/p/a")),
            (Query, s("q=1&r")),
            (Fragment, s("frag?x")),
            (Userinfo, s("user:pw")),
        ]
    );
    assert_eq!(
        url_parts("/a/b?c", false),
        [(Path, s("/a/b")), (Query, s("c"))]
    );
    assert_eq!(url_parts("*", false), [(Path, s("*"))]);
    assert_eq!(
        url_parts("ws://[::1]:9/x", false),
        [
            (Schema, s("ws")),
            (Host, s("::1")),
            (Port, s("9")),
            (Path, s("/x"))
        ]
    );
    assert_eq!(
        url_parts("example.com:443", true),
        [(Host, s("example.com")), (Port, s("443"))]
    );
    assert_eq!(parse_url(b"http://h:65535/", false).unwrap().port, 65535);
    for bad in [
        "",
        "http://",
        "http:/x",
        "1http://h/",
        "http://h:65536/",
        "http://h:/",
        "http://h:8x/",
        "/a b",
        "http://[::1/",
        "http://a b/",
        "http://h\x01/",
        "relative/path",
        "http://us er@h/",
    ] {
        assert!(
            parse_url(bad.as_bytes(), false).is_err(),
            "{bad:?} must be rejected"
        );
    }
    for bad in ["example.com", "example.com:", "/path", "user@h:1"] {
        assert!(
            parse_url(bad.as_bytes(), true).is_err(),
            "CONNECT {bad:?} must be rejected"
        );
    }
}

/// The parser stays small enough to embed in every connection.
#[test]
fn parser_is_a_small_plain_struct() {
    assert!(
        std::mem::size_of::<Parser>() <= 128,
        "{}",
        std::mem::size_of::<Parser>()
    );
    assert_eq!(std::mem::align_of::<Parser>(), 8);
}
