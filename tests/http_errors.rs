//! Rejected input: every vector names the attack or the bug it stops, and asserts the exact
//! error code and byte offset, whole, split at every offset and byte by byte. Where a leniency
//! flag relaxes the rule, the vector also shows the flag works.

mod common;
use common::*;
use wireframe::http::*;

/// Request smuggling CL.TE / TE.CL: a front end and a back end that pick different framing
/// headers see different requests.
#[test]
fn content_length_with_transfer_encoding() {
    let input =
        b"POST / HTTP/1.1\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
    // Reported at the end of the line that makes the pair, in either order.
    check_error(request(), input, Errno::UnexpectedContentLength, 64);
    let te_first =
        b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n0\r\n\r\n";
    check_error(request(), te_first, Errno::UnexpectedContentLength, 64);
    let from_server = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n";
    check_error(response(), from_server, Errno::UnexpectedContentLength, 64);
    // Under leniency chunked wins, and the connection is not kept alive.
    let out = parse_all_splits(lenient(request(), WF_LENIENT_CHUNKED_LENGTH), input);
    assert_eq!(out.errno, Errno::Ok);
    assert!(out
        .lines
        .contains(&"headers_done v=1.1 ka=0 up=0".to_string()));
}

/// Smuggling through duplicate Content-Length: intermediaries keep the first or the last.
#[test]
fn duplicate_content_length() {
    let same = b"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx";
    let differ = b"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nxy";
    check_error(request(), same, Errno::UnexpectedContentLength, 55);
    check_error(request(), differ, Errno::UnexpectedContentLength, 55);
    let lax = lenient(request(), WF_LENIENT_DUPLICATE_CONTENT_LENGTH);
    assert_eq!(parse_all_splits(lax, same).errno, Errno::Ok);
    check_error(lax, differ, Errno::UnexpectedContentLength, 55);
}

/// Smuggling through Content-Length values that parsers read differently: signs, inner
/// spaces, lists, hex, emptiness, and values that overflow 64 bits.
#[test]
fn malformed_content_length() {
    let cases: [(&[u8], usize); 7] = [
        (b"POST / HTTP/1.1\r\nContent-Length: +5\r\n\r\n", 33),
        (b"POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 33),
        (b"POST / HTTP/1.1\r\nContent-Length: 1 2\r\n\r\n", 35),
        (b"POST / HTTP/1.1\r\nContent-Length: 1,1\r\n\r\n", 34),
        (b"POST / HTTP/1.1\r\nContent-Length: 0x10\r\n\r\n", 34),
        (b"POST / HTTP/1.1\r\nContent-Length: \r\n\r\n", 35),
        (
            b"POST / HTTP/1.1\r\nContent-Length: 18446744073709551616\r\n\r\n",
            52,
        ),
    ];
    for (input, offset) in cases {
        check_error(request(), input, Errno::InvalidContentLength, offset);
    }
}

/// TE.TE smuggling: a request whose last coding is not chunked has no reliable length.
#[test]
fn chunked_not_last_in_a_request() {
    let input = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n";
    check_error(
        request(),
        input,
        Errno::InvalidTransferEncoding,
        input.len(),
    );
    let split =
        b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n";
    check_error(
        request(),
        split,
        Errno::InvalidTransferEncoding,
        split.len(),
    );
    let unknown = b"POST / HTTP/1.1\r\nTransfer-Encoding: xchunked\r\n\r\n";
    check_error(
        request(),
        unknown,
        Errno::InvalidTransferEncoding,
        unknown.len(),
    );
    // Leniency reads the body until EOF.
    let out = parse_all_splits(lenient(request(), WF_LENIENT_TRANSFER_ENCODING), input);
    assert_eq!(out.errno, Errno::Ok);
}

/// TE.TE smuggling: chunked applied twice is read as once by some parsers.
#[test]
fn chunked_twice() {
    let input = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked, chunked\r\n\r\n";
    // Found when the second `chunked` ends, at the end of the header line.
    check_error(request(), input, Errno::InvalidTransferEncoding, 54);
}

/// Transfer-Encoding in HTTP/1.0 is faulty framing: parsed, but the connection must close.
#[test]
fn transfer_encoding_in_http10_closes() {
    let input =
        b"POST / HTTP/1.0\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
    let out = parse_all_splits(request(), input);
    assert_eq!(out.errno, Errno::Ok);
    assert!(out
        .lines
        .contains(&"headers_done v=1.0 ka=0 up=0".to_string()));
}

/// Header smuggling through obs-fold: an intermediary may see the folded line as a header.
#[test]
fn obs_fold() {
    let input = b"GET / HTTP/1.1\r\nX-A: a\r\n Transfer-Encoding: chunked\r\n\r\n";
    check_error(request(), input, Errno::InvalidHeaderToken, 24);
    let out = parse_all_splits(lenient(request(), WF_LENIENT_OBS_FOLD), input);
    assert_eq!(out.errno, Errno::Ok);
    assert!(out
        .lines
        .contains(&"value=a Transfer-Encoding: chunked".to_string()));
}

/// Smuggling through bare CR, which some parsers take as a line end and others as data.
#[test]
fn bare_cr() {
    check_error(
        request(),
        b"GET / HTTP/1.1\r\nX: a\rb\r\n\r\n",
        Errno::LfExpected,
        21,
    );
    check_error(
        request(),
        b"GET / HTTP/1.1\rX: a\r\n\r\n",
        Errno::LfExpected,
        15,
    );
    check_error(
        request(),
        b"GET / HTTP/1.1\r\n\rX\r\n",
        Errno::LfExpected,
        17,
    );
    let out = parse_all_splits(
        lenient(request(), WF_LENIENT_OPTIONAL_LF_AFTER_CR),
        b"GET / HTTP/1.1\r\nX: a\rY: b\r\n\r\n",
    );
    assert_eq!(out.errno, Errno::Ok);
    assert!(out.lines.contains(&"field=Y".to_string()));
}

/// Smuggling through bare LF, on every path: request line, header lines, the blank line,
/// HTTP/0.9, status line, chunk size and chunk data, and between messages.
#[test]
fn bare_lf_everywhere() {
    let cases: [(Setup, &[u8], usize); 9] = [
        (request(), b"GET / HTTP/1.1\nHost: a\r\n\r\n", 14),
        (request(), b"GET / HTTP/1.1\r\nHost: a\n\r\n", 23),
        (request(), b"GET / HTTP/1.1\r\nHost: a\r\n\n", 25),
        (request(), b"GET /\n", 5),
        (
            response(),
            b"HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n",
            15,
        ),
        (response(), b"HTTP/1.1 200\nContent-Length: 0\r\n\r\n", 12),
        (
            request(),
            b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\nx\r\n0\r\n\r\n",
            48,
        ),
        (
            request(),
            b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\n0\r\n\r\n",
            51,
        ),
        (
            request(),
            b"GET / HTTP/1.1\r\n\r\n\nGET / HTTP/1.1\r\n\r\n",
            18,
        ),
    ];
    for (setup, input, offset) in cases {
        check_error(setup, input, Errno::CrExpected, offset);
        let out = parse_all_splits(lenient(setup, WF_LENIENT_OPTIONAL_CR_BEFORE_LF), input);
        assert_eq!(out.errno, Errno::Ok, "{:?}", String::from_utf8_lossy(input));
    }
}

/// Smuggling through `Transfer-Encoding : chunked`, which some parsers ignore.
#[test]
fn whitespace_before_colon() {
    let input = b"POST / HTTP/1.1\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n";
    check_error(request(), input, Errno::InvalidHeaderToken, 34);
    let out = parse_all_splits(lenient(request(), WF_LENIENT_SPACE_BEFORE_COLON), input);
    assert_eq!(out.errno, Errno::Ok);
    assert!(out.lines.contains(&"chunk_header size=0".to_string()));
}

/// Header injection through NUL, control characters and DEL in values.
#[test]
fn control_characters_in_values() {
    for c in [0u8, 1, 0x0b, 0x0c, 0x1f, 0x7f] {
        let input = [&b"GET / HTTP/1.1\r\nX: a"[..], &[c], b"b\r\n\r\n"].concat();
        check_error(request(), &input, Errno::InvalidHeaderToken, 20);
        assert_eq!(
            parse_all_splits(lenient(request(), WF_LENIENT_HEADERS), &input).errno,
            Errno::Ok
        );
    }
}

/// Smuggling through header names that some parsers normalise (`Content-Length\x0b`, `@`).
#[test]
fn invalid_header_name_characters() {
    check_error(
        request(),
        b"GET / HTTP/1.1\r\nX@Y: a\r\n\r\n",
        Errno::InvalidHeaderToken,
        17,
    );
    check_error(
        request(),
        b"GET / HTTP/1.1\r\nContent-Length\x0b: 1\r\n\r\n",
        Errno::InvalidHeaderToken,
        30,
    );
    check_error(
        request(),
        b"GET / HTTP/1.1\r\n: empty\r\n\r\n",
        Errno::InvalidHeaderToken,
        16,
    );
    check_error(
        request(),
        b"GET / HTTP/1.1\r\nNoColon\r\n\r\n",
        Errno::InvalidHeaderToken,
        23,
    );
}

/// A line starting with whitespace right after the start line hides a header.
#[test]
fn whitespace_after_start_line() {
    check_error(
        request(),
        b"GET / HTTP/1.1\r\n Host: a\r\n\r\n",
        Errno::UnexpectedSpace,
        16,
    );
}

/// Chunk-size overflow: a size that wraps makes parsers disagree on where the chunk ends.
#[test]
fn chunk_size_overflow_and_garbage() {
    let head = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
    let long = [&head[..], b"10000000000000000\r\n"].concat();
    check_error(request(), &long, Errno::InvalidChunkSize, head.len() + 16);
    let garbage = [&head[..], b"1g\r\n"].concat();
    check_error(request(), &garbage, Errno::InvalidChunkSize, head.len() + 1);
    let negative = [&head[..], b"-1\r\n"].concat();
    check_error(request(), &negative, Errno::InvalidChunkSize, head.len());
    // Sixteen hex digits still fit.
    let max = [&head[..], b"000000000000000a\r\n0123456789\r\n0\r\n\r\n"].concat();
    assert_eq!(parse_all_splits(request(), &max).errno, Errno::Ok);
}

/// Smuggling through `5 \r\n`: whitespace after the chunk size.
#[test]
fn spaces_after_chunk_size() {
    let input = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1 \r\nx\r\n0\r\n\r\n";
    check_error(request(), input, Errno::InvalidChunkSize, 48);
    let lax = lenient(request(), WF_LENIENT_SPACES_AFTER_CHUNK_SIZE);
    assert_eq!(parse_all_splits(lax, input).errno, Errno::Ok);
    let head = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
    let ext = [&head[..], b"1 \t;a=b\r\nx\r\n0\r\n\r\n"].concat();
    assert!(parse_all_splits(lax, &ext)
        .lines
        .contains(&"ext_value=b".to_string()));
    // Whitespace may end the size, not split it.
    let split_size = [&head[..], b"1 2\r\nx\r\n"].concat();
    check_error(lax, &split_size, Errno::InvalidChunkSize, head.len() + 2);
}

/// Chunk data not followed by CRLF: parsers disagree on the next chunk's start.
#[test]
fn missing_crlf_after_chunk_data() {
    let input = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nxy\r\n0\r\n\r\n";
    check_error(request(), input, Errno::CrExpected, 51);
    let input2 = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx0\r\n\r\n";
    let lax = lenient(request(), WF_LENIENT_OPTIONAL_CRLF_AFTER_CHUNK);
    assert_eq!(parse_all_splits(lax, input2).errno, Errno::Ok);
}

/// CVE-2024-22019 style DoS: unbounded chunk extensions consume bytes without body progress.
#[test]
fn chunk_extensions_limit() {
    let mut setup = request();
    setup.max_chunk_extensions_size = 20;
    let head = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
    // Across chunks of one message: 10 + 10 bytes are fine, the next byte is not.
    let ok = [
        &head[..],
        b"1;aaaaaaaa\r\nx\r\n1;bbbbbbbb\r\ny\r\n0\r\n\r\n",
    ]
    .concat();
    let out = parse_all_splits(setup, &ok);
    assert_eq!(out.errno, Errno::Ok);
    let over = [
        &head[..],
        b"1;aaaaaaaa\r\nx\r\n1;bbbbbbbbb\r\ny\r\n0\r\n\r\n",
    ]
    .concat();
    // The CR after the ninth `b` is the 21st byte.
    check_error(
        setup,
        &over,
        Errno::ChunkExtensionsOverflow,
        head.len() + 15 + 11,
    );
    // The default limit stops a flood of one long extension.
    let flood = [&head[..], b"1;", &vec![b'a'; 20000], b"\r\n"].concat();
    let out = parse_pieces(request(), &flood, &[]);
    assert_eq!(
        (out.errno, out.stopped_at),
        (Errno::ChunkExtensionsOverflow, head.len() + 2 + 16383)
    );
}

/// Invalid characters in chunk extensions.
#[test]
fn chunk_extension_syntax() {
    let head = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
    let cases: [(&[u8], usize); 4] = [
        (b"1;\r\nx\r\n", 2),
        (b"1;a b\r\nx\r\n", 3),
        (b"1;a=\"x\ny\"\r\nx\r\n", 6),
        (b"1;a=\"x\"y\r\nx\r\n", 7),
    ];
    for (tail, offset) in cases {
        let input = [&head[..], tail].concat();
        check_error(request(), &input, Errno::Strict, head.len() + offset);
    }
}

/// Header floods: the start line and headers together are bounded.
#[test]
fn header_size_limit() {
    let mut setup = request();
    setup.max_header_size = 40;
    let input = b"GET /0123456789 HTTP/1.1\r\nX-Long: 0123456789\r\n\r\n";
    check_error(setup, input, Errno::HeaderOverflow, 40);
    // The request line alone counts too.
    let long_url = b"GET /0123456789012345678901234567890123456789 HTTP/1.1\r\n\r\n";
    check_error(setup, long_url, Errno::HeaderOverflow, 40);
    // A head of exactly the limit passes; the body does not count.
    let exact = b"POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789";
    setup.max_header_size = 39;
    assert_eq!(parse_all_splits(setup, exact).errno, Errno::Ok);
    setup.max_header_size = 38;
    check_error(setup, exact, Errno::HeaderOverflow, 38);
    // Trailers have their own budget of the same size.
    setup.max_header_size = 64;
    let trailers = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-Trailer: 0123456789012345678901234567890123456789012345678901234567890123456789\r\n\r\n";
    check_error(setup, trailers, Errno::HeaderOverflow, 50 + 64);
    // The default is 80 KiB.
    let big = [
        &b"GET / HTTP/1.1\r\nX: "[..],
        &vec![b'a'; 81920],
        b"\r\n\r\n",
    ]
    .concat();
    let out = parse_pieces(request(), &big, &[]);
    assert_eq!((out.errno, out.stopped_at), (Errno::HeaderOverflow, 81920));
}

/// Response splitting and cache poisoning: nothing may follow a message that closes.
#[test]
fn data_after_connection_close() {
    let input = b"GET / HTTP/1.1\r\nConnection: close\r\n\r\nGET /evil HTTP/1.1\r\n\r\n";
    check_error(request(), input, Errno::ClosedConnection, 37);
    let http10 = b"GET / HTTP/1.0\r\n\r\nGET / HTTP/1.0\r\n\r\n";
    check_error(request(), http10, Errno::ClosedConnection, 18);
    // WF_LENIENT_KEEP_ALIVE parses what follows as a new message.
    let out = parse_all_splits(lenient(request(), WF_LENIENT_KEEP_ALIVE), input);
    assert_eq!(out.errno, Errno::Ok);
    assert!(out.lines.contains(&"url=/evil".to_string()));
    // WF_LENIENT_DATA_AFTER_CLOSE discards it: no event after the first message completes,
    // whatever the bytes are, in this call or a later one; KEEP_ALIVE wins when both are set.
    let first = "begin
        method=GET
        method_done
        url=/
        url_done
        version=1.1
        version_done
        field=Connection
        field_done
        value=close
        value_done
        headers_done v=1.1 ka=0 up=0
        complete";
    let discard = lenient(request(), WF_LENIENT_DATA_AFTER_CLOSE);
    check(discard, input, first, Errno::Ok, input.len());
    let garbage = b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n\r\x00\xff junk\n\n";
    check(discard, garbage, first, Errno::Ok, garbage.len());
    let both = lenient(
        request(),
        WF_LENIENT_DATA_AFTER_CLOSE | WF_LENIENT_KEEP_ALIVE,
    );
    let out = parse_all_splits(both, input);
    assert!(out.lines.contains(&"url=/evil".to_string()));
    // The same for responses.
    let response_input =
        b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\n\r\n";
    check_error(response(), response_input, Errno::ClosedConnection, 57);
    let out = parse_all_splits(
        lenient(response(), WF_LENIENT_DATA_AFTER_CLOSE),
        response_input,
    );
    assert_eq!(
        (out.errno, out.lines.last().unwrap().as_str()),
        (Errno::Ok, "complete")
    );
    assert_eq!(out.lines.iter().filter(|l| *l == "begin").count(), 1);
    // Empty lines after the last message are tolerated.
    let trailing = b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n\r\n";
    assert_eq!(parse_all_splits(request(), trailing).errno, Errno::Ok);
}

#[test]
fn invalid_methods() {
    check_error(
        request(),
        b"get / HTTP/1.1\r\n\r\n",
        Errno::InvalidMethod,
        0,
    );
    check_error(
        request(),
        b"FOO / HTTP/1.1\r\n\r\n",
        Errno::InvalidMethod,
        3,
    );
    check_error(
        request(),
        b"GETT / HTTP/1.1\r\n\r\n",
        Errno::InvalidMethod,
        4,
    );
    check_error(
        request(),
        b"MKCALENDARXXXXXXX / HTTP/1.1\r\n\r\n",
        Errno::InvalidMethod,
        13,
    );
    check_error(
        request(),
        b" GET / HTTP/1.1\r\n\r\n",
        Errno::InvalidMethod,
        0,
    );
    // HTTP/0.9 knows only GET.
    check_error(request(), b"POST /\r\n", Errno::InvalidMethod, 6);
}

#[test]
fn methods_must_match_the_protocol() {
    check_error(
        request(),
        b"DESCRIBE / HTTP/1.1\r\n\r\n",
        Errno::InvalidConstant,
        15,
    );
    check_error(
        request(),
        b"DELETE / RTSP/1.0\r\n\r\n",
        Errno::InvalidConstant,
        13,
    );
    check_error(
        request(),
        b"GET / ICE/1.0\r\n\r\n",
        Errno::InvalidConstant,
        9,
    );
}

#[test]
fn invalid_urls() {
    check_error(
        request(),
        b"GET /a\x01b HTTP/1.1\r\n\r\n",
        Errno::InvalidUrl,
        6,
    );
    check_error(
        request(),
        b"GET /a\x7fb HTTP/1.1\r\n\r\n",
        Errno::InvalidUrl,
        6,
    );
    check_error(request(), b"GET  / HTTP/1.1\r\n\r\n", Errno::InvalidUrl, 4);
    check_error(
        request(),
        b"GET /a\tb HTTP/1.1\r\n\r\n",
        Errno::InvalidUrl,
        6,
    );
}

#[test]
fn invalid_versions() {
    check_error(
        request(),
        b"GET / HTTP/1.2\r\n\r\n",
        Errno::InvalidVersion,
        14,
    );
    check_error(
        request(),
        b"GET / HTTP/2.0\r\n\r\n",
        Errno::InvalidVersion,
        14,
    );
    check_error(
        request(),
        b"GET / HTTP/11\r\n\r\n",
        Errno::InvalidVersion,
        12,
    );
    check_error(
        request(),
        b"GET / HTTP/1.1 \r\n\r\n",
        Errno::InvalidVersion,
        14,
    );
    check_error(
        request(),
        b"GET / HTTPS/1.1\r\n\r\n",
        Errno::InvalidConstant,
        10,
    );
    check_error(
        request(),
        b"GET / http/1.1\r\n\r\n",
        Errno::InvalidConstant,
        6,
    );
    check_error(
        request(),
        b"PRI * HTTP/1.1\r\n\r\n",
        Errno::InvalidVersion,
        14,
    );
    let lax = lenient(request(), WF_LENIENT_VERSION);
    assert_eq!(
        parse_all_splits(lax, b"GET / HTTP/1.2\r\n\r\n").errno,
        Errno::Ok
    );
}

#[test]
fn invalid_status_lines() {
    check_error(
        response(),
        b"HTTP/1.1 20 OK\r\n\r\n",
        Errno::InvalidStatus,
        11,
    );
    check_error(
        response(),
        b"HTTP/1.1 2000 OK\r\n\r\n",
        Errno::InvalidStatus,
        12,
    );
    check_error(
        response(),
        b"HTTP/1.1 abc OK\r\n\r\n",
        Errno::InvalidStatus,
        9,
    );
    check_error(
        response(),
        b"HTTP/1.1 099 OK\r\n\r\n",
        Errno::InvalidStatus,
        9,
    );
    check_error(
        response(),
        b"HTTP/1.1  200 OK\r\n\r\n",
        Errno::InvalidStatus,
        9,
    );
    check_error(
        response(),
        b"HTTP/1.1 200 O\x01K\r\n\r\n",
        Errno::InvalidStatus,
        14,
    );
    check_error(response(), b"HTTP/1.1\r\n\r\n", Errno::InvalidVersion, 8);
    check_error(
        response(),
        b"GET / HTTP/1.1\r\n\r\n",
        Errno::InvalidConstant,
        3,
    );
}

#[test]
fn callback_errors_have_their_own_codes() {
    let input = b"POST /u HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1;e=v\r\nx\r\n0\r\n\r\n";
    let cases = [
        (Event::MessageBegin, Errno::CbMessageBegin),
        (Event::Url, Errno::User),
        (Event::Body, Errno::User),
        (Event::UrlComplete, Errno::CbUrlComplete),
        (Event::MethodComplete, Errno::CbMethodComplete),
        (Event::VersionComplete, Errno::CbVersionComplete),
        (Event::HeaderFieldComplete, Errno::CbHeaderFieldComplete),
        (Event::HeaderValueComplete, Errno::CbHeaderValueComplete),
        (Event::HeadersComplete, Errno::CbHeadersComplete),
        (Event::ChunkHeader, Errno::CbChunkHeader),
        (
            Event::ChunkExtensionNameComplete,
            Errno::CbChunkExtensionNameComplete,
        ),
        (
            Event::ChunkExtensionValueComplete,
            Errno::CbChunkExtensionValueComplete,
        ),
        (Event::ChunkComplete, Errno::CbChunkComplete),
        (Event::MessageComplete, Errno::CbMessageComplete),
    ];
    for (event, errno) in cases {
        let mut p = Parser::new(ParserType::Request);
        let mut log = Log {
            fail_on: Some(event),
            ..Log::default()
        };
        let n = p.consumed(&mut log, input);
        assert_eq!(p.errno(), errno, "{event:?}");
        assert_eq!(n, p.error_offset());
        assert_eq!(
            p.error_reason().to_str().unwrap(),
            "A callback returned an error"
        );
        // A stopped parser does nothing more.
        assert_eq!(p.consumed(&mut log, b"GET"), 0);
    }
    // A reset callback error needs a second message.
    let mut p = Parser::new(ParserType::Request);
    let mut log = Log {
        fail_on: Some(Event::Reset),
        ..Log::default()
    };
    p.consumed(&mut log, b"GET / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r\n");
    assert_eq!((p.errno(), p.error_offset()), (Errno::CbReset, 18));
    // A status callback error needs a response.
    let mut p = Parser::new(ParserType::Response);
    let mut log = Log {
        fail_on: Some(Event::StatusComplete),
        ..Log::default()
    };
    p.consumed(&mut log, b"HTTP/1.1 200 OK\r\n\r\n");
    assert_eq!(p.errno(), Errno::CbStatusComplete);
}

#[test]
fn eof_inside_a_message() {
    let mut p = Parser::new(ParserType::Request);
    p.consumed(&mut (), b"POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nab");
    assert_eq!(p.finish(&mut ()), Errno::InvalidEofState);
    assert_eq!(p.error_reason().to_str().unwrap(), "Invalid EOF state");
    let mut p = Parser::new(ParserType::Request);
    p.consumed(&mut (), b"GET / HTTP/1.1\r\n\r\n");
    assert_eq!(p.finish(&mut ()), Errno::Ok);
}

#[test]
fn reasons_are_specific() {
    let mut p = Parser::new(ParserType::Request);
    p.consumed(
        &mut (),
        b"POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
    );
    assert_eq!(
        p.error_reason().to_str().unwrap(),
        "Content-Length can't be present with Transfer-Encoding"
    );
    assert_eq!(
        p.errno().name().to_str().unwrap(),
        "HPE_UNEXPECTED_CONTENT_LENGTH"
    );
    let mut p = Parser::new(ParserType::Request);
    p.consumed(&mut (), b"GET / HTTP/1.1\r\nHost: a\n");
    assert_eq!(
        p.error_reason().to_str().unwrap(),
        "Bare LF where CRLF is required"
    );
}
