//! Handshake helper: accept key, server validation (each rule with its error and status),
//! subprotocol choice, permessage-deflate parsing (RFC 7692), exact response bytes, client
//! request writing and response validation.

use wireframe::handshake::*;
use wireframe::ws::WsError;

const KEY: &[u8] = b"dGhlIHNhbXBsZSBub25jZQ==";

#[test]
fn rfc_accept_key() {
    assert_eq!(&accept_key(KEY), b"s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

type Headers<'a> = Vec<(&'a str, &'a str)>;

fn good<'a>() -> Headers<'a> {
    vec![
        ("Host", "server.example.com"),
        ("Upgrade", "websocket"),
        ("Connection", "Upgrade"),
        ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="),
        ("Origin", "http://example.com"),
        ("Sec-WebSocket-Protocol", "chat, superchat"),
        ("Sec-WebSocket-Version", "13"),
    ]
}

fn validate<'a>(
    cfg: ServerConfig<'a>,
    method: &str,
    v: (u16, u16),
    headers: &Headers<'_>,
) -> Result<Accepted<'a>, WsError> {
    let mut val = RequestValidator::new(cfg);
    for (n, value) in headers {
        val.header(n.as_bytes(), value.as_bytes());
    }
    val.finish(method.as_bytes(), v.0, v.1)
}

fn with(
    mut h: Headers<'static>,
    name: &'static str,
    value: Option<&'static str>,
) -> Headers<'static> {
    h.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
    if let Some(v) = value {
        h.push((name, v));
    }
    h
}

#[test]
fn server_accepts_the_rfc_request_and_writes_101() {
    let cfg = ServerConfig {
        protocols: b"superchat, chat",
        permessage_deflate: false,
    };
    let a = validate(cfg, "GET", (1, 1), &good()).unwrap();
    assert_eq!(a.protocol, Some(&b"superchat"[..]));
    let mut out = [0u8; 512];
    let n = write_response(&mut out, &a).unwrap();
    assert_eq!(
        std::str::from_utf8(&out[..n]).unwrap(),
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: superchat\r\n\r\n"
    );
    assert_eq!(response_len(&a), n);
    assert_eq!(
        write_response(&mut out[..n - 1], &a),
        Err(WsError::BufferTooSmall)
    );
}

#[test]
fn case_insensitive_token_lists_and_newer_http() {
    let h = with(
        with(good(), "Upgrade", Some("foo/2, WebSocket")),
        "Connection",
        Some("keep-alive, UPGRADE"),
    );
    let h: Headers = h
        .into_iter()
        .map(|(n, v)| if n == "Host" { ("hOsT", v) } else { (n, v) })
        .collect();
    let a = validate(ServerConfig::default(), "GET", (2, 0), &h).unwrap();
    assert_eq!(a.protocol, None);
    assert_eq!(&a.accept_key, b"s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

#[test]
fn each_server_rule() {
    let cfg = ServerConfig::default();
    type Case = (&'static str, (u16, u16), Headers<'static>, WsError, u16);
    let cases: Vec<Case> = vec![
        ("POST", (1, 1), good(), WsError::HandshakeMethod, 400),
        ("get", (1, 1), good(), WsError::HandshakeMethod, 400),
        ("GET", (1, 0), good(), WsError::HandshakeHttpVersion, 400),
        (
            "GET",
            (1, 1),
            with(good(), "Upgrade", None),
            WsError::HandshakeUpgrade,
            426,
        ),
        (
            "GET",
            (1, 1),
            with(good(), "Upgrade", Some("websockets")),
            WsError::HandshakeUpgrade,
            426,
        ),
        (
            "GET",
            (1, 1),
            with(good(), "Connection", Some("keep-alive")),
            WsError::HandshakeConnection,
            400,
        ),
        (
            "GET",
            (1, 1),
            with(good(), "Sec-WebSocket-Version", None),
            WsError::HandshakeVersion,
            426,
        ),
        (
            "GET",
            (1, 1),
            with(good(), "Sec-WebSocket-Version", Some("8")),
            WsError::HandshakeVersion,
            426,
        ),
        (
            "GET",
            (1, 1),
            with(good(), "Sec-WebSocket-Key", None),
            WsError::HandshakeKey,
            400,
        ),
        (
            "GET",
            (1, 1),
            with(good(), "Sec-WebSocket-Key", Some("dGhlIHNhbXBsZSBub25jZQ")),
            WsError::HandshakeKey,
            400,
        ),
        (
            "GET",
            (1, 1),
            with(
                good(),
                "Sec-WebSocket-Key",
                Some("AAAAAAAAAAAAAAAAAAAAAAAAAA=="),
            ),
            WsError::HandshakeKey,
            400,
        ),
        (
            "GET",
            (1, 1),
            with(
                good(),
                "Sec-WebSocket-Key",
                Some("!!!!!!!!!!!!!!!!!!!!!!=="),
            ),
            WsError::HandshakeKey,
            400,
        ),
        (
            "GET",
            (1, 1),
            with(good(), "Host", None),
            WsError::HandshakeHost,
            400,
        ),
        (
            "GET",
            (1, 1),
            with(good(), "Sec-WebSocket-Protocol", Some("chat, bad proto")),
            WsError::HandshakeProtocol,
            400,
        ),
        (
            "GET",
            (1, 1),
            with(good(), "Sec-WebSocket-Extensions", Some("x; =1")),
            WsError::HandshakeExtensions,
            400,
        ),
    ];
    for (method, v, h, e, status) in cases {
        assert_eq!(validate(cfg, method, v, &h), Err(e), "{method} {v:?} {h:?}");
        assert_eq!(reject_status(e), status);
    }
    // Repeated key or version headers.
    let mut h = good();
    h.push(("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="));
    assert_eq!(validate(cfg, "GET", (1, 1), &h), Err(WsError::HandshakeKey));
    let mut h = good();
    h.push(("Sec-WebSocket-Version", "13"));
    assert_eq!(
        validate(cfg, "GET", (1, 1), &h),
        Err(WsError::HandshakeVersion)
    );
}

#[test]
fn reject_responses_exact_bytes() {
    let mut out = [0u8; 256];
    let n = write_reject(&mut out, 426).unwrap();
    assert_eq!(
        std::str::from_utf8(&out[..n]).unwrap(),
        "HTTP/1.1 426 Upgrade Required\r\nUpgrade: websocket\r\nConnection: Upgrade, close\r\n\
         Sec-WebSocket-Version: 13\r\nContent-Length: 0\r\n\r\n"
    );
    assert_eq!(reject_len(426), n);
    let n = write_reject(&mut out, 400).unwrap();
    assert_eq!(
        std::str::from_utf8(&out[..n]).unwrap(),
        "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nSec-WebSocket-Version: 13\r\nContent-Length: 0\r\n\r\n"
    );
    assert_eq!(write_reject(&mut out, 500), Err(WsError::InvalidArgument));
    assert_eq!(
        write_reject(&mut out[..10], 400),
        Err(WsError::BufferTooSmall)
    );
}

#[test]
fn protocol_choice_follows_server_preference() {
    let h = with(good(), "Sec-WebSocket-Protocol", Some("a, b"));
    let mut h2 = h.clone();
    h2.push(("Sec-WebSocket-Protocol", "c"));
    let cfg = ServerConfig {
        protocols: b"c,b, a",
        permessage_deflate: false,
    };
    assert_eq!(
        validate(cfg, "GET", (1, 1), &h).unwrap().protocol,
        Some(&b"b"[..])
    );
    assert_eq!(
        validate(cfg, "GET", (1, 1), &h2).unwrap().protocol,
        Some(&b"c"[..])
    );
    let cfg = ServerConfig {
        protocols: b"x",
        permessage_deflate: false,
    };
    assert_eq!(validate(cfg, "GET", (1, 1), &h).unwrap().protocol, None);
}

#[test]
fn deflate_params_rules() {
    let ok = |s: &str, resp| parse_deflate_params(s.as_bytes(), resp);
    assert_eq!(ok("", false), Ok(DeflateParams::default()));
    assert_eq!(
        ok("; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=10; client_max_window_bits", false),
        Ok(DeflateParams {
            server_no_context_takeover: true,
            client_no_context_takeover: true,
            server_max_window_bits: 10,
            client_max_window_bits_present: true,
            client_max_window_bits: 0,
        })
    );
    assert_eq!(
        ok("; client_max_window_bits=\"8\"", true)
            .unwrap()
            .client_max_window_bits,
        8
    );
    for bad in [
        "; server_no_context_takeover; server_no_context_takeover", // duplicate
        "; server_max_window_bits=10; server_max_window_bits=11",   // duplicate
        "; server_max_window_bits=7",
        "; server_max_window_bits=16",
        "; server_max_window_bits=08",
        "; server_max_window_bits", // needs a value
        "; client_max_window_bits=0",
        "; server_no_context_takeover=1", // takes no value
        "; unknown_param",
        "; client_max_window_bits=x",
    ] {
        assert_eq!(ok(bad, false), Err(WsError::HandshakeExtensions), "{bad}");
    }
    // In a response client_max_window_bits needs a value.
    assert_eq!(
        ok("; client_max_window_bits", true),
        Err(WsError::HandshakeExtensions)
    );
}

#[test]
fn server_negotiates_first_valid_deflate_offer() {
    let cfg = ServerConfig {
        protocols: b"",
        permessage_deflate: true,
    };
    let h = with(
        good(),
        "Sec-WebSocket-Extensions",
        Some("x-foo, permessage-deflate; server_max_window_bits=99, permessage-deflate; client_max_window_bits; server_no_context_takeover"),
    );
    let a = validate(cfg, "GET", (1, 1), &h).unwrap();
    let d = a.deflate.unwrap();
    assert!(
        d.server_no_context_takeover
            && d.client_max_window_bits_present
            && d.client_max_window_bits == 0
    );
    let mut out = [0u8; 512];
    let n = write_response(&mut out, &a).unwrap();
    let text = std::str::from_utf8(&out[..n]).unwrap();
    assert!(
        text.ends_with(
            "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover\r\n\r\n"
        ),
        "{text}"
    );
    // Declined when the server does not support it, or every offer is invalid.
    assert_eq!(
        validate(ServerConfig::default(), "GET", (1, 1), &h)
            .unwrap()
            .deflate,
        None
    );
    let h = with(
        good(),
        "Sec-WebSocket-Extensions",
        Some("permessage-deflate; server_max_window_bits=7"),
    );
    assert_eq!(validate(cfg, "GET", (1, 1), &h).unwrap().deflate, None);
    let h = with(
        good(),
        "Sec-WebSocket-Extensions",
        Some("permessage-deflate; client_max_window_bits=12; server_max_window_bits=9"),
    );
    let a = validate(cfg, "GET", (1, 1), &h).unwrap();
    let n = write_response(&mut out, &a).unwrap();
    assert!(std::str::from_utf8(&out[..n])
        .unwrap()
        .contains("permessage-deflate; server_max_window_bits=9; client_max_window_bits=12\r\n"));
}

const NONCE: [u8; 16] = *b"the sample nonce";

fn req<'a>() -> ClientRequest<'a> {
    ClientRequest {
        host: b"server.example.com",
        path: b"/chat",
        protocols: b"chat, superchat",
        extensions: b"permessage-deflate; client_max_window_bits",
        extra_headers: b"Origin: http://example.com\r\n",
    }
}

#[test]
fn client_request_exact_bytes() {
    let mut out = [0u8; 512];
    let n = write_request(&mut out, &req(), &NONCE).unwrap();
    assert_eq!(
        std::str::from_utf8(&out[..n]).unwrap(),
        "GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\
         Sec-WebSocket-Protocol: chat, superchat\r\n\
         Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\
         Origin: http://example.com\r\n\r\n"
    );
    assert_eq!(request_len(&req()), n);
    assert_eq!(
        write_request(&mut out[..n - 1], &req(), &NONCE),
        Err(WsError::BufferTooSmall)
    );
    for bad in [
        ClientRequest {
            host: b"a\r\nX: y",
            ..req()
        },
        ClientRequest { host: b"", ..req() },
        ClientRequest {
            path: b"chat",
            ..req()
        },
        ClientRequest {
            path: b"/a b",
            ..req()
        },
        // The parser refuses raw non-ASCII targets, so the writer does not produce them.
        ClientRequest {
            path: b"/caf\xc3\xa9",
            ..req()
        },
        ClientRequest {
            protocols: b"chat\n",
            ..req()
        },
        ClientRequest {
            extra_headers: b"Origin: x",
            ..req()
        },
        ClientRequest {
            extra_headers: b"A: b\r\n\r\nGET / HTTP/1.1\r\n",
            ..req()
        },
        ClientRequest {
            extra_headers: b"A: b\nB: c\r\n",
            ..req()
        },
    ] {
        assert_eq!(
            write_request(&mut out, &bad, &NONCE),
            Err(WsError::InvalidArgument),
            "{bad:?}"
        );
    }
}

fn client_check(status: u16, headers: &[(&str, &str)]) -> Result<ClientAccepted<'static>, WsError> {
    let r: ClientRequest<'static> = req();
    let mut v = ResponseValidator::new(&r, &NONCE);
    for (n, value) in headers {
        v.header(n.as_bytes(), value.as_bytes());
    }
    v.finish(status)
}

#[test]
fn client_validates_the_response() {
    let base = [
        ("Upgrade", "websocket"),
        ("Connection", "Upgrade"),
        ("Sec-WebSocket-Accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="),
    ];
    assert_eq!(
        client_check(101, &base),
        Ok(ClientAccepted {
            protocol: None,
            deflate: None
        })
    );
    let mut h = base.to_vec();
    h.push(("Sec-WebSocket-Protocol", "superchat"));
    h.push((
        "Sec-WebSocket-Extensions",
        "permessage-deflate; client_max_window_bits=10",
    ));
    let a = client_check(101, &h).unwrap();
    assert_eq!(a.protocol, Some(&b"superchat"[..]));
    assert_eq!(a.deflate.unwrap().client_max_window_bits, 10);

    assert_eq!(client_check(200, &base), Err(WsError::HandshakeStatus));
    assert_eq!(
        client_check(101, &base[1..]),
        Err(WsError::HandshakeUpgrade)
    );
    assert_eq!(
        client_check(101, &[base[0], base[2]]),
        Err(WsError::HandshakeConnection)
    );
    assert_eq!(client_check(101, &base[..2]), Err(WsError::HandshakeAccept));
    let mut wrong = base.to_vec();
    wrong[2].1 = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo";
    assert_eq!(client_check(101, &wrong), Err(WsError::HandshakeAccept));
    for (name, value, e) in [
        (
            "Sec-WebSocket-Protocol",
            "other",
            WsError::HandshakeProtocol,
        ),
        (
            "Sec-WebSocket-Protocol",
            "chat, superchat",
            WsError::HandshakeProtocol,
        ),
        (
            "Sec-WebSocket-Extensions",
            "x-other",
            WsError::HandshakeExtensions,
        ),
        (
            "Sec-WebSocket-Extensions",
            "permessage-deflate, permessage-deflate",
            WsError::HandshakeExtensions,
        ),
        (
            "Sec-WebSocket-Extensions",
            "permessage-deflate; client_max_window_bits",
            WsError::HandshakeExtensions,
        ),
        (
            "Sec-WebSocket-Extensions",
            "permessage-deflate; server_max_window_bits=20",
            WsError::HandshakeExtensions,
        ),
    ] {
        let mut h = base.to_vec();
        h.push((name, value));
        assert_eq!(client_check(101, &h), Err(e), "{name}: {value}");
    }
    // Two protocol headers.
    let mut h = base.to_vec();
    h.push(("Sec-WebSocket-Protocol", "chat"));
    h.push(("Sec-WebSocket-Protocol", "chat"));
    assert_eq!(client_check(101, &h), Err(WsError::HandshakeProtocol));
    // client_max_window_bits in a response when the client did not offer it.
    let r = ClientRequest {
        extensions: b"permessage-deflate",
        ..req()
    };
    let mut v = ResponseValidator::new(&r, &NONCE);
    for (n, value) in base.iter().chain(
        [(
            "Sec-WebSocket-Extensions",
            "permessage-deflate; client_max_window_bits=9",
        )]
        .iter(),
    ) {
        v.header(n.as_bytes(), value.as_bytes());
    }
    assert_eq!(v.finish(101), Err(WsError::HandshakeExtensions));
}

#[test]
fn server_answer_parsed_with_httparse_and_accepted_by_client() {
    // The request written by the client, parsed by an independent HTTP parser, validated by
    // the server; the server's answer parsed the same way and validated by the client.
    let mut buf = [0u8; 512];
    let n = write_request(&mut buf, &req(), &NONCE).unwrap();
    let mut headers = [httparse::EMPTY_HEADER; 16];
    let mut r = httparse::Request::new(&mut headers);
    assert!(r.parse(&buf[..n]).unwrap().is_complete());
    let mut v = RequestValidator::new(ServerConfig {
        protocols: b"superchat",
        permessage_deflate: true,
    });
    for h in r.headers.iter() {
        v.header(h.name.as_bytes(), h.value);
    }
    let a = v
        .finish(r.method.unwrap().as_bytes(), 1, r.version.unwrap() as u16)
        .unwrap();
    let mut out = [0u8; 512];
    let m = write_response(&mut out, &a).unwrap();
    let mut headers = [httparse::EMPTY_HEADER; 16];
    let mut resp = httparse::Response::new(&mut headers);
    assert!(resp.parse(&out[..m]).unwrap().is_complete());
    let r2 = req();
    let mut cv = ResponseValidator::new(&r2, &NONCE);
    for h in resp.headers.iter() {
        cv.header(h.name.as_bytes(), h.value);
    }
    let got = cv.finish(resp.code.unwrap()).unwrap();
    assert_eq!(got.protocol, Some(&b"superchat"[..]));
    assert!(!got.deflate.unwrap().client_max_window_bits_present);
}
