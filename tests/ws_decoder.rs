//! Decoder vectors: every RFC 6455 rule with its exact error, close code and stream offset,
//! each replayed whole, split at every offset, byte by byte, and pausing after every event.

#[path = "ws_common.rs"]
mod common;

use common::*;
use wireframe::ws::decoder::flags;
use wireframe::ws::{DecoderConfig, FrameEnd, FrameHeader, Opcode, WsError};

fn hdr(b0: u8, masked: bool, len: u64) -> Ev {
    Ev::H(FrameHeader {
        fin: b0 & 0x80 != 0,
        rsv1: b0 & 0x40 != 0,
        rsv2: b0 & 0x20 != 0,
        rsv3: b0 & 0x10 != 0,
        opcode: Opcode::from_nibble(b0),
        mask: if masked { Some(KEY) } else { None },
        payload_len: len,
    })
}

fn end(op: Opcode, msg: Opcode, fin: bool, message_end: bool, close_code: u16) -> Ev {
    Ev::E(FrameEnd {
        opcode: op,
        message_opcode: msg,
        fin,
        message_end,
        close_code,
    })
}

fn p(b: &[u8]) -> Ev {
    Ev::P(b.to_vec())
}

fn cat(parts: &[Vec<u8>]) -> Vec<u8> {
    parts.concat()
}

/// Asserts the outcome is the error `e` with `close` at stream `offset`.
fn fails(cfg: DecoderConfig, input: &[u8], e: WsError, close: u16, offset: u64) -> Vec<Ev> {
    let o = decode_all_ways(cfg, input);
    assert_eq!(
        (o.error, o.close, o.offset),
        (e, close, offset),
        "{input:02x?}"
    );
    assert_eq!(e.close_code(), close);
    o.events
}

fn ok(cfg: DecoderConfig, input: &[u8]) -> Vec<Ev> {
    let o = decode_all_ways(cfg, input);
    assert_eq!(o.error, WsError::Ok, "{:?} at {}", o.error, o.offset);
    o.events
}

#[test]
fn single_masked_text() {
    let input = frame(0x81, b"Hello", true);
    assert_eq!(
        input,
        [0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58]
    );
    assert_eq!(
        ok(server(), &input),
        vec![
            hdr(0x81, true, 5),
            p(b"Hello"),
            end(Opcode::Text, Opcode::Text, true, true, 0)
        ]
    );
}

#[test]
fn rfc_examples_unmasked_for_client() {
    // RFC 6455 5.7: a single-frame unmasked text message, then a fragmented one, then a ping.
    let input = cat(&[
        vec![0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f],
        vec![0x01, 0x03, 0x48, 0x65, 0x6c],
        vec![0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f],
        vec![0x80, 0x02, 0x6c, 0x6f],
    ]);
    assert_eq!(
        ok(client(), &input),
        vec![
            hdr(0x81, false, 5),
            p(b"Hello"),
            end(Opcode::Text, Opcode::Text, true, true, 0),
            hdr(0x01, false, 3),
            p(b"Hel"),
            end(Opcode::Text, Opcode::Text, false, false, 0),
            hdr(0x89, false, 5),
            p(b"Hello"),
            end(Opcode::Ping, Opcode::Ping, true, true, 0),
            hdr(0x80, false, 2),
            p(b"lo"),
            end(Opcode::Continuation, Opcode::Text, true, true, 0),
        ]
    );
}

#[test]
fn lengths_16_and_64_bit_and_empty() {
    let big = vec![0xAB; 65536];
    let mid = vec![0xCD; 126];
    let input = cat(&[
        frame(0x82, &mid, false),
        frame(0x82, &[], false),
        frame(0x82, &big, false),
    ]);
    assert_eq!(&input[..4], &[0x82, 126, 0, 126]);
    let o = decode_chunks(client(), &input, &[1, 3, 200, 300, 60000], true);
    assert_eq!(o.error, WsError::Ok);
    assert_eq!(
        o.events,
        vec![
            hdr(0x82, false, 126),
            p(&mid),
            end(Opcode::Binary, Opcode::Binary, true, true, 0),
            hdr(0x82, false, 0),
            end(Opcode::Binary, Opcode::Binary, true, true, 0),
            hdr(0x82, false, 65536),
            p(&big),
            end(Opcode::Binary, Opcode::Binary, true, true, 0),
        ]
    );
    // Every split of a smaller 64-bit-length frame.
    let cfg = DecoderConfig {
        flags: flags::LENIENT_LENGTH,
        ..client()
    };
    let mut f = vec![0x82, 127, 0, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3];
    ok(cfg, &f);
    f[1] = 126;
    f.drain(2..8);
    assert_eq!(ok(cfg, &f)[0], hdr(0x82, false, 3));
}

#[test]
fn utf8_split_across_frames_and_interleaved_control() {
    // "€" (E2 82 AC) split between fragments, with a ping in between.
    let input = cat(&[
        frame(0x01, b"a\xE2", true),
        frame(0x89, b"hi", true),
        frame(0x00, b"\x82", true),
        frame(0x80, b"\xACz", true),
    ]);
    let ev = ok(server(), &input);
    assert_eq!(ev.len(), 12);
    assert_eq!(
        ev[11],
        end(Opcode::Continuation, Opcode::Text, true, true, 0)
    );
}

#[test]
fn close_frames() {
    let ev = ok(server(), &frame(0x88, b"\x03\xe8bye", true));
    assert_eq!(ev[2], end(Opcode::Close, Opcode::Close, true, true, 1000));
    let ev = ok(server(), &frame(0x88, b"", true));
    assert_eq!(ev[1], end(Opcode::Close, Opcode::Close, true, true, 1005));
    for code in [
        1000u16, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999,
        4000, 4999,
    ] {
        let ev = ok(server(), &frame(0x88, &code.to_be_bytes(), true));
        assert_eq!(
            ev[2],
            end(Opcode::Close, Opcode::Close, true, true, code),
            "{code}"
        );
    }
}

#[test]
fn reserved_opcodes() {
    for op in [0x3u8, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF] {
        let ev = fails(
            server(),
            &frame(0x80 | op, b"x", true),
            WsError::ReservedOpcode,
            1002,
            0,
        );
        assert!(ev.is_empty());
    }
}

#[test]
fn reserved_bits() {
    for bit in [0x40u8, 0x20, 0x10] {
        fails(
            server(),
            &frame(0x81 | bit, b"x", true),
            WsError::ReservedBits,
            1002,
            0,
        );
    }
    // Each allowed by its flag.
    let cfg = DecoderConfig {
        flags: flags::ALLOW_RSV2 | flags::ALLOW_RSV3,
        ..server()
    };
    ok(cfg, &frame(0xB2, b"x", true));
    // RSV1 allowed: a compressed text message is not UTF-8 checked (the caller inflates).
    let cfg = DecoderConfig {
        flags: flags::ALLOW_RSV1,
        ..server()
    };
    let ev = ok(cfg, &frame(0xC1, b"\xff\xfe", true));
    assert_eq!(ev[0], hdr(0xC1, true, 2));
    // ... but not on control or continuation frames (RFC 7692 6.1).
    fails(
        cfg,
        &frame(0xC9, b"", true),
        WsError::UnexpectedRsv1,
        1002,
        0,
    );
    let input = cat(&[frame(0x41, b"x", true), frame(0xC0, b"y", true)]);
    fails(cfg, &input, WsError::UnexpectedRsv1, 1002, 7);
}

#[test]
fn fragmented_control() {
    for op in [0x8u8, 0x9, 0xA] {
        fails(
            server(),
            &frame(op, b"", true),
            WsError::FragmentedControl,
            1002,
            0,
        );
    }
}

#[test]
fn control_too_long() {
    fails(
        server(),
        &frame(0x89, &[0; 126], true),
        WsError::ControlTooLong,
        1002,
        1,
    );
    ok(server(), &frame(0x89, &[0; 125], true));
}

#[test]
fn continuation_without_start() {
    fails(
        server(),
        &frame(0x80, b"x", true),
        WsError::UnexpectedContinuation,
        1002,
        0,
    );
    // After a complete message, too.
    let input = cat(&[frame(0x81, b"a", true), frame(0x00, b"b", true)]);
    fails(server(), &input, WsError::UnexpectedContinuation, 1002, 7);
}

#[test]
fn new_message_inside_fragmented_one() {
    let input = cat(&[frame(0x01, b"a", true), frame(0x81, b"b", true)]);
    fails(server(), &input, WsError::ExpectedContinuation, 1002, 7);
    let input = cat(&[frame(0x02, b"a", true), frame(0x02, b"b", true)]);
    fails(server(), &input, WsError::ExpectedContinuation, 1002, 7);
}

#[test]
fn length_top_bit() {
    let input = [0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4];
    fails(server(), &input, WsError::LengthTopBit, 1002, 2);
}

#[test]
fn non_minimal_lengths() {
    let input = [0x82, 0xFE, 0, 5, 1, 2, 3, 4, 0, 0, 0, 0, 0];
    fails(server(), &input, WsError::NonMinimalLength, 1002, 3);
    let input = [0x82, 0xFF, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 1, 2, 3, 4];
    fails(server(), &input, WsError::NonMinimalLength, 1002, 9);
    let lenient = DecoderConfig {
        flags: flags::LENIENT_LENGTH,
        ..server()
    };
    let ev = ok(lenient, &[0x82, 0xFE, 0, 1, 1, 2, 3, 4, 0x55]);
    assert_eq!(ev[1], p(&[0x54]));
}

#[test]
fn masking_must_match_role() {
    fails(
        server(),
        &frame(0x81, b"x", false),
        WsError::UnmaskedFrame,
        1002,
        1,
    );
    fails(
        client(),
        &frame(0x81, b"x", true),
        WsError::MaskedFrame,
        1002,
        1,
    );
}

#[test]
fn invalid_utf8_at_the_offending_byte() {
    // (payload, index of the first byte that makes it invalid)
    let cases: &[(&[u8], usize)] = &[
        (b"ab\xC0\x80", 2), // overlong 2-byte (C0, C1 never valid)
        (b"\xC1\xBF", 0),
        (b"\xE0\x80\x80", 1), // overlong 3-byte
        (b"\xE0\x9F\xBF", 1),
        (b"\xF0\x8F\xBF\xBF", 1), // overlong 4-byte
        (b"\xED\xA0\x80", 1),     // U+D800 surrogate
        (b"\xED\xBF\xBF", 1),     // U+DFFF surrogate
        (b"\xF4\x90\x80\x80", 1), // U+110000
        (b"\xF5\x80\x80\x80", 0),
        (b"\xFF", 0),
        (b"a\x80", 1),     // stray continuation
        (b"\xE2\x82a", 2), // truncated sequence
        (
            b"\xCE\xBA\xE1\xBD\xB9\xCF\x83\xCE\xBC\xCE\xB5\xED\xA0\x80edited",
            12,
        ),
    ];
    for &(payload, bad) in cases {
        let input = frame(0x81, payload, true);
        let ev = fails(server(), &input, WsError::InvalidUtf8, 1007, 6 + bad as u64);
        // Exactly the bytes before the offending one were delivered.
        let delivered: Vec<u8> = ev
            .iter()
            .filter_map(|e| {
                if let Ev::P(b) = e {
                    Some(b.clone())
                } else {
                    None
                }
            })
            .collect::<Vec<_>>()
            .concat();
        assert_eq!(delivered, &payload[..bad]);
    }
    // Across fragments: the surrogate's second byte is in the next frame.
    let input = cat(&[frame(0x01, b"\xED", true), frame(0x80, b"\xA0\x80", true)]);
    fails(server(), &input, WsError::InvalidUtf8, 1007, 7 + 6);
    // Valid boundary values.
    ok(
        server(),
        &frame(
            0x81,
            "\u{7F}\u{80}\u{7FF}\u{800}\u{D7FF}\u{E000}\u{FFFF}\u{10000}\u{10FFFF}".as_bytes(),
            true,
        ),
    );
}

#[test]
fn message_may_not_end_inside_a_code_point() {
    fails(
        server(),
        &frame(0x81, b"a\xE2\x82", true),
        WsError::IncompleteUtf8,
        1007,
        9,
    );
    let input = cat(&[frame(0x01, b"\xF0\x9F", true), frame(0x80, b"\x98", true)]);
    fails(server(), &input, WsError::IncompleteUtf8, 1007, 8 + 7);
    // Not an error in a non-final fragment, nor in a binary message.
    ok(server(), &frame(0x01, b"\xE2", true));
    ok(server(), &frame(0x82, b"\xE2", true));
}

#[test]
fn close_payload_of_one_byte() {
    fails(
        server(),
        &frame(0x88, b"\x03", true),
        WsError::CloseTooShort,
        1002,
        1,
    );
}

#[test]
fn close_codes_that_may_not_be_sent() {
    for code in [
        0u16, 1, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535,
    ] {
        let input = frame(0x88, &code.to_be_bytes(), true);
        let ev = fails(server(), &input, WsError::InvalidCloseCode, 1002, 7);
        assert_eq!(ev.len(), 2, "{code}: header and the code's first byte");
    }
}

#[test]
fn close_reason_must_be_utf8() {
    fails(
        server(),
        &frame(0x88, b"\x03\xe8ok\xff", true),
        WsError::InvalidCloseReason,
        1007,
        10,
    );
    fails(
        server(),
        &frame(0x88, b"\x03\xe8ok\xe2\x82", true),
        WsError::InvalidCloseReason,
        1007,
        12,
    );
    // The close reason has its own validator: a text message split around it is unaffected.
    let input = cat(&[
        frame(0x01, b"\xE2", true),
        frame(0x88, b"\x03\xe8\xE2\x82\xAC", true),
        frame(0x80, b"\x82\xAC", true),
    ]);
    ok(server(), &input);
}

#[test]
fn limits() {
    let cfg = DecoderConfig {
        max_frame_payload: 10,
        ..server()
    };
    ok(cfg, &frame(0x82, &[0; 10], true));
    fails(
        cfg,
        &frame(0x82, &[0; 11], true),
        WsError::FrameTooLarge,
        1009,
        1,
    );
    fails(
        cfg,
        &frame(0x82, &[0; 300], true),
        WsError::FrameTooLarge,
        1009,
        3,
    );

    let cfg = DecoderConfig {
        max_message_size: 10,
        ..server()
    };
    ok(
        cfg,
        &cat(&[frame(0x02, &[0; 5], true), frame(0x80, &[0; 5], true)]),
    );
    let input = cat(&[frame(0x02, &[0; 6], true), frame(0x80, &[0; 5], true)]);
    fails(cfg, &input, WsError::MessageTooLarge, 1009, 12 + 1);
    // Control frames do not count toward the message.
    ok(
        cfg,
        &cat(&[
            frame(0x02, &[0; 5], true),
            frame(0x89, &[0; 100], true),
            frame(0x80, &[0; 5], true),
        ]),
    );

    let cfg = DecoderConfig {
        max_fragments: 3,
        ..server()
    };
    let three = cat(&[
        frame(0x02, b"", true),
        frame(0x00, b"", true),
        frame(0x80, b"", true),
    ]);
    ok(cfg, &three);
    let four = cat(&[
        frame(0x02, b"", true),
        frame(0x00, b"", true),
        frame(0x00, b"", true),
        frame(0x80, b"", true),
    ]);
    fails(cfg, &four, WsError::TooManyFragments, 1009, 18);
    // A flood of empty fragments is stopped by the default limit.
    let mut flood = frame(0x02, b"", true);
    for _ in 0..70000 {
        flood.extend_from_slice(&frame(0x00, b"", true));
    }
    let o = decode_chunks(server(), &flood, &[], false);
    assert_eq!(
        (o.error, o.close, o.offset),
        (WsError::TooManyFragments, 1009, 6 * 65536)
    );
}

#[test]
fn callback_error_and_sticky_errors() {
    let mut d = wireframe::ws::FrameDecoder::new(server());
    let mut rec = Rec {
        fail_on_end: true,
        ..Rec::default()
    };
    let mut input = cat(&[frame(0x81, b"a", true), frame(0x81, b"b", true)]);
    assert_eq!(d.decode(&mut input, &mut rec), 7);
    assert_eq!(
        (d.error(), d.close_code(), d.error_offset()),
        (WsError::CallbackError, 1011, 7)
    );
    assert_eq!(d.decode(&mut input[7..], &mut rec), 0);
    assert_eq!(rec.ev.len(), 3);
}

#[test]
fn pause_returns_offset_and_resumes() {
    let mut d = wireframe::ws::FrameDecoder::new(server());
    let mut rec = Rec {
        pause: true,
        ..Rec::default()
    };
    let mut input = frame(0x81, b"Hi", true);
    assert_eq!(d.decode(&mut input, &mut rec), 6); // after the header
    assert_eq!(d.error(), WsError::Paused);
    assert_eq!(d.decode(&mut input[6..], &mut rec), 2); // after the payload
    assert_eq!(d.decode(&mut input[8..], &mut rec), 0); // frame complete, nothing left
    assert_eq!(d.error(), WsError::Paused);
    assert_eq!(d.decode(&mut [], &mut rec), 0);
    assert_eq!(d.error(), WsError::Ok);
    assert_eq!(rec.ev.len(), 3);
}

#[test]
fn error_table_is_consistent() {
    let mut seen = std::collections::HashSet::new();
    for &e in WsError::ALL {
        assert!(seen.insert(e as u32));
        assert_eq!(WsError::from_u32(e as u32), Some(e));
        assert!(e.name().starts_with("WF_WS_ERR_"));
        assert!(!e.description().is_empty());
        assert!([0, 1002, 1007, 1009, 1011].contains(&e.close_code()));
    }
    assert_eq!(WsError::InvalidUtf8 as u32, 13);
    assert_eq!(WsError::Paused as u32, 21);
}

#[test]
fn random_and_mutated_inputs_decode_the_same_at_every_split() {
    // No panic on any input, and the outcome (events, error, offset) never depends on the
    // split. Inputs: random bytes, and valid streams with one byte flipped.
    let mut rng = Rng(7);
    let valid = cat(&[
        frame(0x01, "héllo".as_bytes(), true),
        frame(0x89, b"p", true),
        frame(0x80, "wörld".as_bytes(), true),
        frame(0x88, b"\x03\xe8ok", true),
        frame(0x82, &[0x55; 130], true),
    ]);
    for round in 0..300 {
        let input: Vec<u8> = if round % 2 == 0 {
            (0..rng.below(40)).map(|_| rng.next_u64() as u8).collect()
        } else {
            let mut v = valid.clone();
            let i = rng.below(v.len());
            v[i] ^= 1 << rng.below(8);
            v
        };
        for cfg in [
            server(),
            client(),
            DecoderConfig {
                flags: flags::ALL,
                max_fragments: 2,
                max_message_size: 64,
                ..server()
            },
        ] {
            decode_all_ways(cfg, &input);
        }
    }
}
