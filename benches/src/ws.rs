//! WebSocket: masking throughput (wireframe's `wf_ws_mask` against a byte loop and memcpy, and
//! its copying `wf_ws_mask_copy` against memcpy) and
//! decoding of masked binary frames (wireframe's `wf_ws_decode`, server role, against
//! tungstenite's server-side reader) in the same run, repetitions interleaved.

use std::hint::black_box;
use std::io::{self, Read, Write};
use std::mem::MaybeUninit;
use std::os::raw::c_int;
use std::time::{Duration, Instant};

use tungstenite::protocol::{Role, WebSocket};
use tungstenite::Message;
use wireframe::ffi::ws::{
    wf_ws_decode, wf_ws_decoder_init, wf_ws_mask, wf_ws_mask_copy, WsCallbacks, WsDecoder,
    WsFrameEnd, WF_WS_ROLE_SERVER,
};

use crate::stats::{median, Json};
use crate::{fail, Options};

const KEY: [u8; 4] = [0x37, 0xfa, 0x21, 0x3d];

/// The naive loop a user would write: one byte at a time, key byte `i % 4`. (The compiler is
/// free to vectorise it; docs/benchmarks.md says what it made of it.)
#[inline(never)]
fn mask_byte_loop(data: &mut [u8], key: [u8; 4]) {
    for (i, b) in data.iter_mut().enumerate() {
        *b ^= key[i & 3];
    }
}

/// Runs `op` repeatedly for `opts.reps` interleaved repetitions of about `opts.target` each,
/// after calibrating; returns nanoseconds per op for every repetition, per runner.
fn measure(
    opts: &Options,
    runners: &mut [(&'static str, &mut dyn FnMut() -> Duration)],
) -> Vec<Vec<f64>> {
    let counts: Vec<usize> = runners
        .iter_mut()
        .map(|(_, op)| {
            let mut spent = Duration::ZERO;
            let mut n = 0usize;
            while spent < opts.target / 4 || n < 2 {
                spent += op();
                n += 1;
            }
            ((opts.target.as_secs_f64() / (spent.as_secs_f64() / n as f64)).ceil() as usize).max(1)
        })
        .collect();
    let mut samples = vec![Vec::new(); runners.len()];
    for rep in 0..opts.reps {
        for k in 0..runners.len() {
            let i = (rep + k) % runners.len();
            let mut t = Duration::ZERO;
            for _ in 0..counts[i] {
                t += (runners[i].1)();
            }
            samples[i].push(t.as_nanos() as f64 / counts[i] as f64);
        }
    }
    samples
}

fn gb_s(bytes: usize, ns: f64) -> f64 {
    bytes as f64 / ns
}

fn mask_bench(opts: &Options) -> Json {
    println!();
    println!("== WebSocket masking (offset 0): GB/s, median; wireframe in place (wf_ws_mask) and");
    println!("   copying into another buffer (wf_ws_mask_copy, \"wf-copy\"), against a byte loop and memcpy");
    println!(
        "   {:>8} {:>10} {:>10} {:>10} {:>10}  {:>9} {:>9} {:>12}",
        "size",
        "wireframe",
        "wf-copy",
        "byte-loop",
        "memcpy",
        "wf/loop",
        "wf/memcpy",
        "copy/memcpy"
    );
    let mut rows = Vec::new();
    for size in [16usize, 125, 4096, 64 * 1024, 1024 * 1024] {
        let per_op = (64 * 1024 / size).max(1);
        let mut buf: Vec<u8> = (0..size).map(|i| (i * 31 + 7) as u8).collect();
        let mut buf2 = buf.clone();
        let src = buf.clone();
        let mut dst = vec![0u8; size];
        let mut copy_dst = vec![0u8; size];
        let mut wf = || {
            let start = Instant::now();
            for _ in 0..per_op {
                // SAFETY: `buf` holds `size` writable bytes; KEY is 4 bytes.
                let e = unsafe { wf_ws_mask(black_box(buf.as_mut_ptr()), size, KEY.as_ptr(), 0) };
                black_box(e);
            }
            start.elapsed()
        };
        let mut wf_copy = || {
            let start = Instant::now();
            for _ in 0..per_op {
                // SAFETY: `src` and `copy_dst` hold `size` bytes each and do not overlap.
                let e = unsafe {
                    wf_ws_mask_copy(
                        black_box(src.as_ptr()),
                        copy_dst.as_mut_ptr(),
                        size,
                        KEY.as_ptr(),
                        0,
                    )
                };
                black_box(e);
            }
            start.elapsed()
        };
        let mut byte_loop = || {
            let start = Instant::now();
            for _ in 0..per_op {
                mask_byte_loop(black_box(&mut buf2[..]), KEY);
            }
            start.elapsed()
        };
        let mut memcpy = || {
            let start = Instant::now();
            for _ in 0..per_op {
                // SAFETY: both buffers hold `size` bytes and do not overlap.
                unsafe {
                    std::ptr::copy_nonoverlapping(black_box(src.as_ptr()), dst.as_mut_ptr(), size)
                };
                black_box(&mut dst);
            }
            start.elapsed()
        };
        let s = measure(
            opts,
            &mut [
                ("wireframe", &mut wf),
                ("byte-loop", &mut byte_loop),
                ("memcpy", &mut memcpy),
                ("wf-copy", &mut wf_copy),
            ],
        );
        let bytes = size * per_op;
        let m: Vec<f64> = s.iter().map(|x| median(x)).collect();
        println!(
            "   {:>8} {:>10.2} {:>10.2} {:>10.2} {:>10.2}  {:>8.2}x {:>8.2}x {:>11.2}x",
            size,
            gb_s(bytes, m[0]),
            gb_s(bytes, m[3]),
            gb_s(bytes, m[1]),
            gb_s(bytes, m[2]),
            m[1] / m[0],
            m[2] / m[0],
            m[2] / m[3]
        );
        rows.push(Json::obj(vec![
            ("size", Json::Num(size as f64)),
            (
                "gb_per_s",
                Json::obj(vec![
                    ("wireframe", Json::Num(gb_s(bytes, m[0]))),
                    ("byte-loop", Json::Num(gb_s(bytes, m[1]))),
                    ("memcpy", Json::Num(gb_s(bytes, m[2]))),
                    ("wf-copy", Json::Num(gb_s(bytes, m[3]))),
                ]),
            ),
            ("wireframe_over_byte_loop", Json::Num(m[1] / m[0])),
            ("wireframe_over_memcpy", Json::Num(m[2] / m[0])),
            ("wf_copy_over_memcpy", Json::Num(m[2] / m[3])),
            (
                "samples_ns_per_op",
                Json::obj(vec![
                    (
                        "wireframe",
                        Json::Arr(s[0].iter().map(|&x| Json::Num(x / per_op as f64)).collect()),
                    ),
                    (
                        "byte-loop",
                        Json::Arr(s[1].iter().map(|&x| Json::Num(x / per_op as f64)).collect()),
                    ),
                    (
                        "memcpy",
                        Json::Arr(s[2].iter().map(|&x| Json::Num(x / per_op as f64)).collect()),
                    ),
                    (
                        "wf-copy",
                        Json::Arr(s[3].iter().map(|&x| Json::Num(x / per_op as f64)).collect()),
                    ),
                ]),
            ),
        ]));
        // Masking twice restores, whatever the count: nothing to check on the bytes here.
        black_box((&buf, &buf2, &copy_dst));
    }
    Json::Arr(rows)
}

/// `count` masked binary frames of `size` payload bytes each; returns (wire bytes, payloads).
fn frames(size: usize, count: usize) -> (Vec<u8>, Vec<u8>) {
    let mut wire = Vec::new();
    let mut plain = Vec::new();
    for f in 0..count {
        wire.push(0x82); // FIN, binary
        if size < 126 {
            wire.push(0x80 | size as u8);
        } else if size <= 0xffff {
            wire.push(0x80 | 126);
            wire.extend_from_slice(&(size as u16).to_be_bytes());
        } else {
            wire.push(0x80 | 127);
            wire.extend_from_slice(&(size as u64).to_be_bytes());
        }
        let key = [KEY[0], KEY[1] ^ f as u8, KEY[2], KEY[3]];
        wire.extend_from_slice(&key);
        for i in 0..size {
            let b = (i * 13 + f) as u8;
            plain.push(b);
            wire.push(b ^ key[i & 3]);
        }
    }
    (wire, plain)
}

#[derive(Default)]
struct FrameCounts {
    frames: u64,
    payload: u64,
}

unsafe extern "C" fn on_payload(d: *mut WsDecoder, _data: *const u8, len: usize) -> c_int {
    // SAFETY: `data` was set to a live FrameCounts by `wf_decode_all`.
    let c = unsafe { &mut *((*d).data as *mut FrameCounts) };
    c.payload += len as u64;
    0
}

unsafe extern "C" fn on_frame_complete(d: *mut WsDecoder, _end: *const WsFrameEnd) -> c_int {
    // SAFETY: as above.
    let c = unsafe { &mut *((*d).data as *mut FrameCounts) };
    c.frames += 1;
    0
}

const CALLBACKS: WsCallbacks = WsCallbacks {
    on_frame_header: None,
    on_payload: Some(on_payload),
    on_frame_complete: Some(on_frame_complete),
};

/// Decodes every frame of `buf` in place with wireframe (server role).
fn wf_decode_all(buf: &mut [u8], c: &mut FrameCounts) {
    let mut d = MaybeUninit::<WsDecoder>::uninit();
    let d = d.as_mut_ptr();
    // SAFETY: init accepts uninitialized memory; `data` is written before use.
    unsafe {
        wf_ws_decoder_init(d, WF_WS_ROLE_SERVER);
        (*d).data = c as *mut FrameCounts as *mut _;
    }
    // SAFETY: `d` was initialised above; `buf` holds `buf.len()` writable bytes.
    let n = unsafe { wf_ws_decode(d, &CALLBACKS, buf.as_mut_ptr(), buf.len()) };
    if n != buf.len() {
        fail("wireframe's WebSocket decoder stopped early");
    }
}

/// The stream tungstenite reads from: the frames, then nothing; writes go nowhere.
struct Wire<'a> {
    data: &'a [u8],
}

impl Read for Wire<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        self.data.read(out)
    }
}

impl Write for Wire<'_> {
    fn write(&mut self, b: &[u8]) -> io::Result<usize> {
        Ok(b.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Reads `count` messages with tungstenite's server-side reader (frame parsing, checks,
/// unmasking), calling `each` with every payload.
fn tungstenite_decode_all(
    buf: &[u8],
    count: usize,
    c: &mut FrameCounts,
    mut each: impl FnMut(&[u8]),
) {
    let mut ws = WebSocket::from_raw_socket(Wire { data: buf }, Role::Server, None);
    for _ in 0..count {
        match ws.read() {
            Ok(Message::Binary(b)) => {
                c.frames += 1;
                c.payload += b.len() as u64;
                each(&b);
            }
            other => fail(&format!("tungstenite: unexpected {other:?}")),
        }
    }
}

fn decode_bench(opts: &Options) -> Json {
    println!();
    println!("== WebSocket decoding of masked binary frames (server role, unmasking included)");
    println!(
        "   {:>8} {:>7} {:>12} {:>12} {:>12} {:>12}  {:>8}",
        "payload", "frames", "wf MB/s", "wf frames/s", "tung MB/s", "tung fr/s", "wf/tung"
    );
    let mut rows = Vec::new();
    for size in [16usize, 1024, 64 * 1024] {
        let count = (256 * 1024 / (size + 14)).max(4);
        let (wire, plain) = frames(size, count);
        let mut work = wire.clone();
        // Correctness first: both decode every frame to the original payload.
        let mut c = FrameCounts::default();
        wf_decode_all(&mut work, &mut c);
        let mut got = Vec::new();
        let mut pos = 0;
        for _ in 0..count {
            let hdr = if size < 126 {
                6
            } else if size <= 0xffff {
                8
            } else {
                14
            };
            got.extend_from_slice(&work[pos + hdr..pos + hdr + size]);
            pos += hdr + size;
        }
        if got != plain || c.frames != count as u64 || c.payload != (size * count) as u64 {
            fail("wireframe decoded the frames wrongly");
        }
        let mut t = FrameCounts::default();
        let mut tgot = Vec::new();
        tungstenite_decode_all(&wire, count, &mut t, |p| tgot.extend_from_slice(p));
        if tgot != plain || t.frames != c.frames || t.payload != c.payload {
            fail("tungstenite and wireframe disagree on the frames");
        }

        let mut wf = || {
            work.copy_from_slice(&wire); // untimed restore: decoding unmasks in place
            let mut c = FrameCounts::default();
            let start = Instant::now();
            wf_decode_all(&mut work, &mut c);
            let e = start.elapsed();
            if c.frames != count as u64 {
                fail("wireframe frame count");
            }
            e
        };
        let mut work2 = wire.clone();
        let mut tung = || {
            work2.copy_from_slice(&wire); // the same untimed step, for the same cache state
            let mut c = FrameCounts::default();
            let start = Instant::now();
            tungstenite_decode_all(&work2, count, &mut c, |p| {
                black_box(p);
            });
            let e = start.elapsed();
            if c.frames != count as u64 {
                fail("tungstenite frame count");
            }
            e
        };
        let s = measure(
            opts,
            &mut [("wireframe", &mut wf), ("tungstenite", &mut tung)],
        );
        let m: Vec<f64> = s.iter().map(|x| median(x)).collect();
        let bytes = wire.len();
        println!(
            "   {:>8} {:>7} {:>12.1} {:>12.0} {:>12.1} {:>12.0}  {:>7.2}x",
            size,
            count,
            bytes as f64 / m[0] * 1e3,
            count as f64 / m[0] * 1e9,
            bytes as f64 / m[1] * 1e3,
            count as f64 / m[1] * 1e9,
            m[1] / m[0]
        );
        rows.push(Json::obj(vec![
            ("payload_size", Json::Num(size as f64)),
            ("frames_per_op", Json::Num(count as f64)),
            ("wire_bytes_per_op", Json::Num(bytes as f64)),
            (
                "wireframe",
                Json::obj(vec![
                    ("mb_per_s", Json::Num(bytes as f64 / m[0] * 1e3)),
                    ("frames_per_s", Json::Num(count as f64 / m[0] * 1e9)),
                    (
                        "samples_ns_per_op",
                        Json::Arr(s[0].iter().map(|&x| Json::Num(x)).collect()),
                    ),
                ]),
            ),
            (
                "tungstenite",
                Json::obj(vec![
                    ("mb_per_s", Json::Num(bytes as f64 / m[1] * 1e3)),
                    ("frames_per_s", Json::Num(count as f64 / m[1] * 1e9)),
                    (
                        "samples_ns_per_op",
                        Json::Arr(s[1].iter().map(|&x| Json::Num(x)).collect()),
                    ),
                ]),
            ),
            ("wireframe_over_tungstenite", Json::Num(m[1] / m[0])),
        ]));
    }
    Json::Arr(rows)
}

/// Runs the WebSocket benchmarks, printing tables; returns their JSON.
pub fn run(opts: &Options) -> Json {
    let mask = mask_bench(opts);
    let decode = decode_bench(opts);
    Json::obj(vec![("masking", mask), ("decoding", decode)])
}
