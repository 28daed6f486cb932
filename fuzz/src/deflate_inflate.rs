//! Corrupt compressed frames: arbitrary bytes inflated as permessage-deflate messages. The
//! decompressor must never panic, never hand out more than the message limit, fail only with
//! the documented errors (1007 corrupt data or bad UTF-8, 1009 too big), and give the same
//! bytes and the same outcome whether the compressed data arrives whole or in random pieces,
//! and whatever the size of the output buffers.
//!
//! Input: 3 configuration bytes (`c[0]`: bit 0 text, bit 1 no context takeover, bits 2-7 the
//! limit in units of 256 bytes, 0 = none; `c[1]`: cut mode; `c[2]`: seed), then messages
//! separated by the byte sequence `ff 00 ff` (each is one message's compressed payload).

use wireframe::ws::deflate::Decompressor;
use wireframe::ws::{Action, WsError};

use crate::{cuts, take_config, Rng};

/// The outcome of one message: the inflated bytes handed out, and the error if any.
type Outcome = (Vec<u8>, Option<WsError>);

fn inflate(d: &mut Decompressor, msg: &[u8], text: bool, cut: &[usize], rng: &mut Rng) -> Outcome {
    let mut out = Vec::new();
    d.begin_message(text);
    let mut prev = 0;
    let mut points = cut.to_vec();
    points.push(msg.len());
    for p in points {
        let mut scratch = vec![0u8; 1 + rng.below(700)];
        let r = d.decompress_with(&msg[prev..p], &mut scratch, |piece| {
            out.extend_from_slice(piece);
            Action::Continue
        });
        if let Err(e) = r {
            return (out, Some(e));
        }
        prev = p;
    }
    let mut scratch = vec![0u8; 1 + rng.below(700)];
    let r = d.finish_with(&mut scratch, |piece| {
        out.extend_from_slice(piece);
        Action::Continue
    });
    (out, r.err())
}

/// Runs one input.
pub fn check(data: &[u8]) {
    let (c, rest) = take_config::<3>(data);
    let text = c[0] & 1 != 0;
    let nct = c[0] & 2 != 0;
    let limit = u64::from(c[0] >> 2) * 256;
    let mut rng = Rng::new(u64::from(c[2]));
    let messages: Vec<&[u8]> = split(rest);
    let mut whole = Decompressor::new(15, nct, limit).unwrap();
    let mut pieces = Decompressor::new(15, nct, limit).unwrap();
    for msg in messages {
        let a = inflate(&mut whole, msg, text, &[], &mut rng);
        let cut = cuts(&mut rng, msg.len(), c[1]);
        let b = inflate(&mut pieces, msg, text, &cut, &mut rng);
        if let Some(e) = a.1 {
            assert!(
                matches!(
                    e,
                    WsError::InvalidCompressedData
                        | WsError::MessageTooLarge
                        | WsError::InvalidUtf8
                        | WsError::IncompleteUtf8
                ),
                "unexpected error {e:?}"
            );
            assert!(matches!(e.close_code(), 1007 | 1009));
        }
        if limit != 0 {
            assert!(a.0.len() as u64 <= limit && b.0.len() as u64 <= limit);
        }
        // Split or whole, the same outcome; the bytes handed out before an error may differ
        // only by the piece that failed (the failing piece is never handed out).
        assert_eq!(a.1, b.1, "outcome differs between whole and split input");
        if a.1.is_none() {
            assert!(a.0 == b.0, "inflated bytes differ");
            if text {
                assert!(std::str::from_utf8(&a.0).is_ok());
            }
        } else {
            let n = a.0.len().min(b.0.len());
            assert!(a.0[..n] == b.0[..n], "bytes before the error differ");
        }
        if a.1.is_some() {
            // A failed message leaves both decompressors reset; keep them in step.
            whole.reset();
            pieces.reset();
        }
    }
}

fn split(data: &[u8]) -> Vec<&[u8]> {
    let mut v = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i + 3 <= data.len() {
        if data[i..i + 3] == [0xff, 0x00, 0xff] {
            v.push(&data[start..i]);
            i += 3;
            start = i;
        } else {
            i += 1;
        }
    }
    v.push(&data[start..]);
    v.truncate(16);
    v
}
