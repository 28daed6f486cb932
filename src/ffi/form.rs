//! C ABI of the span-returning form helpers: `wf_form_*` (Content-Type boundary,
//! Content-Disposition, quoted-string unescaping, percent-decoding, query pairs, cookies,
//! Basic credentials, Set-Cookie). Results are spans (`wf_span`: offset and length) into the
//! buffer the caller passed; nothing is allocated or retained.
//!
//! Error convention: functions return a `wf_form_err`; where an input byte is to blame they
//! store its offset in `*err_offset` (which may be NULL when the caller does not want it).

use core::ffi::c_char;

use super::boundary::{slice_from, slice_from_mut};
use crate::form::{
    boundary_from_content_type, decode_basic_auth, parse_content_disposition,
    percent_decode_in_place, unescape_quoted_in_place, write_set_cookie, BasicCredentials,
    CookiePair, Cookies, ExtValue, FormError, FormErrorAt, ParamValue, QueryPair, QueryPairs,
    SameSite, SetCookie, Span,
};

/// Stores `e.offset` in `*err_offset` when it is not NULL and returns the code.
///
/// # Safety
/// `err_offset` is NULL or writable.
unsafe fn report(e: FormErrorAt, err_offset: *mut usize) -> FormError {
    if !err_offset.is_null() {
        // SAFETY: non-null and writable per the caller.
        unsafe { err_offset.write(e.offset) };
    }
    e.code
}

/// Reads the boundary from a Content-Type value (`multipart/form-data; boundary=...`): the type
/// must be `multipart/...` (any subtype), the boundary parameter present once and valid per RFC 2046 (quoted
/// or not; parameter names in any case).
///
/// Parameters: `value` holds `len` bytes; `out` receives the boundary's span in `value`.
/// Returns `WF_FORM_ERR_OK`, `WF_FORM_ERR_NOT_MULTIPART`, `WF_FORM_ERR_INVALID_PARAMETER`,
/// `WF_FORM_ERR_INVALID_BOUNDARY` (offset in `*err_offset`), or
/// `WF_FORM_ERR_INVALID_ARGUMENT` for NULL `value`/`out`.
#[no_mangle]
pub unsafe extern "C" fn wf_form_boundary_from_content_type(
    value: *const c_char,
    len: usize,
    out: *mut Span,
    err_offset: *mut usize,
) -> FormError {
    ffi_boundary!(FormError::Internal, {
        check_null!(FormError::InvalidArgument; value, out);
        // SAFETY: `value` holds `len` readable bytes for this call.
        let v = unsafe { slice_from(value as *const u8, len) };
        match boundary_from_content_type(v) {
            Ok(span) => {
                // SAFETY: `out` is non-null and writable.
                unsafe { out.write(span) };
                FormError::Ok
            }
            // SAFETY: `err_offset` is NULL or writable.
            Err(e) => unsafe { report(e, err_offset) },
        }
    })
}

/// A part's Content-Disposition, as spans into the header value.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct FormContentDisposition {
    /// The disposition type (`form-data`).
    pub kind: Span,
    /// The `name` parameter, valid when `has_name`.
    pub name: ParamValue,
    /// The `filename` parameter, valid when `has_filename` (may be empty).
    pub filename: ParamValue,
    /// The `filename*` parameter (RFC 8187), valid when `has_filename_ext`.
    pub filename_ext: ExtValue,
    /// `name` was present.
    pub has_name: bool,
    /// `filename` was present.
    pub has_filename: bool,
    /// `filename*` was present.
    pub has_filename_ext: bool,
}

/// Parses a Content-Disposition value (`form-data; name="f"; filename="a.txt"`). A repeated
/// `name`, `filename` or `filename*` is an error (`WF_FORM_ERR_INVALID_PARAMETER`); a
/// malformed `filename*` is `WF_FORM_ERR_INVALID_EXT_VALUE`.
///
/// Parameters: `value` holds `len` bytes; `out` receives the spans (zeroed on error).
/// Returns `WF_FORM_ERR_OK` or an error with its offset in `*err_offset`.
#[no_mangle]
pub unsafe extern "C" fn wf_form_content_disposition(
    value: *const c_char,
    len: usize,
    out: *mut FormContentDisposition,
    err_offset: *mut usize,
) -> FormError {
    ffi_boundary!(FormError::Internal, {
        check_null!(FormError::InvalidArgument; value, out);
        // SAFETY: `value` holds `len` readable bytes for this call.
        let v = unsafe { slice_from(value as *const u8, len) };
        let (r, code) = match parse_content_disposition(v) {
            Ok(cd) => (
                FormContentDisposition {
                    kind: cd.kind,
                    name: cd.name.unwrap_or_default(),
                    filename: cd.filename.unwrap_or_default(),
                    filename_ext: cd.filename_ext.unwrap_or_default(),
                    has_name: cd.name.is_some(),
                    has_filename: cd.filename.is_some(),
                    has_filename_ext: cd.filename_ext.is_some(),
                },
                FormError::Ok,
            ),
            // SAFETY: `err_offset` is NULL or writable.
            Err(e) => (FormContentDisposition::default(), unsafe {
                report(e, err_offset)
            }),
        };
        // SAFETY: `out` is non-null and writable.
        unsafe { out.write(r) };
        code
    })
}

/// Removes the backslashes of quoted-pairs (`\"` becomes `"`) from the `len` bytes at `buf`,
/// in place (a quoted value whose `escaped` flag is set). Returns the new length; 0 for NULL.
#[no_mangle]
pub unsafe extern "C" fn wf_form_unescape_quoted(buf: *mut c_char, len: usize) -> usize {
    ffi_boundary!(0, {
        check_null!(0; buf);
        // SAFETY: `buf` holds `len` writable bytes for this call.
        unescape_quoted_in_place(unsafe { slice_from_mut(buf as *mut u8, len) })
    })
}

/// Decodes `%XX` escapes (and, when `plus_as_space`, `+` as a space: form encoding) in the
/// `len` bytes at `buf`, in place; the decoded bytes are `buf[0 .. *out_len]`.
///
/// Returns `WF_FORM_ERR_OK`, `WF_FORM_ERR_INVALID_PERCENT_ESCAPE` (offset of the `%` in
/// `*err_offset`; `buf` is then partly decoded) or `WF_FORM_ERR_INVALID_ARGUMENT` (NULL `buf`
/// with `len` > 0, or NULL `out_len`).
#[no_mangle]
pub unsafe extern "C" fn wf_form_percent_decode(
    buf: *mut c_char,
    len: usize,
    plus_as_space: bool,
    out_len: *mut usize,
    err_offset: *mut usize,
) -> FormError {
    ffi_boundary!(FormError::Internal, {
        check_null!(FormError::InvalidArgument; out_len);
        if buf.is_null() && len != 0 {
            return FormError::InvalidArgument;
        }
        // SAFETY: `buf` holds `len` writable bytes for this call.
        let b = unsafe { slice_from_mut(buf as *mut u8, len) };
        match percent_decode_in_place(b, plus_as_space) {
            Ok(n) => {
                // SAFETY: non-null and writable.
                unsafe { out_len.write(n) };
                FormError::Ok
            }
            // SAFETY: `err_offset` is NULL or writable.
            Err(e) => unsafe { report(e, err_offset) },
        }
    })
}

/// The next `name=value` pair of a query string or urlencoded body (without the `?`): pairs
/// are separated by `&`, empty pieces skipped, a piece without `=` has an empty value.
///
/// Parameters: `s` holds `len` bytes; `*pos` is where to look (start with 0; updated);
/// `out` receives the pair's spans, still percent-encoded.
/// Returns 1 when a pair was stored, 0 when there are no more (or on a NULL argument).
#[no_mangle]
pub unsafe extern "C" fn wf_form_query_next(
    s: *const c_char,
    len: usize,
    pos: *mut usize,
    out: *mut QueryPair,
) -> i32 {
    ffi_boundary!(0, {
        check_null!(0; pos, out);
        if s.is_null() && len != 0 {
            return 0;
        }
        // SAFETY: `s` holds `len` readable bytes; `pos` is readable and writable.
        let (input, at) = unsafe { (slice_from(s as *const u8, len), pos.read()) };
        let mut it = QueryPairs::at(input, at);
        let next = it.next();
        // SAFETY: `pos` is writable.
        unsafe { pos.write(it.position()) };
        match next {
            Some(pair) => {
                // SAFETY: `out` is writable.
                unsafe { out.write(pair) };
                1
            }
            None => 0,
        }
    })
}

/// The next cookie of a Cookie header value (RFC 6265 5.4; tolerant of missing or extra
/// spaces and empty pieces, as browsers are; a piece without `=` is a nameless cookie).
///
/// Parameters: `header` holds `len` bytes; `*pos` is where to look (start with 0; updated);
/// `out` receives the name and value spans (the value as sent, quotes included).
/// Returns 1 when a pair was stored, 0 when there are no more, -1 on an error (a control
/// character, or `=value` with an empty name): its code in `*err` and offset in
/// `*err_offset` (either may be NULL). NULL `header` with `len` > 0, `pos` or `out` give -1
/// with `WF_FORM_ERR_INVALID_ARGUMENT`.
#[no_mangle]
pub unsafe extern "C" fn wf_form_cookie_next(
    header: *const c_char,
    len: usize,
    pos: *mut usize,
    out: *mut CookiePair,
    err: *mut FormError,
    err_offset: *mut usize,
) -> i32 {
    ffi_boundary!(-1, {
        let fail = |e: FormErrorAt| {
            if !err.is_null() {
                // SAFETY: non-null and writable per the contract.
                unsafe { err.write(e.code) };
            }
            // SAFETY: `err_offset` is NULL or writable.
            unsafe { report(e, err_offset) };
            -1
        };
        if pos.is_null() || out.is_null() || (header.is_null() && len != 0) {
            return fail(FormErrorAt::new(FormError::InvalidArgument, 0));
        }
        // SAFETY: `header` holds `len` readable bytes; `pos` is readable and writable.
        let (input, at) = unsafe { (slice_from(header as *const u8, len), pos.read()) };
        let mut it = Cookies::at(input, at);
        let next = it.next();
        // SAFETY: `pos` is writable.
        unsafe { pos.write(it.position()) };
        match next {
            Some(Ok(pair)) => {
                // SAFETY: `out` is writable.
                unsafe { out.write(pair) };
                1
            }
            Some(Err(e)) => {
                // SAFETY: `pos` is writable; an error ends the iteration.
                unsafe { pos.write(len) };
                fail(e)
            }
            None => 0,
        }
    })
}

/// Decodes `Authorization: Basic` credentials (RFC 7617) from the header value at `value`
/// into `out` (room for `out_cap` bytes; `len / 4 * 3 + 3` always suffices); `creds`
/// receives the user and password as spans of `out`.
///
/// Returns `WF_FORM_ERR_OK`, `WF_FORM_ERR_NOT_BASIC_AUTH`, `WF_FORM_ERR_INVALID_BASE64`,
/// `WF_FORM_ERR_INVALID_CREDENTIALS` (no colon, or a control character),
/// `WF_FORM_ERR_BUFFER_TOO_SMALL` (offset in `*err_offset`), or
/// `WF_FORM_ERR_INVALID_ARGUMENT` for NULL pointers.
#[no_mangle]
pub unsafe extern "C" fn wf_form_basic_auth_decode(
    value: *const c_char,
    len: usize,
    out: *mut u8,
    out_cap: usize,
    creds: *mut BasicCredentials,
    err_offset: *mut usize,
) -> FormError {
    ffi_boundary!(FormError::Internal, {
        check_null!(FormError::InvalidArgument; value, creds);
        if out.is_null() && out_cap != 0 {
            return FormError::InvalidArgument;
        }
        // SAFETY: `value` holds `len` readable bytes and `out` `out_cap` writable bytes,
        // not overlapping, for this call.
        let (v, o) = unsafe {
            (
                slice_from(value as *const u8, len),
                slice_from_mut(out, out_cap),
            )
        };
        match decode_basic_auth(v, o) {
            Ok(c) => {
                // SAFETY: `creds` is non-null and writable.
                unsafe { creds.write(c) };
                FormError::Ok
            }
            // SAFETY: `err_offset` is NULL or writable.
            Err(e) => unsafe { report(e, err_offset) },
        }
    })
}

/// A cookie for `wf_form_set_cookie`: byte strings as pointer and length (a NULL pointer
/// means "absent" for `domain` and `path`), numbers with a `has_` flag.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct FormSetCookie {
    /// The name (a token).
    pub name: *const c_char,
    /// Length of `name`.
    pub name_len: usize,
    /// The value (cookie-octets, optionally in double quotes).
    pub value: *const c_char,
    /// Length of `value`.
    pub value_len: usize,
    /// `Domain=`, or NULL.
    pub domain: *const c_char,
    /// Length of `domain`.
    pub domain_len: usize,
    /// `Path=`, or NULL.
    pub path: *const c_char,
    /// Length of `path`.
    pub path_len: usize,
    /// `Max-Age=` seconds, when `has_max_age`.
    pub max_age: i64,
    /// `Expires=` as seconds since the Unix epoch (>= 0), when `has_expires`.
    pub expires: i64,
    /// Write `max_age`.
    pub has_max_age: bool,
    /// Write `expires`.
    pub has_expires: bool,
    /// `Secure`.
    pub secure: bool,
    /// `HttpOnly`.
    pub http_only: bool,
    /// `Partitioned` (requires `secure`).
    pub partitioned: bool,
    /// `SameSite=`: a `wf_same_site` value (`WF_SAME_SITE_NONE` requires `secure`); another
    /// number is `WF_FORM_ERR_INVALID_ARGUMENT`.
    pub same_site: u8,
}

/// Checks `cookie` and writes its Set-Cookie header value (without `Set-Cookie: `) into `out`
/// (room for `cap` bytes); stores the length in `*out_len`.
///
/// Returns `WF_FORM_ERR_OK`; `WF_FORM_ERR_INVALID_COOKIE_NAME`, `_VALUE` or `_ATTRIBUTE`
/// with the offset in the offending field in `*err_offset`; `WF_FORM_ERR_COOKIE_RULE`
/// (SameSite=None or Partitioned without Secure, a broken `__Secure-`/`__Host-` prefix rule);
/// `WF_FORM_ERR_BUFFER_TOO_SMALL` with the length needed in `*err_offset`; or
/// `WF_FORM_ERR_INVALID_ARGUMENT` for NULL pointers.
#[no_mangle]
pub unsafe extern "C" fn wf_form_set_cookie(
    cookie: *const FormSetCookie,
    out: *mut c_char,
    cap: usize,
    out_len: *mut usize,
    err_offset: *mut usize,
) -> FormError {
    ffi_boundary!(FormError::Internal, {
        check_null!(FormError::InvalidArgument; cookie, out_len);
        // SAFETY: non-null and readable per the contract.
        let c = unsafe { cookie.read() };
        let bad = (c.name.is_null() && c.name_len != 0)
            || (c.value.is_null() && c.value_len != 0)
            || (out.is_null() && cap != 0);
        let same_site = match c.same_site {
            0 => SameSite::Unset,
            1 => SameSite::Strict,
            2 => SameSite::Lax,
            3 => SameSite::None,
            _ => return FormError::InvalidArgument,
        };
        if bad {
            return FormError::InvalidArgument;
        }
        // SAFETY: each pointer holds its length of readable bytes for this call (NULL ones
        // are only used when absent).
        let sc = unsafe {
            SetCookie {
                name: slice_from(c.name as *const u8, c.name_len),
                value: slice_from(c.value as *const u8, c.value_len),
                domain: (!c.domain.is_null())
                    .then(|| slice_from(c.domain as *const u8, c.domain_len)),
                path: (!c.path.is_null()).then(|| slice_from(c.path as *const u8, c.path_len)),
                max_age: c.has_max_age.then_some(c.max_age),
                expires: c.has_expires.then_some(c.expires),
                secure: c.secure,
                http_only: c.http_only,
                partitioned: c.partitioned,
                same_site,
            }
        };
        // SAFETY: `out` holds `cap` writable bytes, not overlapping the inputs.
        let o = unsafe { slice_from_mut(out as *mut u8, cap) };
        match write_set_cookie(&sc, o) {
            Ok(n) => {
                // SAFETY: non-null and writable.
                unsafe { out_len.write(n) };
                FormError::Ok
            }
            // SAFETY: `err_offset` is NULL or writable.
            Err(e) => unsafe { report(e, err_offset) },
        }
    })
}
