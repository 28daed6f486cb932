//! wireframe: the HTTP/1.x and WebSocket wire formats, allocation-free, with a C ABI.
//!
//! - [`http`]: a streaming, callback-driven HTTP/1.x request and response parser in the style of
//!   http-parser and llhttp, strict against request smuggling.
//! - [`ws`]: an RFC 6455 WebSocket frame decoder and encoder with SIMD masking.
//! - [`handshake`]: the WebSocket opening handshake (accept key, validation, negotiation).
//! - [`form`]: multipart/form-data uploads, cookies, query strings, Basic credentials and the
//!   Set-Cookie writer.
//! - `ffi` (with the `capi` feature): the C ABI over all of the above (`include/wireframe.h`);
//!   the only module with `extern "C"` items.
//!
//! The core modules never allocate, never do I/O, keep no global mutable state and never panic
//! on any input: bad input is reported with an error code, a reason and a byte offset.

#![deny(missing_docs)]
#![deny(clippy::undocumented_unsafe_blocks)]
#![deny(unsafe_op_in_unsafe_fn)]
#![deny(missing_debug_implementations)]

#[cfg(feature = "capi")]
pub mod ffi;
pub mod form;
pub mod handshake;
pub mod http;
pub mod ws;

/// A NUL-terminated string literal as a `CStr`, for the tables that generate names and
/// descriptions (evaluated at compile time: a literal with an inner NUL does not compile).
pub(crate) const fn static_cstr(text: &'static str) -> &'static core::ffi::CStr {
    match core::ffi::CStr::from_bytes_with_nul(text.as_bytes()) {
        Ok(text) => text,
        Err(_) => panic!("a name or description holds a NUL byte"),
    }
}

/// The README's Rust example, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExamples;
