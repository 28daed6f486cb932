//! permessage-deflate round trips: messages compressed by a [`Compressor`] (input and output
//! in random pieces), framed (fragmented at random, masked when the client sends, RSV1 on each
//! message's first frame), decoded by the frame decoder in random pieces and inflated by a
//! [`Decompressor`] into random-sized buffers come back byte for byte; every message's
//! compressed size is within [`compress_bound`]. With context takeover the messages share the
//! window, so the order of the whole stream matters.
//!
//! Input: 4 configuration bytes (`c[0]`: window bits `8 + c % 8`, bit 3 no context takeover,
//! bit 4 the client sends; `c[1]`: level `% 10`, memory level `1 + (c >> 4) % 9`; `c[2]`: cut
//! mode; `c[3]`: seed), then messages: a length byte (`n`, or `n * 97` when bit 7 is set) and
//! that many bytes (padded with a pattern when the input ends).

use wireframe::ws::decoder::flags;
use wireframe::ws::deflate::{compress_bound, Compressor, Decompressor, DeflateOptions};
use wireframe::ws::encoder::{frame_len, write_frame};
use wireframe::ws::{
    Action, DecoderConfig, FrameDecoder, FrameEnd, FrameHeader, Handler, Opcode, Role,
};

use crate::{cuts, take_config, Rng};

/// Inflates compressed messages as the decoder delivers them, into random-sized pieces.
struct Receiver {
    d: Decompressor,
    rng: Rng,
    compressed: bool,
    current: Vec<u8>,
    messages: Vec<(Opcode, Vec<u8>)>,
}

impl Receiver {
    fn piece(&mut self) -> Vec<u8> {
        vec![0u8; 1 + self.rng.below(3000)]
    }
}

impl Handler for Receiver {
    fn frame_header(&mut self, h: &FrameHeader) -> Action {
        if h.opcode != Opcode::Continuation {
            assert!(h.rsv1, "every data message is sent compressed");
            self.compressed = true;
            self.d.begin_message(h.opcode == Opcode::Text);
        } else {
            assert!(!h.rsv1);
        }
        Action::Continue
    }
    fn payload(&mut self, data: &[u8]) -> Action {
        let mut scratch = self.piece();
        let out = &mut self.current;
        self.d
            .decompress_with(data, &mut scratch, |p| {
                assert!(!p.is_empty());
                out.extend_from_slice(p);
                Action::Continue
            })
            .expect("inflating what the compressor wrote");
        Action::Continue
    }
    fn frame_complete(&mut self, end: &FrameEnd) -> Action {
        if end.message_end {
            let mut scratch = self.piece();
            let out = &mut self.current;
            self.d
                .finish_with(&mut scratch, |p| {
                    out.extend_from_slice(p);
                    Action::Continue
                })
                .expect("ending a message the compressor wrote");
            let m = std::mem::take(&mut self.current);
            self.messages.push((end.message_opcode, m));
        }
        Action::Continue
    }
}

/// Compresses `msg` with `c`, feeding input and taking output in random pieces.
fn compress(c: &mut Compressor, msg: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut z = Vec::new();
    let mut rest = msg;
    loop {
        let take = rest.len().min(rng.below(rest.len() + 2));
        let fin = take == rest.len();
        let mut out = vec![0u8; 8 + rng.below(600)];
        let p = c
            .compress(&rest[..take], &mut out, fin)
            .expect("compressing");
        z.extend_from_slice(&out[..p.written]);
        rest = &rest[p.consumed..];
        if fin && p.done {
            return z;
        }
    }
}

/// Runs one input.
pub fn check(data: &[u8]) {
    let (c, script) = take_config::<4>(data);
    let bits = 8 + c[0] % 8;
    let nct = c[0] & 8 != 0;
    let client_sends = c[0] & 16 != 0;
    let opts = DeflateOptions {
        level: c[1] % 10,
        mem_level: 1 + (c[1] >> 4) % 9,
    };
    let mut rng = Rng::new(u64::from(c[3]) | u64::from(c[0]) << 8 | u64::from(c[1]) << 16);
    // Messages from the script.
    let mut messages: Vec<(Opcode, Vec<u8>)> = Vec::new();
    let mut at = 0;
    while at < script.len() && messages.len() < 16 {
        let b = script[at];
        at += 1;
        let n = if b & 0x80 != 0 {
            usize::from(b & 0x7f) * 97
        } else {
            usize::from(b)
        };
        let end = (at + n).min(script.len());
        let mut m = script[at..end].to_vec();
        at = end;
        while m.len() < n {
            m.push((m.len() % 7) as u8 + b'a');
        }
        let op = if std::str::from_utf8(&m).is_ok() {
            Opcode::Text
        } else {
            Opcode::Binary
        };
        messages.push((op, m));
    }
    let mut comp = Compressor::new(bits, nct, opts).expect("valid settings");
    let mut wire = Vec::new();
    for (op, m) in &messages {
        let z = compress(&mut comp, m, &mut rng);
        assert!(
            z.len() <= compress_bound(m.len()),
            "{} > bound for {}",
            z.len(),
            m.len()
        );
        let pieces = if z.is_empty() { 1 } else { 1 + rng.below(4) };
        let per = z.len().div_ceil(pieces).max(1);
        let chunks: Vec<&[u8]> = if z.is_empty() {
            vec![&[][..]]
        } else {
            z.chunks(per).collect()
        };
        for (i, chunk) in chunks.iter().enumerate() {
            let key = client_sends.then(|| [rng.below(256) as u8, 7, 9, rng.below(256) as u8]);
            let mut f = vec![0u8; frame_len(chunk.len() as u64, key.is_some()).unwrap()];
            let o = if i == 0 { *op } else { Opcode::Continuation };
            write_frame(&mut f, i + 1 == chunks.len(), i == 0, o, key, chunk).unwrap();
            wire.extend_from_slice(&f);
        }
    }
    let role = if client_sends {
        Role::Server
    } else {
        Role::Client
    };
    let mut cfg = DecoderConfig::new(role);
    cfg.flags = flags::ALLOW_RSV1;
    cfg.max_message_size = 0;
    let mut dec = FrameDecoder::new(cfg);
    let mut r = Receiver {
        d: Decompressor::new(bits, nct, 0).expect("valid settings"),
        rng: Rng::new(u64::from(c[2])),
        compressed: false,
        current: Vec::new(),
        messages: Vec::new(),
    };
    let mut prev = 0;
    let mut points = cuts(&mut rng, wire.len(), c[2]);
    points.push(wire.len());
    for cut in points {
        let n = dec.decode(&mut wire[prev..cut], &mut r);
        assert_eq!(n, cut - prev, "decoder stopped: {:?}", dec.error());
        prev = cut;
    }
    assert!(r.messages == messages, "round trip differs");
}
