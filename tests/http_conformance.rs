//! Behaviour measured against llhttp: line ends after chunk extensions, obs-fold at the start
//! of a value, framing conflicts reported at the line that makes them, the HTTP/2 preface,
//! Transfer-Encoding refusals, raw bytes in the request target, and relaxed header values.
//! Every vector runs whole, split at every offset and byte by byte (see `common::check`).

mod common;
use common::*;
use wireframe::http::*;

/// Every leniency flag at once (what llhttp's test suite calls "lenient all").
const ALL_LENIENT: u32 = WF_LENIENT_HEADERS
    | WF_LENIENT_CHUNKED_LENGTH
    | WF_LENIENT_KEEP_ALIVE
    | WF_LENIENT_TRANSFER_ENCODING
    | WF_LENIENT_VERSION
    | WF_LENIENT_DATA_AFTER_CLOSE
    | WF_LENIENT_OPTIONAL_LF_AFTER_CR
    | WF_LENIENT_OPTIONAL_CRLF_AFTER_CHUNK
    | WF_LENIENT_OPTIONAL_CR_BEFORE_LF
    | WF_LENIENT_SPACES_AFTER_CHUNK_SIZE
    | WF_LENIENT_DUPLICATE_CONTENT_LENGTH
    | WF_LENIENT_OBS_FOLD
    | WF_LENIENT_SPACE_BEFORE_COLON
    | WF_LENIENT_HEADER_VALUE_RELAXED
    | WF_LENIENT_URL_NON_ASCII;

const CHUNKED_POST: &str = "begin
    method=POST
    method_done
    url=/
    url_done
    version=1.1
    version_done
    field=Transfer-Encoding
    field_done
    value=chunked
    value_done
    headers_done v=1.1 ka=1 up=0";

/// A chunked POST head followed by `body`.
fn chunked_post(body: &[u8]) -> Vec<u8> {
    [
        &b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"[..],
        body,
    ]
    .concat()
}

/// A bare LF ends a chunk-size line after an extension name, an unquoted value and a quoted
/// value, exactly as it does after the size alone; strict parsers report `HPE_CR_EXPECTED` at
/// the LF, after firing the valid part of the extension.
#[test]
fn bare_lf_after_chunk_extensions() {
    let lax = lenient(request(), WF_LENIENT_OPTIONAL_CR_BEFORE_LF);
    let one = "chunk_header size=1\nbody=B\nchunk_done";
    let last = "chunk_header size=0\nchunk_done\ncomplete";
    let cases: [(&[u8], String); 4] = [
        (
            b"1;abc\nB\r\n0\r\n\r\n",
            format!("ext_name=abc\next_name_done\n{one}\n{last}"),
        ),
        (
            b"1;a=b\nB\r\n0\r\n\r\n",
            format!("ext_name=a\next_name_done\next_value=b\next_value_done\n{one}\n{last}"),
        ),
        (
            b"1;a=\"b\"\nB\r\n0\r\n\r\n",
            format!(
                "ext_name=a\next_name_done\next_value=\\\"b\\\"\next_value_done\n{one}\n{last}"
            ),
        ),
        (
            b"1\r\nB\r\n0;abc\n\r\n",
            format!("{one}\next_name=abc\next_name_done\n{last}"),
        ),
    ];
    for (body, tail) in cases {
        let input = chunked_post(body);
        let expected = format!("{CHUNKED_POST}\n{tail}");
        check(lax, &input, &expected, Errno::Ok, input.len());
        // Strict: the LF is the error, and the offset is the LF's.
        let bare = body.windows(2).position(|w| w[0] != b'\r' && w[1] == b'\n');
        let lf = 47 + bare.unwrap() + 1;
        check_error(request(), &input, Errno::CrExpected, lf);
    }
    // The response side reads chunk-size lines with the same states.
    let input = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;a=\"b\"\nX\r\n0\r\n\r\n";
    let lax = lenient(response(), WF_LENIENT_OPTIONAL_CR_BEFORE_LF);
    let out = parse_all_splits(lax, input);
    assert_eq!(out.errno, Errno::Ok);
    assert!(out.lines.ends_with(&lines(
        "ext_value=\\\"b\\\"\next_value_done\nchunk_header size=1\nbody=X\nchunk_done\nchunk_header size=0\nchunk_done\ncomplete"
    )));
    check_error(response(), input, Errno::CrExpected, 54);
}

/// LF-only framing everywhere, with every leniency: the message llhttp's "lenient all" mode
/// parses. A bare LF that ends a chunk-size line stands for its CR when
/// `WF_LENIENT_OPTIONAL_LF_AFTER_CR` is also set, so `0\n\n` ends the last-chunk line and the
/// trailers follow.
#[test]
fn only_line_feeds_with_every_leniency() {
    let input = b"POST / HTTP/1.1\nTransfer-Encoding: chunked\nTrailer: Baz\r\nFoo: abc\nBar: def\n\n1\nA\n1;abc\nB\n1;def=ghi\nC\n1;jkl=\"mno\"\nD\n0\n\nBaz: ghi\n\n";
    let expected = "begin
        method=POST
        method_done
        url=/
        url_done
        version=1.1
        version_done
        field=Transfer-Encoding
        field_done
        value=chunked
        value_done
        field=Trailer
        field_done
        value=Baz
        value_done
        field=Foo
        field_done
        value=abc
        value_done
        field=Bar
        field_done
        value=def
        value_done
        headers_done v=1.1 ka=1 up=0
        chunk_header size=1
        body=A
        chunk_done
        ext_name=abc
        ext_name_done
        chunk_header size=1
        body=B
        chunk_done
        ext_name=def
        ext_name_done
        ext_value=ghi
        ext_value_done
        chunk_header size=1
        body=C
        chunk_done
        ext_name=jkl
        ext_name_done
        ext_value=\\\"mno\\\"
        ext_value_done
        chunk_header size=1
        body=D
        chunk_done
        chunk_header size=0
        field=Baz
        field_done
        value=ghi
        value_done
        chunk_done
        complete";
    check(
        lenient(request(), ALL_LENIENT),
        input,
        expected,
        Errno::Ok,
        input.len(),
    );
    // With bare LF alone allowed, each LF is one line end: `0\n` then `\n` ends the trailers,
    // and `Baz: ghi` starts a message with an unknown method.
    let out = parse_all_splits(lenient(request(), WF_LENIENT_OPTIONAL_CR_BEFORE_LF), input);
    assert_eq!((out.errno, out.stopped_at), (Errno::InvalidMethod, 118));
}

/// obs-fold under leniency: a value that starts on a continuation line loses the
/// continuation's leading whitespace (the value is what the application would see once the
/// fold is replaced by a space, minus leading whitespace). The framing read from a folded
/// value and the value the application gets are the same bytes.
#[test]
fn obs_fold_at_the_start_of_a_value() {
    let fold = lenient(request(), WF_LENIENT_OBS_FOLD);
    let input = b"GET / HTTP/1.1\r\nLine1:   abc\r\n\tdef\r\n ghi\r\nLine3:\r\n line3\r\nLine4: \r\n \r\nConnection:\r\n close\r\n\r\n";
    let expected = "begin
        method=GET
        method_done
        url=/
        url_done
        version=1.1
        version_done
        field=Line1
        field_done
        value=abc\\tdef ghi
        value_done
        field=Line3
        field_done
        value=line3
        value_done
        field=Line4
        field_done
        value_done
        field=Connection
        field_done
        value=close
        value_done
        headers_done v=1.1 ka=0 up=0
        complete";
    check(fold, input, expected, Errno::Ok, input.len());

    let te = b"POST / HTTP/1.1\r\nTransfer-Encoding:\r\n chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n";
    let expected = format!(
        "{CHUNKED_POST}\nchunk_header size=1\nbody=x\nchunk_done\nchunk_header size=0\nchunk_done\ncomplete"
    );
    check(fold, te, &expected, Errno::Ok, te.len());
    // Several empty continuation lines before the value.
    let deep = b"GET / HTTP/1.1\r\nX:\r\n \r\n\t \r\n  v\r\n\r\n";
    let out = parse_all_splits(fold, deep);
    assert_eq!(out.errno, Errno::Ok);
    assert!(out.lines.contains(&"value=v".to_string()));
    // Responses use the same header states.
    let res = b"HTTP/1.1 200 OK\r\nContent-Length:\r\n 2\r\n\r\nok";
    let out = parse_all_splits(lenient(response(), WF_LENIENT_OBS_FOLD), res);
    assert_eq!(out.errno, Errno::Ok);
    assert!(out.lines.contains(&"value=2".to_string()));
    assert!(out.lines.contains(&"body=ok".to_string()));
}

/// A framing conflict is reported as soon as the line that makes it ends, without waiting for
/// the next line (llhttp reports the same error code at the value's first byte).
#[test]
fn duplicate_content_length_is_reported_at_its_line_end() {
    let input = b"PUT /url HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n";
    check_error(request(), input, Errno::UnexpectedContentLength, 57);
    let res = b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n";
    check_error(response(), res, Errno::UnexpectedContentLength, 55);
    // With obs-fold allowed, a continuation line could still follow: the value (and so the
    // conflict) ends when the next line begins.
    let fold = lenient(request(), WF_LENIENT_OBS_FOLD);
    assert_eq!(parse_all_splits(fold, input).errno, Errno::Ok);
    let next = [&input[..], b"\r\n"].concat();
    check_error(fold, &next, Errno::UnexpectedContentLength, 57);
    // A bare LF (lenient) ends the line the same way.
    let lf = b"PUT /url HTTP/1.1\r\nContent-Length: 1\nContent-Length: 2\n";
    let lax = lenient(request(), WF_LENIENT_OPTIONAL_CR_BEFORE_LF);
    check_error(lax, lf, Errno::UnexpectedContentLength, 55);
}

/// `PRI * HTTP/2.0` CRLF CRLF `SM` CRLF CRLF: the HTTP/2 connection preface. The parser reads
/// all 24 bytes and stops with `HPE_PAUSED_H2_UPGRADE` where the HTTP/2 frames start; no
/// headers-complete or message-complete event is fired.
#[test]
fn http2_connection_preface() {
    let preface = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
    let events = "begin
        method=PRI
        method_done
        url=*
        url_done
        version=2.0
        version_done";
    check(request(), preface, events, Errno::PausedH2Upgrade, 24);
    // HTTP/2 frames after it are not looked at (a SETTINGS frame here).
    let with_frames = [&preface[..], b"\x00\x00\x00\x04\x00\x00\x00\x00\x00"].concat();
    check(request(), &with_frames, events, Errno::PausedH2Upgrade, 24);
    // A BOTH parser recognises it too.
    let out = parse_all_splits(Setup::new(ParserType::Both), &with_frames);
    assert_eq!((out.errno, out.stopped_at), (Errno::PausedH2Upgrade, 24));
    // Anything else after `PRI * HTTP/2.0` CRLF is not the preface.
    let bad = b"PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n";
    check_error(request(), bad, Errno::InvalidConstant, 18);
    let headers = b"PRI * HTTP/2.0\r\nHost: x\r\n\r\n";
    check_error(request(), headers, Errno::InvalidConstant, 16);
    // The preface is defined with version 2.0 only (llhttp accepts any version here).
    let v11 = b"PRI * HTTP/1.1\r\n\r\nSM\r\n\r\n";
    check_error(request(), v11, Errno::InvalidVersion, 14);
}

/// A request refused for its Transfer-Encoding never reaches `on_headers_complete`: the
/// application is not handed a request whose body cannot be delimited (llhttp calls
/// `on_headers_complete` first and reports the error at the same offset).
#[test]
fn refused_transfer_encoding_stops_before_headers_complete() {
    let cases: [&[u8]; 3] = [
        b"POST / HTTP/1.1\r\nTransfer-Encoding: pigeons\r\n\r\n",
        b"POST / HTTP/1.1\r\nTransfer-Encoding: chunkedchunked\r\n\r\n",
        b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n , gzip\r\n\r\n",
    ];
    for input in cases {
        let setup = if input.windows(3).any(|w| w == b"\n ,") {
            lenient(request(), WF_LENIENT_OBS_FOLD)
        } else {
            request()
        };
        let out = parse_all_splits(setup, input);
        assert_eq!(
            (out.errno, out.stopped_at),
            (Errno::InvalidTransferEncoding, input.len())
        );
        assert_eq!(out.lines.last().unwrap(), "value_done");
    }
}

/// The request target is ASCII (RFC 9112 3.2, RFC 3986): raw bytes 0x80-0xFF are refused at
/// the first of them unless `WF_LENIENT_URL_NON_ASCII` is set.
#[test]
fn raw_non_ascii_bytes_in_the_request_target() {
    let input = b"GET /\xce\xb4\xc2\xb6/ HTTP/1.1\r\n\r\n";
    check(
        request(),
        input,
        "begin\nmethod=GET\nmethod_done\nurl=/",
        Errno::InvalidUrl,
        5,
    );
    let first = b"GET \xce\xb4/ HTTP/1.1\r\n\r\n";
    check_error(request(), first, Errno::InvalidUrl, 4);
    let rtsp = b"OPTIONS rtsp://h/\xff RTSP/1.0\r\n\r\n";
    check_error(request(), rtsp, Errno::InvalidUrl, 17);

    let lax = lenient(request(), WF_LENIENT_URL_NON_ASCII);
    let out = parse_all_splits(lax, input);
    assert_eq!(out.errno, Errno::Ok);
    assert_eq!(out.lines[3], "url=/δ¶/");
    assert_eq!(parse_all_splits(lax, first).errno, Errno::Ok);
    // The flag admits only 0x80-0xFF: controls, DEL and spaces stay refused.
    check_error(lax, b"GET /a\x7fb HTTP/1.1\r\n\r\n", Errno::InvalidUrl, 6);
    check_error(lax, b"GET /a\x01b HTTP/1.1\r\n\r\n", Errno::InvalidUrl, 6);
}

/// `WF_LENIENT_HEADER_VALUE_RELAXED`: control characters but NUL, CR and LF are accepted in
/// header values (llhttp's `lenient_header_value_relaxed`); header names stay strict.
#[test]
fn relaxed_header_values() {
    let input = b"GET / HTTP/1.1\r\nX: a\x0bb\x1b[0m\x7f\r\n\r\n";
    check_error(request(), input, Errno::InvalidHeaderToken, 20);
    let relaxed = lenient(request(), WF_LENIENT_HEADER_VALUE_RELAXED);
    let out = parse_all_splits(relaxed, input);
    assert_eq!(out.errno, Errno::Ok);
    assert!(out
        .lines
        .contains(&"value=a\\u{b}b\\u{1b}[0m\\u{7f}".to_string()));
    // NUL stays refused in values, and names keep the token rule.
    check_error(
        relaxed,
        b"GET / HTTP/1.1\r\nX: a\x00b\r\n\r\n",
        Errno::InvalidHeaderToken,
        20,
    );
    check_error(
        relaxed,
        b"GET / HTTP/1.1\r\nX\x0bY: ab\r\n\r\n",
        Errno::InvalidHeaderToken,
        17,
    );
    // A bare CR is still no part of a value.
    check_error(
        relaxed,
        b"GET / HTTP/1.1\r\nX: a\rb\r\n\r\n",
        Errno::LfExpected,
        21,
    );
    // Responses read their headers with the same states.
    let res = b"HTTP/1.1 200 OK\r\nX: \x01\r\nContent-Length: 0\r\n\r\n";
    check_error(response(), res, Errno::InvalidHeaderToken, 20);
    let out = parse_all_splits(lenient(response(), WF_LENIENT_HEADER_VALUE_RELAXED), res);
    assert_eq!(out.errno, Errno::Ok);
}
