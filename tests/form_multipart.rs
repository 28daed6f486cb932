//! multipart/form-data vectors: RFC 2046 and RFC 7578 examples, browser-generated bodies, and
//! every rejection with the attack or mistake it stops. Each is replayed whole, split at every
//! byte, byte by byte, in three pieces, and paused after every event; the events (data merged
//! across pieces) and the error with its stream offset must be the same every time.

#[path = "form_common/mod.rs"]
mod common;

use common::{check_all_splits, Ev, Outcome};
use wireframe::form::{FormError, MpEvent, MultipartConfig, MultipartParser};

fn begin() -> Ev {
    (MpEvent::PartBegin, vec![])
}
fn field(s: &str) -> Ev {
    (MpEvent::HeaderField, s.as_bytes().to_vec())
}
fn value(s: &[u8]) -> Ev {
    (MpEvent::HeaderValue, s.to_vec())
}
fn hend() -> Ev {
    (MpEvent::HeaderEnd, vec![])
}
fn hdone() -> Ev {
    (MpEvent::HeadersComplete, vec![])
}
fn data(s: &[u8]) -> Ev {
    (MpEvent::PartData, s.to_vec())
}
fn pend() -> Ev {
    (MpEvent::PartEnd, vec![])
}
fn end() -> Ev {
    (MpEvent::End, vec![])
}
/// One header line's events.
fn header(name: &str, v: &[u8]) -> Vec<Ev> {
    vec![field(name), value(v), hend()]
}

fn ok(events: Vec<Ev>) -> Outcome {
    Outcome {
        events,
        error: FormError::Ok,
        offset: 0,
    }
}

fn fail(events: Vec<Ev>, error: FormError, offset: u64) -> Outcome {
    Outcome {
        events,
        error,
        offset,
    }
}

fn check(boundary: &str, body: &[u8], want: Outcome) {
    check_all_splits(boundary.as_bytes(), MultipartConfig::DEFAULT, body, &want);
}

fn check_with(boundary: &str, config: MultipartConfig, body: &[u8], want: Outcome) {
    check_all_splits(boundary.as_bytes(), config, body, &want);
}

fn flat(parts: Vec<Vec<Ev>>) -> Vec<Ev> {
    parts.into_iter().flatten().collect()
}

#[test]
fn rfc2046_section_5_1_1_example() {
    // The example of RFC 2046 5.1.1 (CRLF line ends): a quoted boundary with a space, a
    // preamble, a part without headers, and an epilogue.
    let body = b"This is the preamble.  It is to be ignored, though it\r\n\
is a handy place for composition agents to include an\r\n\
explanatory note to non-MIME conformant readers.\r\n\
\r\n\
--simple boundary\r\n\
\r\n\
This is implicitly typed plain US-ASCII text.\r\n\
It does NOT end with a linebreak.\r\n\
--simple boundary\r\n\
Content-type: text/plain; charset=us-ascii\r\n\
\r\n\
This is explicitly typed plain US-ASCII text.\r\n\
It DOES end with a linebreak.\r\n\
\r\n\
--simple boundary--\r\n\
\r\n\
This is the epilogue.  It is also to be ignored.\r\n";
    let want = flat(vec![
        vec![begin(), hdone()],
        vec![data(
            b"This is implicitly typed plain US-ASCII text.\r\nIt does NOT end with a linebreak.",
        )],
        vec![pend(), begin()],
        header("Content-type", b"text/plain; charset=us-ascii"),
        vec![hdone()],
        vec![data(
            b"This is explicitly typed plain US-ASCII text.\r\nIt DOES end with a linebreak.\r\n",
        )],
        vec![pend(), end()],
    ]);
    check("simple boundary", body, ok(want));
}

#[test]
fn rfc7578_section_4_6_example() {
    // The example of RFC 7578 4.6 (a field with _charset_-style content), closed with the
    // close delimiter.
    let body = b"--AaB03x\r\n\
content-disposition: form-data; name=\"field1\"\r\n\
content-type: text/plain;charset=UTF-8\r\n\
content-transfer-encoding: quoted-printable\r\n\
\r\n\
Joe owes =E2=82=AC100.\r\n\
--AaB03x--\r\n";
    let want = flat(vec![
        vec![begin()],
        header("content-disposition", b"form-data; name=\"field1\""),
        header("content-type", b"text/plain;charset=UTF-8"),
        header("content-transfer-encoding", b"quoted-printable"),
        vec![hdone(), data(b"Joe owes =E2=82=AC100."), pend(), end()],
    ]);
    check("AaB03x", body, ok(want));
}

/// A body as Chrome builds it: `----WebKitFormBoundary` + 16 characters, a text field, a file
/// whose name has a percent-encoded quote (WHATWG: `"` becomes `%22`) and UTF-8, and an empty
/// file input (empty filename, application/octet-stream, no data).
#[test]
fn chrome_style_body() {
    let b = "----WebKitFormBoundary7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    body.extend_from_slice(
        b"------WebKitFormBoundary7MA4YWxkTrZu0gW\r\n\
Content-Disposition: form-data; name=\"title\"\r\n\
\r\n\
h\xc3\xa9llo w\xc3\xb6rld\r\n\
------WebKitFormBoundary7MA4YWxkTrZu0gW\r\n\
Content-Disposition: form-data; name=\"file\"; filename=\"a%22b \xe2\x82\xac.txt\"\r\n\
Content-Type: text/plain\r\n\
\r\n",
    );
    // File data containing near-misses of the delimiter.
    body.extend_from_slice(
        b"line1\r\n--\r\n------WebKitFormBoundary7MA4YWxkTrZu0g\r\n\r\r\n\x00\xff",
    );
    body.extend_from_slice(
        b"\r\n------WebKitFormBoundary7MA4YWxkTrZu0gW\r\n\
Content-Disposition: form-data; name=\"empty\"; filename=\"\"\r\n\
Content-Type: application/octet-stream\r\n\
\r\n\
\r\n------WebKitFormBoundary7MA4YWxkTrZu0gW--\r\n",
    );
    let want = flat(vec![
        vec![begin()],
        header("Content-Disposition", b"form-data; name=\"title\""),
        vec![hdone(), data("héllo wörld".as_bytes()), pend(), begin()],
        header(
            "Content-Disposition",
            "form-data; name=\"file\"; filename=\"a%22b €.txt\"".as_bytes(),
        ),
        header("Content-Type", b"text/plain"),
        vec![
            hdone(),
            data(b"line1\r\n--\r\n------WebKitFormBoundary7MA4YWxkTrZu0g\r\n\r\r\n\x00\xff"),
            pend(),
            begin(),
        ],
        header(
            "Content-Disposition",
            b"form-data; name=\"empty\"; filename=\"\"",
        ),
        header("Content-Type", b"application/octet-stream"),
        vec![hdone(), pend(), end()],
    ]);
    check(b, &body, ok(want));
}

/// A body as Firefox builds it: `----geckoformboundary` + hex (older versions: 27 dashes and
/// digits), headers with a backslash-escaped quote in the file name (older Firefox), no CRLF
/// after the close delimiter.
#[test]
fn firefox_style_body() {
    let b = "----geckoformboundary3c6e2d5bd8f1a4e7";
    let body = b"------geckoformboundary3c6e2d5bd8f1a4e7\r\n\
Content-Disposition: form-data; name=\"f\"; filename=\"say \\\"hi\\\".txt\"\r\n\
Content-Type: application/octet-stream\r\n\
\r\n\
hi\r\n\
------geckoformboundary3c6e2d5bd8f1a4e7--";
    let want = flat(vec![
        vec![begin()],
        header(
            "Content-Disposition",
            b"form-data; name=\"f\"; filename=\"say \\\"hi\\\".txt\"",
        ),
        header("Content-Type", b"application/octet-stream"),
        vec![hdone(), data(b"hi"), pend(), end()],
    ]);
    check(b, body, ok(want));
}

#[test]
fn curl_style_body_and_header_whitespace() {
    // curl: `--------------------------` + 24 characters; a header value with leading
    // whitespace (skipped), trailing whitespace (kept), an empty value, transport padding after
    // a delimiter (RFC 2046 allows it) and a body starting with CRLF (empty preamble).
    let b = "------------------------d74496d66958873e";
    let body = b"\r\n--------------------------d74496d66958873e \t\r\n\
Content-Disposition:   form-data; name=\"x\" \r\n\
X-Empty:\r\n\
\r\n\
\r\n\r\n\
--------------------------d74496d66958873e--\r\n";
    let want = flat(vec![
        vec![begin()],
        header("Content-Disposition", b"form-data; name=\"x\" "),
        vec![
            field("X-Empty"),
            hend(),
            hdone(),
            data(b"\r\n"),
            pend(),
            end(),
        ],
    ]);
    check(b, body, ok(want));
}

#[test]
fn zero_parts_and_boundary_edge_cases() {
    // An empty form as browsers send it: just the close delimiter.
    check("xyz", b"--xyz--\r\n", ok(vec![end()]));
    // A 70-byte boundary with every bchar class, and an empty part.
    let b70 = "0123456789'()+_,-./:=? ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstu";
    assert_eq!(b70.len(), 70);
    let body = format!("--{b70}\r\n\r\n\r\n--{b70}--");
    check(
        b70,
        body.as_bytes(),
        ok(vec![begin(), hdone(), pend(), end()]),
    );
    // Data that is a delimiter prefix up to the last byte, then the real delimiter.
    let body = b"--b1\r\n\r\n\r\n--b\r\n--b1--";
    check(
        "b1",
        body,
        ok(vec![begin(), hdone(), data(b"\r\n--b"), pend(), end()]),
    );
}

#[test]
fn boundaries_rfc2046_forbids_are_refused() {
    for bad in [
        &b""[..],
        b"a b ",
        b"a\"b",
        b"a\\b",
        b"a;b",
        &[b'x'; 71],
        b"a\r\nb",
        "é".as_bytes(),
    ] {
        assert_eq!(
            MultipartParser::new(bad, MultipartConfig::DEFAULT).unwrap_err(),
            FormError::InvalidBoundary,
            "{bad:?}"
        );
    }
}

// Rejections: each named with the attack or mistake it stops.

#[test]
fn truncated_upload_is_not_complete() {
    // A connection cut mid-upload must not look like a complete, shorter file.
    let body = b"--b\r\nA: 1\r\n\r\nhalf a fi";
    let want = flat(vec![
        vec![begin()],
        header("A", b"1"),
        vec![hdone(), data(b"half a fi")],
    ]);
    check(
        "b",
        body,
        fail(want, FormError::MissingFinalBoundary, body.len() as u64),
    );
    // Ending inside a would-be delimiter: the held-back bytes are not delivered as data.
    let body = b"--b\r\n\r\nabc\r\n--";
    check(
        "b",
        body,
        fail(
            vec![begin(), hdone(), data(b"abc")],
            FormError::MissingFinalBoundary,
            14,
        ),
    );
    // The last part's delimiter without the closing dashes.
    let body = b"--b\r\n\r\nabc\r\n--b\r\n";
    check(
        "b",
        body,
        fail(
            vec![begin(), hdone(), data(b"abc"), pend(), begin()],
            FormError::MissingFinalBoundary,
            17,
        ),
    );
    check("b", b"", fail(vec![], FormError::MissingFinalBoundary, 0));
}

#[test]
fn bare_cr_and_lf_are_refused() {
    // Line-ending confusion: a parser that accepts a bare LF reads a header another parser
    // (or a WAF) takes for data, e.g. a second Content-Disposition with another file name.
    check(
        "b",
        b"--b\nA: 1\r\n\r\nx\r\n--b--",
        fail(vec![], FormError::BareLf, 3),
    );
    check(
        "b",
        b"--b\r\nA: 1\nB: 2\r\n\r\n",
        fail(vec![begin(), field("A"), value(b"1")], FormError::BareLf, 9),
    );
    check(
        "b",
        b"--b\r\nA: 1\rB: 2\r\n\r\n",
        fail(
            vec![begin(), field("A"), value(b"1")],
            FormError::BareCr,
            10,
        ),
    );
    check(
        "b",
        b"--b\r\nA: 1\r\n\n",
        fail(
            vec![begin(), field("A"), value(b"1"), hend()],
            FormError::BareLf,
            11,
        ),
    );
    check(
        "b",
        b"--b\r\nA: 1\r\n\rx",
        fail(
            vec![begin(), field("A"), value(b"1"), hend()],
            FormError::BareCr,
            12,
        ),
    );
    check("b", b"--b\rx", fail(vec![], FormError::BareCr, 4));
}

#[test]
fn malformed_header_lines_are_refused() {
    // Obsolete line folding: continuation lines are read as a new header by some parsers.
    check(
        "b",
        b"--b\r\nA: 1\r\n 2\r\n\r\n",
        fail(
            vec![begin(), field("A"), value(b"1"), hend()],
            FormError::ObsoleteFold,
            11,
        ),
    );
    // Whitespace before the colon: `Content-Disposition : ...` is another header to some.
    check(
        "b",
        b"--b\r\nA : 1\r\n\r\n",
        fail(vec![begin(), field("A")], FormError::InvalidHeaderName, 6),
    );
    // A line without a colon, an empty name, a non-token name byte.
    check(
        "b",
        b"--b\r\nAbc\r\n\r\n",
        fail(vec![begin(), field("Abc")], FormError::InvalidHeaderName, 8),
    );
    check(
        "b",
        b"--b\r\n: v\r\n\r\n",
        fail(vec![begin()], FormError::InvalidHeaderName, 5),
    );
    check(
        "b",
        b"--b\r\nA\"b: v\r\n\r\n",
        fail(vec![begin(), field("A")], FormError::InvalidHeaderName, 6),
    );
    // A control character in a value (NUL truncation in C consumers, escape sequences in logs).
    check(
        "b",
        b"--b\r\nA: x\x00y\r\n\r\n",
        fail(
            vec![begin(), field("A"), value(b"x")],
            FormError::InvalidHeaderValue,
            9,
        ),
    );
    check(
        "b",
        b"--b\r\nA: x\x7f\r\n\r\n",
        fail(
            vec![begin(), field("A"), value(b"x")],
            FormError::InvalidHeaderValue,
            9,
        ),
    );
}

#[test]
fn boundary_inside_content_is_refused() {
    // The delimiter followed by other characters: the boundary occurs inside the content,
    // which RFC 2046 forbids; parsers that differ here split the body differently (a filter
    // sees one file where the application sees two).
    let body = b"--b\r\n\r\nx\r\n--bad\r\n--b--";
    check(
        "b",
        body,
        fail(
            vec![begin(), hdone(), data(b"x"), pend()],
            FormError::InvalidDelimiter,
            13,
        ),
    );
    check(
        "b",
        b"--bx\r\n",
        fail(vec![], FormError::InvalidDelimiter, 3),
    );
    check("b", b"--b-x", fail(vec![], FormError::InvalidDelimiter, 4));
    check(
        "b",
        b"--b \tx",
        fail(vec![], FormError::InvalidDelimiter, 5),
    );
}

#[test]
fn limits() {
    let cfg = MultipartConfig {
        max_parts: 2,
        max_header_size: 24,
        max_part_size: 5,
        max_preamble: 4,
        max_epilogue: 3,
    };
    // Part flood: every part costs the application a record.
    let body = b"--b\r\n\r\n\r\n--b\r\n\r\n\r\n--b\r\n\r\n\r\n--b--";
    let two = vec![begin(), hdone(), pend(), begin(), hdone(), pend()];
    check_with(
        "b",
        cfg,
        body,
        fail(two.clone(), FormError::TooManyParts, 22),
    );
    // Header flood: one part's header section may not grow without bound (24 bytes from the
    // end of the delimiter: "\r\n" + 22 bytes of header lines).
    let body = b"--b\r\nAaaaaaaaaa: 0123456789\r\n\r\n";
    check_with(
        "b",
        cfg,
        body,
        fail(
            vec![begin(), field("Aaaaaaaaaa"), value(b"0123456789")],
            FormError::HeadersTooLarge,
            27,
        ),
    );
    // Exactly at the limit passes.
    let body = b"--b\r\nAaaaaaaaa: 012345\r\n\r\n\r\n--b--";
    check_with(
        "b",
        cfg,
        body,
        ok(flat(vec![
            vec![begin()],
            header("Aaaaaaaaa", b"012345"),
            vec![hdone(), pend(), end()],
        ])),
    );
    // An oversized upload is cut at the limit: exactly max_part_size bytes are delivered.
    let body = b"--b\r\n\r\n123456\r\n--b--";
    check_with(
        "b",
        cfg,
        body,
        fail(
            vec![begin(), hdone(), data(b"12345")],
            FormError::PartTooLarge,
            12,
        ),
    );
    check_with(
        "b",
        cfg,
        b"--b\r\n\r\n12345\r\n--b--",
        ok(vec![begin(), hdone(), data(b"12345"), pend(), end()]),
    );
    // Endless preamble: unbounded work before the first boundary (the python-multipart
    // CVE-2024-53981 class). 4 bytes are allowed, the 5th is refused.
    check_with("b", cfg, b"abcd\r\n--b--", ok(vec![end()]));
    check_with(
        "b",
        cfg,
        b"abcde\r\n--b--",
        fail(vec![], FormError::PreambleTooLarge, 4),
    );
    check_with(
        "b",
        cfg,
        b"--x-----------",
        fail(vec![], FormError::PreambleTooLarge, 4),
    );
    // Endless epilogue: data after the form is complete.
    check_with("b", cfg, b"--b--abc", ok(vec![end()]));
    check_with(
        "b",
        cfg,
        b"--b--abcd",
        fail(vec![end()], FormError::EpilogueTooLarge, 8),
    );
}

#[test]
fn errors_are_sticky_and_callbacks_can_fail() {
    let mut p = MultipartParser::new(b"b", MultipartConfig::DEFAULT).unwrap();
    assert_eq!(p.execute(b"--b\nxx", &mut ()), 3);
    assert_eq!(p.error(), FormError::BareLf);
    assert_eq!(p.execute(b"--b--", &mut ()), 0);
    assert_eq!(p.finish(), FormError::BareLf);

    struct FailOnData;
    impl wireframe::form::Handler for FailOnData {
        fn part_data(&mut self, _: &[u8], _: bool) -> wireframe::form::Action {
            wireframe::form::Action::Fail
        }
    }
    let mut p = MultipartParser::new(b"b", MultipartConfig::DEFAULT).unwrap();
    assert_eq!(p.execute(b"--b\r\n\r\nxyz\r\n--b--", &mut FailOnData), 10);
    assert_eq!(p.error(), FormError::CallbackError);
    assert_eq!(p.error_offset(), 10);
}
