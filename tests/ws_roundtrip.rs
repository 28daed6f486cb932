//! Encode then decode: lengths 0, 1, 125, 126, 127, 65535, 65536 and 3 MiB, masked (server
//! decoder) and unmasked (client decoder), fragmented and whole, split at random points.

#[path = "ws_common.rs"]
mod common;

use common::*;
use wireframe::ws::{encoder, DecoderConfig, FrameEnd, FrameHeader, Opcode, WsError};

fn encode(fin: bool, op: Opcode, key: Option<[u8; 4]>, payload: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; encoder::frame_len(payload.len() as u64, key.is_some()).unwrap()];
    let n = encoder::write_frame(&mut out, fin, false, op, key, payload).unwrap();
    assert_eq!(n, out.len());
    out
}

fn random_cuts(rng: &mut Rng, len: usize, count: usize) -> Vec<usize> {
    let mut cuts: Vec<usize> = (0..count).map(|_| rng.below(len + 1)).collect();
    cuts.sort_unstable();
    cuts
}

#[test]
fn round_trip_all_sizes_masked_and_unmasked() {
    let mut rng = Rng(42);
    let sizes = [0usize, 1, 125, 126, 127, 65535, 65536, 3 * 1024 * 1024 + 7];
    for &size in &sizes {
        let payload: Vec<u8> = (0..size).map(|_| rng.next_u64() as u8).collect();
        for masked in [true, false] {
            let key = if masked {
                Some([rng.next_u64() as u8, 7, 0, 255])
            } else {
                None
            };
            let cfg = DecoderConfig {
                max_message_size: 0,
                ..if masked { server() } else { client() }
            };
            // One whole frame, then the same payload as three fragments.
            let third = size / 3;
            let mut wire = encode(true, Opcode::Binary, key, &payload);
            wire.extend(encode(false, Opcode::Binary, key, &payload[..third]));
            wire.extend(encode(
                false,
                Opcode::Continuation,
                key,
                &payload[third..2 * third],
            ));
            wire.extend(encode(
                true,
                Opcode::Continuation,
                key,
                &payload[2 * third..],
            ));
            let expect = vec![
                Ev::H(FrameHeader {
                    fin: true,
                    rsv1: false,
                    rsv2: false,
                    rsv3: false,
                    opcode: Opcode::Binary,
                    mask: key,
                    payload_len: size as u64,
                }),
                Ev::P(payload.clone()),
                Ev::E(FrameEnd {
                    opcode: Opcode::Binary,
                    message_opcode: Opcode::Binary,
                    fin: true,
                    message_end: true,
                    close_code: 0,
                }),
                Ev::H(FrameHeader {
                    fin: false,
                    rsv1: false,
                    rsv2: false,
                    rsv3: false,
                    opcode: Opcode::Binary,
                    mask: key,
                    payload_len: third as u64,
                }),
                Ev::P(payload[..third].to_vec()),
                Ev::E(FrameEnd {
                    opcode: Opcode::Binary,
                    message_opcode: Opcode::Binary,
                    fin: false,
                    message_end: false,
                    close_code: 0,
                }),
                Ev::H(FrameHeader {
                    fin: false,
                    rsv1: false,
                    rsv2: false,
                    rsv3: false,
                    opcode: Opcode::Continuation,
                    mask: key,
                    payload_len: third as u64,
                }),
                Ev::P(payload[third..2 * third].to_vec()),
                Ev::E(FrameEnd {
                    opcode: Opcode::Continuation,
                    message_opcode: Opcode::Binary,
                    fin: false,
                    message_end: false,
                    close_code: 0,
                }),
                Ev::H(FrameHeader {
                    fin: true,
                    rsv1: false,
                    rsv2: false,
                    rsv3: false,
                    opcode: Opcode::Continuation,
                    mask: key,
                    payload_len: (size - 2 * third) as u64,
                }),
                Ev::P(payload[2 * third..].to_vec()),
                Ev::E(FrameEnd {
                    opcode: Opcode::Continuation,
                    message_opcode: Opcode::Binary,
                    fin: true,
                    message_end: true,
                    close_code: 0,
                }),
            ];
            let expect = merge(
                expect
                    .into_iter()
                    .filter(|e| !matches!(e, Ev::P(p) if p.is_empty()))
                    .collect(),
            );
            for round in 0..6 {
                let cuts = random_cuts(&mut rng, wire.len(), [0, 1, 2, 5, 20, 200][round]);
                let o = decode_chunks(cfg, &wire, &cuts, round == 3);
                assert_eq!(o.error, WsError::Ok, "size {size} masked {masked}");
                assert!(
                    o.events == expect,
                    "size {size} masked {masked} cuts {cuts:?}"
                );
            }
        }
    }
}

#[test]
fn round_trip_text_close_ping_pong() {
    let text = "ünïcödé ✓ 🎉".repeat(50);
    for masked in [true, false] {
        let key = if masked { Some([9, 8, 7, 6]) } else { None };
        let mut wire = encode(true, Opcode::Text, key, text.as_bytes());
        let mut buf = [0u8; 200];
        let n = encoder::write_ping(&mut buf, b"ping!", key).unwrap();
        wire.extend_from_slice(&buf[..n]);
        let n = encoder::write_pong(&mut buf, b"pong!", key).unwrap();
        wire.extend_from_slice(&buf[..n]);
        let n = encoder::write_close(&mut buf, 4001, "bye ✓".as_bytes(), key).unwrap();
        wire.extend_from_slice(&buf[..n]);
        let cfg = if masked { server() } else { client() };
        let o = decode_all_ways(cfg, &wire);
        assert_eq!(o.error, WsError::Ok);
        assert_eq!(o.events[1], Ev::P(text.as_bytes().to_vec()));
        assert_eq!(o.events[4], Ev::P(b"ping!".to_vec()));
        assert_eq!(o.events[7], Ev::P(b"pong!".to_vec()));
        let mut close = 4001u16.to_be_bytes().to_vec();
        close.extend_from_slice("bye ✓".as_bytes());
        assert_eq!(o.events[10], Ev::P(close));
        assert_eq!(
            o.events[11],
            Ev::E(FrameEnd {
                opcode: Opcode::Close,
                message_opcode: Opcode::Close,
                fin: true,
                message_end: true,
                close_code: 4001
            })
        );
    }
}
