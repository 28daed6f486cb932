// Shared helpers for the WebSocket integration tests (included with `#[path]`).
#![allow(dead_code)]

use wireframe::ws::{
    encoder, Action, DecoderConfig, FrameDecoder, FrameEnd, FrameHeader, Handler, Opcode, Role,
    WsError,
};

/// The masking key used by the test vectors.
pub const KEY: [u8; 4] = [0x37, 0xfa, 0x21, 0x3d];

/// A frame with first byte `b0`, masked with `KEY` when `masked`, minimal length.
pub fn frame(b0: u8, payload: &[u8], masked: bool) -> Vec<u8> {
    let mask = if masked { Some(KEY) } else { None };
    let mut out = vec![0u8; encoder::frame_len(payload.len() as u64, masked).unwrap()];
    let h = FrameHeader {
        fin: b0 & 0x80 != 0,
        rsv1: b0 & 0x40 != 0,
        rsv2: b0 & 0x20 != 0,
        rsv3: b0 & 0x10 != 0,
        opcode: Opcode::from_nibble(b0),
        mask,
        payload_len: payload.len() as u64,
    };
    // Write the header by hand for reserved opcodes / fragmented control frames, which the
    // encoder refuses.
    let n = match encoder::write_header(&mut out, &h) {
        Ok(n) => n,
        Err(_) => {
            let mut hdr = vec![b0];
            let m = if masked { 0x80 } else { 0 };
            let len = payload.len();
            if len < 126 {
                hdr.push(m | len as u8);
            } else if len <= 0xFFFF {
                hdr.push(m | 126);
                hdr.extend_from_slice(&(len as u16).to_be_bytes());
            } else {
                hdr.push(m | 127);
                hdr.extend_from_slice(&(len as u64).to_be_bytes());
            }
            if masked {
                hdr.extend_from_slice(&KEY);
            }
            out[..hdr.len()].copy_from_slice(&hdr);
            hdr.len()
        }
    };
    out[n..].copy_from_slice(payload);
    if masked {
        wireframe::ws::mask::mask_reference(&mut out[n..], KEY, 0);
    }
    out
}

/// One decoder event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ev {
    /// Frame header.
    H(FrameHeader),
    /// Payload piece (merged with its neighbours before comparing).
    P(Vec<u8>),
    /// Frame complete.
    E(FrameEnd),
}

/// Records every event; optionally pauses after each one.
#[derive(Default)]
pub struct Rec {
    pub ev: Vec<Ev>,
    pub pause: bool,
    pub fail_on_end: bool,
}

impl Rec {
    fn act(&self) -> Action {
        if self.pause {
            Action::Pause
        } else {
            Action::Continue
        }
    }
}

impl Handler for Rec {
    fn frame_header(&mut self, h: &FrameHeader) -> Action {
        self.ev.push(Ev::H(*h));
        self.act()
    }
    fn payload(&mut self, data: &[u8]) -> Action {
        assert!(!data.is_empty());
        self.ev.push(Ev::P(data.to_vec()));
        self.act()
    }
    fn frame_complete(&mut self, e: &FrameEnd) -> Action {
        self.ev.push(Ev::E(*e));
        if self.fail_on_end {
            return Action::Fail;
        }
        self.act()
    }
}

/// Adjacent payload pieces merged.
pub fn merge(ev: Vec<Ev>) -> Vec<Ev> {
    let mut out: Vec<Ev> = Vec::new();
    for e in ev {
        if let (Some(Ev::P(prev)), Ev::P(p)) = (out.last_mut(), &e) {
            prev.extend_from_slice(p);
            continue;
        }
        out.push(e);
    }
    out
}

/// The outcome of decoding: merged events, final state, error offset, close code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub events: Vec<Ev>,
    pub error: WsError,
    pub offset: u64,
    pub close: u16,
}

/// Decodes `input` cut into `chunks` (lengths summing to the input length), resuming after
/// each pause.
pub fn decode_chunks(cfg: DecoderConfig, input: &[u8], cuts: &[usize], pause: bool) -> Outcome {
    let mut d = FrameDecoder::new(cfg);
    let mut rec = Rec {
        pause,
        ..Rec::default()
    };
    let mut start = 0;
    let mut bounds: Vec<usize> = cuts.to_vec();
    bounds.push(input.len());
    'outer: for &end in &bounds {
        let mut buf = input[start..end].to_vec();
        start = end;
        let mut off = 0;
        loop {
            let n = d.decode(&mut buf[off..], &mut rec);
            assert!(n <= buf.len() - off);
            off += n;
            match d.error() {
                WsError::Paused => continue,
                WsError::Ok => {
                    assert_eq!(off, buf.len());
                    break;
                }
                _ => break 'outer,
            }
        }
    }
    Outcome {
        events: merge(rec.ev),
        error: d.error(),
        offset: d.error_offset(),
        close: d.close_code(),
    }
}

/// Decodes `input` whole, split at every offset, byte by byte, and byte by byte pausing after
/// every event; asserts every run gives the same outcome and returns it.
pub fn decode_all_ways(cfg: DecoderConfig, input: &[u8]) -> Outcome {
    let whole = decode_chunks(cfg, input, &[], false);
    for s in 0..=input.len() {
        assert_eq!(
            decode_chunks(cfg, input, &[s], false),
            whole,
            "split at {s}"
        );
    }
    let bytes: Vec<usize> = (1..input.len()).collect();
    assert_eq!(
        decode_chunks(cfg, input, &bytes, false),
        whole,
        "byte by byte"
    );
    assert_eq!(
        decode_chunks(cfg, input, &bytes, true),
        whole,
        "byte by byte, pausing"
    );
    assert_eq!(
        decode_chunks(cfg, input, &[], true),
        whole,
        "whole, pausing"
    );
    whole
}

/// Server-role defaults.
pub fn server() -> DecoderConfig {
    DecoderConfig::new(Role::Server)
}

/// Client-role defaults.
pub fn client() -> DecoderConfig {
    DecoderConfig::new(Role::Client)
}

/// A tiny xorshift64* PRNG (deterministic; no crates).
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}
