//! `deflate-bench`: wireframe's permessage-deflate throughput, one measurement per run, for
//! benches/deflate/run.py, which runs the same measurement with Node's zlib (as `ws` uses it)
//! and Python's zlib (as `websockets` uses it) and prints the ratios.
//!
//! `deflate-bench compress|decompress FILE WINDOW_BITS MEM_LEVEL LEVEL MILLISECONDS`
//!
//! FILE holds records (a 4-byte little-endian length, then the bytes): the messages to
//! compress, or compressed messages (flush tail removed) to inflate in order, one stream
//! whose window carries from message to message. The messages are used round and round, each
//! round from a fresh context, for at least MILLISECONDS; prints `bytes_per_second N`
//! (uncompressed bytes).

use std::time::{Duration, Instant};

use wireframe::ws::deflate::{compress_bound, Compressor, Decompressor, DeflateOptions};
use wireframe::ws::Action;

fn records(path: &str) -> Vec<Vec<u8>> {
    let data = std::fs::read(path).expect("reading the input file");
    let mut v = Vec::new();
    let mut at = 0;
    while at + 4 <= data.len() {
        let n = u32::from_le_bytes(data[at..at + 4].try_into().unwrap()) as usize;
        v.push(data[at + 4..at + 4 + n].to_vec());
        at += 4 + n;
    }
    v
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 7 {
        eprintln!("usage: deflate-bench compress|decompress FILE WINDOW_BITS MEM_LEVEL LEVEL MS");
        std::process::exit(2);
    }
    let msgs = records(&args[2]);
    let bits: u8 = args[3].parse().unwrap();
    let opts = DeflateOptions {
        mem_level: args[4].parse().unwrap(),
        level: args[5].parse().unwrap(),
    };
    let budget = Duration::from_millis(args[6].parse().unwrap());
    let mut bytes = 0u64;
    let start = Instant::now();
    match args[1].as_str() {
        "compress" => {
            let max = msgs.iter().map(|m| m.len()).max().unwrap_or(0);
            let mut out = vec![0u8; compress_bound(max)];
            while start.elapsed() < budget {
                let mut c = Compressor::new(bits, false, opts).unwrap();
                for m in &msgs {
                    let n = c.compress_message(m, &mut out).unwrap();
                    std::hint::black_box(&out[..n]);
                    bytes += m.len() as u64;
                }
            }
        }
        "decompress" => {
            let mut scratch = vec![0u8; 64 * 1024];
            let mut d = Decompressor::new(bits, false, 0).unwrap();
            while start.elapsed() < budget {
                d.reset();
                for z in &msgs {
                    d.begin_message(false);
                    let mut add = |p: &[u8]| {
                        bytes += p.len() as u64;
                        std::hint::black_box(p);
                        Action::Continue
                    };
                    d.decompress_with(z, &mut scratch, &mut add).unwrap();
                    d.finish_with(&mut scratch, &mut add).unwrap();
                }
            }
        }
        op => panic!("unknown operation {op}"),
    }
    let secs = start.elapsed().as_secs_f64();
    println!("bytes_per_second {:.0}", bytes as f64 / secs);
}
