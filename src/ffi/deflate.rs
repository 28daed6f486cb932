//! C ABI of permessage-deflate (RFC 7692): `wf_ws_deflate`, one object per connection holding
//! the compressor for the messages it sends and the decompressor for those it receives.
//!
//! Unlike the decoder, `wf_ws_deflate` is an opaque handle: it owns heap memory (the two DEFLATE
//! contexts, of the sizes `wf_ws_deflate_memory_size` states), so it is created with
//! `wf_ws_deflate_new` and freed with `wf_ws_deflate_free`.

use core::ffi::{c_int, c_void};
use core::ptr;

use super::boundary::{slice_from, slice_from_mut};
use super::ws::{key_from, WF_WS_ROLE_CLIENT, WF_WS_ROLE_SERVER};
use crate::handshake::DeflateParams;
use crate::ws::decoder::{Action, Role, DEFAULT_MAX_MESSAGE_SIZE};
use crate::ws::deflate::{
    compress_bound, compressor_memory, decompressor_memory, encode_message_bound, Agreement,
    Compressor, Decompressor, DeflateOptions, Progress,
};
use crate::ws::{Opcode, WsError};

/// Settings of `wf_ws_deflate_new` that the handshake does not negotiate. Initialise with
/// `wf_ws_deflate_options_init`, then change fields.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct WsDeflateOptions {
    /// Compression level 0 (stored blocks only) to 9; default 6.
    pub level: u8,
    /// zlib memory level 1 to 9 (the compressor's literal buffer is `7 << (mem_level + 6)`
    /// bytes); default 8.
    pub mem_level: u8,
    /// Largest inflated size of a received message in bytes, 0 for no limit; default 100 MiB.
    /// One byte more fails with `WF_WS_ERR_MESSAGE_TOO_LARGE` (close code 1009).
    pub max_message_size: u64,
}

/// One connection's permessage-deflate state: the compressor for the messages it sends and
/// the decompressor for those it receives. Opaque; create with `wf_ws_deflate_new`, free with
/// `wf_ws_deflate_free`. Not thread-safe: use one from one thread at a time.
#[derive(Debug)]
pub struct WsDeflate {
    compressor: Compressor,
    decompressor: Decompressor,
}

/// `cb(user, data, len)` receives a piece of inflated message (`len > 0`), valid only during
/// the call. Return 0 to go on; any other value stops with `WF_WS_ERR_CALLBACK_ERROR`.
pub type WsDeflateDataCb = Option<unsafe extern "C" fn(*mut c_void, *const u8, usize) -> c_int>;

/// Fills `options` with the defaults: level 6, memory level 8, 100 MiB message limit. Does
/// nothing for NULL.
#[no_mangle]
pub unsafe extern "C" fn wf_ws_deflate_options_init(options: *mut WsDeflateOptions) {
    ffi_boundary!((), {
        check_null!(options);
        let d = DeflateOptions::default();
        let o = WsDeflateOptions {
            level: d.level,
            mem_level: d.mem_level,
            max_message_size: DEFAULT_MAX_MESSAGE_SIZE,
        };
        // SAFETY: `options` is non-null and writable per the contract.
        unsafe { options.write(o) };
    })
}

/// Reads the options, or the defaults for NULL.
///
/// # Safety
/// `options` is NULL or points to a readable `WsDeflateOptions`.
unsafe fn options_from(options: *const WsDeflateOptions) -> WsDeflateOptions {
    // SAFETY: per the contract.
    match unsafe { options.as_ref() } {
        Some(o) => *o,
        None => {
            let mut o = WsDeflateOptions {
                level: 0,
                mem_level: 0,
                max_message_size: 0,
            };
            // SAFETY: `o` is a valid, writable local.
            unsafe { wf_ws_deflate_options_init(&mut o) };
            o
        }
    }
}

/// The agreement for `role` from `params`, or `None` for a bad role.
///
/// # Safety
/// `params` is NULL or points to a readable `DeflateParams`.
unsafe fn agreement(params: *const DeflateParams, role: u32) -> Option<Agreement> {
    let role = match role {
        WF_WS_ROLE_SERVER => Role::Server,
        WF_WS_ROLE_CLIENT => Role::Client,
        _ => return None,
    };
    // SAFETY: per the contract.
    let p = unsafe { params.as_ref() }?;
    let bits_ok = |b: u8| b == 0 || (8..=15).contains(&b);
    if !bits_ok(p.server_max_window_bits) || !bits_ok(p.client_max_window_bits) {
        return None;
    }
    Some(Agreement::new(p, role))
}

/// Heap bytes a `wf_ws_deflate` made by `wf_ws_deflate_new` with the same arguments would hold
/// (an upper bound within 6 KiB of the real figure), so a server can decide before it accepts
/// the extension; 0 for invalid arguments. `options` may be NULL (defaults).
///
/// Memory: the compressor takes `4 << w` + 128 KiB + `7 << (mem_level + 6)` + 8.5 KiB bytes
/// (`w` the window bits, at least 9), the decompressor 48.3 KiB whatever its window; each is
/// one allocation made at creation, and nothing is allocated afterwards.
#[no_mangle]
pub unsafe extern "C" fn wf_ws_deflate_memory_size(
    params: *const DeflateParams,
    role: u32,
    options: *const WsDeflateOptions,
) -> usize {
    ffi_boundary!(0, {
        check_null!(0; params);
        // SAFETY: `params` is readable per the contract.
        let Some(a) = (unsafe { agreement(params, role) }) else {
            return 0;
        };
        // SAFETY: per the contract.
        let o = unsafe { options_from(options) };
        match compressor_memory(a.compress_window_bits, o.mem_level) {
            0 => 0,
            c => c + decompressor_memory() + core::mem::size_of::<WsDeflate>(),
        }
    })
}

/// Creates the permessage-deflate state of one connection from the negotiated parameters
/// (`wf_ws_handshake.deflate_params` of `wf_ws_server_handshake` or
/// `wf_ws_client_validate_response`) and the connection's `role` (`WF_WS_ROLE_SERVER` or
/// `WF_WS_ROLE_CLIENT`): both directions are configured in this one call. A server
/// compresses with the `server_*` parameters and inflates with the `client_*` ones; a client
/// the reverse. `options` may be NULL (defaults).
///
/// Returns `WF_WS_ERR_OK` and stores the new object in `*out`, or `WF_WS_ERR_NULL_POINTER`,
/// `WF_WS_ERR_INVALID_ARGUMENT` (bad role, window bits other than 0 or 8..15, level over 9,
/// memory level outside 1..9; `*out` is set to NULL). A window of 0 means 15.
/// Memory: the caller owns the object and frees it with `wf_ws_deflate_free`; it holds
/// `wf_ws_deflate_memory_size` bytes at most.
#[no_mangle]
pub unsafe extern "C" fn wf_ws_deflate_new(
    params: *const DeflateParams,
    role: u32,
    options: *const WsDeflateOptions,
    out: *mut *mut WsDeflate,
) -> WsError {
    ffi_boundary!(WsError::Internal, {
        check_null!(WsError::NullPointer; params, out);
        // SAFETY: `out` is non-null and writable per the contract.
        unsafe { out.write(ptr::null_mut()) };
        // SAFETY: `params` is readable per the contract.
        let Some(a) = (unsafe { agreement(params, role) }) else {
            return WsError::InvalidArgument;
        };
        // SAFETY: per the contract.
        let o = unsafe { options_from(options) };
        let opts = DeflateOptions {
            level: o.level,
            mem_level: o.mem_level,
        };
        let made = Compressor::new(a.compress_window_bits, a.compress_no_context_takeover, opts)
            .and_then(|c| {
                Decompressor::new(
                    a.decompress_window_bits,
                    a.decompress_no_context_takeover,
                    o.max_message_size,
                )
                .map(|d| (c, d))
            });
        match made {
            Ok((compressor, decompressor)) => {
                let b = Box::new(WsDeflate {
                    compressor,
                    decompressor,
                });
                // SAFETY: as above.
                unsafe { out.write(Box::into_raw(b)) };
                WsError::Ok
            }
            Err(e) => e,
        }
    })
}

/// Frees an object made by `wf_ws_deflate_new`. NULL is ignored. The pointer is invalid
/// afterwards.
#[no_mangle]
pub unsafe extern "C" fn wf_ws_deflate_free(deflate: *mut WsDeflate) {
    ffi_boundary!((), {
        check_null!(deflate);
        // SAFETY: `deflate` came from `Box::into_raw` in `wf_ws_deflate_new` and is freed once,
        // per the contract.
        drop(unsafe { Box::from_raw(deflate) });
    })
}

/// Heap bytes `deflate` holds (an upper bound; see `wf_ws_deflate_memory_size`); 0 for NULL.
#[no_mangle]
pub unsafe extern "C" fn wf_ws_deflate_size(deflate: *const WsDeflate) -> usize {
    ffi_boundary!(0, {
        // SAFETY: `deflate` is NULL or valid per the contract.
        match unsafe { deflate.as_ref() } {
            Some(d) => {
                d.compressor.memory_size()
                    + d.decompressor.memory_size()
                    + core::mem::size_of::<WsDeflate>()
            }
            None => 0,
        }
    })
}

/// Largest compressed size of a message of `len` bytes (what `wf_ws_deflate_compress_message`
/// needs).
#[no_mangle]
pub extern "C" fn wf_ws_deflate_compress_bound(len: usize) -> usize {
    compress_bound(len)
}

/// Largest frame `wf_ws_deflate_encode_message` writes for a message of `len` bytes (header
/// included).
#[no_mangle]
pub extern "C" fn wf_ws_deflate_frame_bound(len: usize) -> usize {
    encode_message_bound(len)
}

/// Ends a streaming call: stores the `Progress` in the caller's out-parameters (each may be
/// NULL) and returns `WF_WS_ERR_OK`, or returns the error.
///
/// # Safety
/// Each pointer is NULL or writable.
unsafe fn report(
    r: Result<Progress, WsError>,
    consumed: *mut usize,
    written: *mut usize,
    done: *mut bool,
) -> WsError {
    let p = match r {
        Ok(p) => p,
        Err(e) => return e,
    };
    // SAFETY: per the contract.
    unsafe {
        if let Some(c) = consumed.as_mut() {
            *c = p.consumed;
        }
        if let Some(w) = written.as_mut() {
            *w = p.written;
        }
        if let Some(d) = done.as_mut() {
            *d = p.done;
        }
    }
    WsError::Ok
}

/// Compresses the next `in_len` bytes of the message being sent into `out` (`cap` bytes, at
/// least 8), streaming: `fin` says this input ends the message, which is then flushed and its
/// trailing `00 00 ff ff` left out. The output bytes form the payload of the message's frames
/// (send them in any number of frames; RSV1 on the first frame only).
///
/// Parameters: `consumed`, `written`, `done` (each may be NULL) receive the input bytes used,
/// the output bytes written, and whether this step is complete (all input used and, with `fin`,
/// the message's last byte written). When `done` is false, call again with the unused input,
/// the same `fin`, and fresh output room.
/// Returns `WF_WS_ERR_OK`, `WF_WS_ERR_NULL_POINTER`, `WF_WS_ERR_BUFFER_TOO_SMALL` (`cap` < 8)
/// or `WF_WS_ERR_INTERNAL`. No pointer is kept.
#[no_mangle]
pub unsafe extern "C" fn wf_ws_deflate_compress(
    deflate: *mut WsDeflate,
    input: *const u8,
    in_len: usize,
    fin: bool,
    out: *mut u8,
    cap: usize,
    consumed: *mut usize,
    written: *mut usize,
    done: *mut bool,
) -> WsError {
    ffi_boundary!(WsError::Internal, {
        check_null!(WsError::NullPointer; deflate, out);
        if input.is_null() && in_len != 0 {
            return WsError::NullPointer;
        }
        let d = deref_mut!(WsError::NullPointer; deflate);
        // SAFETY: per the contract.
        let (i, o) = unsafe { (slice_from(input, in_len), slice_from_mut(out, cap)) };
        let r = d.compressor.compress(i, o, fin);
        // SAFETY: out-parameters are NULL or writable.
        unsafe { report(r, consumed, written, done) }
    })
}

/// Compresses a whole message (`len` bytes) into `out` in one call. `cap` should be at least
/// `wf_ws_deflate_compress_bound(len)`. Stores the compressed size in `*written`.
///
/// Returns `WF_WS_ERR_OK`, `WF_WS_ERR_NULL_POINTER`, `WF_WS_ERR_INVALID_ARGUMENT` (a streamed
/// message is in progress) or `WF_WS_ERR_BUFFER_TOO_SMALL` (`*written` is then the bound;
/// the message is abandoned and the compressor's window emptied, so the next message is valid).
#[no_mangle]
pub unsafe extern "C" fn wf_ws_deflate_compress_message(
    deflate: *mut WsDeflate,
    input: *const u8,
    len: usize,
    out: *mut u8,
    cap: usize,
    written: *mut usize,
) -> WsError {
    ffi_boundary!(WsError::Internal, {
        check_null!(WsError::NullPointer; deflate, written);
        if (input.is_null() && len != 0) || (out.is_null() && cap != 0) {
            return WsError::NullPointer;
        }
        let d = deref_mut!(WsError::NullPointer; deflate);
        // SAFETY: per the contract.
        let (i, o) = unsafe { (slice_from(input, len), slice_from_mut(out, cap)) };
        let r = d.compressor.compress_message(i, o);
        // SAFETY: `written` is non-null and writable.
        unsafe { super::ws::finish(r, compress_bound(len), written) }
    })
}

/// Writes a whole compressed message as one frame: header with FIN and RSV1, `opcode`
/// (`WF_WS_OPCODE_TEXT` or `WF_WS_OPCODE_BINARY`), masked with the 4 bytes at `mask_key` (NULL:
/// unmasked, as a server sends), payload the compressed `len` bytes of `input`. `cap` should be
/// at least `wf_ws_deflate_frame_bound(len)`. Stores the frame's size in `*written`.
///
/// Returns as `wf_ws_deflate_compress_message`; `WF_WS_ERR_INVALID_ARGUMENT` also for another
/// opcode.
#[no_mangle]
pub unsafe extern "C" fn wf_ws_deflate_encode_message(
    deflate: *mut WsDeflate,
    opcode: u8,
    input: *const u8,
    len: usize,
    mask_key: *const u8,
    out: *mut u8,
    cap: usize,
    written: *mut usize,
) -> WsError {
    ffi_boundary!(WsError::Internal, {
        check_null!(WsError::NullPointer; deflate, written);
        if (input.is_null() && len != 0) || (out.is_null() && cap != 0) {
            return WsError::NullPointer;
        }
        let d = deref_mut!(WsError::NullPointer; deflate);
        // SAFETY: per the contract; `mask_key` is NULL or 4 readable bytes.
        let (i, o, key) = unsafe {
            (
                slice_from(input, len),
                slice_from_mut(out, cap),
                key_from(mask_key),
            )
        };
        if opcode > 15 {
            // SAFETY: `written` is non-null and writable.
            return unsafe { super::ws::finish(Err(WsError::InvalidArgument), 0, written) };
        }
        let r = d
            .compressor
            .encode_message(Opcode::from_nibble(opcode), i, key, o);
        // SAFETY: as above.
        unsafe { super::ws::finish(r, encode_message_bound(len), written) }
    })
}

/// Starts a received compressed message: call it when a frame header with RSV1 arrives
/// (the first frame of the message). `text` asks for UTF-8 validation of the inflated bytes
/// (a text message). A message still in progress is abandoned.
/// Returns `WF_WS_ERR_OK` or `WF_WS_ERR_NULL_POINTER`.
#[no_mangle]
pub unsafe extern "C" fn wf_ws_deflate_begin_message(
    deflate: *mut WsDeflate,
    text: bool,
) -> WsError {
    ffi_boundary!(WsError::Internal, {
        let d = deref_mut!(WsError::NullPointer; deflate);
        d.decompressor.begin_message(text);
        WsError::Ok
    })
}

/// Inflates the next `in_len` bytes of the message's compressed payload (as the decoder's
/// `on_payload` delivers them, any split) into `out` (`cap` > 0 bytes; never more is written).
/// `consumed`, `written`, `done` (each may be NULL) receive the input used, the output
/// written, and whether all input was used with output room left; when `done` is false, call
/// again with the rest of the input and fresh room.
///
/// Returns `WF_WS_ERR_OK`, or the error with the close code to send
/// (`wf_ws_err_close_code`): `WF_WS_ERR_INVALID_COMPRESSED_DATA` (1007),
/// `WF_WS_ERR_MESSAGE_TOO_LARGE` (1009: the inflated size passed the limit; at most one byte
/// past it was produced), `WF_WS_ERR_INVALID_UTF8` (1007, text messages); or
/// `WF_WS_ERR_INVALID_ARGUMENT` (no message begun, `cap` 0), `WF_WS_ERR_NULL_POINTER`. After an
/// error no message is in progress and the window is empty (close the connection with the
/// error's close code).
#[no_mangle]
pub unsafe extern "C" fn wf_ws_deflate_decompress(
    deflate: *mut WsDeflate,
    input: *const u8,
    in_len: usize,
    out: *mut u8,
    cap: usize,
    consumed: *mut usize,
    written: *mut usize,
    done: *mut bool,
) -> WsError {
    ffi_boundary!(WsError::Internal, {
        check_null!(WsError::NullPointer; deflate, out);
        if input.is_null() && in_len != 0 {
            return WsError::NullPointer;
        }
        let d = deref_mut!(WsError::NullPointer; deflate);
        // SAFETY: per the contract.
        let (i, o) = unsafe { (slice_from(input, in_len), slice_from_mut(out, cap)) };
        let r = d.decompressor.decompress(i, o);
        // SAFETY: out-parameters are NULL or writable.
        unsafe { report(r, consumed, written, done) }
    })
}

/// Ends the received message (call it at the decoder's `on_frame_complete` with
/// `message_end`): inflates the restored `00 00 ff ff` and what is still pending into `out`.
/// `written` and `done` as for `wf_ws_deflate_decompress`. Errors as there, plus
/// `WF_WS_ERR_INCOMPLETE_UTF8` (1007) and `WF_WS_ERR_INVALID_COMPRESSED_DATA` for data that
/// ends inside a DEFLATE block.
#[no_mangle]
pub unsafe extern "C" fn wf_ws_deflate_finish(
    deflate: *mut WsDeflate,
    out: *mut u8,
    cap: usize,
    written: *mut usize,
    done: *mut bool,
) -> WsError {
    ffi_boundary!(WsError::Internal, {
        check_null!(WsError::NullPointer; deflate, out);
        let d = deref_mut!(WsError::NullPointer; deflate);
        // SAFETY: per the contract.
        let o = unsafe { slice_from_mut(out, cap) };
        let r = d.decompressor.finish(o);
        // SAFETY: out-parameters are NULL or writable.
        unsafe { report(r, ptr::null_mut(), written, done) }
    })
}

fn sink(cb: WsDeflateDataCb, user: *mut c_void) -> impl FnMut(&[u8]) -> Action {
    move |piece: &[u8]| match cb {
        // SAFETY: the caller's callback, given a valid piece for the duration of the call.
        Some(f) => match unsafe { f(user, piece.as_ptr(), piece.len()) } {
            0 => Action::Continue,
            _ => Action::Fail,
        },
        None => Action::Continue,
    }
}

/// Inflates all `in_len` bytes of compressed payload, calling `cb(user, data, len)` with each
/// piece of output (at most `scratch_cap` bytes, written into `scratch`). Meant to be called
/// from the decoder's `on_payload` callback. Errors as for `wf_ws_deflate_decompress`, plus
/// `WF_WS_ERR_CALLBACK_ERROR` when `cb` returned nonzero. `cb` may be NULL (output discarded,
/// limits still checked).
#[no_mangle]
pub unsafe extern "C" fn wf_ws_deflate_decompress_cb(
    deflate: *mut WsDeflate,
    input: *const u8,
    in_len: usize,
    scratch: *mut u8,
    scratch_cap: usize,
    cb: WsDeflateDataCb,
    user: *mut c_void,
) -> WsError {
    ffi_boundary!(WsError::Internal, {
        check_null!(WsError::NullPointer; deflate, scratch);
        if input.is_null() && in_len != 0 {
            return WsError::NullPointer;
        }
        let d = deref_mut!(WsError::NullPointer; deflate);
        // SAFETY: per the contract.
        let (i, s) = unsafe {
            (
                slice_from(input, in_len),
                slice_from_mut(scratch, scratch_cap),
            )
        };
        match d.decompressor.decompress_with(i, s, sink(cb, user)) {
            Ok(()) => WsError::Ok,
            Err(e) => e,
        }
    })
}

/// `wf_ws_deflate_finish` with the output delivered to `cb` as for
/// `wf_ws_deflate_decompress_cb`.
#[no_mangle]
pub unsafe extern "C" fn wf_ws_deflate_finish_cb(
    deflate: *mut WsDeflate,
    scratch: *mut u8,
    scratch_cap: usize,
    cb: WsDeflateDataCb,
    user: *mut c_void,
) -> WsError {
    ffi_boundary!(WsError::Internal, {
        check_null!(WsError::NullPointer; deflate, scratch);
        let d = deref_mut!(WsError::NullPointer; deflate);
        // SAFETY: per the contract.
        let s = unsafe { slice_from_mut(scratch, scratch_cap) };
        match d.decompressor.finish_with(s, sink(cb, user)) {
            Ok(()) => WsError::Ok,
            Err(e) => e,
        }
    })
}

/// Abandons any message in progress in both directions and empties both windows (as after a
/// failed message). Returns `WF_WS_ERR_OK` or `WF_WS_ERR_NULL_POINTER`.
#[no_mangle]
pub unsafe extern "C" fn wf_ws_deflate_reset(deflate: *mut WsDeflate) -> WsError {
    ffi_boundary!(WsError::Internal, {
        let d = deref_mut!(WsError::NullPointer; deflate);
        d.compressor.reset();
        d.decompressor.reset();
        WsError::Ok
    })
}

/// Sets the limit on a received message's inflated size (0: none), effective at once.
/// Returns `WF_WS_ERR_OK` or `WF_WS_ERR_NULL_POINTER`.
#[no_mangle]
pub unsafe extern "C" fn wf_ws_deflate_set_max_message_size(
    deflate: *mut WsDeflate,
    max: u64,
) -> WsError {
    ffi_boundary!(WsError::Internal, {
        let d = deref_mut!(WsError::NullPointer; deflate);
        d.decompressor.set_max_message_size(max);
        WsError::Ok
    })
}

/// Bytes inflated so far in the received message in progress (or the last one); 0 for NULL.
#[no_mangle]
pub unsafe extern "C" fn wf_ws_deflate_message_size(deflate: *const WsDeflate) -> u64 {
    ffi_boundary!(0, {
        // SAFETY: per the contract.
        match unsafe { deflate.as_ref() } {
            Some(d) => d.decompressor.message_size(),
            None => 0,
        }
    })
}
