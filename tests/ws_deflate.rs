//! permessage-deflate (RFC 7692): the RFC's own examples byte for byte, round trips through the
//! frame decoder for every window size and takeover setting, split at random points and byte
//! by byte, masked and unmasked, and the error paths (corrupt data 1007, too big 1009, bad
//! UTF-8 1007, RSV1 where it may not be 1002).

use wireframe::handshake::DeflateParams;
use wireframe::ws::decoder::flags;
use wireframe::ws::deflate::{
    compress_bound, encode_message_bound, Agreement, Compressor, Decompressor, DeflateOptions,
};
use wireframe::ws::{
    encoder, Action, DecoderConfig, FrameDecoder, FrameEnd, FrameHeader, Handler, Opcode, Role,
    WsError,
};

const KEY: [u8; 4] = [0x37, 0xfa, 0x21, 0x3d];

/// A seeded xorshift generator, so every run uses the same "random" splits.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Text-like bytes (words from a small vocabulary), compressible but not trivially.
fn text(n: usize, seed: u64) -> Vec<u8> {
    const WORDS: [&str; 12] = [
        "frame", "deflate", "window", "message", "socket", "héllo", "{\"id\":", "42,", "the",
        "wire", "\n", "über",
    ];
    let mut r = Rng(seed | 1);
    let mut v = Vec::with_capacity(n + 16);
    while v.len() < n {
        v.extend_from_slice(WORDS[r.below(WORDS.len())].as_bytes());
        v.push(b' ');
    }
    // Cut at a character boundary so the text stays UTF-8.
    let mut cut = n;
    while cut > 0 && cut < v.len() && (v[cut] & 0xC0) == 0x80 {
        cut -= 1;
    }
    v.truncate(cut);
    v.resize(n, b'.');
    v
}

fn params(server_bits: u8, client_bits: u8, server_nct: bool, client_nct: bool) -> DeflateParams {
    DeflateParams {
        server_no_context_takeover: server_nct,
        client_no_context_takeover: client_nct,
        server_max_window_bits: server_bits,
        client_max_window_bits_present: client_bits != 0,
        client_max_window_bits: client_bits,
    }
}

/// Decodes frames, inflating compressed messages into pieces of `piece` bytes, and collects the
/// messages (opcode, bytes).
struct Receiver {
    inflater: Decompressor,
    scratch: Vec<u8>,
    compressed: bool,
    current: Vec<u8>,
    messages: Vec<(Opcode, Vec<u8>)>,
    error: Option<WsError>,
}

impl Receiver {
    fn new(inflater: Decompressor, piece: usize) -> Self {
        Receiver {
            inflater,
            scratch: vec![0; piece],
            compressed: false,
            current: Vec::new(),
            messages: Vec::new(),
            error: None,
        }
    }
    fn fail(&mut self, e: WsError) -> Action {
        self.error = Some(e);
        Action::Fail
    }
}

impl Handler for Receiver {
    fn frame_header(&mut self, h: &FrameHeader) -> Action {
        if h.rsv1 {
            self.compressed = true;
            self.inflater.begin_message(h.opcode == Opcode::Text);
        }
        Action::Continue
    }
    fn payload(&mut self, data: &[u8]) -> Action {
        if !self.compressed {
            self.current.extend_from_slice(data);
            return Action::Continue;
        }
        let out = &mut self.current;
        match self
            .inflater
            .decompress_with(data, &mut self.scratch, |piece| {
                out.extend_from_slice(piece);
                Action::Continue
            }) {
            Ok(()) => Action::Continue,
            Err(e) => self.fail(e),
        }
    }
    fn frame_complete(&mut self, end: &FrameEnd) -> Action {
        if end.message_opcode.is_control() || !end.message_end {
            return Action::Continue;
        }
        if self.compressed {
            let out = &mut self.current;
            if let Err(e) = self.inflater.finish_with(&mut self.scratch, |piece| {
                out.extend_from_slice(piece);
                Action::Continue
            }) {
                return self.fail(e);
            }
        }
        self.compressed = false;
        let msg = std::mem::take(&mut self.current);
        self.messages.push((end.message_opcode, msg));
        Action::Continue
    }
}

/// Compresses each message with `c` and frames it: `frames` frames per message (RSV1 on the
/// first), masked when `masked`.
fn send(c: &mut Compressor, messages: &[(Opcode, &[u8])], frames: usize, masked: bool) -> Vec<u8> {
    let mut wire = Vec::new();
    for &(op, msg) in messages {
        let mut z = vec![0u8; compress_bound(msg.len())];
        let n = c.compress_message(msg, &mut z).unwrap();
        z.truncate(n);
        let per = z.len().div_ceil(frames).max(1);
        let chunks: Vec<&[u8]> = if z.is_empty() {
            vec![&[][..]]
        } else {
            z.chunks(per).collect()
        };
        for (i, chunk) in chunks.iter().enumerate() {
            let op_i = if i == 0 { op } else { Opcode::Continuation };
            let mut f = vec![0u8; encoder::frame_len(chunk.len() as u64, masked).unwrap()];
            let key = if masked { Some(KEY) } else { None };
            encoder::write_frame(&mut f, i + 1 == chunks.len(), i == 0, op_i, key, chunk).unwrap();
            wire.extend_from_slice(&f);
        }
    }
    wire
}

/// Feeds `wire` to a decoder in pieces whose lengths `next_len` chooses.
fn receive(
    wire: &[u8],
    role: Role,
    inflater: Decompressor,
    piece: usize,
    mut next_len: impl FnMut() -> usize,
) -> Receiver {
    let mut cfg = DecoderConfig::new(role);
    cfg.flags = flags::ALLOW_RSV1;
    cfg.max_message_size = 0;
    let mut d = FrameDecoder::new(cfg);
    let mut r = Receiver::new(inflater, piece);
    let mut buf = wire.to_vec();
    let mut at = 0;
    while at < buf.len() {
        let n = next_len().clamp(1, buf.len() - at);
        let used = d.decode(&mut buf[at..at + n], &mut r);
        assert_eq!(d.error(), WsError::Ok, "{:?}", r.error);
        assert_eq!(used, n);
        at += n;
    }
    r
}

fn inflater(a: &Agreement, max: u64) -> Decompressor {
    Decompressor::new(
        a.decompress_window_bits,
        a.decompress_no_context_takeover,
        max,
    )
    .unwrap()
}

fn deflater(a: &Agreement) -> Compressor {
    Compressor::new(
        a.compress_window_bits,
        a.compress_no_context_takeover,
        DeflateOptions::default(),
    )
    .unwrap()
}

// ---------------------------------------------------------------------------------------------
// RFC 7692 section 7.2.3, byte for byte.

const HELLO_FRAME: [u8; 9] = [0xc1, 0x07, 0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00];
const HELLO_AGAIN_FRAME: [u8; 7] = [0xc1, 0x05, 0xf2, 0x00, 0x11, 0x00, 0x00];

fn encode_unmasked(c: &mut Compressor, msg: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; encode_message_bound(msg.len())];
    let n = c.encode_message(Opcode::Text, msg, None, &mut out).unwrap();
    out.truncate(n);
    out
}

fn decode_all(wire: &[u8], inflater: Decompressor) -> Vec<(Opcode, Vec<u8>)> {
    for piece in [1usize, 3, 1 << 20] {
        let r = receive(wire, Role::Client, inflater_clone(&inflater), piece, || 1);
        let whole = receive(wire, Role::Client, inflater_clone(&inflater), piece, || {
            usize::MAX
        });
        assert_eq!(r.messages, whole.messages);
    }
    receive(wire, Role::Client, inflater, 7, || usize::MAX).messages
}

fn inflater_clone(d: &Decompressor) -> Decompressor {
    Decompressor::new(15, false, d.max_message_size()).unwrap()
}

#[test]
fn rfc7692_hello_compressed() {
    // 7.2.3.1: "Hello" in one compressed frame.
    let mut c = Compressor::new(15, false, DeflateOptions::default()).unwrap();
    assert_eq!(encode_unmasked(&mut c, b"Hello"), HELLO_FRAME);
    let got = decode_all(&HELLO_FRAME, Decompressor::new(15, false, 0).unwrap());
    assert_eq!(got, vec![(Opcode::Text, b"Hello".to_vec())]);
}

#[test]
fn rfc7692_hello_twice_shared_window() {
    // 7.2.3.2: the second "Hello" refers back into the window of the first.
    let mut c = Compressor::new(15, false, DeflateOptions::default()).unwrap();
    assert_eq!(encode_unmasked(&mut c, b"Hello"), HELLO_FRAME);
    assert_eq!(encode_unmasked(&mut c, b"Hello"), HELLO_AGAIN_FRAME);
    let wire = [&HELLO_FRAME[..], &HELLO_AGAIN_FRAME[..]].concat();
    let got = decode_all(&wire, Decompressor::new(15, false, 0).unwrap());
    assert_eq!(
        got,
        vec![
            (Opcode::Text, b"Hello".to_vec()),
            (Opcode::Text, b"Hello".to_vec())
        ]
    );
}

#[test]
fn rfc7692_hello_twice_no_context_takeover() {
    // 7.2.3.2 without context takeover: both messages compress alike.
    let mut c = Compressor::new(15, true, DeflateOptions::default()).unwrap();
    assert_eq!(encode_unmasked(&mut c, b"Hello"), HELLO_FRAME);
    assert_eq!(encode_unmasked(&mut c, b"Hello"), HELLO_FRAME);
    let wire = [&HELLO_FRAME[..], &HELLO_FRAME[..]].concat();
    let got = decode_all(&wire, Decompressor::new(15, true, 0).unwrap());
    assert_eq!(
        got,
        vec![
            (Opcode::Text, b"Hello".to_vec()),
            (Opcode::Text, b"Hello".to_vec())
        ]
    );
}

#[test]
fn rfc7692_uncompressed_block() {
    // 7.2.3.3: "Hello" in a stored (uncompressed) DEFLATE block; level 0 writes exactly it.
    let frame = [
        0xc1, 0x0b, 0x00, 0x05, 0x00, 0xfa, 0xff, 0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x00,
    ];
    let opts = DeflateOptions {
        level: 0,
        mem_level: 8,
    };
    let mut c = Compressor::new(15, false, opts).unwrap();
    assert_eq!(encode_unmasked(&mut c, b"Hello"), frame);
    let got = decode_all(&frame, Decompressor::new(15, false, 0).unwrap());
    assert_eq!(got, vec![(Opcode::Text, b"Hello".to_vec())]);
}

#[test]
fn rfc7692_bfinal_block_and_two_blocks() {
    // 7.2.3.4: a block with BFINAL set; 7.2.3.5: two blocks in one message.
    let bfinal = [0xc1, 0x08, 0xf3, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00, 0x00];
    let two = [
        0xc1, 0x0d, 0xf2, 0x48, 0x05, 0x00, 0x00, 0x00, 0xff, 0xff, 0xca, 0xc9, 0xc9, 0x07, 0x00,
    ];
    let wire = [&bfinal[..], &two[..], &HELLO_FRAME[..]].concat();
    let got = decode_all(&wire, Decompressor::new(15, false, 0).unwrap());
    let hello = (Opcode::Text, b"Hello".to_vec());
    assert_eq!(got, vec![hello.clone(), hello.clone(), hello]);
}

#[test]
fn rfc7692_empty_message_is_one_zero_byte() {
    // 7.2.3.6: an empty message compresses to the single byte 0x00.
    let mut c = Compressor::new(15, false, DeflateOptions::default()).unwrap();
    assert_eq!(encode_unmasked(&mut c, b""), [0xc1, 0x01, 0x00]);
    assert_eq!(encode_unmasked(&mut c, b""), [0xc1, 0x01, 0x00]);
    let got = decode_all(
        &[0xc1, 0x01, 0x00, 0xc1, 0x00],
        Decompressor::new(15, false, 0).unwrap(),
    );
    assert_eq!(got, vec![(Opcode::Text, vec![]), (Opcode::Text, vec![])]);
}

// ---------------------------------------------------------------------------------------------
// Round trips.

const SIZES: [usize; 7] = [0, 1, 125, 126, 65535, 65536, 8 << 20];

fn round_trip(bits: u8, nct: bool, size: usize, rng: &mut Rng) {
    // 8 MiB messages take one role per setting (alternating, so both masked and unmasked
    // frames carry them); the smaller ones take both.
    let roles: &[Role] = match (size >= 8 << 20, (bits + u8::from(nct)) % 2) {
        (false, _) => &[Role::Server, Role::Client],
        (true, 0) => &[Role::Server],
        (true, _) => &[Role::Client],
    };
    for &role in roles {
        // The peer is the other role; what it compresses, `role` decompresses.
        let p = params(bits, bits, nct, nct);
        let peer = Agreement::new(
            &p,
            if role == Role::Server {
                Role::Client
            } else {
                Role::Server
            },
        );
        let me = Agreement::new(&p, role);
        assert_eq!(peer.compress_window_bits, me.decompress_window_bits);
        let masked = role == Role::Server;
        let msg = if size % 2 == 0 {
            text(size, rng.next())
        } else {
            (0..size).map(|_| rng.next() as u8).collect()
        };
        let op = if size % 2 == 0 {
            Opcode::Text
        } else {
            Opcode::Binary
        };
        let mut c = deflater(&peer);
        // The same message twice (the second uses the window when takeover is allowed), the
        // first whole, the second in three frames.
        let mut wire = send(&mut c, &[(op, &msg)], 1, masked);
        wire.extend(send(&mut c, &[(op, &msg)], 3, masked));
        let want = vec![(op, msg.clone()), (op, msg.clone())];
        let piece = 1 + rng.below(70_000);
        let mut r2 = Rng(rng.next() | 1);
        let limit = (wire.len() / 8).max(2);
        let got = receive(&wire, role, inflater(&me, 0), piece, || 1 + r2.below(limit));
        assert_eq!(got.messages.len(), 2, "bits {bits} nct {nct} size {size}");
        assert!(
            got.messages == want,
            "bits {bits} nct {nct} size {size} role {role:?}"
        );
        if size <= 65536 {
            let got = receive(&wire, role, inflater(&me, 0), 1 + rng.below(300), || 1);
            assert!(
                got.messages == want,
                "byte by byte: bits {bits} nct {nct} size {size}"
            );
        }
    }
}

#[test]
fn round_trips_every_window_and_takeover() {
    let mut rng = Rng(0x5eed_0001);
    for bits in 8..=15u8 {
        for nct in [false, true] {
            for size in SIZES {
                round_trip(bits, nct, size, &mut rng);
            }
        }
    }
}

#[test]
fn window_8_compresses_within_256_bytes() {
    // With window bits 8 the compressor uses zlib's 512-byte window, whose matches reach at most
    // 250 bytes back; an inflater told 8 accepts the result. zlib-rs inflates with a 32 KiB
    // window, so this checks the distances themselves: every back-reference must resolve in a
    // 256-byte window, which a period-300 input would break if the compressor reached back 300.
    let mut rng = Rng(7);
    let unit: Vec<u8> = (0..300).map(|_| b'a' + (rng.next() % 26) as u8).collect();
    let msg: Vec<u8> = unit.iter().cycle().take(30_000).copied().collect();
    let mut c8 = Compressor::new(8, false, DeflateOptions::default()).unwrap();
    let mut c15 = Compressor::new(15, false, DeflateOptions::default()).unwrap();
    let mut z8 = vec![0u8; compress_bound(msg.len())];
    let mut z15 = z8.clone();
    let n8 = c8.compress_message(&msg, &mut z8).unwrap();
    let n15 = c15.compress_message(&msg, &mut z15).unwrap();
    // A 300-byte period is invisible to a 256-byte window: almost nothing compresses.
    assert!(
        n8 > msg.len() / 2,
        "window 8 output {n8} bytes: it reached back 300 bytes"
    );
    assert!(n15 < msg.len() / 20, "window 15 output {n15}");
}

// ---------------------------------------------------------------------------------------------
// Errors.

fn receive_err(wire: &[u8], role: Role, inflater: Decompressor) -> (WsError, Option<WsError>) {
    let mut cfg = DecoderConfig::new(role);
    cfg.flags = flags::ALLOW_RSV1;
    let mut d = FrameDecoder::new(cfg);
    let mut r = Receiver::new(inflater, 1024);
    let mut buf = wire.to_vec();
    d.decode(&mut buf, &mut r);
    (d.error(), r.error)
}

#[test]
fn corrupt_data_is_1007() {
    // Block type 3 (reserved) in the first byte.
    let wire = [0xc1, 0x03, 0xff, 0xff, 0xff];
    let (e, inner) = receive_err(
        &wire,
        Role::Client,
        Decompressor::new(15, false, 0).unwrap(),
    );
    assert_eq!(e, WsError::CallbackError);
    assert_eq!(inner, Some(WsError::InvalidCompressedData));
    assert_eq!(WsError::InvalidCompressedData.close_code(), 1007);
    // Data that stops inside a stored block: the restored tail cannot end it.
    let wire = [0xc1, 0x04, 0x00, 0x05, 0x00, 0xfa];
    let (_, inner) = receive_err(
        &wire,
        Role::Client,
        Decompressor::new(15, false, 0).unwrap(),
    );
    assert_eq!(inner, Some(WsError::InvalidCompressedData));
}

#[test]
fn invalid_utf8_after_inflating_is_1007() {
    let mut c = Compressor::new(15, false, DeflateOptions::default()).unwrap();
    let wire = send(&mut c, &[(Opcode::Text, b"ok \xff no")], 1, false);
    let (_, inner) = receive_err(
        &wire,
        Role::Client,
        Decompressor::new(15, false, 0).unwrap(),
    );
    assert_eq!(inner, Some(WsError::InvalidUtf8));
    let wire = send(&mut c, &[(Opcode::Text, b"cut \xc3")], 1, false);
    let (_, inner) = receive_err(
        &wire,
        Role::Client,
        Decompressor::new(15, false, 0).unwrap(),
    );
    assert_eq!(inner, Some(WsError::IncompleteUtf8));
    // Binary messages are not checked.
    let wire = send(&mut c, &[(Opcode::Binary, b"\xff")], 1, false);
    let got = receive(
        &wire,
        Role::Client,
        Decompressor::new(15, false, 0).unwrap(),
        9,
        || 1,
    );
    assert_eq!(got.messages, vec![(Opcode::Binary, b"\xff".to_vec())]);
}

#[test]
fn too_big_after_inflating_is_1009_and_nothing_past_one_byte_is_made() {
    let msg = vec![b'a'; 100_000];
    let mut c = Compressor::new(15, false, DeflateOptions::default()).unwrap();
    let wire = send(&mut c, &[(Opcode::Binary, &msg)], 1, false);
    assert!(wire.len() < 1000);
    // Exactly at the limit passes; one byte less fails.
    let ok = receive(
        &wire,
        Role::Client,
        Decompressor::new(15, false, 100_000).unwrap(),
        4096,
        || 1 << 20,
    );
    assert_eq!(ok.messages[0].1.len(), 100_000);
    let mut d = Decompressor::new(15, false, 99_999).unwrap();
    d.begin_message(false);
    let mut out = vec![0u8; 1 << 20];
    let e = d.decompress(&wire[2..], &mut out).unwrap_err();
    assert_eq!(e, WsError::MessageTooLarge);
    assert_eq!(e.close_code(), 1009);
    assert_eq!(d.message_size(), 100_000);
}

#[test]
fn rsv1_only_on_the_first_frame_and_never_on_control() {
    let mut cfg = DecoderConfig::new(Role::Client);
    cfg.flags = flags::ALLOW_RSV1;
    for wire in [
        vec![0x41, 0x01, 0x00, 0xc0, 0x00], // RSV1 on a continuation
        vec![0xc9, 0x00],                   // RSV1 on a ping
    ] {
        let mut d = FrameDecoder::new(cfg);
        let mut buf = wire.clone();
        d.decode(&mut buf, &mut ());
        assert_eq!(d.error(), WsError::UnexpectedRsv1);
        assert_eq!(d.close_code(), 1002);
    }
    // Without the negotiated extension RSV1 is refused everywhere.
    let mut d = FrameDecoder::new(DecoderConfig::new(Role::Client));
    d.decode(&mut HELLO_FRAME.clone(), &mut ());
    assert_eq!(d.error(), WsError::ReservedBits);
    assert_eq!(d.close_code(), 1002);
}

#[test]
fn agreement_follows_role() {
    let p = params(10, 12, true, false);
    let s = Agreement::new(&p, Role::Server);
    assert_eq!(
        (
            s.compress_window_bits,
            s.compress_no_context_takeover,
            s.decompress_window_bits,
            s.decompress_no_context_takeover
        ),
        (10, true, 12, false)
    );
    let c = Agreement::new(&p, Role::Client);
    assert_eq!(
        (
            c.compress_window_bits,
            c.compress_no_context_takeover,
            c.decompress_window_bits,
            c.decompress_no_context_takeover
        ),
        (12, false, 10, true)
    );
    let none = Agreement::new(&DeflateParams::default(), Role::Server);
    assert_eq!(
        (none.compress_window_bits, none.decompress_window_bits),
        (15, 15)
    );
}

#[test]
fn streaming_compression_with_small_buffers_matches_whole() {
    let msg = text(50_000, 3);
    for bits in [9u8, 15] {
        let mut whole = Compressor::new(bits, false, DeflateOptions::default()).unwrap();
        let mut z = vec![0u8; compress_bound(msg.len())];
        let n = whole.compress_message(&msg, &mut z).unwrap();
        let mut c = Compressor::new(bits, false, DeflateOptions::default()).unwrap();
        let mut got = Vec::new();
        let mut out = [0u8; 13];
        let mut rest = &msg[..];
        let mut rng = Rng(11);
        loop {
            let take = rest.len().min(rng.below(5000));
            let fin = take == rest.len();
            let p = c.compress(&rest[..take], &mut out, fin).unwrap();
            got.extend_from_slice(&out[..p.written]);
            rest = &rest[p.consumed..];
            if p.done && fin {
                break;
            }
        }
        // The compressed bytes may differ from the one-call output (flush points differ); both
        // must inflate to the message.
        let mut d = Decompressor::new(bits, false, 0).unwrap();
        for z in [&z[..n], &got[..]] {
            d.begin_message(false);
            let mut back = Vec::new();
            let mut scratch = [0u8; 777];
            d.decompress_with(z, &mut scratch, |p| {
                back.extend_from_slice(p);
                Action::Continue
            })
            .unwrap();
            d.finish_with(&mut scratch, |p| {
                back.extend_from_slice(p);
                Action::Continue
            })
            .unwrap();
            assert!(back == msg);
            d.reset();
        }
        assert!(!c.in_message());
        assert!(c.compress(b"", &mut [0u8; 7], true).is_err());
    }
}
