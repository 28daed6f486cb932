//! WebSocket handshake: the validators never panic; what the client helper writes, the HTTP
//! parser reads and the server validator accepts (unless the offered protocols or extensions
//! are malformed); what the server writes back, the HTTP parser reads as a 101 upgrade and the
//! client validator accepts with the server's choices.
//!
//! Input: 1 configuration byte (bit 0: raw mode, bit 1: the server supports permessage-deflate,
//! bits 2-7: seed), then fields separated by LF. Raw mode feeds arbitrary header lines to both
//! validators; the other mode builds a client request from the fields (host, path, protocols,
//! extensions, the server's protocols).

use wireframe::handshake::{
    accept_key, request_len, response_len, write_request, write_response, ClientRequest,
    RequestValidator, ResponseValidator, ServerConfig,
};
use wireframe::http::{Action, Callbacks, Errno, Event, Parser, ParserType};
use wireframe::ws::WsError;

use crate::Rng;

#[derive(Default)]
struct Head {
    url: Vec<u8>,
    headers: Vec<(Vec<u8>, Vec<u8>)>,
    name: Vec<u8>,
    value: Vec<u8>,
}

impl Callbacks for Head {
    fn on_data(&mut self, _: &mut Parser, e: Event, d: &[u8]) -> Action {
        match e {
            Event::Url => self.url.extend_from_slice(d),
            Event::HeaderField => self.name.extend_from_slice(d),
            Event::HeaderValue => self.value.extend_from_slice(d),
            _ => {}
        }
        Action::Continue
    }
    fn on_notify(&mut self, _: &mut Parser, e: Event) -> Action {
        match e {
            Event::HeaderValueComplete => {
                let n = std::mem::take(&mut self.name);
                let v = std::mem::take(&mut self.value);
                self.headers.push((n, v));
            }
            Event::HeadersComplete => return Action::Pause,
            _ => {}
        }
        Action::Continue
    }
}

/// Parses a whole head with wireframe's HTTP parser; returns the parser and what it read.
fn parse_head(kind: ParserType, bytes: &[u8]) -> (Parser, Head) {
    let mut p = Parser::new(kind);
    let mut head = Head::default();
    let n = crate::consumed(&mut p, &mut head, bytes);
    assert_eq!(
        p.errno(),
        Errno::Paused,
        "head not complete: {:?}",
        String::from_utf8_lossy(bytes)
    );
    assert_eq!(n, bytes.len(), "bytes after the head");
    (p, head)
}

/// The fuzz target.
pub fn check(data: &[u8]) {
    let Some((&c, rest)) = data.split_first() else {
        return;
    };
    let raw = c & 1 != 0;
    let server = ServerConfig {
        protocols: b"",
        permessage_deflate: c & 2 != 0,
    };
    let mut rng = Rng::new(c as u64 >> 2);
    let mut nonce = [0u8; 16];
    nonce.iter_mut().for_each(|b| *b = rng.next_u64() as u8);
    let fields: Vec<&[u8]> = rest.split(|&b| b == b'\n').collect();
    let get = |i: usize| -> &[u8] { fields.get(i).copied().unwrap_or(b"") };

    if raw {
        // Line 0: the server's protocols; line 1: the client's offers (protocols ";;"
        // extensions); then `name: value` lines.
        let server = ServerConfig {
            protocols: get(0),
            ..server
        };
        let offer = get(1);
        let (protocols, extensions) = match offer.windows(2).position(|w| w == b";;") {
            Some(i) => (&offer[..i], &offer[i + 2..]),
            None => (offer, &b""[..]),
        };
        let req = ClientRequest {
            host: b"h",
            path: b"/",
            protocols,
            extensions,
            extra_headers: b"",
        };
        let mut v = RequestValidator::new(server);
        let mut rv = ResponseValidator::new(&req, &nonce);
        let mut key: Option<&[u8]> = None;
        for line in fields.iter().skip(2) {
            let (name, value) = match line.iter().position(|&b| b == b':') {
                Some(i) => (&line[..i], &line[i + 1..]),
                None => (*line, &b""[..]),
            };
            if name.eq_ignore_ascii_case(b"sec-websocket-key") {
                key = Some(value);
            }
            v.header(name, value);
            rv.header(name, value);
        }
        let status = 101 + (c as u16 >> 7);
        if let Ok(a) = rv.finish(status) {
            assert_eq!(status, 101);
            if let Some(p) = a.protocol {
                assert!(
                    protocols.split(|&b| b == b',').any(|o| o.trim_ascii() == p),
                    "client chose an unoffered protocol"
                );
            }
        }
        if let Ok(accepted) = v.finish(b"GET", 1, 1) {
            let key = key.expect("accepted without a key");
            let trimmed = key.trim_ascii();
            assert_eq!(accepted.accept_key, accept_key(trimmed));
            if let Some(p) = accepted.protocol {
                assert!(
                    get(0).split(|&b| b == b',').any(|o| o.trim_ascii() == p),
                    "server chose an unsupported protocol"
                );
            }
            check_response(&accepted);
        }
        assert_eq!(
            v.finish(b"POST", 1, 1).err(),
            Some(WsError::HandshakeMethod)
        );
        return;
    }

    let req = ClientRequest {
        host: get(0),
        path: get(1),
        protocols: get(2),
        extensions: get(3),
        extra_headers: b"",
    };
    let server = ServerConfig {
        protocols: get(4),
        ..server
    };
    let len = request_len(&req);
    let mut out = vec![0u8; len];
    let Ok(n) = write_request(&mut out, &req, &nonce) else {
        return;
    };
    assert_eq!(n, len, "request_len");
    let (p, head) = parse_head(ParserType::Request, &out);
    assert_eq!(head.url, req.path, "path as parsed");
    let mut v = RequestValidator::new(server);
    for (name, value) in &head.headers {
        v.header(name, value);
    }
    let accepted = match v.finish(b"GET", p.http_version().0 as u16, p.http_version().1 as u16) {
        Ok(a) => a,
        Err(WsError::HandshakeProtocol | WsError::HandshakeExtensions) => return,
        Err(e) => panic!(
            "server refuses the client's request: {e:?}: {:?}",
            String::from_utf8_lossy(&out)
        ),
    };
    let response = check_response(&accepted);
    let (rp, rhead) = parse_head(ParserType::Response, &response);
    let mut rv = ResponseValidator::new(&req, &nonce);
    for (name, value) in &rhead.headers {
        rv.header(name, value);
    }
    let got = rv.finish(rp.status_code()).unwrap_or_else(|e| {
        panic!(
            "client refuses the server's response: {e:?}: {:?} for {:?}",
            String::from_utf8_lossy(&response),
            String::from_utf8_lossy(&out)
        )
    });
    assert_eq!(got.protocol, accepted.protocol, "protocol");
    // The response carries the agreement: client_max_window_bits only with a value.
    let agreed = accepted.deflate.map(|mut d| {
        if !(8..=15).contains(&d.client_max_window_bits) {
            d.client_max_window_bits_present = false;
            d.client_max_window_bits = 0;
        }
        if !(8..=15).contains(&d.server_max_window_bits) {
            d.server_max_window_bits = 0;
        }
        d
    });
    assert_eq!(got.deflate, agreed, "deflate parameters");
}

/// Writes the 101 response and checks it is a complete upgrade head; returns it.
fn check_response(accepted: &wireframe::handshake::Accepted<'_>) -> Vec<u8> {
    let len = response_len(accepted);
    let mut out = vec![0u8; len];
    assert_eq!(write_response(&mut out, accepted), Ok(len));
    let mut short = vec![0u8; len - 1];
    assert_eq!(
        write_response(&mut short, accepted),
        Err(WsError::BufferTooSmall)
    );
    let mut p = Parser::new(ParserType::Response);
    let n = crate::consumed(&mut p, &mut (), &out);
    assert_eq!(
        (p.errno(), n),
        (Errno::PausedUpgrade, len),
        "101 response as parsed"
    );
    assert_eq!((p.status_code(), p.upgrade()), (101, true));
    out
}
