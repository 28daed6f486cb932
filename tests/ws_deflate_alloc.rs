//! permessage-deflate memory: a counting global allocator shows that each compressor and
//! decompressor makes one allocation when it is created, of at most the size its size function
//! states (and not much less: the figure is a tight bound), and none while it compresses or
//! inflates messages, resets, or fails on bad data. It also measures the process's RSS while a
//! decompression bomb is refused.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use wireframe::ws::decoder::flags;
use wireframe::ws::deflate::{
    compress_bound, compressor_memory, decompressor_memory, Compressor, Decompressor,
    DeflateOptions,
};
use wireframe::ws::{
    Action, DecoderConfig, FrameDecoder, FrameEnd, FrameHeader, Handler, Role, WsError,
};

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static COUNT: Cell<usize> = const { Cell::new(0) };
    static BYTES: Cell<usize> = const { Cell::new(0) };
}

struct Counting;

// SAFETY: forwards to the system allocator; the bookkeeping uses const-initialized
// thread-locals, which never allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.with(Cell::get) {
            COUNT.with(|c| c.set(c.get() + 1));
            BYTES.with(|c| c.set(c.get() + layout.size()));
        }
        // SAFETY: same contract as ours.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if COUNTING.with(Cell::get) {
            COUNT.with(|c| c.set(c.get() + 1));
            BYTES.with(|c| c.set(c.get() + new_size));
        }
        // SAFETY: same contract as ours.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Runs `f`, returning its value, the number of allocations and the bytes they asked for.
fn count<R>(f: impl FnOnce() -> R) -> (R, usize, usize) {
    COUNT.with(|c| c.set(0));
    BYTES.with(|c| c.set(0));
    COUNTING.with(|c| c.set(true));
    let r = f();
    COUNTING.with(|c| c.set(false));
    (r, COUNT.with(Cell::get), BYTES.with(Cell::get))
}

#[test]
fn one_allocation_per_context_within_the_stated_size() {
    for bits in 8..=15u8 {
        for mem_level in 1..=9u8 {
            let opts = DeflateOptions {
                level: 6,
                mem_level,
            };
            let (c, n, bytes) = count(|| Compressor::new(bits, false, opts).unwrap());
            assert_eq!(n, 1, "compressor bits {bits} mem {mem_level}");
            let stated = compressor_memory(bits, mem_level);
            assert_eq!(c.memory_size(), stated);
            assert!(
                bytes <= stated,
                "bits {bits} mem {mem_level}: {bytes} > {stated}"
            );
            assert!(
                stated - bytes < 8192,
                "bits {bits} mem {mem_level}: {bytes} vs {stated}"
            );
        }
        let (d, n, bytes) = count(|| Decompressor::new(bits, true, 0).unwrap());
        assert_eq!(n, 1);
        let stated = decompressor_memory();
        assert!(
            bytes <= stated && stated - bytes < 8192,
            "decompressor: {bytes} vs {stated}"
        );
        assert_eq!(d.memory_size(), decompressor_memory());
    }
    assert_eq!(compressor_memory(7, 8), 0);
    assert_eq!(compressor_memory(15, 10), 0);
}

#[test]
fn compressing_and_inflating_allocate_nothing() {
    let msg: Vec<u8> = (0..300_000u32)
        .map(|i| (i % 251) as u8 ^ (i / 7000) as u8)
        .collect();
    let mut z = vec![0u8; compress_bound(msg.len())];
    let mut scratch = vec![0u8; 4096];
    for nct in [false, true] {
        let mut c = Compressor::new(12, nct, DeflateOptions::default()).unwrap();
        let mut d = Decompressor::new(12, nct, 1 << 20).unwrap();
        let (sum, n, _) = count(|| {
            let mut sum = 0u64;
            for _ in 0..3 {
                let len = c.compress_message(&msg, &mut z).unwrap();
                d.begin_message(false);
                let mut add = |p: &[u8]| {
                    sum += p.len() as u64;
                    Action::Continue
                };
                d.decompress_with(&z[..len], &mut scratch, &mut add)
                    .unwrap();
                d.finish_with(&mut scratch, &mut add).unwrap();
            }
            c.reset();
            d.reset();
            // Corrupt data fails without allocating either.
            d.begin_message(false);
            let e = d.decompress(&[0xff, 0xff, 0xff], &mut scratch).unwrap_err();
            assert_eq!(e, WsError::InvalidCompressedData);
            sum
        });
        assert_eq!(sum, 3 * msg.len() as u64);
        assert_eq!(n, 0, "no_context_takeover {nct}");
    }
}

fn rss_kib() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// Inflates compressed payload pieces, counting the inflated bytes, as a receiver would.
struct Sink {
    d: Decompressor,
    scratch: Vec<u8>,
    inflated: u64,
    error: Option<WsError>,
}

impl Handler for Sink {
    fn frame_header(&mut self, h: &FrameHeader) -> Action {
        if h.rsv1 {
            self.d.begin_message(false);
        }
        Action::Continue
    }
    fn payload(&mut self, data: &[u8]) -> Action {
        let total = &mut self.inflated;
        match self.d.decompress_with(data, &mut self.scratch, |p| {
            *total += p.len() as u64;
            Action::Continue
        }) {
            Ok(()) => Action::Continue,
            Err(e) => {
                self.error = Some(e);
                Action::Fail
            }
        }
    }
    fn frame_complete(&mut self, _: &FrameEnd) -> Action {
        Action::Continue
    }
}

#[test]
fn a_bomb_is_refused_with_1009_and_rss_stays_below_twice_the_limit() {
    const LIMIT: u64 = 8 << 20;
    // 1 GiB of zeros, compressed in 64 KiB steps so that no big buffer is ever allocated: about
    // 1 MiB of DEFLATE (zeros compress about 1000:1).
    let zeros = vec![0u8; 64 << 10];
    let mut c = Compressor::new(
        15,
        false,
        DeflateOptions {
            level: 9,
            mem_level: 8,
        },
    )
    .unwrap();
    let mut bomb = Vec::new();
    let mut out = vec![0u8; 256 << 10];
    for i in 0..(1 << 14) {
        let fin = i == (1 << 14) - 1;
        let mut rest = &zeros[..];
        loop {
            let p = c.compress(rest, &mut out, fin).unwrap();
            bomb.extend_from_slice(&out[..p.written]);
            rest = &rest[p.consumed..];
            if p.done {
                break;
            }
        }
    }
    assert!(bomb.len() < 2 << 20, "bomb of {} bytes", bomb.len());
    // An unmasked binary frame with RSV1 (a server's message to a client).
    let mut wire = vec![0xc2, 127];
    wire.extend_from_slice(&(bomb.len() as u64).to_be_bytes());
    wire.extend_from_slice(&bomb);
    drop(bomb);

    let before = rss_kib();
    let mut cfg = DecoderConfig::new(Role::Client);
    cfg.flags = flags::ALLOW_RSV1;
    let mut dec = FrameDecoder::new(cfg);
    let mut sink = Sink {
        d: Decompressor::new(15, false, LIMIT).unwrap(),
        scratch: vec![0u8; 16 << 10],
        inflated: 0,
        error: None,
    };
    for chunk in wire.chunks_mut(4096) {
        if dec.decode(chunk, &mut sink) < chunk.len() {
            break;
        }
    }
    let grown_kib = rss_kib().saturating_sub(before);
    assert_eq!(sink.error, Some(WsError::MessageTooLarge));
    assert_eq!(WsError::MessageTooLarge.close_code(), 1009);
    // Refused at the first byte past the limit; the piece that crossed it is not handed out.
    assert!(sink.inflated <= LIMIT && sink.inflated > LIMIT - (16 << 10));
    assert_eq!(sink.d.message_size(), LIMIT + 1);
    assert!(
        (grown_kib as u64) * 1024 < 2 * LIMIT,
        "RSS grew by {grown_kib} KiB while refusing the bomb"
    );
}
