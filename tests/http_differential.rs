//! httparse as an oracle: on a corpus of valid request and response heads, both parsers agree
//! on method, path, version, status and headers.

mod common;
use common::Consumed;
use wireframe::http::{Action, Callbacks, Errno, Event, Parser, ParserType};

#[derive(Default)]
struct Head {
    url: Vec<u8>,
    reason: Vec<u8>,
    headers: Vec<(Vec<u8>, Vec<u8>)>,
    name: Vec<u8>,
    done: bool,
}

impl Callbacks for Head {
    fn on_data(&mut self, _: &mut Parser, e: Event, d: &[u8]) -> Action {
        match e {
            Event::Url => self.url.extend_from_slice(d),
            Event::Status => self.reason.extend_from_slice(d),
            Event::HeaderField => self.name.extend_from_slice(d),
            Event::HeaderValue => self.headers.last_mut().unwrap().1.extend_from_slice(d),
            _ => {}
        }
        Action::Continue
    }
    fn on_notify(&mut self, _: &mut Parser, e: Event) -> Action {
        match e {
            Event::HeaderFieldComplete => {
                let name = std::mem::take(&mut self.name);
                self.headers.push((name, Vec::new()));
            }
            Event::HeadersComplete => self.done = true,
            _ => {}
        }
        Action::Continue
    }
}

const REQUESTS: &[&[u8]] = &[
    b"GET / HTTP/1.1\r\n\r\n",
    b"GET /joyent/http-parser HTTP/1.1\r\nHost: github.com\r\nDNT: 1\r\nAccept-Encoding: gzip, deflate, sdch\r\nAccept-Language: ru-RU,ru;q=0.8,en-US;q=0.6,en;q=0.4\r\nUser-Agent: Mozilla/5.0 (Macintosh; Intel Mac OS X 10_10_1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/39.0.2171.65 Safari/537.36\r\nAccept: text/html,application/xhtml+xml,application/xml;q=0.9,image/webp,*/*;q=0.8\r\nReferer: https://github.com/joyent/http-parser\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\nCache-Control: max-age=0\r\n\r\n",
    b"POST /api/v1/items?sort=desc&limit=10 HTTP/1.1\r\nHost: api.example.com\r\nContent-Type: application/json\r\nContent-Length: 2\r\nAuthorization: Bearer abc.def.ghi\r\n\r\n",
    b"OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n",
    b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
    b"GET http://proxy.example/path?x#y HTTP/1.0\r\nX-Empty:\r\nX-Tab:\tvalue\twith\ttabs\r\n\r\n",
    b"DELETE /%E2%82%AC HTTP/1.1\r\nX-Obs-Text: caf\xc3\xa9\r\n!#$%&'*+-.^_`|~: token-chars\r\n\r\n",
    b"M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\n\r\n",
];

const RESPONSES: &[&[u8]] = &[
    b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
    b"HTTP/1.0 404 Not Found\r\nServer: x\r\nX: y z\r\n\r\n",
    b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
    b"HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n",
];

fn trim(v: &[u8]) -> &[u8] {
    let end = v
        .iter()
        .rposition(|&b| b != b' ' && b != b'\t')
        .map_or(0, |i| i + 1);
    &v[..end]
}

#[test]
fn requests_agree_with_httparse() {
    for &input in REQUESTS {
        let mut headers = [httparse::EMPTY_HEADER; 32];
        let mut req = httparse::Request::new(&mut headers);
        assert!(req.parse(input).unwrap().is_complete());
        let mut p = Parser::new(ParserType::Request);
        let mut head = Head::default();
        p.consumed(&mut head, input);
        assert!(matches!(p.errno(), Errno::Ok | Errno::PausedUpgrade));
        assert!(head.done);
        assert_eq!(Some(p.method().unwrap().as_str()), req.method);
        assert_eq!(Some(std::str::from_utf8(&head.url).unwrap()), req.path);
        assert_eq!(Some(p.http_version().1), req.version);
        assert_eq!(head.headers.len(), req.headers.len());
        for ((name, value), h) in head.headers.iter().zip(req.headers.iter()) {
            assert_eq!(name.as_slice(), h.name.as_bytes());
            assert_eq!(trim(value), h.value);
        }
    }
}

#[test]
fn responses_agree_with_httparse() {
    for &input in RESPONSES {
        let mut headers = [httparse::EMPTY_HEADER; 32];
        let mut res = httparse::Response::new(&mut headers);
        assert!(res.parse(input).unwrap().is_complete());
        let mut p = Parser::new(ParserType::Response);
        let mut head = Head::default();
        p.consumed(&mut head, input);
        assert!(head.done);
        assert_eq!(Some(p.status_code()), res.code);
        assert_eq!(Some(std::str::from_utf8(&head.reason).unwrap()), res.reason);
        assert_eq!(Some(p.http_version().1), res.version);
        assert_eq!(head.headers.len(), res.headers.len());
        for ((name, value), h) in head.headers.iter().zip(res.headers.iter()) {
            assert_eq!(name.as_slice(), h.name.as_bytes());
            assert_eq!(trim(value), h.value);
        }
    }
}
