//! The parser never allocates: a counting global allocator sees no allocation while a corpus of
//! requests and responses (valid and invalid, whole and split) is parsed.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use wireframe::http::events::{execute_events, EventRow};
mod common;
use common::Consumed;
use wireframe::http::{Action, Callbacks, Event, Parser, ParserType};

// Allocations are counted on the test's own thread only: the test harness's other threads may
// allocate at any time.
thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

struct Counting;

// SAFETY: forwards to the system allocator; the bookkeeping uses const-initialized
// thread-locals, which never allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.with(Cell::get) {
            ALLOCATIONS.with(|c| c.set(c.get() + 1));
        }
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if COUNTING.with(Cell::get) {
            ALLOCATIONS.with(|c| c.set(c.get() + 1));
        }
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Callbacks that look at every byte without allocating.
struct Checksum(u64);
impl Callbacks for Checksum {
    fn on_data(&mut self, _: &mut Parser, e: Event, data: &[u8]) -> Action {
        self.0 = data
            .iter()
            .fold(self.0 ^ e as u64, |a, &b| a.rotate_left(5) ^ b as u64);
        Action::Continue
    }
    fn on_notify(&mut self, p: &mut Parser, e: Event) -> Action {
        self.0 = self.0.rotate_left(3) ^ e as u64 ^ p.should_keep_alive() as u64;
        Action::Continue
    }
}

const CORPUS: &[(ParserType, &[u8])] = &[
    (ParserType::Request, b"GET /a?b HTTP/1.1\r\nHost: x\r\nUser-Agent: y\r\n\r\n"),
    (ParserType::Request, b"POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhelloGET / HTTP/1.0\r\n\r\n"),
    (ParserType::Request, b"PUT / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;x=\"y\"\r\nabc\r\n0\r\nT: 1\r\n\r\n"),
    (ParserType::Request, b"GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n\x81\x00"),
    (ParserType::Request, b"POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n"),
    (ParserType::Request, b"GET / HTTP/1.1\r\nX: a\x01\r\n\r\n"),
    (ParserType::Response, b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"),
    (ParserType::Response, b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\n\r\n"),
    (ParserType::Response, b"HTTP/1.1 200 OK\r\n\r\nuntil eof"),
    (ParserType::Both, b"HTTP/1.1 204 No Content\r\n\r\n"),
    (ParserType::Both, b"DELETE /x HTTP/1.1\r\n\r\n"),
];

#[test]
fn parsing_allocates_nothing() {
    let mut rows = [EventRow::default(); 8];
    let mut sum = Checksum(0);
    COUNTING.with(|c| c.set(true));
    for &(kind, input) in CORPUS {
        for cut in 0..=input.len() {
            let mut p = Parser::new(kind);
            p.consumed(&mut sum, &input[..cut]);
            p.consumed(&mut sum, &input[cut..]);
            p.finish(&mut sum);
            if kind != ParserType::Both {
                let mut p = Parser::new(kind);
                let mut rest = input;
                for _ in 0..1000 {
                    let (n, count) = execute_events(&mut p, rest, &mut rows, 0);
                    rest = &rest[n..];
                    if (rest.is_empty() && count < rows.len()) || p.errno() as u32 != 0 {
                        break;
                    }
                }
            }
        }
    }
    COUNTING.with(|c| c.set(false));
    assert_eq!(ALLOCATIONS.with(Cell::get), 0, "the parser allocated");
    assert_ne!(sum.0, 0);
}
