//! The wire formats of web forms and sessions, after the HTTP head: multipart/form-data
//! uploads, the Cookie and Set-Cookie headers, query strings and urlencoded bodies, and Basic
//! credentials. Like the rest of the core they never allocate, never copy the input (results
//! are [`Span`]s into the caller's buffer, or bytes written into a caller's buffer), never
//! panic, and report bad input with a [`FormError`] and the offset of the offending byte.
//!
//! - [`multipart`]: [`MultipartParser`], streaming, callback-driven, split-invariant, with
//!   limits on parts, header bytes, part bytes, preamble and epilogue.
//! - [`params`]: the boundary from a Content-Type value, a part's Content-Disposition (with
//!   RFC 8187 `filename*`), and the parameter lists both use.
//! - [`cookie`]: the Cookie header's pairs (RFC 6265 5.4).
//! - [`query`]: query-string / urlencoded pairs and the in-place percent-decoder.
//! - [`basic_auth`]: `Authorization: Basic` (RFC 7617).
//! - [`set_cookie`]: the Set-Cookie writer.
//! - [`events`]: the parser's events as rows of (kind, offset, length), for bindings.
//! - [`error`]: one table of error numbers, names and descriptions.

pub mod basic_auth;
mod chars;
pub mod cookie;
pub mod error;
pub mod events;
pub mod multipart;
pub mod params;
pub mod query;
mod search;
pub mod set_cookie;
mod span;

pub use basic_auth::{basic_auth_buffer_size, decode_basic_auth, BasicCredentials};
pub use cookie::{CookiePair, Cookies};
pub use error::{FormError, FormErrorAt};
pub use events::{execute_events, MpEventRow};
pub use multipart::{
    validate_boundary, Action, Handler, MpEvent, MultipartConfig, MultipartParser, MAX_BOUNDARY_LEN,
};
pub use params::{
    boundary_from_content_type, parse_content_disposition, parse_ext_value,
    unescape_quoted_in_place, ContentDisposition, ExtValue, Param, ParamValue, Params,
};
pub use query::{percent_decode_in_place, QueryPair, QueryPairs};
pub use set_cookie::{write_set_cookie, SameSite, SetCookie};
pub use span::Span;

#[doc(hidden)]
/// The delimiter search, exported for the benchmarks only (not part of the API).
pub fn bench_find_delimiter(hay: &[u8], needle: &[u8]) -> Option<usize> {
    match search::find(hay, 0, needle) {
        search::Found::Full(j) => Some(j),
        _ => None,
    }
}
