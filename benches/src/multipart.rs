//! multipart/form-data throughput: wireframe's parser against a memchr scan of the same bytes
//! (the ceiling: one pass over memory that looks at every byte and finds nothing), on two
//! bodies, fed in 64 KiB reads. Also writes the bodies for the Python and Node benchmarks, so
//! every language parses the same bytes.
//!
//! usage: wireframe-bench-multipart --write DIR            (writes large.bin, small.bin, boundary)
//!        wireframe-bench-multipart --bodies DIR [--reps N] [--ms MS]

use std::hint::black_box;
use std::time::{Duration, Instant};

use wireframe::form::{Action, Handler, MultipartConfig, MultipartParser};

const BOUNDARY: &[u8] = b"----WebKitFormBoundary7MA4YWxkTrZu0gW";
const READ: usize = 64 * 1024;

/// xorshift64*: deterministic bodies.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

/// Random bytes 0x00-0xFE (0xFF never occurs, so memchr for it scans everything), never
/// containing the delimiter.
fn binary(rng: &mut Rng, n: usize) -> Vec<u8> {
    (0..n).map(|_| (rng.next() % 255) as u8).collect()
}

fn part(out: &mut Vec<u8>, disposition: &str, ctype: Option<&str>, data: &[u8]) {
    out.extend_from_slice(b"--");
    out.extend_from_slice(BOUNDARY);
    out.extend_from_slice(b"\r\nContent-Disposition: form-data; ");
    out.extend_from_slice(disposition.as_bytes());
    out.extend_from_slice(b"\r\n");
    if let Some(t) = ctype {
        out.extend_from_slice(b"Content-Type: ");
        out.extend_from_slice(t.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(data);
    out.extend_from_slice(b"\r\n");
}

fn close(out: &mut Vec<u8>) {
    out.extend_from_slice(b"--");
    out.extend_from_slice(BOUNDARY);
    out.extend_from_slice(b"--\r\n");
}

/// Three files of 8 MiB of random binary.
fn large() -> Vec<u8> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut out = Vec::new();
    for i in 0..3 {
        let d = binary(&mut rng, 8 << 20);
        part(
            &mut out,
            &format!("name=\"file{i}\"; filename=\"f{i}.bin\""),
            Some("application/octet-stream"),
            &d,
        );
    }
    close(&mut out);
    out
}

/// 20 000 text fields of 20-120 bytes (a big form, or an API posting many small values).
fn small() -> Vec<u8> {
    let mut rng = Rng(0x1234_5678_9ABC_DEF1);
    let mut out = Vec::new();
    for i in 0..20_000 {
        let n = 20 + (rng.next() % 100) as usize;
        let d: Vec<u8> = (0..n).map(|_| b'a' + (rng.next() % 26) as u8).collect();
        part(&mut out, &format!("name=\"field{i}\""), None, &d);
    }
    close(&mut out);
    out
}

struct Count(u64);
impl Handler for Count {
    fn part_data(&mut self, data: &[u8], _: bool) -> Action {
        self.0 += data.len() as u64;
        Action::Continue
    }
    fn part_end(&mut self) -> Action {
        self.0 += 1;
        Action::Continue
    }
}

fn parse(body: &[u8]) -> u64 {
    let mut p = MultipartParser::new(
        BOUNDARY,
        MultipartConfig {
            max_parts: 100_000,
            ..MultipartConfig::DEFAULT
        },
    )
    .expect("boundary");
    let mut h = Count(0);
    for chunk in body.chunks(READ) {
        p.execute(chunk, &mut h);
    }
    assert_eq!(p.finish(), wireframe::form::FormError::Ok);
    h.0
}

fn memchr_scan(body: &[u8]) -> u64 {
    let mut found = 0u64;
    for chunk in body.chunks(READ) {
        // SAFETY: `chunk` is a live slice of `chunk.len()` readable bytes.
        let p = unsafe { libc::memchr(chunk.as_ptr().cast(), 0xFF, chunk.len()) };
        found += (!p.is_null()) as u64;
    }
    found
}

/// MB/s of `f` on `body`: repeat for about `target`, take the time per pass.
fn rate(body: &[u8], target: Duration, f: fn(&[u8]) -> u64) -> f64 {
    let start = Instant::now();
    let mut passes = 0u32;
    while passes < 2 || start.elapsed() < target {
        black_box(f(black_box(body)));
        passes += 1;
    }
    body.len() as f64 * passes as f64 / start.elapsed().as_secs_f64() / 1e6
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let get = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    if let Some(dir) = get("--write") {
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::write(format!("{dir}/large.bin"), large()).expect("write");
        std::fs::write(format!("{dir}/small.bin"), small()).expect("write");
        std::fs::write(format!("{dir}/boundary"), BOUNDARY).expect("write");
        return;
    }
    let dir = get("--bodies").unwrap_or_else(|| {
        eprintln!(
            "usage: wireframe-bench-multipart --write DIR | --bodies DIR [--reps N] [--ms MS]"
        );
        std::process::exit(2)
    });
    let reps: usize = get("--reps").map_or(7, |s| s.parse().expect("--reps"));
    let target = Duration::from_millis(get("--ms").map_or(200, |s| s.parse().expect("--ms")));
    for name in ["large", "small"] {
        let body = std::fs::read(format!("{dir}/{name}.bin")).expect("read body");
        assert_eq!(memchr_scan(&body), 0, "0xFF must not occur in the body");
        let (mut ours, mut ceiling) = (Vec::new(), Vec::new());
        // Interleaved repetitions: both see the same machine state.
        for _ in 0..reps {
            ours.push(rate(&body, target, parse));
            ceiling.push(rate(&body, target, memchr_scan));
        }
        let (o, c) = (median(ours), median(ceiling));
        println!(
            "{{\"body\": \"{name}\", \"bytes\": {}, \"wireframe_mb_s\": {o:.1}, \"memchr_mb_s\": {c:.1}, \"ratio\": {:.3}}}",
            body.len(),
            o / c
        );
    }
}
