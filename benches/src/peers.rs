//! Every HTTP parser behind one signature: parse the segments of one pass with a fresh parser,
//! recording spans into [`Counts`]. The C parsers and wireframe's C ABI are driven by the C
//! files in `c/` (compiled by build/compile_peers.rs); httparse is driven here, doing the same work.

use std::os::raw::c_int;

use httparse::Status;

/// What every parser's callbacks record (`wb_counts` in c/bench.h).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Messages completed.
    pub messages: u64,
    /// Header lines.
    pub headers: u64,
    /// Request-target bytes.
    pub url_bytes: u64,
    /// Reason-phrase bytes.
    pub status_bytes: u64,
    /// Header-name bytes.
    pub field_bytes: u64,
    /// Header-value bytes.
    pub value_bytes: u64,
    /// Decoded body bytes.
    pub body_bytes: u64,
    /// Private to the callbacks (the last span kind).
    pub last: u64,
}

impl Counts {
    /// The counts without the callbacks' private state, for comparisons.
    pub fn visible(&self) -> [u64; 7] {
        [
            self.messages,
            self.headers,
            self.url_bytes,
            self.status_bytes,
            self.field_bytes,
            self.value_bytes,
            self.body_bytes,
        ]
    }

    /// Names of the fields of [`Counts::visible`].
    pub const NAMES: [&'static str; 7] = [
        "messages",
        "headers",
        "url_bytes",
        "status_bytes",
        "field_bytes",
        "value_bytes",
        "body_bytes",
    ];

    fn field(&mut self, n: usize) {
        if self.last != 1 {
            self.headers += 1;
        }
        self.field_bytes += n as u64;
        self.last = 1;
    }
    fn value(&mut self, n: usize) {
        self.value_bytes += n as u64;
        self.last = 2;
    }
}

/// One read of a connection (`wb_seg`).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct Seg {
    /// First byte.
    pub ptr: *const u8,
    /// Number of bytes.
    pub len: usize,
}

/// `WB_REQUEST` / `WB_RESPONSE`.
pub const REQUEST: c_int = 1;
/// See [`REQUEST`].
pub const RESPONSE: c_int = 2;

type PassFn = unsafe extern "C" fn(*const Seg, usize, c_int, *mut Counts) -> c_int;

extern "C" {
    fn wb_llhttp_pass(segs: *const Seg, n: usize, ty: c_int, c: *mut Counts) -> c_int;
    fn wb_http_parser_pass(segs: *const Seg, n: usize, ty: c_int, c: *mut Counts) -> c_int;
    fn wb_pico_pass(segs: *const Seg, n: usize, ty: c_int, c: *mut Counts) -> c_int;
    fn wb_pico_sse42_pass(segs: *const Seg, n: usize, ty: c_int, c: *mut Counts) -> c_int;
    fn wb_wireframe_pass(segs: *const Seg, n: usize, ty: c_int, c: *mut Counts) -> c_int;
    fn wb_wireframe_events_pass(segs: *const Seg, n: usize, ty: c_int, c: *mut Counts) -> c_int;
}

/// A parser under test (or memcpy, the ceiling).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Parser {
    /// wireframe's callback API through the C ABI (`wf_http_execute`).
    Wireframe,
    /// wireframe's events entry point through the C ABI (`wf_http_execute_events`).
    WireframeEvents,
    /// llhttp 8.1.0.
    Llhttp,
    /// nodejs/http-parser 2.9.4.
    NodejsHttp,
    /// picohttpparser with SSE4.2.
    PicoSse42,
    /// picohttpparser without SSE4.2.
    Pico,
    /// httparse 1.10 (runtime SIMD detection).
    Httparse,
    /// memcpy of every segment into a scratch buffer: the physical ceiling.
    Memcpy,
}

impl Parser {
    /// Every parser, in table order; memcpy last.
    pub const ALL: [Parser; 8] = [
        Parser::Wireframe,
        Parser::WireframeEvents,
        Parser::Llhttp,
        Parser::NodejsHttp,
        Parser::PicoSse42,
        Parser::Pico,
        Parser::Httparse,
        Parser::Memcpy,
    ];

    /// The name used in the table, the JSON and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Parser::Wireframe => "wireframe",
            Parser::WireframeEvents => "wireframe-events",
            Parser::Llhttp => "llhttp",
            Parser::NodejsHttp => "http-parser",
            Parser::PicoSse42 => "pico-sse4.2",
            Parser::Pico => "pico",
            Parser::Httparse => "httparse",
            Parser::Memcpy => "memcpy",
        }
    }

    /// The parser named `name`, if any.
    pub fn from_name(name: &str) -> Option<Parser> {
        Parser::ALL.into_iter().find(|p| p.name() == name)
    }

    fn c_pass(self) -> Option<PassFn> {
        Some(match self {
            Parser::Wireframe => wb_wireframe_pass,
            Parser::WireframeEvents => wb_wireframe_events_pass,
            Parser::Llhttp => wb_llhttp_pass,
            Parser::NodejsHttp => wb_http_parser_pass,
            Parser::PicoSse42 => wb_pico_sse42_pass,
            Parser::Pico => wb_pico_pass,
            Parser::Httparse | Parser::Memcpy => return None,
        })
    }

    /// Parses one pass (`segs`) of type `ty`, recording into `c`; `scratch` is memcpy's
    /// destination (at least as long as the longest segment). Returns 0 or an error code.
    #[inline]
    pub fn pass(self, segs: &[Seg], ty: c_int, c: &mut Counts, scratch: &mut [u8]) -> c_int {
        if let Some(f) = self.c_pass() {
            // SAFETY: every segment points to `len` bytes of the harness's arena, alive and
            // writable (picohttpparser's chunked decoding writes into it) for this call.
            return unsafe { f(segs.as_ptr(), segs.len(), ty, c) };
        }
        match self {
            Parser::Httparse => httparse_pass(segs, ty, c),
            _ => {
                for s in segs {
                    // SAFETY: the segment is readable and `scratch` is at least `len` long
                    // (checked by the caller) and does not overlap the arena.
                    unsafe { std::ptr::copy_nonoverlapping(s.ptr, scratch.as_mut_ptr(), s.len) };
                }
                std::hint::black_box(&mut *scratch);
                0
            }
        }
    }
}

/// Records a head's headers and finds its framing: (Content-Length, chunked).
fn frame_headers(
    c: &mut Counts,
    headers: &[httparse::Header<'_>],
) -> Result<(Option<u64>, bool), c_int> {
    let mut content_length = None;
    let mut chunked = false;
    for h in headers {
        c.field(h.name.len());
        c.value(h.value.len());
        if h.name.eq_ignore_ascii_case("content-length") {
            let v = h.value;
            if v.is_empty() || v.len() > 18 || !v.iter().all(u8::is_ascii_digit) {
                return Err(20);
            }
            content_length = Some(v.iter().fold(0u64, |a, d| a * 10 + u64::from(d - b'0')));
        } else if h.name.eq_ignore_ascii_case("transfer-encoding") {
            chunked = ends_with_chunked(h.value);
        }
    }
    c.last = 0;
    Ok((content_length, chunked))
}

/// True if the last transfer coding of `v` is "chunked".
fn ends_with_chunked(v: &[u8]) -> bool {
    let mut n = v.len();
    while n > 0 && (v[n - 1] == b' ' || v[n - 1] == b'\t') {
        n -= 1;
    }
    n >= 7
        && v[n - 7..n].eq_ignore_ascii_case(b"chunked")
        && (n == 7 || matches!(v[n - 8], b',' | b' ' | b'\t'))
}

/// Walks a chunked body with httparse's chunk-size parser, one body span per chunk, then the
/// trailer section with `parse_headers`. Returns the bytes the body took.
fn httparse_chunked(buf: &[u8], c: &mut Counts) -> Option<usize> {
    let mut pos = 0;
    loop {
        let Ok(Status::Complete((n, size))) = httparse::parse_chunk_size(&buf[pos..]) else {
            return None;
        };
        pos += n;
        if size == 0 {
            break;
        }
        let size = usize::try_from(size).ok()?;
        if buf.len() - pos < size + 2 || &buf[pos + size..pos + size + 2] != b"\r\n" {
            return None;
        }
        c.body_bytes += size as u64;
        pos += size + 2;
    }
    let mut trailers = [httparse::EMPTY_HEADER; 16];
    match httparse::parse_headers(&buf[pos..], &mut trailers) {
        Ok(Status::Complete((n, _))) => Some(pos + n),
        _ => None,
    }
}

/// httparse has no body framing: like picohttpparser's driver, this frames bodies from
/// Content-Length and Transfer-Encoding (chunked bodies with `httparse::parse_chunk_size`).
fn httparse_pass(segs: &[Seg], ty: c_int, c: &mut Counts) -> c_int {
    for s in segs {
        // SAFETY: the segment points to `len` readable bytes of the arena for this call.
        let mut buf = unsafe { std::slice::from_raw_parts(s.ptr, s.len) };
        while !buf.is_empty() {
            let mut headers = [httparse::EMPTY_HEADER; 64];
            let (head, framing, no_body) = if ty == REQUEST {
                let mut req = httparse::Request::new(&mut headers);
                let Ok(Status::Complete(n)) = req.parse(buf) else {
                    return 10;
                };
                c.url_bytes += req.path.map_or(0, str::len) as u64;
                match frame_headers(c, req.headers) {
                    Ok(f) => (n, f, false),
                    Err(e) => return e,
                }
            } else {
                let mut res = httparse::Response::new(&mut headers);
                let Ok(Status::Complete(n)) = res.parse(buf) else {
                    return 10;
                };
                c.status_bytes += res.reason.map_or(0, str::len) as u64;
                let code = res.code.unwrap_or(0);
                let no_body = code / 100 == 1 || code == 204 || code == 304;
                match frame_headers(c, res.headers) {
                    Ok(f) => (n, f, no_body),
                    Err(e) => return e,
                }
            };
            buf = &buf[head..];
            let (content_length, chunked) = framing;
            if no_body {
            } else if chunked {
                let Some(n) = httparse_chunked(buf, c) else {
                    return 30;
                };
                buf = &buf[n..];
            } else if let Some(n) = content_length {
                let Ok(n) = usize::try_from(n) else { return 31 };
                if n > buf.len() {
                    return 31;
                }
                if n > 0 {
                    c.body_bytes += n as u64;
                }
                buf = &buf[n..];
            } else if ty == RESPONSE {
                return 32;
            }
            c.messages += 1;
        }
    }
    0
}
