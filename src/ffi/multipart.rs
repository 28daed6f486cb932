//! C ABI of the multipart/form-data parser: `wf_mp_*`, and the error table of the form
//! formats (`wf_form_err_name`, `wf_form_err_description`).
//!
//! The parser (`wf_mp_parser`) is a complete type: the caller owns its memory and may embed it
//! or put it on the stack; nothing here allocates. Callbacks live in `wf_mp_settings`, passed
//! to every call, as in the HTTP parser.

use core::ffi::{c_char, c_int, c_void};
use core::ptr;

use super::boundary::slice_from;
use crate::form::events::{execute_events, MpEventRow};
use crate::form::{Action, FormError, Handler, MpEvent, MultipartConfig, MultipartParser};

/// A notification callback: gets the parser; returns 0 to go on, `WF_FORM_ERR_PAUSED` to
/// pause, any other value to stop with `WF_FORM_ERR_CALLBACK_ERROR`.
#[allow(non_camel_case_types)]
pub type wf_mp_cb = Option<unsafe extern "C" fn(parser: *mut MpParser) -> c_int>;

/// A data callback: gets the parser and a piece of a span (never empty). `at` points into the
/// buffer given to `wf_mp_execute`, or, for part data that had looked like the start of a
/// delimiter at the end of an earlier buffer, into the parser itself; either way it is valid
/// only during the call. Returns as `wf_mp_cb`.
#[allow(non_camel_case_types)]
pub type wf_mp_data_cb =
    Option<unsafe extern "C" fn(parser: *mut MpParser, at: *const c_char, length: usize) -> c_int>;

/// The callbacks of the multipart parser (the names of python-multipart's); any may be NULL.
/// Zero the struct, then set the ones you need.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
#[allow(non_camel_case_types)]
pub struct wf_mp_settings {
    /// A part starts (its delimiter line was read); its headers follow.
    pub on_part_begin: wf_mp_cb,
    /// A piece of a part header's name.
    pub on_header_field: wf_mp_data_cb,
    /// A piece of a part header's value (leading whitespace skipped).
    pub on_header_value: wf_mp_data_cb,
    /// A part header line ended.
    pub on_header_end: wf_mp_cb,
    /// The part's headers are complete; its data follows.
    pub on_headers_finished: wf_mp_cb,
    /// A piece of the part's data.
    pub on_part_data: wf_mp_data_cb,
    /// The part ended.
    pub on_part_end: wf_mp_cb,
    /// The close delimiter was read: the body is complete.
    pub on_end: wf_mp_cb,
}

/// A streaming multipart/form-data parser. A complete type: embed it or put it on the stack,
/// then call `wf_mp_parser_init`. It owns no memory, so nothing needs freeing.
#[repr(C)]
#[derive(Debug)]
pub struct MpParser {
    /// PUBLIC: a user pointer for the callbacks. Never read or written by wireframe (init
    /// leaves it as it is).
    pub data: *mut c_void,
    /// PRIVATE: parser state; do not touch.
    pub _state: MultipartParser,
}

/// The size in bytes of `wf_mp_parser`, for bindings that allocate it without the header's
/// layout.
#[no_mangle]
pub extern "C" fn wf_mp_parser_size() -> usize {
    core::mem::size_of::<MpParser>()
}

/// Reads a parser's state, or `None` for NULL.
///
/// # Safety
/// `p` must be NULL or point to an `MpParser` valid and not mutated for `'a`.
unsafe fn state<'a>(p: *const MpParser) -> Option<&'a MultipartParser> {
    // SAFETY: NULL or valid per the caller; `_state` is plain integers (any bit pattern is a
    // valid value) and `addr_of!` does not touch `data`.
    unsafe { p.as_ref().map(|p| &*ptr::addr_of!(p._state)) }
}

/// Mutable counterpart of [`state`].
///
/// # Safety
/// `p` must be NULL or point to an `MpParser` not otherwise borrowed for `'a`.
unsafe fn state_mut<'a>(p: *mut MpParser) -> Option<&'a mut MultipartParser> {
    if p.is_null() {
        return None;
    }
    // SAFETY: non-null and valid per the caller; the projection covers only `_state`, so a
    // callback may still use `data` through `p` meanwhile.
    unsafe { Some(&mut *ptr::addr_of_mut!((*p)._state)) }
}

/// Initializes (or resets) `parser` for a body with the given boundary (the Content-Type's
/// `boundary` parameter without quotes or leading dashes, e.g. from
/// `wf_form_boundary_from_content_type`), with the default limits: 1000 parts, 16 KiB of
/// headers per part, no part-size limit, 1024 bytes of preamble and of epilogue.
///
/// Parameters: `parser` may point to uninitialized memory (its `data` field is left as is);
/// `boundary` holds `len` bytes and is copied (not retained).
/// Returns `WF_FORM_ERR_OK`, `WF_FORM_ERR_INVALID_ARGUMENT` (NULL pointer) or
/// `WF_FORM_ERR_INVALID_BOUNDARY` (empty, over 70 bytes, a byte outside RFC 2046's bchars, or
/// a trailing space); on error the parser is left unusable (`WF_FORM_ERR_NOT_INITIALIZED`
/// for a fresh one).
#[no_mangle]
pub unsafe extern "C" fn wf_mp_parser_init(
    parser: *mut MpParser,
    boundary: *const c_char,
    len: usize,
) -> FormError {
    ffi_boundary!(FormError::Internal, {
        check_null!(FormError::InvalidArgument; parser, boundary);
        // SAFETY: `boundary` holds `len` readable bytes for this call.
        let b = unsafe { slice_from(boundary as *const u8, len) };
        match MultipartParser::new(b, MultipartConfig::DEFAULT) {
            Ok(fresh) => {
                // SAFETY: `parser` is non-null and writable; the write does not read the old
                // (possibly uninitialized) state.
                unsafe { ptr::addr_of_mut!((*parser)._state).write(fresh) };
                FormError::Ok
            }
            Err(e) => e,
        }
    })
}

/// Sets the limits (they apply from the next byte parsed): `max_parts` parts per body,
/// `max_header_size` bytes of each part's header section, `max_part_size` data bytes per part
/// (0 = no limit), `max_preamble` bytes before the first delimiter, `max_epilogue` bytes after
/// the close delimiter. Exceeding one stops the parser with its own error.
///
/// Returns `WF_FORM_ERR_OK`, `WF_FORM_ERR_INVALID_ARGUMENT` (NULL) or
/// `WF_FORM_ERR_NOT_INITIALIZED`.
#[no_mangle]
pub unsafe extern "C" fn wf_mp_parser_set_limits(
    parser: *mut MpParser,
    max_parts: u32,
    max_header_size: u32,
    max_part_size: u64,
    max_preamble: u32,
    max_epilogue: u32,
) -> FormError {
    ffi_boundary!(FormError::Internal, {
        // SAFETY: NULL or an initialized parser per the contract.
        let Some(p) = (unsafe { state_mut(parser) }) else {
            return FormError::InvalidArgument;
        };
        if p.error() == FormError::NotInitialized {
            return FormError::NotInitialized;
        }
        p.set_config(MultipartConfig {
            max_parts,
            max_header_size,
            max_part_size,
            max_preamble,
            max_epilogue,
        });
        FormError::Ok
    })
}

struct CHandler<'s> {
    parser: *mut MpParser,
    settings: Option<&'s wf_mp_settings>,
}

fn action(rc: c_int) -> Action {
    match rc {
        0 => Action::Continue,
        rc if rc == FormError::Paused as c_int => Action::Pause,
        _ => Action::Fail,
    }
}

impl CHandler<'_> {
    fn notify(&self, pick: fn(&wf_mp_settings) -> wf_mp_cb) -> Action {
        match self.settings.and_then(pick) {
            // SAFETY: the caller's callback, with the parser pointer it gave us.
            Some(cb) => action(unsafe { cb(self.parser) }),
            None => Action::Continue,
        }
    }

    fn span(&self, pick: fn(&wf_mp_settings) -> wf_mp_data_cb, d: &[u8]) -> Action {
        match self.settings.and_then(pick) {
            // SAFETY: the caller's callback; `d` is valid for the duration of the call.
            Some(cb) => action(unsafe { cb(self.parser, d.as_ptr() as *const c_char, d.len()) }),
            None => Action::Continue,
        }
    }
}

impl Handler for CHandler<'_> {
    fn part_begin(&mut self) -> Action {
        self.notify(|s| s.on_part_begin)
    }
    fn header_field(&mut self, d: &[u8]) -> Action {
        self.span(|s| s.on_header_field, d)
    }
    fn header_value(&mut self, d: &[u8]) -> Action {
        self.span(|s| s.on_header_value, d)
    }
    fn header_end(&mut self) -> Action {
        self.notify(|s| s.on_header_end)
    }
    fn headers_complete(&mut self) -> Action {
        self.notify(|s| s.on_headers_finished)
    }
    fn part_data(&mut self, d: &[u8], _: bool) -> Action {
        self.span(|s| s.on_part_data, d)
    }
    fn part_end(&mut self) -> Action {
        self.notify(|s| s.on_part_end)
    }
    fn end(&mut self) -> Action {
        self.notify(|s| s.on_end)
    }
}

/// Parses the next `len` bytes of the body at `data`, calling `settings`' callbacks.
///
/// Parameters: `parser` initialized; `settings` may be NULL (validate only); `data` may be
/// NULL when `len` is 0. The body may be split anywhere: the events are the same for every
/// split (only the pieces of a span differ).
///
/// Returns the number of bytes consumed: `len` when all was parsed. Less means parsing
/// stopped: `wf_mp_errno` is `WF_FORM_ERR_PAUSED` (call again from the returned offset; the
/// pause ends by itself) or an error, detected at the returned offset (0 when it was detected
/// on bytes of an earlier call; `wf_mp_error_offset` gives the stream offset); the parser then
/// consumes nothing more until re-initialized. Callbacks get `parser` and may use its `data`
/// field, but must not call `wf_mp_*` functions on the same parser.
#[no_mangle]
pub unsafe extern "C" fn wf_mp_execute(
    parser: *mut MpParser,
    settings: *const wf_mp_settings,
    data: *const c_char,
    len: usize,
) -> usize {
    ffi_boundary!(0, {
        check_null!(0; parser);
        if data.is_null() && len != 0 {
            return 0;
        }
        // SAFETY: `data` holds `len` readable bytes for this call.
        let input = unsafe { slice_from(data as *const u8, len) };
        // SAFETY: `settings` is NULL or valid for this call.
        let settings = unsafe { settings.as_ref() };
        let mut h = CHandler { parser, settings };
        // SAFETY: non-null, initialized per the contract.
        let Some(p) = (unsafe { state_mut(parser) }) else {
            return 0;
        };
        p.execute(input, &mut h)
    })
}

/// Parses like `wf_mp_execute` but records the events as rows into `events` (room for
/// `capacity` rows) instead of calling callbacks, so that a binding crosses the FFI once per
/// read. Stores the number of rows in `*count` and returns the bytes consumed; when the array
/// filled up, `wf_mp_errno` is `WF_FORM_ERR_PAUSED`: read the rows, then call again with the
/// rest (possibly nothing). A `WF_MP_EVENT_KIND_PART_DATA_FROM_DELIMITER` row stands for the first
/// `length` bytes of the delimiter (`"\r\n--"` followed by the boundary). `skip` is a bit set
/// of event kinds not to record (bit `1 << kind`; 0 records every kind; skipping
/// `WF_MP_EVENT_KIND_PART_DATA` skips `WF_MP_EVENT_KIND_PART_DATA_FROM_DELIMITER` too).
/// NULL `parser`, `events` or `count`, `capacity` 0, or NULL `data` with `len` > 0, return 0.
#[no_mangle]
pub unsafe extern "C" fn wf_mp_execute_events(
    parser: *mut MpParser,
    data: *const c_char,
    len: usize,
    events: *mut MpEventRow,
    capacity: usize,
    skip: u32,
    count: *mut usize,
) -> usize {
    ffi_boundary!(0, {
        check_null!(0; parser, events, count);
        if (data.is_null() && len != 0) || capacity == 0 {
            return 0;
        }
        // SAFETY: `data` holds `len` readable bytes, `events` `capacity` writable rows, for
        // this call; they do not overlap.
        let (input, rows) = unsafe {
            (
                slice_from(data as *const u8, len),
                core::slice::from_raw_parts_mut(events, capacity),
            )
        };
        // SAFETY: non-null, initialized per the contract.
        let Some(p) = (unsafe { state_mut(parser) }) else {
            return 0;
        };
        let (n, c) = execute_events(p, input, rows, skip);
        // SAFETY: non-null, writable per the contract.
        unsafe { count.write(c) };
        n
    })
}

/// Signals the end of the body. Returns `WF_FORM_ERR_OK` when the close delimiter was read;
/// otherwise `WF_FORM_ERR_MISSING_FINAL_BOUNDARY` (a truncated body), or the error the parser
/// already had; `WF_FORM_ERR_INVALID_ARGUMENT` for NULL.
#[no_mangle]
pub unsafe extern "C" fn wf_mp_finish(parser: *mut MpParser) -> FormError {
    ffi_boundary!(FormError::Internal, {
        // SAFETY: NULL or initialized per the contract.
        match unsafe { state_mut(parser) } {
            Some(p) => p.finish(),
            None => FormError::InvalidArgument,
        }
    })
}

/// The parser's state: `WF_FORM_ERR_OK`, `WF_FORM_ERR_PAUSED`, or the error that stopped it
/// (`WF_FORM_ERR_INVALID_ARGUMENT` for NULL).
#[no_mangle]
pub unsafe extern "C" fn wf_mp_errno(parser: *const MpParser) -> FormError {
    ffi_boundary!(FormError::Internal, {
        // SAFETY: NULL or initialized per the contract.
        unsafe { state(parser) }.map_or(FormError::InvalidArgument, |p| p.error())
    })
}

/// The stream offset (bytes since the start of the body) of the error, or of the end of the
/// event that paused; the same for every split of the input. 0 for NULL or no error.
#[no_mangle]
pub unsafe extern "C" fn wf_mp_error_offset(parser: *const MpParser) -> u64 {
    ffi_boundary!(0, {
        // SAFETY: NULL or initialized per the contract.
        unsafe { state(parser) }.map_or(0, |p| p.error_offset())
    })
}

/// The number of parts begun so far (0 for NULL).
#[no_mangle]
pub unsafe extern "C" fn wf_mp_parts(parser: *const MpParser) -> u32 {
    ffi_boundary!(0, {
        // SAFETY: NULL or initialized per the contract.
        unsafe { state(parser) }.map_or(0, |p| p.parts())
    })
}

/// Whether the close delimiter has been read (false for NULL).
#[no_mangle]
pub unsafe extern "C" fn wf_mp_is_done(parser: *const MpParser) -> bool {
    ffi_boundary!(false, {
        // SAFETY: NULL or initialized per the contract.
        unsafe { state(parser) }.is_some_and(|p| p.is_done())
    })
}

/// The stable name of error `err` (a `wf_form_err` value), e.g. "WF_FORM_ERR_BARE_LF";
/// "WF_FORM_ERR_UNKNOWN" for a number that is not an error. Static; never free it.
#[no_mangle]
pub extern "C" fn wf_form_err_name(err: u32) -> *const c_char {
    ffi_boundary!(c"WF_FORM_ERR_UNKNOWN".as_ptr(), {
        FormError::from_u32(err)
            .map_or(c"WF_FORM_ERR_UNKNOWN", FormError::name)
            .as_ptr()
    })
}

/// A one-line description of error `err`; "unknown error" for an unknown number. Static.
#[no_mangle]
pub extern "C" fn wf_form_err_description(err: u32) -> *const c_char {
    ffi_boundary!(c"unknown error".as_ptr(), {
        FormError::from_u32(err)
            .map_or(c"unknown error", FormError::description)
            .as_ptr()
    })
}

const _: () = assert!(MpEvent::PartDataFromDelimiter as u8 == 9);
