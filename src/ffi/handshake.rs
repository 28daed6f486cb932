//! C ABI of the WebSocket opening handshake: accept key, server validation and answer,
//! client request and response validation.
//!
//! Headers are passed as an array of `wf_ws_header` (pointer/length pairs), so they can come
//! straight from the HTTP parser's header callbacks. Nothing here allocates or keeps a pointer
//! after returning, except `wf_ws_handshake.protocol`, which points into the caller's own
//! protocol list (documented there).

use core::ffi::c_char;
use core::ptr;

use super::boundary::{slice_from, slice_from_mut};
use crate::handshake::{
    self, Accepted, ClientRequest, DeflateParams, RequestValidator, ResponseValidator,
    ServerConfig, ACCEPT_KEY_LEN,
};
use crate::ws::WsError;

/// Server flag for `wf_ws_server_handshake`: accept a permessage-deflate offer.
pub const WF_WS_HANDSHAKE_PERMESSAGE_DEFLATE: u32 = 1;

/// One HTTP header: `name_len` bytes at `name`, `value_len` bytes at `value` (no NUL needed).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct WsHeader {
    /// The header name (case-insensitive).
    pub name: *const c_char,
    /// Length of `name` in bytes.
    pub name_len: usize,
    /// The header value (surrounding spaces and tabs are ignored).
    pub value: *const c_char,
    /// Length of `value` in bytes.
    pub value_len: usize,
}

/// The outcome of `wf_ws_server_handshake` or `wf_ws_client_validate_response`. Filled by
/// wireframe; read-only for the caller.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct WsHandshake {
    /// `WF_WS_ERR_OK`, or the first rule that failed (a `WF_WS_ERR_HANDSHAKE_*` value).
    pub error: WsError,
    /// Server: the status to answer with (101, 400 or 426). Client: the status received.
    pub status: u16,
    /// Server: the Sec-WebSocket-Accept value, NUL-terminated (empty on error).
    pub accept_key: [c_char; 29],
    /// The chosen subprotocol, pointing into the caller's protocol list (server: the
    /// `protocols` argument; client: `request->protocols`), valid as long as that list;
    /// NULL when none.
    pub protocol: *const c_char,
    /// Length of `protocol` in bytes.
    pub protocol_len: usize,
    /// Whether permessage-deflate was agreed.
    pub deflate: bool,
    /// The agreed permessage-deflate parameters (all zero when `deflate` is false).
    pub deflate_params: DeflateParams,
}

impl WsHandshake {
    fn empty(error: WsError, status: u16) -> Self {
        WsHandshake {
            error,
            status,
            accept_key: [0; 29],
            protocol: ptr::null(),
            protocol_len: 0,
            deflate: false,
            deflate_params: DeflateParams::default(),
        }
    }
}

/// What a client sends. Every string is a pointer and a length (no NUL needed); a NULL
/// pointer with length 0 is an empty string.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct WsClientRequest {
    /// Host header value, e.g. "example.com:8080" (required).
    pub host: *const c_char,
    /// Length of `host`.
    pub host_len: usize,
    /// Request target starting with '/', e.g. "/chat?room=1" (required).
    pub path: *const c_char,
    /// Length of `path`.
    pub path_len: usize,
    /// Offered subprotocols, comma-separated, or empty.
    pub protocols: *const c_char,
    /// Length of `protocols`.
    pub protocols_len: usize,
    /// Sec-WebSocket-Extensions value to offer, or empty.
    pub extensions: *const c_char,
    /// Length of `extensions`.
    pub extensions_len: usize,
    /// Extra header lines written verbatim (each ending in CRLF), or empty.
    pub extra_headers: *const c_char,
    /// Length of `extra_headers`.
    pub extra_headers_len: usize,
    /// The 16 random bytes the Sec-WebSocket-Key is made of (fresh for each connection).
    pub nonce: [u8; 16],
}

/// # Safety
/// `p` is NULL with `len` 0, or points to `len` readable bytes valid for `'a`.
unsafe fn text<'a>(p: *const c_char, len: usize) -> Option<&'a [u8]> {
    if p.is_null() && len != 0 {
        return None;
    }
    // SAFETY: per the contract above.
    Some(unsafe { slice_from(p.cast(), len) })
}

/// # Safety
/// Every string of `r` satisfies [`text`]'s contract for `'a`.
unsafe fn client_request<'a>(r: &WsClientRequest) -> Option<ClientRequest<'a>> {
    // SAFETY: each field pair follows the struct's documented contract.
    unsafe {
        Some(ClientRequest {
            host: text(r.host, r.host_len)?,
            path: text(r.path, r.path_len)?,
            protocols: text(r.protocols, r.protocols_len)?,
            extensions: text(r.extensions, r.extensions_len)?,
            extra_headers: text(r.extra_headers, r.extra_headers_len)?,
        })
    }
}

/// Feeds `count` headers to `feed`; false if a header has a NULL pointer with a length.
///
/// # Safety
/// `headers` points to `count` valid `WsHeader`s whose strings are readable for the call.
unsafe fn each_header(
    headers: *const WsHeader,
    count: usize,
    mut feed: impl FnMut(&[u8], &[u8]),
) -> bool {
    if count == 0 {
        return true;
    }
    // SAFETY: `headers` is non-null here (checked by callers) and holds `count` entries.
    let hs = unsafe { core::slice::from_raw_parts(headers, count) };
    for h in hs {
        // SAFETY: each header's strings are readable per the contract.
        let (Some(n), Some(v)) = (unsafe { text(h.name, h.name_len) }, unsafe {
            text(h.value, h.value_len)
        }) else {
            return false;
        };
        feed(n, v);
    }
    true
}

/// Computes Sec-WebSocket-Accept for the `len`-byte Sec-WebSocket-Key at `key`:
/// base64(SHA-1(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")). Writes exactly 28 bytes to
/// `out` (no NUL). Returns `WF_WS_ERR_OK` or `WF_WS_ERR_NULL_POINTER`.
#[no_mangle]
pub unsafe extern "C" fn wf_ws_accept_key(
    key: *const c_char,
    len: usize,
    out: *mut c_char,
) -> WsError {
    ffi_boundary!(WsError::Internal, {
        check_null!(WsError::NullPointer; out);
        // SAFETY: `key` holds `len` readable bytes per the contract.
        let Some(k) = (unsafe { text(key, len) }) else {
            return WsError::NullPointer;
        };
        let a = handshake::accept_key(k);
        // SAFETY: `out` has room for 28 bytes per the contract.
        unsafe { slice_from_mut(out.cast(), ACCEPT_KEY_LEN) }.copy_from_slice(&a);
        WsError::Ok
    })
}

/// Server side: validates an upgrade request and decides the answer.
///
/// Parameters: `method` (`method_len` bytes) and the HTTP version; `headers`, an array of
/// `count` headers (NULL when `count` is 0); `protocols`, the subprotocols the server
/// supports, comma-separated in order of preference (`protocols_len` bytes, may be empty);
/// `flags`, 0 or `WF_WS_HANDSHAKE_PERMESSAGE_DEFLATE`; `out`, the result.
///
/// Returns `out->error`: `WF_WS_ERR_OK` (answer 101; `accept_key`, `protocol` and `deflate*`
/// filled) or the `WF_WS_ERR_HANDSHAKE_*` rule that failed (answer `out->status`, 400 or
/// 426). `WF_WS_ERR_NULL_POINTER` when `out` is NULL (nothing written) or a pointer that must
/// not be NULL is. Write the answer with `wf_ws_server_write_response`.
#[no_mangle]
pub unsafe extern "C" fn wf_ws_server_handshake(
    method: *const c_char,
    method_len: usize,
    http_major: u16,
    http_minor: u16,
    headers: *const WsHeader,
    count: usize,
    protocols: *const c_char,
    protocols_len: usize,
    flags: u32,
    out: *mut WsHandshake,
) -> WsError {
    ffi_boundary!(WsError::Internal, {
        check_null!(WsError::NullPointer; out);
        let r = server(
            method,
            method_len,
            http_major,
            http_minor,
            headers,
            count,
            protocols,
            protocols_len,
            flags,
        );
        // SAFETY: `out` is non-null and writable per the contract.
        unsafe { out.write(r) };
        r.error
    })
}

#[allow(clippy::too_many_arguments)]
fn server(
    method: *const c_char,
    method_len: usize,
    major: u16,
    minor: u16,
    headers: *const WsHeader,
    count: usize,
    protocols: *const c_char,
    protocols_len: usize,
    flags: u32,
) -> WsHandshake {
    let null = WsHandshake::empty(WsError::NullPointer, 400);
    if headers.is_null() && count != 0 {
        return null;
    }
    // SAFETY: the strings are readable per the contract of `wf_ws_server_handshake`.
    let (Some(m), Some(p)) = (unsafe { text(method, method_len) }, unsafe {
        text(protocols, protocols_len)
    }) else {
        return null;
    };
    let mut v = RequestValidator::new(ServerConfig {
        protocols: p,
        permessage_deflate: flags & WF_WS_HANDSHAKE_PERMESSAGE_DEFLATE != 0,
    });
    // SAFETY: `headers` holds `count` valid headers per the contract.
    if !unsafe { each_header(headers, count, |n, val| v.header(n, val)) } {
        return null;
    }
    match v.finish(m, major, minor) {
        Ok(a) => {
            let mut r = WsHandshake::empty(WsError::Ok, 101);
            for (dst, &src) in r.accept_key.iter_mut().zip(a.accept_key.iter()) {
                *dst = src as c_char;
            }
            if let Some(proto) = a.protocol {
                r.protocol = proto.as_ptr().cast();
                r.protocol_len = proto.len();
            }
            if let Some(d) = a.deflate {
                r.deflate = true;
                r.deflate_params = d;
            }
            r
        }
        Err(e) => WsHandshake::empty(e, handshake::reject_status(e)),
    }
}

/// Rebuilds the core answer from a result.
///
/// # Safety
/// `h.protocol` is NULL or points to `h.protocol_len` readable bytes.
unsafe fn accepted<'a>(h: &WsHandshake) -> Option<Accepted<'a>> {
    let mut key = [0u8; ACCEPT_KEY_LEN];
    for (dst, &src) in key.iter_mut().zip(h.accept_key.iter()) {
        *dst = src as u8;
    }
    let protocol = if h.protocol.is_null() {
        None
    } else {
        // SAFETY: per the contract above.
        Some(unsafe { slice_from(h.protocol.cast(), h.protocol_len) })
    };
    Some(Accepted {
        accept_key: key,
        protocol,
        deflate: h.deflate.then_some(h.deflate_params),
    })
}

fn answer(h: &WsHandshake, buf: &mut [u8]) -> (Result<usize, WsError>, usize) {
    if h.error == WsError::Ok {
        // SAFETY: `h.protocol` was set by `wf_ws_server_handshake` into the caller's list,
        // which the caller keeps alive (documented).
        let Some(a) = (unsafe { accepted(h) }) else {
            return (Err(WsError::InvalidArgument), 0);
        };
        (
            handshake::write_response(buf, &a),
            handshake::response_len(&a),
        )
    } else {
        (
            handshake::write_reject(buf, h.status),
            handshake::reject_len(h.status),
        )
    }
}

/// Writes the server's answer for `handshake` (filled by `wf_ws_server_handshake`) into `out`
/// (capacity `cap`): the 101 response when `handshake->error` is `WF_WS_ERR_OK`, else the
/// 400 / 426 refusal (with `Sec-WebSocket-Version: 13`, `Connection: close`, no body).
///
/// Returns `WF_WS_ERR_OK` with `*written` = bytes written; `WF_WS_ERR_BUFFER_TOO_SMALL` with
/// `*written` = bytes needed; `WF_WS_ERR_NULL_POINTER`; `WF_WS_ERR_INVALID_ARGUMENT` for a
/// status other than 101/400/426. `written` may be NULL. The protocol list passed to
/// `wf_ws_server_handshake` must still be valid.
#[no_mangle]
pub unsafe extern "C" fn wf_ws_server_write_response(
    handshake: *const WsHandshake,
    out: *mut u8,
    cap: usize,
    written: *mut usize,
) -> WsError {
    ffi_boundary!(WsError::Internal, {
        check_null!(WsError::NullPointer; handshake);
        if out.is_null() && cap != 0 {
            return WsError::NullPointer;
        }
        // SAFETY: `handshake` is non-null and valid per the contract.
        let h = unsafe { &*handshake };
        // SAFETY: `out` holds `cap` writable bytes.
        let buf = unsafe { slice_from_mut(out, cap) };
        let (r, needed) = answer(h, buf);
        // SAFETY: `written` is NULL or writable, by the caller's contract.
        unsafe { super::ws::finish(r, needed, written) }
    })
}

/// Writes the client's upgrade request for `request` into `out` (capacity `cap`), with
/// Sec-WebSocket-Key = base64(`request->nonce`).
///
/// Returns `WF_WS_ERR_OK` with `*written` = bytes written; `WF_WS_ERR_BUFFER_TOO_SMALL` with
/// `*written` = bytes needed; `WF_WS_ERR_INVALID_ARGUMENT` when a field has CR, LF or another
/// control character, the path does not start with '/' or holds a byte that is not visible
/// ASCII (space, control, 0x7F-0xFF: percent-encode them), or the host is empty;
/// `WF_WS_ERR_NULL_POINTER`. `written` may be NULL.
#[no_mangle]
pub unsafe extern "C" fn wf_ws_client_write_request(
    request: *const WsClientRequest,
    out: *mut u8,
    cap: usize,
    written: *mut usize,
) -> WsError {
    ffi_boundary!(WsError::Internal, {
        check_null!(WsError::NullPointer; request);
        if out.is_null() && cap != 0 {
            return WsError::NullPointer;
        }
        // SAFETY: `request` is non-null and valid per the contract.
        let r = unsafe { &*request };
        // SAFETY: the request's strings follow the struct's contract.
        let Some(req) = (unsafe { client_request(r) }) else {
            return WsError::NullPointer;
        };
        // SAFETY: `out` holds `cap` writable bytes.
        let buf = unsafe { slice_from_mut(out, cap) };
        let (n, e) = match handshake::write_request(buf, &req, &r.nonce) {
            Ok(n) => (n, WsError::Ok),
            Err(WsError::BufferTooSmall) => (handshake::request_len(&req), WsError::BufferTooSmall),
            Err(e) => (0, e),
        };
        // SAFETY: `written` is NULL or writable.
        if let Some(w) = unsafe { written.as_mut() } {
            *w = n;
        }
        e
    })
}

/// Client side: validates the server's response to `request` (the same struct the request was
/// written from): `status`, then `count` headers.
///
/// Returns `out->error`: `WF_WS_ERR_OK` (the connection is open; `protocol` points into
/// `request->protocols`, `deflate*` hold the agreed parameters) or the first failing rule
/// (`WF_WS_ERR_HANDSHAKE_STATUS`, `_UPGRADE`, `_CONNECTION`, `_ACCEPT`, `_PROTOCOL`,
/// `_EXTENSIONS`). `WF_WS_ERR_NULL_POINTER` for a NULL pointer (`out` then untouched if NULL).
#[no_mangle]
pub unsafe extern "C" fn wf_ws_client_validate_response(
    request: *const WsClientRequest,
    status: u16,
    headers: *const WsHeader,
    count: usize,
    out: *mut WsHandshake,
) -> WsError {
    ffi_boundary!(WsError::Internal, {
        check_null!(WsError::NullPointer; out);
        let r = client(request, status, headers, count);
        // SAFETY: `out` is non-null and writable per the contract.
        unsafe { out.write(r) };
        r.error
    })
}

fn client(
    request: *const WsClientRequest,
    status: u16,
    headers: *const WsHeader,
    count: usize,
) -> WsHandshake {
    let null = WsHandshake::empty(WsError::NullPointer, status);
    if request.is_null() || (headers.is_null() && count != 0) {
        return null;
    }
    // SAFETY: `request` is non-null and valid per the contract.
    let r = unsafe { &*request };
    // SAFETY: the request's strings follow the struct's contract.
    let Some(req) = (unsafe { client_request(r) }) else {
        return null;
    };
    let mut v = ResponseValidator::new(&req, &r.nonce);
    // SAFETY: `headers` holds `count` valid headers.
    if !unsafe { each_header(headers, count, |n, val| v.header(n, val)) } {
        return null;
    }
    match v.finish(status) {
        Ok(a) => {
            let mut h = WsHandshake::empty(WsError::Ok, status);
            if let Some(p) = a.protocol {
                h.protocol = p.as_ptr().cast();
                h.protocol_len = p.len();
            }
            if let Some(d) = a.deflate {
                h.deflate = true;
                h.deflate_params = d;
            }
            h
        }
        Err(e) => WsHandshake::empty(e, status),
    }
}
