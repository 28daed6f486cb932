//! C ABI of the HTTP parser: `wf_http_*`.
//!
//! The parser (`wf_http_parser`) is a complete type: the caller owns its memory and may place
//! it anywhere; nothing here allocates. Callbacks live in `wf_http_settings`, passed to every
//! call, as in http-parser.

use core::ffi::{c_char, c_int, c_void};

use crate::http::events::{self, EventRow};
use crate::http::url::{parse_url, Url};
use crate::http::{status_str, Action, Callbacks, Errno, Event, Method, Parser, ParserType};

use super::boundary::slice_from;

/// What `on_headers_complete` returns when no body follows (e.g. the response to HEAD).
pub const WF_HTTP_SKIP_BODY: i32 = 1;
/// What `on_headers_complete` returns when no body follows and the connection is upgraded.
pub const WF_HTTP_SKIP_BODY_UPGRADE: i32 = 2;

/// A notification callback: gets the parser; returns 0 to go on, `WF_HPE_PAUSED` to pause,
/// any other value to stop with the callback's `WF_HPE_CB_*` error. (`on_headers_complete`
/// may also return 1: no body follows, or 2: no body and the connection is upgraded.)
#[allow(non_camel_case_types)]
pub type wf_http_cb = Option<unsafe extern "C" fn(parser: *mut Parser) -> c_int>;

/// A data callback: gets the parser and a piece of a span, `at` pointing into the buffer given
/// to `wf_http_execute` (valid only during the call; for a parser of type BOTH, a method split
/// across calls is given from the parser's own storage). A span may arrive in several pieces.
/// Returns as `wf_http_cb`, an error being `WF_HPE_USER`.
#[allow(non_camel_case_types)]
pub type wf_http_data_cb =
    Option<unsafe extern "C" fn(parser: *mut Parser, at: *const c_char, length: usize) -> c_int>;

/// The callbacks of the HTTP parser; any of them may be NULL. Initialise with
/// `wf_http_settings_init`, then set the ones you need.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
#[allow(non_camel_case_types)]
pub struct wf_http_settings {
    /// A new message starts.
    pub on_message_begin: wf_http_cb,
    /// Part of the request method.
    pub on_method: wf_http_data_cb,
    /// Part of the request target.
    pub on_url: wf_http_data_cb,
    /// Part of the response reason phrase.
    pub on_status: wf_http_data_cb,
    /// Part of the version (`1.1`).
    pub on_version: wf_http_data_cb,
    /// Part of a header or trailer name.
    pub on_header_field: wf_http_data_cb,
    /// Part of a header or trailer value.
    pub on_header_value: wf_http_data_cb,
    /// Part of a chunk extension name.
    pub on_chunk_extension_name: wf_http_data_cb,
    /// Part of a chunk extension value (quotes included).
    pub on_chunk_extension_value: wf_http_data_cb,
    /// The headers are complete; may return 1 (no body) or 2 (no body, upgrade).
    pub on_headers_complete: wf_http_cb,
    /// Part of the body (chunked framing removed).
    pub on_body: wf_http_data_cb,
    /// The message is complete.
    pub on_message_complete: wf_http_cb,
    /// The method is complete.
    pub on_method_complete: wf_http_cb,
    /// The request target is complete.
    pub on_url_complete: wf_http_cb,
    /// The status line is complete.
    pub on_status_complete: wf_http_cb,
    /// The version is complete.
    pub on_version_complete: wf_http_cb,
    /// A header name is complete.
    pub on_header_field_complete: wf_http_cb,
    /// A header value is complete.
    pub on_header_value_complete: wf_http_cb,
    /// A chunk extension name is complete.
    pub on_chunk_extension_name_complete: wf_http_cb,
    /// A chunk extension value is complete.
    pub on_chunk_extension_value_complete: wf_http_cb,
    /// A chunk-size line was read; `content_length` holds the chunk size.
    pub on_chunk_header: wf_http_cb,
    /// A chunk is complete (after the last chunk: after the trailers).
    pub on_chunk_complete: wf_http_cb,
    /// The parser was reset between two messages of one connection.
    pub on_reset: wf_http_cb,
}

/// Dispatches the core's events to the C callbacks.
struct CCallbacks<'a>(&'a wf_http_settings);

// The adapter is inlined into the parser's loop (as the core's own steps are): a call per
// event through it costs a measurable share of a small message.
impl Callbacks for CCallbacks<'_> {
    #[inline(always)]
    fn on_data(&mut self, parser: &mut Parser, event: Event, data: &[u8]) -> Action {
        let s = self.0;
        let cb = match event {
            Event::Body => s.on_body,
            Event::Url => s.on_url,
            Event::HeaderField => s.on_header_field,
            Event::HeaderValue => s.on_header_value,
            Event::Method => s.on_method,
            Event::Version => s.on_version,
            Event::Status => s.on_status,
            Event::ChunkExtensionName => s.on_chunk_extension_name,
            Event::ChunkExtensionValue => s.on_chunk_extension_value,
            _ => None,
        };
        let Some(f) = cb else {
            return Action::Continue;
        };
        // SAFETY: the caller of `wf_http_execute` provides valid callbacks; the parser pointer
        // comes from a live `&mut` and the data from a live slice.
        let r = unsafe { f(parser, data.as_ptr() as *const c_char, data.len()) };
        Action::from_c(r)
    }

    #[inline(always)]
    fn on_notify(&mut self, parser: &mut Parser, event: Event) -> Action {
        let s = self.0;
        let cb = match event {
            Event::MessageBegin => s.on_message_begin,
            Event::MethodComplete => s.on_method_complete,
            Event::UrlComplete => s.on_url_complete,
            Event::VersionComplete => s.on_version_complete,
            Event::StatusComplete => s.on_status_complete,
            Event::HeaderFieldComplete => s.on_header_field_complete,
            Event::HeaderValueComplete => s.on_header_value_complete,
            Event::HeadersComplete => s.on_headers_complete,
            Event::ChunkHeader => s.on_chunk_header,
            Event::ChunkExtensionNameComplete => s.on_chunk_extension_name_complete,
            Event::ChunkExtensionValueComplete => s.on_chunk_extension_value_complete,
            Event::ChunkComplete => s.on_chunk_complete,
            Event::MessageComplete => s.on_message_complete,
            Event::Reset => s.on_reset,
            _ => None,
        };
        let Some(f) = cb else {
            return Action::Continue;
        };
        // SAFETY: as in `on_data`.
        let r = unsafe { f(parser) };
        Action::from_c(r)
    }
}

static NO_SETTINGS: wf_http_settings = wf_http_settings {
    on_message_begin: None,
    on_method: None,
    on_url: None,
    on_status: None,
    on_version: None,
    on_header_field: None,
    on_header_value: None,
    on_chunk_extension_name: None,
    on_chunk_extension_value: None,
    on_headers_complete: None,
    on_body: None,
    on_message_complete: None,
    on_method_complete: None,
    on_url_complete: None,
    on_status_complete: None,
    on_version_complete: None,
    on_header_field_complete: None,
    on_header_value_complete: None,
    on_chunk_extension_name_complete: None,
    on_chunk_extension_value_complete: None,
    on_chunk_header: None,
    on_chunk_complete: None,
    on_reset: None,
};

/// The settings behind a possibly-NULL pointer.
///
/// # Safety
/// `settings` is NULL or points to valid settings that outlive `'a`.
unsafe fn settings_ref<'a>(settings: *const wf_http_settings) -> &'a wf_http_settings {
    if settings.is_null() {
        &NO_SETTINGS
    } else {
        // SAFETY: non-null, and valid by the caller's contract.
        unsafe { &*settings }
    }
}

/// Records a panic caught at the boundary in the parser, if there is one.
///
/// # Safety
/// `parser` is NULL or points to a parser.
unsafe fn poison(parser: *mut Parser) {
    // SAFETY: NULL or a valid parser, by the caller's contract.
    if let Some(p) = unsafe { parser.as_mut() } {
        p.set_error(Errno::Internal);
    }
}

/// Initialises `parser` to read messages of `parser_type` (`WF_HTTP_TYPE_REQUEST`, `_RESPONSE` or
/// `_BOTH`) with the default limits, no leniency and a NULL `data` pointer.
///
/// Parameters: `parser` points to writable memory for a `wf_http_parser` (any alignment-correct
/// place: stack, heap, embedded in another struct). Nothing is allocated; there is nothing to
/// free. An unknown `parser_type` is read as BOTH.
#[no_mangle]
pub unsafe extern "C" fn wf_http_parser_init(parser: *mut Parser, parser_type: u8) {
    ffi_boundary!((), {
        check_null!(parser);
        let kind = match parser_type {
            1 => ParserType::Request,
            2 => ParserType::Response,
            _ => ParserType::Both,
        };
        // SAFETY: non-null; the caller provides writable memory for a parser. `write` does not
        // read the (possibly uninitialised) old value.
        unsafe { parser.write(Parser::new(kind)) };
    })
}

/// The size in bytes of `wf_http_parser`, for bindings that allocate it without the header's
/// struct layout (they can check their own idea of the size against it).
#[no_mangle]
pub extern "C" fn wf_http_parser_size() -> usize {
    core::mem::size_of::<Parser>()
}

/// Makes `parser` ready for a new connection: keeps its type, `data`, leniency and limits;
/// clears the message state and any error.
#[no_mangle]
pub unsafe extern "C" fn wf_http_parser_reset(parser: *mut Parser) {
    ffi_boundary!((), {
        deref_mut!(parser).reset();
    })
}

/// Sets every callback in `settings` to NULL.
#[no_mangle]
pub unsafe extern "C" fn wf_http_settings_init(settings: *mut wf_http_settings) {
    ffi_boundary!((), {
        check_null!(settings);
        // SAFETY: non-null; the caller provides writable memory for the settings.
        unsafe { settings.write(NO_SETTINGS) };
    })
}

/// Parses `len` bytes at `data`, calling the callbacks of `settings` (NULL: no callbacks).
///
/// Returns the number of bytes consumed: `len` when all were parsed; otherwise the offset where
/// the parser stopped. A stop can also happen at the very end of the input (say, a request
/// whose head ends with the last byte and whose Transfer-Encoding is refused), so check
/// `wf_http_errno` after every call; it says why: an error, a pause (`WF_HPE_PAUSED`), the
/// first byte after a message that upgrades the connection (`WF_HPE_PAUSED_UPGRADE`), or the
/// first byte after the 24-byte HTTP/2 connection preface, where HTTP/2 frames start
/// (`WF_HPE_PAUSED_H2_UPGRADE`; the parser is done with the connection). While the
/// parser has an error or is paused, returns 0 and does nothing. Returns 0 with
/// `WF_HPE_INVALID_ARGUMENT` for a NULL parser, or NULL data with a nonzero length.
///
/// Memory: `data` is only read, and only during the call; pointers given to data callbacks
/// point into it.
#[no_mangle]
pub unsafe extern "C" fn wf_http_execute(
    parser: *mut Parser,
    settings: *const wf_http_settings,
    data: *const c_char,
    len: usize,
) -> usize {
    ffi_boundary!(
        {
            // SAFETY: the parser pointer was checked below before any use.
            unsafe { poison(parser) };
            0
        },
        {
            let p = deref_mut!(0; parser);
            if data.is_null() && len != 0 {
                p.set_error(Errno::InvalidArgument);
                return 0;
            }
            // SAFETY: the caller provides `len` readable bytes at `data`, and valid settings.
            let (input, s) =
                unsafe { (slice_from(data as *const u8, len), settings_ref(settings)) };
            p.parse(&mut CCallbacks(s), input)
        }
    )
}

/// Signals the end of the input (the connection closed). A response whose body lasts until
/// EOF completes here, calling `on_message_complete`; ending between messages is fine; ending
/// inside a message gives `WF_HPE_INVALID_EOF_STATE`. Returns the parser's errno afterwards.
#[no_mangle]
pub unsafe extern "C" fn wf_http_finish(
    parser: *mut Parser,
    settings: *const wf_http_settings,
) -> Errno {
    ffi_boundary!(
        {
            // SAFETY: the parser pointer is checked inside `poison`.
            unsafe { poison(parser) };
            Errno::Internal
        },
        {
            let p = deref_mut!(Errno::InvalidArgument; parser);
            // SAFETY: `settings` is NULL or valid, by this function's contract.
            let s = unsafe { settings_ref(settings) };
            p.finish(&mut CCallbacks(s))
        }
    )
}

/// Parses like `wf_http_execute`, but records the callbacks as rows in `events` (room for
/// `capacity` rows) instead of calling functions, so a binding crosses the FFI once per read.
/// Stops early when the array is full, and, with `WF_HTTP_EVENTS_STOP_AFTER_HEADERS` in
/// `options`, right after a `HeadersComplete` row (the caller may then call
/// `wf_http_skip_body`). Such a stop is not an error: call again with the rest of the input.
/// With `WF_HTTP_EVENTS_SKIP_SPAN_COMPLETE` in `options`, the `*_COMPLETE` rows that end a span
/// are left out (a span ends where a row of another kind follows).
///
/// Returns the bytes consumed (as `wf_http_execute`) and stores the number of rows written in
/// `*count`. Span rows locate bytes in `data`. The parser must be of type REQUEST or RESPONSE
/// (BOTH gives `WF_HPE_INVALID_ARGUMENT`).
#[no_mangle]
pub unsafe extern "C" fn wf_http_execute_events(
    parser: *mut Parser,
    data: *const c_char,
    len: usize,
    events: *mut EventRow,
    capacity: usize,
    options: u32,
    count: *mut usize,
) -> usize {
    ffi_boundary!(
        {
            // SAFETY: the parser pointer is checked inside `poison`.
            unsafe { poison(parser) };
            0
        },
        {
            let p = deref_mut!(0; parser);
            if count.is_null()
                || events.is_null()
                || capacity == 0
                || (data.is_null() && len != 0)
                || p.parser_type() == ParserType::Both
            {
                p.set_error(Errno::InvalidArgument);
                return 0;
            }
            // SAFETY: the caller provides `len` readable bytes at `data` and `capacity` writable
            // rows at `events`, not overlapping.
            let (input, rows) = unsafe {
                (
                    slice_from(data as *const u8, len),
                    core::slice::from_raw_parts_mut(events, capacity),
                )
            };
            let (consumed, n) = events::execute_events(p, input, rows, options);
            // SAFETY: non-null, writable by contract.
            unsafe { count.write(n) };
            consumed
        }
    )
}

/// Declares that the current message has no body (as `on_headers_complete` returning 1), and
/// with a nonzero `upgrade` that the connection is upgraded (as returning 2). For a parser
/// stopped right after the headers by `wf_http_execute_events`.
#[no_mangle]
pub unsafe extern "C" fn wf_http_skip_body(parser: *mut Parser, upgrade: c_int) {
    ffi_boundary!((), {
        deref_mut!(parser).skip_body(upgrade != 0);
    })
}

/// Pauses the parser from outside a callback: `wf_http_execute` returns 0 with
/// `WF_HPE_PAUSED` until `wf_http_resume`. (Inside a callback, return `WF_HPE_PAUSED`.)
#[no_mangle]
pub unsafe extern "C" fn wf_http_pause(parser: *mut Parser) {
    ffi_boundary!((), {
        deref_mut!(parser).pause();
    })
}

/// Ends a pause (`WF_HPE_PAUSED`); continue by calling `wf_http_execute` with the bytes from
/// the offset it returned. Does nothing in any other state.
#[no_mangle]
pub unsafe extern "C" fn wf_http_resume(parser: *mut Parser) {
    ffi_boundary!((), {
        deref_mut!(parser).resume();
    })
}

/// Ends the pause after an upgrade (`WF_HPE_PAUSED_UPGRADE`), to go on parsing HTTP after the
/// upgraded message (e.g. when the upgrade was refused). Does nothing in any other state.
#[no_mangle]
pub unsafe extern "C" fn wf_http_resume_after_upgrade(parser: *mut Parser) {
    ffi_boundary!((), {
        deref_mut!(parser).resume_after_upgrade();
    })
}

/// Sets the leniency flags (`WF_LENIENT_*` bits, replacing the previous ones). Every flag
/// relaxes a check that stops an attack; read each flag's documentation first.
#[no_mangle]
pub unsafe extern "C" fn wf_http_set_lenient_flags(parser: *mut Parser, flags: u32) {
    ffi_boundary!((), {
        deref_mut!(parser).set_lenient_flags(flags);
    })
}

/// Sets the maximum size in bytes of a message's start line plus headers, and of its trailers
/// (0: the default, 80 KiB). Beyond it the parser stops with `WF_HPE_HEADER_OVERFLOW`.
#[no_mangle]
pub unsafe extern "C" fn wf_http_set_max_header_size(parser: *mut Parser, size: u32) {
    ffi_boundary!((), {
        deref_mut!(parser).set_max_header_size(size);
    })
}

/// Sets the maximum number of chunk-extension bytes in one message (0: the default, 16 KiB).
/// Beyond it the parser stops with `WF_HPE_CHUNK_EXTENSIONS_OVERFLOW`.
#[no_mangle]
pub unsafe extern "C" fn wf_http_set_max_chunk_extensions_size(parser: *mut Parser, size: u32) {
    ffi_boundary!((), {
        deref_mut!(parser).set_max_chunk_extensions_size(size);
    })
}

/// Reads the parser through a possibly-NULL pointer; `default` for NULL.
///
/// # Safety
/// `parser` is NULL or points to a parser valid for reads during the call (the accessors'
/// contract, which each accessor passes on).
unsafe fn read<T>(parser: *const Parser, default: T, f: impl FnOnce(&Parser) -> T) -> T {
    // SAFETY: NULL or valid, by this function's contract.
    match unsafe { parser.as_ref() } {
        Some(p) => f(p),
        None => default,
    }
}

/// The parser's errno (`WF_HPE_OK` while it runs); `WF_HPE_INVALID_ARGUMENT` for NULL.
#[no_mangle]
pub unsafe extern "C" fn wf_http_errno(parser: *const Parser) -> Errno {
    ffi_boundary!(Errno::Internal, {
        // SAFETY: `parser` is NULL or valid, by this accessor's contract.
        unsafe { read(parser, Errno::InvalidArgument, Parser::errno) }
    })
}

/// Why the parser stopped, in words (an empty string while there is no error). Static storage:
/// never free it.
#[no_mangle]
pub unsafe extern "C" fn wf_http_error_reason(parser: *const Parser) -> *const c_char {
    ffi_boundary!(c"".as_ptr(), {
        // SAFETY: `parser` is NULL or valid, by this accessor's contract.
        unsafe { read(parser, c"invalid argument", Parser::error_reason) }.as_ptr()
    })
}

/// The offset of the byte where the parser stopped, in the buffer of the `wf_http_execute` call
/// that stopped (the value that call returned); 0 for NULL.
#[no_mangle]
pub unsafe extern "C" fn wf_http_error_offset(parser: *const Parser) -> usize {
    // SAFETY: `parser` is NULL or valid, by this accessor's contract.
    ffi_boundary!(0, { unsafe { read(parser, 0, Parser::error_offset) } })
}

/// The name of an errno, e.g. `"HPE_INVALID_METHOD"`; `"HPE_UNKNOWN"` for an unknown number.
/// Static storage.
#[no_mangle]
pub extern "C" fn wf_http_errno_name(code: u32) -> *const c_char {
    ffi_boundary!(c"".as_ptr(), {
        Errno::from_u32(code)
            .map_or(c"HPE_UNKNOWN", Errno::name)
            .as_ptr()
    })
}

/// A one-line description of an errno; `"unknown error"` for an unknown number. Static
/// storage.
#[no_mangle]
pub extern "C" fn wf_http_errno_description(code: u32) -> *const c_char {
    ffi_boundary!(c"".as_ptr(), {
        Errno::from_u32(code)
            .map_or(c"unknown error", Errno::description)
            .as_ptr()
    })
}

/// The method's wire form, e.g. `"GET"` for `WF_HTTP_METHOD_GET`; `"<unknown>"` for an unknown
/// number. Static storage.
#[no_mangle]
pub extern "C" fn wf_http_method_str(method: u32) -> *const c_char {
    ffi_boundary!(c"".as_ptr(), {
        u8::try_from(method)
            .ok()
            .and_then(Method::from_u8)
            .map_or(c"<unknown>", Method::name)
            .as_ptr()
    })
}

/// The reason phrase of a status code, e.g. `"Not Found"` for 404; `"<unknown>"` for a code
/// the table lacks. Static storage.
#[no_mangle]
pub extern "C" fn wf_http_status_str(status: u32) -> *const c_char {
    ffi_boundary!(c"".as_ptr(), { status_str(status).as_ptr() })
}

/// 1 if the connection may carry another message after the current one (HTTP/1.1 without
/// `Connection: close`, HTTP/1.0 with `Connection: keep-alive`, and a body that does not last
/// until EOF), else 0. Valid from `on_headers_complete` on.
#[no_mangle]
pub unsafe extern "C" fn wf_http_should_keep_alive(parser: *const Parser) -> c_int {
    ffi_boundary!(0, {
        // SAFETY: `parser` is NULL or valid, by this accessor's contract.
        (unsafe { read(parser, false, Parser::should_keep_alive) }) as c_int
    })
}

/// 1 if the current message is a response whose body lasts until the connection closes (end
/// it with `wf_http_finish`), else 0.
#[no_mangle]
pub unsafe extern "C" fn wf_http_message_needs_eof(parser: *const Parser) -> c_int {
    ffi_boundary!(0, {
        // SAFETY: `parser` is NULL or valid, by this accessor's contract.
        (unsafe { read(parser, false, Parser::message_needs_eof) }) as c_int
    })
}

/// Inside `on_body`: 1 if this piece ends the body (Content-Length bodies), else 0.
#[no_mangle]
pub unsafe extern "C" fn wf_http_body_is_final(parser: *const Parser) -> c_int {
    ffi_boundary!(0, {
        // SAFETY: `parser` is NULL or valid, by this accessor's contract.
        (unsafe { read(parser, false, Parser::body_is_final) }) as c_int
    })
}

/// The parser's type (`WF_HTTP_TYPE_*`); 0 for NULL.
#[no_mangle]
pub unsafe extern "C" fn wf_http_get_type(parser: *const Parser) -> u8 {
    // SAFETY: `parser` is NULL or valid, by this accessor's contract.
    ffi_boundary!(0, { unsafe { read(parser, 0, |p| p.kind) } })
}

/// The request method (`WF_HTTP_METHOD_*`); 0 for NULL.
#[no_mangle]
pub unsafe extern "C" fn wf_http_get_method(parser: *const Parser) -> u8 {
    // SAFETY: `parser` is NULL or valid, by this accessor's contract.
    ffi_boundary!(0, { unsafe { read(parser, 0, |p| p.method) } })
}

/// The major version; 0 for NULL.
#[no_mangle]
pub unsafe extern "C" fn wf_http_get_http_major(parser: *const Parser) -> u8 {
    // SAFETY: `parser` is NULL or valid, by this accessor's contract.
    ffi_boundary!(0, { unsafe { read(parser, 0, |p| p.http_major) } })
}

/// The minor version; 0 for NULL.
#[no_mangle]
pub unsafe extern "C" fn wf_http_get_http_minor(parser: *const Parser) -> u8 {
    // SAFETY: `parser` is NULL or valid, by this accessor's contract.
    ffi_boundary!(0, { unsafe { read(parser, 0, |p| p.http_minor) } })
}

/// The response status code; 0 for NULL.
#[no_mangle]
pub unsafe extern "C" fn wf_http_get_status_code(parser: *const Parser) -> u16 {
    // SAFETY: `parser` is NULL or valid, by this accessor's contract.
    ffi_boundary!(0, { unsafe { read(parser, 0, |p| p.status_code) } })
}

/// The `WF_F_*` flags; 0 for NULL.
#[no_mangle]
pub unsafe extern "C" fn wf_http_get_flags(parser: *const Parser) -> u16 {
    // SAFETY: `parser` is NULL or valid, by this accessor's contract.
    ffi_boundary!(0, { unsafe { read(parser, 0, |p| p.flags) } })
}

/// 1 if the message upgrades the connection; 0 otherwise or for NULL.
#[no_mangle]
pub unsafe extern "C" fn wf_http_get_upgrade(parser: *const Parser) -> u8 {
    // SAFETY: `parser` is NULL or valid, by this accessor's contract.
    ffi_boundary!(0, { unsafe { read(parser, 0, |p| p.upgrade) } })
}

/// The `content_length` field (see `wf_http_parser`); 0 for NULL.
#[no_mangle]
pub unsafe extern "C" fn wf_http_get_content_length(parser: *const Parser) -> u64 {
    // SAFETY: `parser` is NULL or valid, by this accessor's contract.
    ffi_boundary!(0, { unsafe { read(parser, 0, |p| p.content_length) } })
}

/// The user `data` pointer; NULL for NULL.
#[no_mangle]
pub unsafe extern "C" fn wf_http_get_data(parser: *const Parser) -> *mut c_void {
    ffi_boundary!(core::ptr::null_mut(), {
        // SAFETY: `parser` is NULL or valid, by this accessor's contract.
        unsafe { read(parser, core::ptr::null_mut(), |p| p.data) }
    })
}

/// Sets the user `data` pointer.
#[no_mangle]
pub unsafe extern "C" fn wf_http_set_data(parser: *mut Parser, data: *mut c_void) {
    ffi_boundary!((), {
        deref_mut!(parser).data = data;
    })
}

/// Splits the URL `buf[0..len]` into schema, host, port, path, query, fragment and userinfo,
/// as `http_parser_parse_url` does; `is_connect` nonzero selects CONNECT's `host:port` form.
/// Returns 0 and fills `*out` on success; 1 on a malformed URL or a NULL argument (then
/// `*out` is zeroed when `out` is not NULL).
#[no_mangle]
pub unsafe extern "C" fn wf_http_parse_url(
    buf: *const c_char,
    len: usize,
    is_connect: c_int,
    out: *mut Url,
) -> c_int {
    ffi_boundary!(1, {
        check_null!(1; out);
        // SAFETY: non-null, writable by contract.
        unsafe { out.write(Url::default()) };
        if buf.is_null() && len != 0 {
            return 1;
        }
        // SAFETY: the caller provides `len` readable bytes at `buf`.
        let url = unsafe { slice_from(buf as *const u8, len) };
        match parse_url(url, is_connect != 0) {
            Ok(parsed) => {
                // SAFETY: as above.
                unsafe { out.write(parsed) };
                0
            }
            Err(_) => 1,
        }
    })
}
