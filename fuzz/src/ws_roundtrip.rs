//! Encode then decode: messages (text and binary, fragmented, with control frames between
//! fragments, compressed-flag first frames) and pings, pongs and a close, written by the
//! encoder, decode in random pieces to exactly the frames written. Also: `write_header`
//! followed by the masked payload is byte for byte `write_frame`, and an encoder refusal
//! matches the documented rules.
//!
//! Input: 3 configuration bytes (bit 0 of `c[0]`: the client sends, so frames are masked;
//! `c[1]`: cut mode; `c[2]`: seed), then a script read byte by byte.

use wireframe::ws::close::close_code_may_be_sent;
use wireframe::ws::decoder::flags;
use wireframe::ws::encoder::{
    frame_len, header_len, write_close, write_frame, write_header, write_ping, write_pong,
};
use wireframe::ws::{
    Action, DecoderConfig, FrameDecoder, FrameEnd, FrameHeader, Handler, Opcode, Role, WsError,
};

use crate::{cuts, take_config, Rng};

struct Script<'a> {
    data: &'a [u8],
    at: usize,
}

impl Script<'_> {
    fn byte(&mut self) -> Option<u8> {
        let b = self.data.get(self.at).copied();
        self.at += 1;
        b
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        let end = (self.at + n).min(self.data.len());
        let mut v = self.data[self.at.min(end)..end].to_vec();
        self.at = end;
        // Pad short payloads with a pattern so lengths stay as scripted.
        while v.len() < n {
            v.push(v.len() as u8);
        }
        v
    }
}

#[derive(Debug, PartialEq, Eq, Clone)]
enum Entry {
    Header(FrameHeader),
    Payload(Vec<u8>),
    End(FrameEnd),
}

#[derive(Default)]
struct Log(Vec<Entry>);

impl Handler for Log {
    fn frame_header(&mut self, h: &FrameHeader) -> Action {
        self.0.push(Entry::Header(*h));
        Action::Continue
    }
    fn payload(&mut self, data: &[u8]) -> Action {
        match self.0.last_mut() {
            Some(Entry::Payload(p)) => p.extend_from_slice(data),
            _ => self.0.push(Entry::Payload(data.to_vec())),
        }
        Action::Continue
    }
    fn frame_complete(&mut self, e: &FrameEnd) -> Action {
        self.0.push(Entry::End(*e));
        Action::Continue
    }
}

fn expect(
    log: &mut Vec<Entry>,
    header: FrameHeader,
    payload: &[u8],
    message_opcode: Opcode,
    close_code: u16,
) {
    log.push(Entry::Header(header));
    if !payload.is_empty() {
        log.push(Entry::Payload(payload.to_vec()));
    }
    log.push(Entry::End(FrameEnd {
        opcode: header.opcode,
        message_opcode,
        fin: header.fin,
        message_end: header.fin || header.opcode.is_control(),
        close_code,
    }));
}

/// The fuzz target.
pub fn check(data: &[u8]) {
    let (c, script) = take_config::<3>(data);
    let client = c[0] & 1 != 0;
    let mut rng = Rng::new(u64::from(c[2]) << 8 | u64::from(c[0]));
    let mut s = Script {
        data: script,
        at: 0,
    };
    let mut wire: Vec<u8> = Vec::new();
    let mut expected: Vec<Entry> = Vec::new();
    let key = |rng: &mut Rng| -> Option<[u8; 4]> {
        client.then(|| (rng.next_u64() as u32).to_le_bytes())
    };
    let frame =
        |wire: &mut Vec<u8>, fin: bool, rsv1: bool, op: Opcode, k: Option<[u8; 4]>, p: &[u8]| {
            let n = frame_len(p.len() as u64, k.is_some()).unwrap();
            let mut out = vec![0u8; n];
            assert_eq!(write_frame(&mut out, fin, rsv1, op, k, p), Ok(n));
            // Header then masked payload gives the same bytes.
            let h = FrameHeader {
                fin,
                rsv1,
                rsv2: false,
                rsv3: false,
                opcode: op,
                mask: k,
                payload_len: p.len() as u64,
            };
            let mut alt = vec![0u8; n];
            let hl = write_header(&mut alt, &h).unwrap();
            assert_eq!(hl, header_len(p.len() as u64, k.is_some()));
            alt[hl..].copy_from_slice(p);
            if let Some(k) = k {
                wireframe::ws::mask(&mut alt[hl..], k, 0);
            }
            assert_eq!(alt, out, "write_header + mask differs from write_frame");
            // One byte short is refused without writing past the end.
            if n > 0 {
                let mut short = vec![0u8; n - 1];
                assert_eq!(
                    write_frame(&mut short, fin, rsv1, op, k, p),
                    Err(WsError::BufferTooSmall)
                );
            }
            wire.extend_from_slice(&out);
            h
        };
    let mut closed = false;
    while let Some(op) = s.byte() {
        if closed {
            break;
        }
        match op % 8 {
            0..=3 => {
                let text = op & 0x10 != 0;
                let rsv1 = op & 0x20 != 0;
                let big = op & 0x40 != 0;
                let len = s.byte().unwrap_or(0) as usize * if big { 257 } else { 1 };
                let mut payload = s.bytes(len);
                if text && !rsv1 {
                    payload = String::from_utf8_lossy(&payload).into_owned().into_bytes();
                }
                let pieces = 1 + (op as usize >> 7) * rng.below(4);
                let mut bounds: Vec<usize> =
                    (1..pieces).map(|_| rng.below(payload.len() + 1)).collect();
                bounds.sort_unstable();
                bounds.push(payload.len());
                let msg_op = if text { Opcode::Text } else { Opcode::Binary };
                let mut start = 0;
                for (i, &end) in bounds.iter().enumerate() {
                    let first = i == 0;
                    let fin = i + 1 == bounds.len();
                    let opcode = if first { msg_op } else { Opcode::Continuation };
                    let k = key(&mut rng);
                    let h = frame(
                        &mut wire,
                        fin,
                        rsv1 && first,
                        opcode,
                        k,
                        &payload[start..end],
                    );
                    expect(&mut expected, h, &payload[start..end], msg_op, 0);
                    start = end;
                    if !fin && rng.one_in(3) {
                        let k = key(&mut rng);
                        let h = frame(&mut wire, true, false, Opcode::Ping, k, b"mid");
                        expect(&mut expected, h, b"mid", Opcode::Ping, 0);
                    }
                }
            }
            4 | 5 => {
                let len = s.byte().unwrap_or(0) as usize;
                let payload = s.bytes(len);
                let k = key(&mut rng);
                let mut out = vec![0u8; 200];
                let r = if op % 8 == 4 {
                    write_ping(&mut out, &payload, k)
                } else {
                    write_pong(&mut out, &payload, k)
                };
                if len > 125 {
                    assert_eq!(
                        r,
                        Err(WsError::InvalidArgument),
                        "long control frame written"
                    );
                    continue;
                }
                let n = r.unwrap();
                wire.extend_from_slice(&out[..n]);
                let opcode = if op % 8 == 4 {
                    Opcode::Ping
                } else {
                    Opcode::Pong
                };
                let h = FrameHeader {
                    fin: true,
                    rsv1: false,
                    rsv2: false,
                    rsv3: false,
                    opcode,
                    mask: k,
                    payload_len: len as u64,
                };
                expect(&mut expected, h, &payload, opcode, 0);
            }
            _ => {
                let code = u16::from_be_bytes([s.byte().unwrap_or(3), s.byte().unwrap_or(232)]);
                let len = s.byte().unwrap_or(0) as usize % 130;
                let reason = s.bytes(len);
                let k = key(&mut rng);
                let mut out = vec![0u8; 200];
                let r = write_close(&mut out, code, &reason, k);
                let valid_reason = std::str::from_utf8(&reason).is_ok();
                let ok = if code == 0 {
                    reason.is_empty()
                } else {
                    close_code_may_be_sent(code) && len <= 123 && valid_reason
                };
                if !ok {
                    assert_eq!(
                        r,
                        Err(WsError::InvalidArgument),
                        "close {code} {reason:x?} written"
                    );
                    continue;
                }
                let n = r.expect("valid close refused");
                wire.extend_from_slice(&out[..n]);
                let mut payload = Vec::new();
                if code != 0 {
                    payload.extend_from_slice(&code.to_be_bytes());
                    payload.extend_from_slice(&reason);
                }
                let h = FrameHeader {
                    fin: true,
                    rsv1: false,
                    rsv2: false,
                    rsv3: false,
                    opcode: Opcode::Close,
                    mask: k,
                    payload_len: payload.len() as u64,
                };
                expect(
                    &mut expected,
                    h,
                    &payload,
                    Opcode::Close,
                    if code == 0 { 1005 } else { code },
                );
                closed = true;
            }
        }
    }

    let mut config = DecoderConfig::new(if client { Role::Server } else { Role::Client });
    config.flags = flags::ALLOW_RSV1;
    let mut d = FrameDecoder::new(config);
    let mut log = Log::default();
    let cut = cuts(&mut rng, wire.len(), c[1]);
    let mut start = 0;
    for end in cut.iter().copied().chain([wire.len()]) {
        let n = d.decode(&mut wire[start..end], &mut log);
        assert_eq!(
            (d.error(), n),
            (WsError::Ok, end - start),
            "decoding what was encoded"
        );
        start = end;
    }
    assert!(d.at_frame_boundary() && !d.in_message());
    assert_eq!(log.0, expected);
}
