//! wireframe's benchmark against its peers, every parser in one process on the same inputs.
//!
//! HTTP: wireframe (callback API and events entry point, both through the C ABI), llhttp,
//! http-parser, picohttpparser with and without SSE4.2, httparse, and memcpy as the ceiling.
//! WebSocket: masking against a byte loop and memcpy; decoding against tungstenite.
//! See docs/benchmarks.md for the method and how to read the output.
//!
//! Usage: wireframe-bench [--reps N] [--ms MS] [--json PATH] [--smoke] [--only-http|--only-ws]
//!        wireframe-bench --profile PARSER --input NAME [--passes N]   (for callgrind)

mod inputs;
mod peers;
mod stats;
mod ws;

use std::hint::black_box;
use std::os::raw::c_int;
use std::time::{Duration, Instant};

use inputs::{Input, Kind};
use peers::{Counts, Parser, Seg, REQUEST, RESPONSE};
use stats::{median, Json};

/// Bytes of input copies laid out for one timed block (each copy is one pass): small enough
/// to stay in L1d (48 KiB here) with the parsers' own state, large enough to make the timer's
/// cost negligible.
const ARENA_BYTES: usize = 32 * 1024;

/// Options from the command line.
pub struct Options {
    /// Repetitions per measurement (the median is reported).
    pub reps: usize,
    /// Target duration of one repetition of one parser on one input.
    pub target: Duration,
    /// Where the JSON goes.
    pub json: Option<String>,
    /// Run HTTP benchmarks.
    pub http: bool,
    /// Run WebSocket benchmarks.
    pub ws: bool,
}

/// An input laid out `copies` times in a work buffer, restorable from a pristine copy.
struct Arena {
    pristine: Vec<u8>,
    work: Vec<u8>,
    /// `copies` × `per_pass` segments pointing into `work`.
    segs: Vec<Seg>,
    per_pass: usize,
    copies: usize,
    ty: c_int,
    scratch: Vec<u8>,
}

impl Arena {
    fn new(input: &Input, min_bytes: usize) -> Arena {
        let pass = input.bytes();
        let copies = min_bytes.div_ceil(pass).max(1);
        let mut pristine = Vec::with_capacity(pass * copies);
        let mut offsets = Vec::new();
        for _ in 0..copies {
            for s in &input.segments {
                offsets.push((pristine.len(), s.len()));
                pristine.extend_from_slice(s);
            }
        }
        let work = pristine.clone();
        let segs = offsets
            .iter()
            .map(|&(o, n)| Seg {
                ptr: work[o..].as_ptr(),
                len: n,
            })
            .collect();
        let longest = input.segments.iter().map(Vec::len).max().unwrap_or(0);
        Arena {
            pristine,
            work,
            segs,
            per_pass: input.segments.len(),
            copies,
            ty: if input.kind == Kind::Request {
                REQUEST
            } else {
                RESPONSE
            },
            scratch: vec![0; longest],
        }
    }

    /// Puts the input back (picohttpparser's chunked decoding rewrites it in place).
    fn restore(&mut self) {
        self.work.copy_from_slice(&self.pristine);
    }

    fn pass_segs(&self, i: usize) -> &[Seg] {
        &self.segs[i * self.per_pass..(i + 1) * self.per_pass]
    }

    /// Restores the arena (untimed), then parses every copy once with `p` (timed). Returns
    /// the time taken, adding to `c`; exits on a parse error.
    fn block(&mut self, p: Parser, c: &mut Counts) -> Duration {
        self.restore();
        let mut scratch = std::mem::take(&mut self.scratch);
        let start = Instant::now();
        for i in 0..self.copies {
            let rc = p.pass(self.pass_segs(i), self.ty, c, &mut scratch);
            if rc != 0 {
                fail(&format!("{} failed to parse (code {rc})", p.name()));
            }
        }
        let t = start.elapsed();
        self.scratch = scratch;
        t
    }
}

fn fail(msg: &str) -> ! {
    eprintln!("wireframe-bench: {msg}");
    std::process::exit(1);
}

/// One pass of `p` on copy 0 of a freshly restored arena: the counts it records.
fn counts_of(arena: &mut Arena, p: Parser) -> Counts {
    arena.restore();
    let mut c = Counts::default();
    let mut scratch = std::mem::take(&mut arena.scratch);
    let rc = p.pass(arena.pass_segs(0), arena.ty, &mut c, &mut scratch);
    arena.scratch = scratch;
    if rc != 0 {
        fail(&format!("{} failed to parse (code {rc})", p.name()));
    }
    c
}

/// Checks that every parser records the same counts on `input`; prints them and exits on a
/// mismatch. Returns the reference counts.
fn check_counts(input: &Input, arena: &mut Arena, parsers: &[Parser]) -> Counts {
    let all: Vec<(Parser, Counts)> = parsers
        .iter()
        .filter(|p| **p != Parser::Memcpy)
        .map(|&p| (p, counts_of(arena, p)))
        .collect();
    let reference = all[0].1;
    if all.iter().any(|(_, c)| c.visible() != reference.visible()) {
        eprintln!("counts differ on input '{}':", input.name);
        eprintln!("{:<18} {}", "parser", Counts::NAMES.join(" "));
        for (p, c) in &all {
            eprintln!("{:<18} {:?}", p.name(), c.visible());
        }
        fail("parsers disagree: the equal-counts rule failed");
    }
    reference
}

/// Per-pass medians for one input.
struct HttpResult {
    input: &'static str,
    description: &'static str,
    bytes: usize,
    messages: u64,
    counts: Counts,
    /// (parser, nanoseconds per pass of every repetition)
    samples: Vec<(Parser, Vec<f64>)>,
}

fn bench_http(input: &Input, opts: &Options, parsers: &[Parser]) -> HttpResult {
    let mut arena = Arena::new(input, ARENA_BYTES);
    let reference = check_counts(input, &mut arena, parsers);
    // Calibrate (and warm up): blocks per repetition for each parser.
    let blocks: Vec<usize> = parsers
        .iter()
        .map(|&p| {
            let mut c = Counts::default();
            let mut n = 0usize;
            let mut spent = Duration::ZERO;
            while spent < opts.target / 4 || n < 2 {
                spent += arena.block(p, &mut c);
                n += 1;
            }
            ((opts.target.as_secs_f64() / (spent.as_secs_f64() / n as f64)).ceil() as usize).max(1)
        })
        .collect();
    let mut samples: Vec<Vec<f64>> = vec![Vec::new(); parsers.len()];
    for rep in 0..opts.reps {
        // Interleave: every parser once per repetition, starting each time with another.
        for k in 0..parsers.len() {
            let i = (rep + k) % parsers.len();
            let p = parsers[i];
            let mut c = Counts::default();
            let mut t = Duration::ZERO;
            for _ in 0..blocks[i] {
                t += arena.block(p, &mut c);
            }
            let passes = (blocks[i] * arena.copies) as u64;
            if p != Parser::Memcpy && c.messages != reference.messages * passes {
                fail(&format!(
                    "{} completed {} messages in {passes} passes",
                    p.name(),
                    c.messages
                ));
            }
            black_box(c);
            samples[i].push(t.as_nanos() as f64 / passes as f64);
        }
    }
    HttpResult {
        input: input.name,
        description: input.description,
        bytes: input.bytes(),
        messages: reference.messages,
        counts: reference,
        samples: parsers.iter().copied().zip(samples).collect(),
    }
}

fn mb_s(bytes: usize, ns: f64) -> f64 {
    bytes as f64 / ns * 1e3
}

fn print_http(r: &HttpResult) {
    println!();
    println!(
        "== {} ({} bytes, {} messages per pass): {}",
        r.input, r.bytes, r.messages, r.description
    );
    println!(
        "   counts per pass: headers {}, url {} B, status {} B, names {} B, values {} B, body {} B",
        r.counts.headers,
        r.counts.url_bytes,
        r.counts.status_bytes,
        r.counts.field_bytes,
        r.counts.value_bytes,
        r.counts.body_bytes
    );
    let med = |p: Parser| {
        r.samples
            .iter()
            .find(|(q, _)| *q == p)
            .map(|(_, s)| median(s))
    };
    let wf = med(Parser::Wireframe);
    let wfe = med(Parser::WireframeEvents);
    println!(
        "   {:<17} {:>10} {:>12} {:>10} {:>7}  {:>9} {:>9}",
        "parser", "MB/s", "msgs/s", "ns/msg", "spread", "wf/peer", "wf-ev/peer"
    );
    for (p, s) in &r.samples {
        let m = median(s);
        let lo = s.iter().cloned().fold(f64::INFINITY, f64::min);
        let hi = s.iter().cloned().fold(0.0, f64::max);
        let ratio = |w: Option<f64>| match w {
            Some(w) if *p != Parser::Wireframe && *p != Parser::WireframeEvents => {
                format!("{:.2}x", m / w)
            }
            _ => String::from("-"),
        };
        let msgs = if *p == Parser::Memcpy {
            String::from("-")
        } else {
            format!("{:.0}", r.messages as f64 / m * 1e9)
        };
        let per_msg = if *p == Parser::Memcpy {
            String::from("-")
        } else {
            format!("{:.1}", m / r.messages as f64)
        };
        println!(
            "   {:<17} {:>10.1} {:>12} {:>10} {:>6.1}%  {:>9} {:>9}",
            p.name(),
            mb_s(r.bytes, m),
            msgs,
            per_msg,
            (hi - lo) / m * 100.0,
            ratio(wf),
            ratio(wfe)
        );
    }
}

fn http_json(r: &HttpResult) -> Json {
    let med = |p: Parser| {
        r.samples
            .iter()
            .find(|(q, _)| *q == p)
            .map(|(_, s)| median(s))
    };
    let mut results = Vec::new();
    for (p, s) in &r.samples {
        let m = median(s);
        let mut o = vec![
            ("parser", Json::str(p.name())),
            ("ns_per_pass_median", Json::Num(m)),
            (
                "ns_per_pass_min",
                Json::Num(s.iter().cloned().fold(f64::INFINITY, f64::min)),
            ),
            ("mb_per_s", Json::Num(mb_s(r.bytes, m))),
            (
                "samples_ns_per_pass",
                Json::Arr(s.iter().map(|&x| Json::Num(x)).collect()),
            ),
        ];
        if *p != Parser::Memcpy {
            o.push(("messages_per_s", Json::Num(r.messages as f64 / m * 1e9)));
        }
        results.push(Json::obj(o));
    }
    let mut ratios = Vec::new();
    for w in [Parser::Wireframe, Parser::WireframeEvents] {
        let Some(wm) = med(w) else { continue };
        let per_peer = r
            .samples
            .iter()
            .filter(|(p, _)| *p != w)
            .map(|(p, s)| (p.name(), Json::Num(median(s) / wm)))
            .collect();
        ratios.push((w.name(), Json::Obj(per_peer)));
    }
    // The same ratios from each parser's fastest repetition: on a shared machine noise only
    // ever adds time, so these are a check on the medians.
    let min = |s: &Vec<f64>| s.iter().cloned().fold(f64::INFINITY, f64::min);
    let mut ratios_min = Vec::new();
    for w in [Parser::Wireframe, Parser::WireframeEvents] {
        let Some((_, ws)) = r.samples.iter().find(|(q, _)| *q == w) else {
            continue;
        };
        let wm = min(ws);
        let per_peer = r
            .samples
            .iter()
            .filter(|(p, _)| *p != w)
            .map(|(p, s)| (p.name(), Json::Num(min(s) / wm)))
            .collect();
        ratios_min.push((w.name(), Json::Obj(per_peer)));
    }
    let counts = Counts::NAMES
        .iter()
        .zip(r.counts.visible())
        .map(|(n, v)| (*n, Json::Num(v as f64)))
        .collect();
    Json::obj(vec![
        ("input", Json::str(r.input)),
        ("description", Json::str(r.description)),
        ("bytes_per_pass", Json::Num(r.bytes as f64)),
        ("messages_per_pass", Json::Num(r.messages as f64)),
        ("counts_per_pass", Json::Obj(counts)),
        ("results", Json::Arr(results)),
        ("speed_ratio_wireframe_over_peer", Json::Obj(ratios)),
        (
            "speed_ratio_wireframe_over_peer_fastest_reps",
            Json::Obj(ratios_min),
        ),
    ])
}

/// The region callgrind measures in --profile mode (`--toggle-collect=wb_profile_block`):
/// every copy of the arena parsed once by `p`, nothing else.
///
/// # Safety
/// `arena` must point to a live `Arena` and `c` to a live `Counts`, neither used elsewhere
/// during the call.
#[no_mangle]
#[inline(never)]
pub unsafe extern "C" fn wb_profile_block(p: u32, arena: *mut u8, c: *mut Counts) -> c_int {
    // SAFETY: the caller's contract above.
    let (arena, c) = unsafe { (&mut *(arena as *mut Arena), &mut *c) };
    let p = Parser::ALL[p as usize];
    let mut scratch = std::mem::take(&mut arena.scratch);
    let mut rc = 0;
    for i in 0..arena.copies {
        rc |= p.pass(arena.pass_segs(i), arena.ty, c, &mut scratch);
    }
    arena.scratch = scratch;
    rc
}

/// --profile: parses `input` at least `passes` times with one parser only, and prints how many
/// passes and messages that was, so callgrind's instruction count of `wb_profile_block` divides
/// into instructions per message.
fn profile(parser: Parser, input: &Input, passes: usize) {
    let mut arena = Arena::new(input, ARENA_BYTES);
    // Checked against llhttp only: valgrind 3.19 cannot run picohttpparser's SSE4.2 code
    // (pcmpestri), so the profiled run must not touch it unless it is the one profiled.
    let reference = check_counts(input, &mut arena, &[Parser::Llhttp, parser]);
    let index = Parser::ALL.iter().position(|p| *p == parser).unwrap() as u32;
    let blocks = passes.div_ceil(arena.copies).max(1);
    let mut c = Counts::default();
    for _ in 0..blocks {
        arena.restore();
        // SAFETY: `arena` and `c` are this function's own locals, not borrowed elsewhere.
        let rc = unsafe { wb_profile_block(index, &mut arena as *mut Arena as *mut u8, &mut c) };
        if rc != 0 {
            fail(&format!("{} failed to parse (code {rc})", parser.name()));
        }
    }
    let total = (blocks * arena.copies) as u64;
    if parser != Parser::Memcpy && c.messages != reference.messages * total {
        fail("message count mismatch in profile mode");
    }
    println!(
        "profile parser={} input={} passes={} messages={} bytes={}",
        parser.name(),
        input.name,
        total,
        reference.messages * total,
        input.bytes() as u64 * total
    );
}

fn arg_value(args: &[String], i: &mut usize, flag: &str) -> String {
    *i += 1;
    args.get(*i)
        .cloned()
        .unwrap_or_else(|| fail(&format!("{flag} needs a value")))
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mut opts = Options {
        reps: 7,
        target: Duration::from_millis(40),
        json: None,
        http: true,
        ws: true,
    };
    let mut profile_parser = None;
    let mut profile_input = None;
    let mut passes = 20_000usize;
    let mut smoke = false;
    let mut i = 1;
    while i < args.len() {
        match args[i].as_str() {
            "--reps" => {
                opts.reps = arg_value(&args, &mut i, "--reps")
                    .parse()
                    .unwrap_or_else(|_| fail("bad --reps"))
            }
            "--ms" => {
                let ms: f64 = arg_value(&args, &mut i, "--ms")
                    .parse()
                    .unwrap_or_else(|_| fail("bad --ms"));
                opts.target = Duration::from_secs_f64(ms / 1e3);
            }
            "--json" => opts.json = Some(arg_value(&args, &mut i, "--json")),
            "--smoke" => smoke = true,
            "--only-http" => opts.ws = false,
            "--only-ws" => opts.http = false,
            "--profile" => {
                let name = arg_value(&args, &mut i, "--profile");
                profile_parser = Some(
                    Parser::from_name(&name)
                        .unwrap_or_else(|| fail(&format!("unknown parser {name}"))),
                );
            }
            "--input" => profile_input = Some(arg_value(&args, &mut i, "--input")),
            "--passes" => {
                passes = arg_value(&args, &mut i, "--passes")
                    .parse()
                    .unwrap_or_else(|_| fail("bad --passes"))
            }
            "-h" | "--help" => {
                println!("usage: wireframe-bench [--reps N] [--ms MS] [--json PATH] [--smoke] [--only-http|--only-ws]");
                println!("       wireframe-bench --profile PARSER --input NAME [--passes N]");
                println!("parsers: {}", Parser::ALL.map(Parser::name).join(" "));
                println!(
                    "inputs: {}",
                    inputs::all()
                        .iter()
                        .map(|i| i.name)
                        .collect::<Vec<_>>()
                        .join(" ")
                );
                return;
            }
            other => fail(&format!("unknown argument {other} (try --help)")),
        }
        i += 1;
    }
    if smoke {
        // A few iterations: checks that every parser agrees on every input and that the
        // whole harness runs; the figures mean nothing.
        opts.reps = 1;
        opts.target = Duration::from_micros(200);
    }
    if opts.reps == 0 {
        fail("--reps must be at least 1");
    }
    let all_inputs = inputs::all();
    if let Some(p) = profile_parser {
        let name = profile_input.unwrap_or_else(|| String::from("classic"));
        let input = all_inputs
            .iter()
            .find(|i| i.name == name)
            .unwrap_or_else(|| fail(&format!("unknown input {name}")));
        profile(p, input, passes);
        return;
    }

    println!(
        "wireframe-bench: {} repetitions, {:?} per measurement, medians; CPU: {}",
        opts.reps,
        opts.target,
        stats::cpu_model()
    );
    let mut http = Vec::new();
    if opts.http {
        for input in &all_inputs {
            let r = bench_http(input, &opts, &Parser::ALL);
            print_http(&r);
            http.push(r);
        }
        println!();
        println!(
            "equal-counts rule: all {} parsers agreed on all {} inputs",
            Parser::ALL.len() - 1,
            all_inputs.len()
        );
    }
    let ws = if opts.ws { Some(ws::run(&opts)) } else { None };

    if let Some(path) = &opts.json {
        let mut top = vec![
            ("tool", Json::str("wireframe-bench")),
            ("cpu", Json::str(&stats::cpu_model())),
            ("repetitions", Json::Num(opts.reps as f64)),
            (
                "target_ms_per_measurement",
                Json::Num(opts.target.as_secs_f64() * 1e3),
            ),
            ("smoke", Json::Bool(smoke)),
            ("http", Json::Arr(http.iter().map(http_json).collect())),
        ];
        if let Some(ws) = ws {
            top.push(("websocket", ws));
        }
        let text = Json::obj(top).render();
        if let Some(dir) = std::path::Path::new(path).parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        std::fs::write(path, text + "\n").unwrap_or_else(|e| fail(&format!("writing {path}: {e}")));
        println!("\nJSON written to {path}");
    }
}
