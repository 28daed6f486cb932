//! The form formats never allocate: a counting global allocator sees no allocation while
//! multipart bodies (valid and invalid, whole and split at every byte) and every helper run.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use wireframe::form::{
    boundary_from_content_type, decode_basic_auth, parse_content_disposition,
    percent_decode_in_place, write_set_cookie, Action, Cookies, Handler, MultipartConfig,
    MultipartParser, QueryPairs, SameSite, SetCookie,
};

struct Counting;
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator, only counting calls.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Looks at every byte of every event without allocating.
struct Checksum(u64);
impl Checksum {
    fn mix(&mut self, tag: u64, d: &[u8]) -> Action {
        self.0 = d
            .iter()
            .fold(self.0 ^ tag, |a, &b| a.rotate_left(5) ^ b as u64);
        Action::Continue
    }
}
impl Handler for Checksum {
    fn part_begin(&mut self) -> Action {
        self.mix(1, b"")
    }
    fn header_field(&mut self, d: &[u8]) -> Action {
        self.mix(2, d)
    }
    fn header_value(&mut self, d: &[u8]) -> Action {
        self.mix(3, d)
    }
    fn part_data(&mut self, d: &[u8], _: bool) -> Action {
        self.mix(6, d)
    }
    fn end(&mut self) -> Action {
        self.mix(8, b"")
    }
}

const BODIES: &[&[u8]] = &[
    b"pre\r\n--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nxyz\r\n--b\r\n\r\n\r\n--b--\r\n",
    b"--b\r\nA: 1\r\n\r\n\r\n--bb\r\n--b--",
    b"--b\r\nA: 1\nB: 2\r\n\r\n",
    b"--b\r\n\r\nunterminated\r\n--",
];

#[test]
fn nothing_allocates() {
    let mut sum = Checksum(0);
    let mut out = [0u8; 256];
    let before = ALLOCATIONS.load(Ordering::SeqCst);
    for body in BODIES {
        for cut in 0..=body.len() {
            let mut p = MultipartParser::new(b"b", MultipartConfig::DEFAULT).unwrap();
            p.execute(&body[..cut], &mut sum);
            p.execute(&body[cut..], &mut sum);
            p.finish();
        }
    }
    let ct = b"multipart/form-data; boundary=\"x y\"";
    sum.0 ^= boundary_from_content_type(ct).map_or(0, |s| s.length as u64);
    let cd = b"form-data; name=\"f\"; filename*=UTF-8''%e2%82%ac";
    sum.0 ^= parse_content_disposition(cd).map_or(0, |d| d.kind.length as u64);
    for pair in QueryPairs::new(b"a=1&b=%20&c") {
        sum.0 ^= pair.value.length as u64;
    }
    let mut q = *b"a+b%20c";
    sum.0 ^= percent_decode_in_place(&mut q, true).unwrap_or(0) as u64;
    for c in Cookies::new(b"a=1; b=2; \x01") {
        sum.0 ^= c.map_or(7, |c| c.value.length as u64);
    }
    sum.0 ^= decode_basic_auth(b"Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", &mut out)
        .map_or(0, |c| c.password.length as u64);
    let cookie = SetCookie {
        name: b"a",
        value: b"b",
        secure: true,
        same_site: SameSite::None,
        expires: Some(1),
        ..SetCookie::default()
    };
    sum.0 ^= write_set_cookie(&cookie, &mut out).unwrap_or(0) as u64;
    let after = ALLOCATIONS.load(Ordering::SeqCst);
    assert_eq!(after, before, "allocations while parsing");
    assert_ne!(sum.0, 0);
}
