//! Valid messages: every vector is parsed whole, split at every offset and byte by byte, and
//! must give exactly the events listed.

mod common;
use common::*;
use wireframe::http::{Action, Errno, Method, ParserType};

#[test]
fn classic_curl_get() {
    let input = b"GET /test HTTP/1.1\r\nUser-Agent: curl/7.18.0 (i486-pc-linux-gnu) libcurl/7.18.0 OpenSSL/0.9.8g zlib/1.2.3.3 libidn/1.1\r\nHost: 0.0.0.0=5000\r\nAccept: */*\r\n\r\n";
    check(
        request(),
        input,
        "begin
         method=GET
         method_done
         url=/test
         url_done
         version=1.1
         version_done
         field=User-Agent
         field_done
         value=curl/7.18.0 (i486-pc-linux-gnu) libcurl/7.18.0 OpenSSL/0.9.8g zlib/1.2.3.3 libidn/1.1
         value_done
         field=Host
         field_done
         value=0.0.0.0=5000
         value_done
         field=Accept
         field_done
         value=*/*
         value_done
         headers_done v=1.1 ka=1 up=0
         complete",
        Errno::Ok,
        input.len(),
    );
}

#[test]
fn post_with_content_length() {
    let input = b"POST /post_identity_body_world?q=search#hey HTTP/1.1\r\nAccept: */*\r\nContent-Length: 5\r\n\r\nWorld";
    check(
        request(),
        input,
        "begin
         method=POST
         method_done
         url=/post_identity_body_world?q=search#hey
         url_done
         version=1.1
         version_done
         field=Accept
         field_done
         value=*/*
         value_done
         field=Content-Length
         field_done
         value=5
         value_done
         headers_done v=1.1 ka=1 up=0
         body=World
         complete",
        Errno::Ok,
        input.len(),
    );
}

#[test]
fn chunked_with_extensions_and_trailers() {
    let input = b"POST /chunked HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5;ilovew3;somuchlove=\"aretheseparametersfor\";blah\r\nhello\r\n6;blahblah;blah\r\n world\r\n0\r\nVary: *\r\nContent-Type: text/plain\r\n\r\n";
    check(
        request(),
        input,
        "begin
         method=POST
         method_done
         url=/chunked
         url_done
         version=1.1
         version_done
         field=Transfer-Encoding
         field_done
         value=chunked
         value_done
         headers_done v=1.1 ka=1 up=0
         ext_name=ilovew3
         ext_name_done
         ext_name=somuchlove
         ext_name_done
         ext_value=\\\"aretheseparametersfor\\\"
         ext_value_done
         ext_name=blah
         ext_name_done
         chunk_header size=5
         body=hello
         chunk_done
         ext_name=blahblah
         ext_name_done
         ext_name=blah
         ext_name_done
         chunk_header size=6
         body= world
         chunk_done
         chunk_header size=0
         field=Vary
         field_done
         value=*
         value_done
         field=Content-Type
         field_done
         value=text/plain
         value_done
         chunk_done
         complete",
        Errno::Ok,
        input.len(),
    );
}

#[test]
fn quoted_chunk_extension_with_escape() {
    let input =
        b"PUT / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1;a=\"x\\\"y;z\"\r\nA\r\n0\r\n\r\n";
    check(
        request(),
        input,
        "begin
         method=PUT
         method_done
         url=/
         url_done
         version=1.1
         version_done
         field=Transfer-Encoding
         field_done
         value=chunked
         value_done
         headers_done v=1.1 ka=1 up=0
         ext_name=a
         ext_name_done
         ext_value=\\\"x\\\\\\\"y;z\\\"
         ext_value_done
         chunk_header size=1
         body=A
         chunk_done
         chunk_header size=0
         chunk_done
         complete",
        Errno::Ok,
        input.len(),
    );
}

#[test]
fn keep_alive_rules() {
    // HTTP/1.0 closes by default, keeps alive on request; HTTP/1.1 the other way round.
    let cases: [(&[u8], &str); 5] = [
        (b"GET / HTTP/1.0\r\n\r\n", "v=1.0 ka=0 up=0"),
        (
            b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
            "v=1.0 ka=1 up=0",
        ),
        (b"GET / HTTP/1.1\r\n\r\n", "v=1.1 ka=1 up=0"),
        (
            b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n",
            "v=1.1 ka=0 up=0",
        ),
        (
            b"GET / HTTP/1.1\r\nConnection: foo,  Close \r\n\r\n",
            "v=1.1 ka=0 up=0",
        ),
    ];
    for (input, head) in cases {
        let out = parse_all_splits(request(), input);
        assert_eq!(out.errno, Errno::Ok);
        let hc = out
            .lines
            .iter()
            .find(|l| l.starts_with("headers_done"))
            .unwrap();
        assert_eq!(
            hc,
            &format!("headers_done {head}"),
            "{:?}",
            String::from_utf8_lossy(input)
        );
    }
}

#[test]
fn pipelined_requests_in_one_buffer() {
    let input = b"GET /a HTTP/1.1\r\n\r\nPOST /b HTTP/1.1\r\nContent-Length: 2\r\n\r\nhiGET /c HTTP/1.1\r\n\r\n";
    check(
        request(),
        input,
        "begin
         method=GET
         method_done
         url=/a
         url_done
         version=1.1
         version_done
         headers_done v=1.1 ka=1 up=0
         complete
         reset
         begin
         method=POST
         method_done
         url=/b
         url_done
         version=1.1
         version_done
         field=Content-Length
         field_done
         value=2
         value_done
         headers_done v=1.1 ka=1 up=0
         body=hi
         complete
         reset
         begin
         method=GET
         method_done
         url=/c
         url_done
         version=1.1
         version_done
         headers_done v=1.1 ka=1 up=0
         complete",
        Errno::Ok,
        input.len(),
    );
}

#[test]
fn empty_lines_before_a_request_are_ignored() {
    let input = b"\r\n\r\nGET / HTTP/1.1\r\n\r\n";
    let out = parse_all_splits(request(), input);
    assert_eq!(out.errno, Errno::Ok);
    assert_eq!(out.lines[0], "begin");
}

#[test]
fn header_values_keep_inner_and_trailing_whitespace_and_obs_text() {
    let input =
        b"GET / HTTP/1.1\r\nX-Empty:\r\nX-Spaces: \t a  b \t\r\nX-Utf8: caf\xc3\xa9\r\n\r\n";
    let out = parse_all_splits(request(), input);
    assert_eq!(out.errno, Errno::Ok);
    let values: Vec<&String> = out
        .lines
        .iter()
        .filter(|l| l.starts_with("value"))
        .collect();
    assert_eq!(
        values,
        [
            "value_done",
            "value=a  b \\t",
            "value_done",
            "value=café",
            "value_done"
        ]
    );
}

#[test]
fn websocket_upgrade_stops_after_the_head() {
    let head: &[u8] = b"GET /chat HTTP/1.1\r\nHost: example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    let input = [head, b"\x81\x85frame"].concat();
    let out = parse_all_splits(request(), &input);
    assert_eq!(out.errno, Errno::PausedUpgrade);
    assert_eq!(out.stopped_at, head.len());
    assert_eq!(out.lines.last().unwrap(), "complete");
    assert!(out
        .lines
        .contains(&"headers_done v=1.1 ka=1 up=1".to_string()));
}

#[test]
fn upgrade_header_without_connection_upgrade_is_not_an_upgrade() {
    let input = b"GET / HTTP/1.1\r\nUpgrade: websocket\r\n\r\n";
    let out = parse_all_splits(request(), input);
    assert_eq!((out.errno, out.stopped_at), (Errno::Ok, input.len()));
    assert!(out
        .lines
        .contains(&"headers_done v=1.1 ka=1 up=0".to_string()));
}

#[test]
fn upgrade_request_with_a_body_reads_the_body_first() {
    let input = b"POST /x HTTP/1.1\r\nConnection: upgrade\r\nUpgrade: h2c\r\nContent-Length: 3\r\n\r\nabcNEXT";
    let out = parse_all_splits(request(), input);
    assert_eq!(
        (out.errno, out.stopped_at),
        (Errno::PausedUpgrade, input.len() - 4)
    );
    assert_eq!(&out.lines[out.lines.len() - 2..], ["body=abc", "complete"]);
}

#[test]
fn connect_is_an_upgrade_with_an_authority_target() {
    let input = b"CONNECT home.example:443 HTTP/1.1\r\nHost: home.example:443\r\n\r\nTLS...";
    let out = parse_all_splits(request(), input);
    assert_eq!(
        (out.errno, out.stopped_at),
        (Errno::PausedUpgrade, input.len() - 6)
    );
    assert!(out.lines.contains(&"url=home.example:443".to_string()));
    assert!(out
        .lines
        .contains(&"headers_done v=1.1 ka=1 up=1".to_string()));
}

#[test]
fn headers_complete_returning_2_upgrades() {
    let mut setup = request();
    setup.headers_complete_result = Action::SkipBodyUpgrade;
    let input = b"POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello";
    let out = parse_all_splits(setup, input);
    assert_eq!(
        (out.errno, out.stopped_at),
        (Errno::PausedUpgrade, input.len() - 5)
    );
}

#[test]
fn http09_request() {
    let input = b"GET /old\r\n";
    check(
        request(),
        input,
        "begin
         method=GET
         method_done
         url=/old
         url_done
         headers_done v=0.9 ka=0 up=0
         complete",
        Errno::Ok,
        input.len(),
    );
}

#[test]
fn http2_preface_pauses() {
    let input = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
    let out = parse_all_splits(request(), input);
    assert_eq!((out.errno, out.stopped_at), (Errno::PausedH2Upgrade, 24));
}

#[test]
fn every_method_with_its_protocol() {
    for &m in Method::all() {
        let proto = match m {
            Method::Pri => continue,
            Method::Describe
            | Method::Announce
            | Method::Setup
            | Method::Play
            | Method::Pause
            | Method::Teardown
            | Method::GetParameter
            | Method::SetParameter
            | Method::Redirect
            | Method::Record
            | Method::Flush => "RTSP/1.0",
            _ => "HTTP/1.1",
        };
        let target = if m == Method::Connect { "host:80" } else { "/" };
        let input = format!("{} {target} {proto}\r\n\r\n", m.as_str());
        let out = parse_all_splits(request(), input.as_bytes());
        assert!(
            matches!(out.errno, Errno::Ok | Errno::PausedUpgrade),
            "{input:?}: {:?}",
            out.errno
        );
        assert_eq!(out.lines[1], format!("method={}", m.as_str()));
    }
    // SOURCE also speaks ICE; GET also speaks RTSP.
    for input in [
        &b"SOURCE /mount ICE/1.0\r\n\r\n"[..],
        b"GET / RTSP/1.0\r\n\r\n",
    ] {
        assert_eq!(parse_all_splits(request(), input).errno, Errno::Ok);
    }
}

#[test]
fn response_with_content_length() {
    let input = b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nbody";
    check(
        response(),
        input,
        "begin
         version=1.1
         version_done
         status=OK
         status_done
         field=Content-Length
         field_done
         value=4
         value_done
         headers_done v=1.1 ka=1 up=0
         body=body
         complete",
        Errno::Ok,
        input.len(),
    );
}

#[test]
fn response_without_reason_phrase() {
    let input = b"HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n";
    let out = parse_all_splits(response(), input);
    assert_eq!(out.errno, Errno::Ok);
    assert_eq!(
        &out.lines[..4],
        ["begin", "version=1.1", "version_done", "status_done"]
    );
}

#[test]
fn response_until_eof_completes_on_finish() {
    let mut setup = response();
    setup.finish = true;
    let input = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nall the rest";
    let out = parse_all_splits(setup, input);
    assert_eq!(out.errno, Errno::Ok);
    assert_eq!(
        &out.lines[out.lines.len() - 3..],
        [
            "headers_done v=1.1 ka=0 up=0",
            "body=all the rest",
            "complete"
        ]
    );
}

#[test]
fn response_chunked() {
    let input = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1e\r\nall your base are belong to us\r\n0\r\n\r\n";
    let out = parse_all_splits(response(), input);
    assert_eq!(out.errno, Errno::Ok);
    assert_eq!(
        &out.lines[out.lines.len() - 6..],
        [
            "chunk_header size=30",
            "body=all your base are belong to us",
            "chunk_done",
            "chunk_header size=0",
            "chunk_done",
            "complete"
        ]
    );
}

#[test]
fn response_transfer_encoding_not_chunked_reads_until_eof() {
    let mut setup = response();
    setup.finish = true;
    let input = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n\x1f\x8b...";
    let out = parse_all_splits(setup, input);
    assert_eq!(out.errno, Errno::Ok);
    assert_eq!(
        &out.lines[out.lines.len() - 2..],
        ["body=\\u{1f}�...", "complete"]
    );
}

#[test]
fn responses_without_body() {
    // 204, 304 and 1xx never have a body, whatever their headers say.
    for status in [
        "204 No Content",
        "304 Not Modified",
        "102 Processing",
        "103 Early Hints",
    ] {
        let input = format!("HTTP/1.1 {status}\r\nContent-Length: 10\r\n\r\n");
        let out = parse_all_splits(response(), input.as_bytes());
        assert_eq!(out.errno, Errno::Ok, "{status}");
        assert_eq!(out.lines.last().unwrap(), "complete", "{status}");
        assert!(!out.lines.iter().any(|l| l.starts_with("body")), "{status}");
    }
}

#[test]
fn continue_then_final_response() {
    let input = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    let out = parse_all_splits(response(), input);
    assert_eq!(out.errno, Errno::Ok);
    let completes = out.lines.iter().filter(|l| *l == "complete").count();
    assert_eq!(completes, 2);
    assert_eq!(out.lines.last().unwrap(), "complete");
    assert!(out.lines.contains(&"body=ok".to_string()));
}

#[test]
fn switching_protocols_response_upgrades() {
    let head: &[u8] =
        b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n";
    let input = [head, b"\x81\x02hi"].concat();
    let out = parse_all_splits(response(), &input);
    assert_eq!(
        (out.errno, out.stopped_at),
        (Errno::PausedUpgrade, head.len())
    );
}

#[test]
fn response_to_head_has_no_body() {
    let mut setup = response();
    setup.headers_complete_result = Action::SkipBody;
    let input = b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
    let out = parse_all_splits(setup, input);
    assert_eq!(out.errno, Errno::Ok);
    assert_eq!(out.lines.iter().filter(|l| *l == "complete").count(), 2);
}

#[test]
fn both_mode_detects_requests_and_responses() {
    let both = Setup::new(ParserType::Both);
    let out = parse_all_splits(both, b"HEAD / HTTP/1.1\r\n\r\n");
    assert_eq!(out.errno, Errno::Ok);
    assert_eq!(out.lines[1], "method=HEAD");
    let out = parse_all_splits(both, b"HTTP/1.0 301 Moved\r\nContent-Length: 0\r\n\r\n");
    assert_eq!(out.errno, Errno::Ok);
    assert_eq!(
        out.lines[..5],
        [
            "begin",
            "version=1.0",
            "version_done",
            "status=Moved",
            "status_done"
        ]
    );
    let out = parse_all_splits(both, b"RTSP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n");
    assert_eq!(out.errno, Errno::Ok);
}

#[test]
fn transfer_encoding_with_chunked_last() {
    let input = b"POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: CHUNKED \r\n\r\n0\r\n\r\n";
    let out = parse_all_splits(request(), input);
    assert_eq!(out.errno, Errno::Ok);
}

#[test]
fn content_length_zero_and_large() {
    let out = parse_all_splits(request(), b"POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
    assert_eq!(out.errno, Errno::Ok);
    assert_eq!(out.lines.last().unwrap(), "complete");
    // The largest value that fits in 64 bits is accepted (and the body is awaited).
    let out = parse_all_splits(
        request(),
        b"POST / HTTP/1.1\r\nContent-Length: 18446744073709551615\r\n\r\nab",
    );
    assert_eq!(out.errno, Errno::Ok);
    assert_eq!(out.lines.last().unwrap(), "body=ab");
}

#[test]
fn absolute_form_and_asterisk_targets() {
    for target in [
        "http://user:pw@example.com:8080/p?q#f",
        "*",
        "/%7Euser/a%20b",
    ] {
        let input = format!("OPTIONS {target} HTTP/1.1\r\n\r\n");
        let out = parse_all_splits(request(), input.as_bytes());
        assert_eq!(out.errno, Errno::Ok);
        assert_eq!(out.lines[3], format!("url={target}"));
    }
}
