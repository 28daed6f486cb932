//! Property test: on thousands of mutated messages, with random leniency, limits and parser
//! types, the parser never panics (debug build: overflow checks on), and its events, error and
//! stop offset do not depend on how the input is split.

mod common;
use common::*;
use wireframe::http::{Action, ParserType};

struct XorShift(u64);
impl XorShift {
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

const SEEDS: &[&[u8]] = &[
    b"GET /a?b#c HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, Upgrade\r\nUpgrade: ws\r\n\r\n",
    b"POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhelloGET / HTTP/1.0\r\n\r\n",
    b"PUT / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n3;x=\"y\\\"\";z\r\nabc\r\n0\r\nT: 1\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcHTTP/1.1 100 Continue\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\n\r\n",
    b"CONNECT h:1 HTTP/1.1\r\n\r\nxyz",
    b"GET /\r\n",
    b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
    b"SOURCE /m ICE/1.0\r\nContent-Length: 1\r\n\r\nx",
];

const INTERESTING: &[u8] = b"\r\n \t:;=\",\\0159aAfF/.-HTTP\x00\x7f\x80\xff";

fn mutate(rng: &mut XorShift, input: &[u8]) -> Vec<u8> {
    let mut v = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(v.len() + 1);
        match rng.below(5) {
            0 if at < v.len() => v[at] = INTERESTING[rng.below(INTERESTING.len())],
            1 => v.insert(at, INTERESTING[rng.below(INTERESTING.len())]),
            2 if at < v.len() => {
                v.remove(at);
            }
            3 => {
                let from = rng.below(v.len());
                let len = rng.below(v.len() - from + 1).min(16);
                let piece = v[from..from + len].to_vec();
                v.splice(at..at, piece);
            }
            _ if at < v.len() => v[at] = rng.next() as u8,
            _ => {}
        }
    }
    v
}

#[test]
fn mutated_messages_never_panic_and_are_split_invariant() {
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
    for round in 0..4000 {
        let seed = SEEDS[round % SEEDS.len()];
        let input = mutate(&mut rng, seed);
        let kind = [ParserType::Request, ParserType::Response, ParserType::Both][rng.below(3)];
        let mut setup = Setup::new(kind);
        setup.lenient = if rng.below(2) == 0 {
            0
        } else {
            rng.next() as u32 & 0x1fff
        };
        setup.max_header_size = [0, 8, 24, 60][rng.below(4)];
        setup.max_chunk_extensions_size = [0, 3, 9][rng.below(3)];
        setup.headers_complete_result = [
            Action::Continue,
            Action::Continue,
            Action::SkipBody,
            Action::SkipBodyUpgrade,
        ][rng.below(4)];
        setup.finish = rng.below(2) == 0;
        // Whole, every split in two, and byte by byte, all compared inside.
        parse_all_splits(setup, &input);
        // Three-way splits.
        for _ in 0..4 {
            let mut cuts = [rng.below(input.len() + 1), rng.below(input.len() + 1)];
            cuts.sort();
            let whole = parse_pieces(setup, &input, &[]);
            assert_eq!(
                parse_pieces(setup, &input, &cuts),
                whole,
                "{input:?} cut at {cuts:?}"
            );
        }
    }
}
