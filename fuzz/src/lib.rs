//! The checks behind wireframe's fuzz targets.
//!
//! Each public function takes one fuzzer input, runs the code under test on it and panics when
//! a property fails. The libFuzzer binaries in `fuzz_targets/` are one-line wrappers around
//! them, and `tests/replay.rs` runs every committed corpus file and crash reproducer through the
//! same functions as ordinary tests, so a reproducer keeps failing `cargo test` until the bug is
//! fixed.
//!
//! Inputs start with a few configuration bytes (see each module); the rest is the wire data.
//! Split points, pauses and callback results come from a small generator seeded by the input,
//! so every run is deterministic.

#![deny(missing_docs)]

pub mod deflate_inflate;
pub mod deflate_roundtrip;
pub mod form_helpers;
pub mod handshake;
pub mod http_diff;
pub mod http_split;
pub mod mask;
pub mod multipart;
pub mod url;
pub mod utf8;
pub mod ws_decode;
pub mod ws_roundtrip;

/// A deterministic generator (xorshift64*) for split points and callback results.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed` (any value; 0 is remapped).
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15 | 1)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// True with probability 1/`n`.
    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }
}

/// Splits `data` into a configuration header of `N` bytes (zero-padded when the input is
/// shorter) and the rest.
pub fn take_config<const N: usize>(data: &[u8]) -> ([u8; N], &[u8]) {
    let mut cfg = [0u8; N];
    let n = data.len().min(N);
    cfg[..n].copy_from_slice(&data[..n]);
    (cfg, &data[n..])
}

/// Increasing cut offsets strictly inside `0..len`: none, a few random ones, or (rarely) every
/// byte.
pub fn cuts(rng: &mut Rng, len: usize, mode: u8) -> Vec<usize> {
    if len < 2 {
        return Vec::new();
    }
    match mode % 4 {
        0 => Vec::new(),
        1 if len <= 4096 => (1..len).collect(),
        _ => {
            let n = 1 + rng.below(8);
            let mut v: Vec<usize> = (0..n).map(|_| 1 + rng.below(len - 1)).collect();
            v.sort_unstable();
            v.dedup();
            v
        }
    }
}

/// `Parser::execute` as the bytes it consumed (what the C ABI's `wf_http_execute` returns): the
/// offset of the error when the call fails, 0 when the parser had already failed.
pub fn consumed<C: wireframe::http::Callbacks>(
    p: &mut wireframe::http::Parser,
    cb: &mut C,
    data: &[u8],
) -> usize {
    let failed_before = p.errno().is_error();
    match p.execute(cb, data) {
        Ok(n) => n,
        Err(_) if failed_before => 0,
        Err(e) => e.offset(),
    }
}
