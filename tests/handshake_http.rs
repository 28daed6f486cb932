//! The handshake helper fed straight from wireframe's own HTTP parser: a raw upgrade request is
//! parsed with callbacks, each header goes to the validator as it completes, and the server
//! writes its answer; the bytes after the head are left for the WebSocket decoder.

use wireframe::handshake::{
    reject_status, write_reject, write_response, RequestValidator, ServerConfig,
};
mod common;
use common::Consumed;
use wireframe::http::{Action, Callbacks, Errno, Event, Parser, ParserType};

/// Collects one header at a time and hands it to the validator when its value completes.
struct Upgrade<'a> {
    validator: RequestValidator<'a>,
    name: Vec<u8>,
    value: Vec<u8>,
    method: Vec<u8>,
    head_done: bool,
}

impl Callbacks for Upgrade<'_> {
    fn on_data(&mut self, _: &mut Parser, event: Event, data: &[u8]) -> Action {
        match event {
            Event::Method => self.method.extend_from_slice(data),
            Event::HeaderField => self.name.extend_from_slice(data),
            Event::HeaderValue => self.value.extend_from_slice(data),
            _ => {}
        }
        Action::Continue
    }
    fn on_notify(&mut self, _: &mut Parser, event: Event) -> Action {
        match event {
            Event::HeaderValueComplete => {
                self.validator.header(&self.name, &self.value);
                self.name.clear();
                self.value.clear();
            }
            Event::HeadersComplete => self.head_done = true,
            _ => {}
        }
        Action::Continue
    }
}

fn answer(request: &[u8], split: usize) -> (Vec<u8>, usize) {
    let mut parser = Parser::new(ParserType::Request);
    let mut up = Upgrade {
        validator: RequestValidator::new(ServerConfig {
            protocols: b"chat, superchat",
            permessage_deflate: false,
        }),
        name: Vec::new(),
        value: Vec::new(),
        method: Vec::new(),
        head_done: false,
    };
    let mut consumed = parser.consumed(&mut up, &request[..split]);
    if parser.errno() == Errno::Ok {
        consumed += parser.consumed(&mut up, &request[split..]);
    }
    assert!(up.head_done);
    let mut out = [0u8; 512];
    let n = match up.validator.finish(
        &up.method,
        parser.http_version().0 as u16,
        parser.http_version().1 as u16,
    ) {
        Ok(accepted) => {
            assert_eq!(parser.errno(), Errno::PausedUpgrade);
            write_response(&mut out, &accepted).unwrap()
        }
        Err(e) => write_reject(&mut out, reject_status(e)).unwrap(),
    };
    (out[..n].to_vec(), consumed)
}

#[test]
fn parsed_upgrade_request_is_answered_with_101() {
    let head: &[u8] = b"GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: http://example.com\r\nSec-WebSocket-Protocol: superchat, chat\r\nSec-WebSocket-Version: 13\r\n\r\n";
    let frame: &[u8] = b"\x81\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58";
    let request = [head, frame].concat();
    for split in 0..=request.len() {
        let (response, consumed) = answer(&request, split);
        assert_eq!(
            consumed,
            head.len(),
            "the frame is left for the decoder (split {split})"
        );
        assert_eq!(
            String::from_utf8(response).unwrap(),
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: chat\r\n\r\n"
        );
    }
}

#[test]
fn parsed_request_for_another_version_gets_426() {
    let request = b"GET /chat HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n";
    let (response, _) = answer(request, 7);
    let text = String::from_utf8(response).unwrap();
    assert!(
        text.starts_with("HTTP/1.1 426 Upgrade Required\r\n"),
        "{text}"
    );
    assert!(text.contains("\r\nSec-WebSocket-Version: 13\r\n"), "{text}");
}
