//! A counting global allocator proves that decoding, encoding, masking and the handshake
//! (core and C ABI) allocate nothing. Counting is per thread, so the test harness's own
//! allocations on other threads do not interfere.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use wireframe::handshake::{
    self, ClientRequest, RequestValidator, ResponseValidator, ServerConfig,
};
use wireframe::ws::{
    encoder, mask, Action, DecoderConfig, FrameDecoder, FrameEnd, FrameHeader, Handler, Opcode,
    Role, WsError,
};

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static COUNT: Cell<usize> = const { Cell::new(0) };
}

struct Counting;

// SAFETY: forwards to the system allocator; the bookkeeping uses const-initialized
// thread-locals, which never allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.with(Cell::get) {
            COUNT.with(|c| c.set(c.get() + 1));
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
        }
        // SAFETY: same contract as ours.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

fn count<R>(f: impl FnOnce() -> R) -> (R, usize) {
    COUNT.with(|c| c.set(0));
    COUNTING.with(|c| c.set(true));
    let r = f();
    COUNTING.with(|c| c.set(false));
    (r, COUNT.with(Cell::get))
}

struct Sum(u64, u32);

impl Handler for Sum {
    fn frame_header(&mut self, _: &FrameHeader) -> Action {
        self.1 += 1;
        Action::Continue
    }
    fn payload(&mut self, data: &[u8]) -> Action {
        self.0 += data.iter().map(|&b| u64::from(b)).sum::<u64>();
        Action::Continue
    }
    fn frame_complete(&mut self, _: &FrameEnd) -> Action {
        Action::Continue
    }
}

#[test]
fn nothing_allocates() {
    // Inputs are built before counting starts.
    let payload = vec![7u8; 200_000];
    let mut wire = vec![0u8; 400_100];
    let mut n = encoder::write_frame(
        &mut wire,
        false,
        false,
        Opcode::Text,
        Some([1, 2, 3, 4]),
        &payload[..100_000],
    )
    .unwrap();
    n += encoder::write_ping(&mut wire[n..], b"p", Some([1, 2, 3, 4])).unwrap();
    n += encoder::write_frame(
        &mut wire[n..],
        true,
        false,
        Opcode::Continuation,
        Some([1, 2, 3, 4]),
        &payload[..100_000],
    )
    .unwrap();
    n +=
        encoder::write_close(&mut wire[n..], 1000, "bye ✓".as_bytes(), Some([1, 2, 3, 4])).unwrap();
    let mut bad = wire[..n].to_vec();
    bad.extend_from_slice(&[0x83, 0x80, 0, 0, 0, 0]);
    let mut out = vec![0u8; 300_000];

    let ((), allocs) = count(|| {
        // Decoding, whole and in pieces, then an error.
        let mut d = FrameDecoder::new(DecoderConfig::new(Role::Server));
        let mut h = Sum(0, 0);
        let mut copy = wire.clone_from_slice_noalloc();
        for chunk in copy[..n].chunks_mut(1000) {
            assert_eq!(d.decode(chunk, &mut h), chunk.len());
        }
        assert_eq!(h.1, 4);
        let mut d = FrameDecoder::new(DecoderConfig::new(Role::Server));
        d.decode(&mut bad, &mut h);
        assert_eq!(d.error(), WsError::ReservedOpcode);
        // Encoding and masking.
        encoder::write_frame(
            &mut out,
            true,
            false,
            Opcode::Binary,
            Some([9, 9, 9, 9]),
            &payload,
        )
        .unwrap();
        encoder::write_close(&mut out, 1001, b"", None).unwrap();
        mask(&mut out[3..100_003], [1, 2, 3, 4], 3);
        // Handshake, server and client sides.
        let req = ClientRequest {
            host: b"h",
            path: b"/",
            protocols: b"chat",
            extensions: b"permessage-deflate",
            extra_headers: b"",
        };
        let nonce = [5u8; 16];
        let m = handshake::write_request(&mut out, &req, &nonce).unwrap();
        let mut v = RequestValidator::new(ServerConfig {
            protocols: b"chat",
            permessage_deflate: true,
        });
        for line in out[..m].split(|&b| b == b'\n').skip(1) {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if let Some(colon) = line.iter().position(|&b| b == b':') {
                v.header(&line[..colon], &line[colon + 1..]);
            }
        }
        let a = v.finish(b"GET", 1, 1).unwrap();
        let k = handshake::write_response(&mut out, &a).unwrap();
        let mut cv = ResponseValidator::new(&req, &nonce);
        for line in out[..k].split(|&b| b == b'\n').skip(1) {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if let Some(colon) = line.iter().position(|&b| b == b':') {
                cv.header(&line[..colon], &line[colon + 1..]);
            }
        }
        assert!(cv.finish(101).is_ok());
        handshake::write_reject(&mut out, 426).unwrap();
        assert_eq!(
            &handshake::accept_key(b"dGhlIHNhbXBsZSBub25jZQ=="),
            b"s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
        );
    });
    assert_eq!(allocs, 0);
}

/// `Vec::clone` allocates; the copy for decoding is made through a pre-sized buffer instead.
trait NoAllocClone {
    fn clone_from_slice_noalloc(&self) -> Vec<u8>;
}

impl NoAllocClone for Vec<u8> {
    fn clone_from_slice_noalloc(&self) -> Vec<u8> {
        COUNTING.with(|c| c.set(false));
        let v = self.clone();
        COUNTING.with(|c| c.set(true));
        v
    }
}

#[test]
fn ffi_decode_allocates_nothing() {
    use wireframe::ffi::ws::*;
    unsafe extern "C" fn on_end(_: *mut WsDecoder, _: *const WsFrameEnd) -> i32 {
        0
    }
    let mut wire = vec![0u8; 64];
    let n = encoder::write_frame(&mut wire, true, false, Opcode::Text, None, b"hello").unwrap();
    let mut d = std::mem::MaybeUninit::<WsDecoder>::uninit();
    let cb = WsCallbacks {
        on_frame_header: None,
        on_payload: None,
        on_frame_complete: Some(on_end),
    };
    // SAFETY: every pointer given to the C ABI is valid for the sizes passed.
    let (got, allocs) = count(|| unsafe {
        assert_eq!(
            wf_ws_decoder_init(d.as_mut_ptr(), WF_WS_ROLE_CLIENT),
            WsError::Ok
        );
        let used = wf_ws_decode(d.as_mut_ptr(), &cb, wire.as_mut_ptr(), n);
        let mut out = [0u8; 32];
        let mut written = 0usize;
        wf_ws_encode_ping(
            out.as_mut_ptr(),
            out.len(),
            b"x".as_ptr(),
            1,
            std::ptr::null(),
            &mut written,
        );
        (used, wf_ws_decoder_error(d.as_ptr()), written)
    });
    assert_eq!(got, (n, WsError::Ok, 3));
    assert_eq!(allocs, 0);
}

#[test]
fn the_counter_counts() {
    let (v, allocs) = count(|| vec![1u8; 10]);
    assert_eq!(v.len(), 10);
    assert_eq!(allocs, 1);
}
