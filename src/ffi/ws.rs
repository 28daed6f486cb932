//! C ABI of the WebSocket frame codec: decoder, encoder, masking, error and close-code tables.
//!
//! Conventions: every function checks its pointers (a NULL where one is required gives
//! `WF_WS_ERR_NULL_POINTER`, or the documented neutral value), runs inside the panic boundary,
//! and never keeps a pointer after it returns, except where a doc says otherwise.

use core::ffi::{c_char, c_int, c_void};
use core::ptr;

use super::boundary::{slice_from, slice_from_mut};
use crate::ws::close::{close_code_description, close_code_may_be_sent, close_code_name};
use crate::ws::decoder::{flags, Action, DecoderConfig, FrameDecoder, FrameEnd, Handler, Role};
use crate::ws::encoder;
use crate::ws::{CloseCode, FrameHeader, Opcode, WsError};

/// Decoder flag: accept RSV1 on the first frame of a data message (permessage-deflate was
/// negotiated). UTF-8 of compressed text messages is then left to the caller.
pub const WF_WS_ALLOW_RSV1: u32 = 1;
/// Decoder flag: accept RSV2 (an extension the caller negotiated defines it).
pub const WF_WS_ALLOW_RSV2: u32 = 2;
/// Decoder flag: accept RSV3 (an extension the caller negotiated defines it).
pub const WF_WS_ALLOW_RSV3: u32 = 4;
/// Decoder flag: accept payload lengths that are not minimally encoded (strict by default).
pub const WF_WS_LENIENT_LENGTH: u32 = 8;
/// Decoder flag: do not validate UTF-8 in text messages (close reasons are still checked).
pub const WF_WS_SKIP_UTF8: u32 = 16;

/// Decoder role: decode frames sent by a client (every frame must be masked).
pub const WF_WS_ROLE_SERVER: u32 = 0;
/// Decoder role: decode frames sent by a server (no frame may be masked).
pub const WF_WS_ROLE_CLIENT: u32 = 1;

/// Encoder flag: set FIN (the final fragment of a message; required for control frames).
pub const WF_WS_FRAME_FIN: u32 = 1;
/// Encoder flag: set RSV1 (permessage-deflate: the message is compressed).
pub const WF_WS_FRAME_RSV1: u32 = 2;
/// Encoder flag: set RSV2.
pub const WF_WS_FRAME_RSV2: u32 = 4;
/// Encoder flag: set RSV3.
pub const WF_WS_FRAME_RSV3: u32 = 8;

/// Largest frame header in bytes (2 + 8 bytes of length + 4 bytes of masking key).
pub const WF_WS_MAX_HEADER_SIZE: usize = 14;

/// A decoded frame header, passed to `on_frame_header`. Valid only during the callback.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct WsFrameHeader {
    /// FIN bit: the final fragment of its message.
    pub fin: bool,
    /// RSV1 bit (permessage-deflate: compressed message).
    pub rsv1: bool,
    /// RSV2 bit.
    pub rsv2: bool,
    /// RSV3 bit.
    pub rsv3: bool,
    /// The opcode (a `wf_ws_opcode` value; never a reserved one).
    pub opcode: Opcode,
    /// MASK bit.
    pub masked: bool,
    /// The masking key (zeros when not masked). Payload pieces arrive already unmasked.
    pub mask_key: [u8; 4],
    /// Payload length in bytes.
    pub payload_len: u64,
}

/// What `on_frame_complete` learns about the frame that just ended. Valid only during the
/// callback.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct WsFrameEnd {
    /// The frame's own opcode (`WF_WS_OPCODE_CONTINUATION` for non-first fragments).
    pub opcode: Opcode,
    /// The message's opcode: TEXT or BINARY for every data frame, continuation frames
    /// included; the frame's own opcode for control frames.
    pub message_opcode: Opcode,
    /// FIN bit.
    pub fin: bool,
    /// True when this frame ended a message: a data frame with FIN, or any control frame.
    /// A binding that reassembles messages delivers the buffered message here.
    pub message_end: bool,
    /// For a close frame, its status code (1005 when the payload was empty); 0 otherwise.
    /// The reason is the close payload after its first two bytes, already checked as UTF-8.
    pub close_code: u16,
}

/// `on_frame_header(decoder, header)`: return 0 to go on, `WF_WS_ERR_PAUSED` to pause, any
/// other value to stop with `WF_WS_ERR_CALLBACK_ERROR`.
pub type WsHeaderCb = Option<unsafe extern "C" fn(*mut WsDecoder, *const WsFrameHeader) -> c_int>;
/// `on_payload(decoder, data, len)`: a piece of the current frame's payload, unmasked in place
/// in the caller's buffer (len > 0). `data` is valid only during the call. Return as above.
pub type WsDataCb = Option<unsafe extern "C" fn(*mut WsDecoder, *const u8, usize) -> c_int>;
/// `on_frame_complete(decoder, end)`: the frame is complete and valid. Return as above.
pub type WsEndCb = Option<unsafe extern "C" fn(*mut WsDecoder, *const WsFrameEnd) -> c_int>;

/// The decoder's callbacks; any may be NULL. Not retained after `wf_ws_decode` returns.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct WsCallbacks {
    /// Called once per frame when its header is decoded and checked.
    pub on_frame_header: WsHeaderCb,
    /// Called for each piece of payload (possibly several per frame, never empty).
    pub on_payload: WsDataCb,
    /// Called once per frame after its last payload byte.
    pub on_frame_complete: WsEndCb,
}

/// A streaming WebSocket frame decoder. A complete type: embed it or put it on the stack,
/// then call `wf_ws_decoder_init`. It owns no memory, so nothing needs freeing.
#[repr(C)]
#[derive(Debug)]
pub struct WsDecoder {
    /// PUBLIC: a user pointer for the callbacks. Never read or written by wireframe (init
    /// leaves it as it is).
    pub data: *mut c_void,
    /// PRIVATE: decoder state; do not touch.
    pub _state: FrameDecoder,
}

/// The size in bytes of `wf_ws_decoder`, for bindings that allocate it without the header's
/// struct layout (they can check their own idea of the size against it).
#[no_mangle]
pub extern "C" fn wf_ws_decoder_size() -> usize {
    core::mem::size_of::<WsDecoder>()
}

/// Reads a decoder's state, or `None` for NULL.
///
/// # Safety
/// `d` must be NULL or point to a `WsDecoder` that stays valid and is not mutated for `'a`.
unsafe fn state<'a>(d: *const WsDecoder) -> Option<&'a FrameDecoder> {
    // SAFETY: the caller guarantees `d` is NULL or valid; `_state` is plain integers, so any
    // bit pattern is a valid value, and `addr_of!` does not touch `data`.
    unsafe { d.as_ref().map(|d| &*ptr::addr_of!(d._state)) }
}

/// Mutable counterpart of [`state`].
///
/// # Safety
/// `d` must be NULL or point to a `WsDecoder` not otherwise borrowed for `'a`.
unsafe fn state_mut<'a>(d: *mut WsDecoder) -> Option<&'a mut FrameDecoder> {
    if d.is_null() {
        return None;
    }
    // SAFETY: `d` is non-null and valid per the caller; the projection only covers `_state`,
    // so a callback may still read and write `data` through `d` meanwhile.
    unsafe { Some(&mut *ptr::addr_of_mut!((*d)._state)) }
}

const _: () = assert!(
    WF_WS_ALLOW_RSV1 == flags::ALLOW_RSV1
        && WF_WS_ALLOW_RSV2 == flags::ALLOW_RSV2
        && WF_WS_ALLOW_RSV3 == flags::ALLOW_RSV3
        && WF_WS_LENIENT_LENGTH == flags::LENIENT_LENGTH
        && WF_WS_SKIP_UTF8 == flags::SKIP_UTF8
);

fn role_from(role: u32) -> Option<Role> {
    match role {
        WF_WS_ROLE_SERVER => Some(Role::Server),
        WF_WS_ROLE_CLIENT => Some(Role::Client),
        _ => None,
    }
}

/// Initializes (or resets) `decoder` for `role` (`WF_WS_ROLE_SERVER` or `WF_WS_ROLE_CLIENT`)
/// with the defaults: strict (no flags), no frame limit, 100 MiB message limit, 65536
/// fragments per message.
///
/// Parameters: `decoder` may point to uninitialized memory; its `data` field is left as is.
/// Returns `WF_WS_ERR_OK`, `WF_WS_ERR_NULL_POINTER` or `WF_WS_ERR_INVALID_ARGUMENT` (bad
/// role; the decoder is then untouched).
#[no_mangle]
pub unsafe extern "C" fn wf_ws_decoder_init(decoder: *mut WsDecoder, role: u32) -> WsError {
    ffi_boundary!(WsError::Internal, {
        check_null!(WsError::NullPointer; decoder);
        let Some(role) = role_from(role) else {
            return WsError::InvalidArgument;
        };
        let fresh = FrameDecoder::new(DecoderConfig::new(role));
        // SAFETY: `decoder` is non-null and points to writable memory per the contract; the
        // write does not read the old (possibly uninitialized) state.
        unsafe { ptr::addr_of_mut!((*decoder)._state).write(fresh) };
        WsError::Ok
    })
}

/// Sets the limits: `max_frame_payload` (bytes in one frame), `max_message_size` (bytes in one
/// message, summed over its frames), `max_fragments` (frames in one message); 0 means no
/// limit. Exceeding one fails with close code 1009 as soon as the offending length (or frame)
/// is seen. Takes effect from the next frame.
///
/// Returns `WF_WS_ERR_OK`, `WF_WS_ERR_NULL_POINTER` or `WF_WS_ERR_NOT_INITIALIZED`.
#[no_mangle]
pub unsafe extern "C" fn wf_ws_decoder_set_limits(
    decoder: *mut WsDecoder,
    max_frame_payload: u64,
    max_message_size: u64,
    max_fragments: u32,
) -> WsError {
    ffi_boundary!(WsError::Internal, {
        // SAFETY: `decoder` is NULL or an initialized decoder per the contract.
        let Some(d) = (unsafe { state_mut(decoder) }) else {
            return WsError::NullPointer;
        };
        if d.error() == WsError::NotInitialized {
            return WsError::NotInitialized;
        }
        let mut c = d.config();
        c.max_frame_payload = max_frame_payload;
        c.max_message_size = max_message_size;
        c.max_fragments = max_fragments;
        d.set_config(c);
        WsError::Ok
    })
}

/// Sets the option flags (`WF_WS_ALLOW_RSV1`, `WF_WS_ALLOW_RSV2`, `WF_WS_ALLOW_RSV3`,
/// `WF_WS_LENIENT_LENGTH`, `WF_WS_SKIP_UTF8`), replacing the previous set.
///
/// Returns `WF_WS_ERR_OK`, `WF_WS_ERR_NULL_POINTER`, `WF_WS_ERR_NOT_INITIALIZED`, or
/// `WF_WS_ERR_INVALID_ARGUMENT` for unknown bits (nothing changed).
#[no_mangle]
pub unsafe extern "C" fn wf_ws_decoder_set_flags(decoder: *mut WsDecoder, flags: u32) -> WsError {
    ffi_boundary!(WsError::Internal, {
        // SAFETY: `decoder` is NULL or an initialized decoder per the contract.
        let Some(d) = (unsafe { state_mut(decoder) }) else {
            return WsError::NullPointer;
        };
        if d.error() == WsError::NotInitialized {
            return WsError::NotInitialized;
        }
        if flags & !flags::ALL != 0 {
            return WsError::InvalidArgument;
        }
        let mut c = d.config();
        c.flags = flags;
        d.set_config(c);
        WsError::Ok
    })
}

struct CHandler<'c> {
    decoder: *mut WsDecoder,
    callbacks: Option<&'c WsCallbacks>,
}

fn action(rc: c_int) -> Action {
    match rc {
        0 => Action::Continue,
        rc if rc == WsError::Paused as c_int => Action::Pause,
        _ => Action::Fail,
    }
}

impl Handler for CHandler<'_> {
    fn frame_header(&mut self, h: &FrameHeader) -> Action {
        let Some(cb) = self.callbacks.and_then(|c| c.on_frame_header) else {
            return Action::Continue;
        };
        let header = WsFrameHeader {
            fin: h.fin,
            rsv1: h.rsv1,
            rsv2: h.rsv2,
            rsv3: h.rsv3,
            opcode: h.opcode,
            masked: h.mask.is_some(),
            mask_key: h.mask.unwrap_or_default(),
            payload_len: h.payload_len,
        };
        // SAFETY: calling the caller's callback with the decoder pointer it gave us and a
        // pointer to a local that outlives the call.
        action(unsafe { cb(self.decoder, &header) })
    }

    fn payload(&mut self, data: &[u8]) -> Action {
        let Some(cb) = self.callbacks.and_then(|c| c.on_payload) else {
            return Action::Continue;
        };
        // SAFETY: `data` points into the caller's buffer and is valid for the call.
        action(unsafe { cb(self.decoder, data.as_ptr(), data.len()) })
    }

    fn frame_complete(&mut self, e: &FrameEnd) -> Action {
        let Some(cb) = self.callbacks.and_then(|c| c.on_frame_complete) else {
            return Action::Continue;
        };
        let end = WsFrameEnd {
            opcode: e.opcode,
            message_opcode: e.message_opcode,
            fin: e.fin,
            message_end: e.message_end,
            close_code: e.close_code,
        };
        // SAFETY: as in `frame_header`.
        action(unsafe { cb(self.decoder, &end) })
    }
}

/// Decodes `len` bytes at `data`, unmasking payload bytes in place, calling `callbacks`.
///
/// Parameters: `decoder` initialized; `callbacks` may be NULL (validate only) and any of its
/// members may be NULL; `data` may be NULL when `len` is 0. The input may be split anywhere:
/// partial headers are remembered, payload arrives in pieces.
///
/// Returns the number of bytes consumed. `len` means all was decoded. Less means decoding
/// stopped: `wf_ws_decoder_error` is `WF_WS_ERR_PAUSED` (call again with the rest, starting
/// at the returned offset; the pause ends by itself) or an error (the return value is the
/// offset of the offending byte; the decoder then consumes nothing more until re-initialized;
/// send the close code from `wf_ws_decoder_close_code`). NULL `decoder`, or NULL `data` with
/// `len` > 0, returns 0 and changes nothing.
///
/// Callbacks receive `decoder` and may read and write its `data` field, but must not call
/// other `wf_ws_decoder_*` functions or `wf_ws_decode` on the same decoder.
#[no_mangle]
pub unsafe extern "C" fn wf_ws_decode(
    decoder: *mut WsDecoder,
    callbacks: *const WsCallbacks,
    data: *mut u8,
    len: usize,
) -> usize {
    ffi_boundary!(
        {
            // A panic (a bug) leaves the decoder failed, never silently "Ok" with nothing
            // consumed, which would make a caller looping on the return value spin.
            // SAFETY: `decoder` is NULL or valid, by the caller's contract.
            if let Some(d) = unsafe { state_mut(decoder) } {
                d.fail_internal();
            }
            0
        },
        {
            check_null!(0; decoder);
            if data.is_null() && len != 0 {
                return 0;
            }
            // SAFETY: `data` holds `len` writable bytes owned by the caller for this call.
            let buf = unsafe { slice_from_mut(data, len) };
            // SAFETY: `callbacks` is NULL or valid for this call.
            let callbacks = unsafe { callbacks.as_ref() };
            let mut h = CHandler { decoder, callbacks };
            // SAFETY: `decoder` is non-null and initialized; callbacks only touch `data`.
            let Some(d) = (unsafe { state_mut(decoder) }) else {
                return 0;
            };
            d.decode(buf, &mut h)
        }
    )
}

/// The decoder's state: `WF_WS_ERR_OK`, `WF_WS_ERR_PAUSED`, or the error that stopped it.
/// NULL gives `WF_WS_ERR_NULL_POINTER`.
#[no_mangle]
pub unsafe extern "C" fn wf_ws_decoder_error(decoder: *const WsDecoder) -> WsError {
    ffi_boundary!(WsError::Internal, {
        // SAFETY: `decoder` is NULL or valid.
        unsafe { state(decoder) }.map_or(WsError::NullPointer, FrameDecoder::error)
    })
}

/// A readable reason for the decoder's state (the error's description), NUL-terminated and
/// static: never free it.
#[no_mangle]
pub unsafe extern "C" fn wf_ws_decoder_error_reason(decoder: *const WsDecoder) -> *const c_char {
    ffi_boundary!(WsError::Internal.description_cstr().as_ptr(), {
        // SAFETY: `decoder` is NULL or valid, as this function's contract requires.
        unsafe { wf_ws_decoder_error(decoder) }
            .description_cstr()
            .as_ptr()
    })
}

/// The stream offset (bytes since init) of the byte where the error was detected, or just past
/// the event that paused. The same whatever the input's split. NULL gives 0.
#[no_mangle]
pub unsafe extern "C" fn wf_ws_decoder_error_offset(decoder: *const WsDecoder) -> u64 {
    ffi_boundary!(0, {
        // SAFETY: `decoder` is NULL or valid.
        unsafe { state(decoder) }.map_or(0, FrameDecoder::error_offset)
    })
}

/// The close code to send because of the decoder's error: 1002 (protocol error), 1007 (invalid
/// payload data), 1009 (message too big) or 1011 (callback error); 0 when there is none.
#[no_mangle]
pub unsafe extern "C" fn wf_ws_decoder_close_code(decoder: *const WsDecoder) -> u16 {
    ffi_boundary!(0, {
        // SAFETY: `decoder` is NULL or valid.
        unsafe { state(decoder) }.map_or(0, FrameDecoder::close_code)
    })
}

/// Whether a fragmented data message is in progress (its final frame not complete yet).
#[no_mangle]
pub unsafe extern "C" fn wf_ws_decoder_in_message(decoder: *const WsDecoder) -> bool {
    ffi_boundary!(false, {
        // SAFETY: `decoder` is NULL or valid.
        unsafe { state(decoder) }.is_some_and(FrameDecoder::in_message)
    })
}

/// The stable name of error `err` (a `wf_ws_err` value), e.g. "WF_WS_ERR_INVALID_UTF8";
/// "WF_WS_ERR_UNKNOWN" for a number that is not an error. Static; never free it.
#[no_mangle]
pub extern "C" fn wf_ws_err_name(err: u32) -> *const c_char {
    ffi_boundary!(c"WF_WS_ERR_UNKNOWN".as_ptr(), {
        WsError::from_u32(err)
            .map_or(c"WF_WS_ERR_UNKNOWN", WsError::name_cstr)
            .as_ptr()
    })
}

/// A one-line description of error `err`; "unknown error" for an unknown number. Static.
#[no_mangle]
pub extern "C" fn wf_ws_err_description(err: u32) -> *const c_char {
    ffi_boundary!(c"unknown error".as_ptr(), {
        WsError::from_u32(err)
            .map_or(c"unknown error", WsError::description_cstr)
            .as_ptr()
    })
}

/// The close code to send for error `err` (1002, 1007, 1009, 1011), or 0.
#[no_mangle]
pub extern "C" fn wf_ws_err_close_code(err: u32) -> u16 {
    ffi_boundary!(0, { WsError::from_u32(err).map_or(0, WsError::close_code) })
}

/// Keeps `wf_ws_close_code` (the registered codes) in the header; returns `code` as the
/// enum when it is a registered code, else `WF_WS_CLOSE_CODE_NO_STATUS_RECEIVED` (1005, the
/// "no code" value).
#[no_mangle]
pub extern "C" fn wf_ws_close_code_registered(code: u16) -> CloseCode {
    ffi_boundary!(CloseCode::NoStatusReceived, {
        CloseCode::from_u16(code).unwrap_or(CloseCode::NoStatusReceived)
    })
}

/// The name of close code `code` ("NORMAL_CLOSURE", ..., "REGISTERED" for 3000-3999,
/// "PRIVATE_USE" for 4000-4999, "UNKNOWN"). Static.
#[no_mangle]
pub extern "C" fn wf_ws_close_code_name(code: u16) -> *const c_char {
    ffi_boundary!(c"UNKNOWN".as_ptr(), { close_code_name(code).as_ptr() })
}

/// A one-line description of close code `code`. Static.
#[no_mangle]
pub extern "C" fn wf_ws_close_code_description(code: u16) -> *const c_char {
    ffi_boundary!(c"unknown".as_ptr(), {
        close_code_description(code).as_ptr()
    })
}

/// Whether `code` may be sent in a close frame: 1000-1003, 1007-1014, 3000-4999.
#[no_mangle]
pub extern "C" fn wf_ws_close_code_may_be_sent(code: u16) -> bool {
    ffi_boundary!(false, { close_code_may_be_sent(code) })
}

/// XORs `len` bytes at `data` in place with the 4-byte masking `key`, as if `data` started
/// `offset` bytes into the payload, so a payload can be (un)masked in pieces. Uses AVX2/SSE2
/// or NEON when the CPU has them.
///
/// Returns `WF_WS_ERR_OK` or `WF_WS_ERR_NULL_POINTER` (`key` NULL, or `data` NULL with
/// `len` > 0).
#[no_mangle]
pub unsafe extern "C" fn wf_ws_mask(
    data: *mut u8,
    len: usize,
    key: *const u8,
    offset: u64,
) -> WsError {
    // SAFETY: `data` is both source and destination, which `wf_ws_mask_copy` allows; its
    // contract is this function's.
    unsafe { wf_ws_mask_copy(data, data, len, key, offset) }
}

/// Writes `len` bytes from `src` into `dst`, XORed with the 4-byte masking `key` as if `src`
/// started `offset` bytes into the payload: a copy and a `wf_ws_mask` in one pass. `src` and
/// `dst` may be the same pointer (then this is `wf_ws_mask`) but must not otherwise overlap.
///
/// Returns `WF_WS_ERR_OK`; `WF_WS_ERR_NULL_POINTER` (`key` NULL, or `src` or `dst` NULL with
/// `len` > 0); `WF_WS_ERR_INVALID_ARGUMENT` when the two ranges partly overlap (nothing is
/// written).
#[no_mangle]
pub unsafe extern "C" fn wf_ws_mask_copy(
    src: *const u8,
    dst: *mut u8,
    len: usize,
    key: *const u8,
    offset: u64,
) -> WsError {
    ffi_boundary!(WsError::Internal, {
        // SAFETY: `key` is NULL or points to 4 readable bytes per the contract.
        let Some(key4) = (unsafe { key_from(key) }) else {
            return WsError::NullPointer;
        };
        if (src.is_null() || dst.is_null()) && len != 0 {
            return WsError::NullPointer;
        }
        if core::ptr::eq(src, dst) {
            // SAFETY: `dst` holds `len` writable bytes per the contract.
            crate::ws::mask(unsafe { slice_from_mut(dst, len) }, key4, offset);
            return WsError::Ok;
        }
        let (s, d) = (src as usize, dst as usize);
        if len != 0 && s < d.saturating_add(len) && d < s.saturating_add(len) {
            return WsError::InvalidArgument;
        }
        // SAFETY: `src` holds `len` readable and `dst` `len` writable bytes per the contract,
        // and the two ranges were just found disjoint.
        let (from, to) = unsafe { (slice_from(src, len), slice_from_mut(dst, len)) };
        crate::ws::mask_into(from, to, key4, offset);
        WsError::Ok
    })
}

/// Bytes a frame header needs for a payload of `payload_len` bytes: 2, 4 or 10, plus 4 when
/// `masked`.
#[no_mangle]
pub extern "C" fn wf_ws_header_size(payload_len: u64, masked: bool) -> usize {
    ffi_boundary!(0, { encoder::header_len(payload_len, masked) })
}

/// Bytes a whole frame needs (header plus payload) for `payload_len` payload bytes; 0 when
/// that does not fit in `size_t`. Use it to size the buffer for `wf_ws_encode_*`.
#[no_mangle]
pub extern "C" fn wf_ws_frame_size(payload_len: u64, masked: bool) -> usize {
    ffi_boundary!(0, { encoder::frame_len(payload_len, masked).unwrap_or(0) })
}

/// Reads the optional masking key.
///
/// # Safety
/// `key` is NULL or points to 4 readable bytes.
unsafe fn key_from(key: *const u8) -> Option<[u8; 4]> {
    if key.is_null() {
        return None;
    }
    let mut k = [0u8; 4];
    // SAFETY: non-null `key` points to 4 readable bytes per the contract.
    k.copy_from_slice(unsafe { slice_from(key, 4) });
    Some(k)
}

/// Ends a function that writes into a caller buffer: stores the bytes written (or, for
/// `BufferTooSmall`, the bytes `needed`; 0 for other errors) in `*written` when it is not NULL,
/// and returns the error code. Shared with the handshake writers.
///
/// # Safety
/// `written` is NULL or points to a writable `size_t`.
pub(crate) unsafe fn finish(
    r: Result<usize, WsError>,
    needed: usize,
    written: *mut usize,
) -> WsError {
    let (n, e) = match r {
        Ok(n) => (n, WsError::Ok),
        Err(WsError::BufferTooSmall) => (needed, WsError::BufferTooSmall),
        Err(e) => (0, e),
    };
    // SAFETY: `written` is NULL or points to a writable size_t per the contract.
    if let Some(w) = unsafe { written.as_mut() } {
        *w = n;
    }
    e
}

/// Writes a frame header (2 to 14 bytes) into `out` (capacity `cap`).
///
/// Parameters: `flags` is a set of `WF_WS_FRAME_FIN`/`_RSV1`/`_RSV2`/`_RSV3`; `opcode` a
/// non-reserved `wf_ws_opcode`; `mask_key` NULL for an unmasked frame or 4 key bytes (the
/// caller masks the payload, e.g. with `wf_ws_mask`); `written` may be NULL.
/// Returns `WF_WS_ERR_OK` with `*written` = bytes written; `WF_WS_ERR_BUFFER_TOO_SMALL` with
/// `*written` = the size needed (nothing written); `WF_WS_ERR_INVALID_ARGUMENT` (reserved
/// opcode, control frame without FIN or over 125 bytes, length over 2^63-1, unknown flags);
/// `WF_WS_ERR_NULL_POINTER`.
#[no_mangle]
pub unsafe extern "C" fn wf_ws_encode_header(
    out: *mut u8,
    cap: usize,
    flags: u32,
    opcode: u8,
    mask_key: *const u8,
    payload_len: u64,
    written: *mut usize,
) -> WsError {
    ffi_boundary!(WsError::Internal, {
        if out.is_null() && cap != 0 {
            return WsError::NullPointer;
        }
        if flags & !15 != 0 || opcode > 15 {
            // SAFETY: `written` is NULL or writable, by the caller's contract.
            return unsafe { finish(Err(WsError::InvalidArgument), 0, written) };
        }
        // SAFETY: `mask_key` is NULL or 4 readable bytes.
        let key = unsafe { key_from(mask_key) };
        let h = FrameHeader {
            fin: flags & WF_WS_FRAME_FIN != 0,
            rsv1: flags & WF_WS_FRAME_RSV1 != 0,
            rsv2: flags & WF_WS_FRAME_RSV2 != 0,
            rsv3: flags & WF_WS_FRAME_RSV3 != 0,
            opcode: Opcode::from_nibble(opcode),
            mask: key,
            payload_len,
        };
        // SAFETY: `out` holds `cap` writable bytes per the contract.
        let buf = unsafe { slice_from_mut(out, cap) };
        let needed = encoder::header_len(payload_len, key.is_some());
        // SAFETY: `written` is NULL or writable, by the caller's contract.
        unsafe { finish(encoder::write_header(buf, &h), needed, written) }
    })
}

/// Writes a whole frame: header, then the `len` payload bytes at `payload` copied and, when
/// `mask_key` is not NULL, masked. Only FIN and RSV1 of `flags` are allowed here. Results as
/// for `wf_ws_encode_header`; the size needed is `wf_ws_frame_size(len, mask_key != NULL)`.
/// `payload` must not overlap `out`.
#[no_mangle]
pub unsafe extern "C" fn wf_ws_encode_frame(
    out: *mut u8,
    cap: usize,
    flags: u32,
    opcode: u8,
    mask_key: *const u8,
    payload: *const u8,
    len: usize,
    written: *mut usize,
) -> WsError {
    ffi_boundary!(WsError::Internal, {
        if (out.is_null() && cap != 0) || (payload.is_null() && len != 0) {
            return WsError::NullPointer;
        }
        if flags & !(WF_WS_FRAME_FIN | WF_WS_FRAME_RSV1) != 0 || opcode > 15 {
            // SAFETY: `written` is NULL or writable, by the caller's contract.
            return unsafe { finish(Err(WsError::InvalidArgument), 0, written) };
        }
        // SAFETY: `mask_key` is NULL or 4 readable bytes.
        let key = unsafe { key_from(mask_key) };
        // SAFETY: `payload` holds `len` readable bytes, `out` `cap` writable bytes, and they
        // do not overlap, per the contract.
        let (p, buf) = unsafe { (slice_from(payload, len), slice_from_mut(out, cap)) };
        let needed = encoder::frame_len(len as u64, key.is_some()).unwrap_or(0);
        let r = encoder::write_frame(
            buf,
            flags & WF_WS_FRAME_FIN != 0,
            flags & WF_WS_FRAME_RSV1 != 0,
            Opcode::from_nibble(opcode),
            key,
            p,
        );
        // SAFETY: `written` is NULL or writable, by the caller's contract.
        unsafe { finish(r, needed, written) }
    })
}

/// Writes a close frame with status `code` and `reason_len` bytes of UTF-8 `reason` (at most
/// 123). `code` 0 writes an empty close payload (then the reason must be empty); otherwise the
/// code must be one that may be sent. Results as for `wf_ws_encode_frame`.
#[no_mangle]
pub unsafe extern "C" fn wf_ws_encode_close(
    out: *mut u8,
    cap: usize,
    code: u16,
    reason: *const u8,
    reason_len: usize,
    mask_key: *const u8,
    written: *mut usize,
) -> WsError {
    ffi_boundary!(WsError::Internal, {
        if (out.is_null() && cap != 0) || (reason.is_null() && reason_len != 0) {
            return WsError::NullPointer;
        }
        // SAFETY: `mask_key` is NULL or 4 readable bytes.
        let key = unsafe { key_from(mask_key) };
        // SAFETY: `reason` holds `reason_len` readable bytes and `out` `cap` writable ones.
        let (r, buf) = unsafe { (slice_from(reason, reason_len), slice_from_mut(out, cap)) };
        let plen = if code == 0 {
            0
        } else {
            reason_len.saturating_add(2)
        };
        let needed = encoder::frame_len(plen as u64, key.is_some()).unwrap_or(0);
        // SAFETY: `written` is NULL or writable, by the caller's contract.
        unsafe { finish(encoder::write_close(buf, code, r, key), needed, written) }
    })
}

/// Writes a ping or pong frame (`op`); the common body of `wf_ws_encode_ping`/`_pong`.
///
/// # Safety
/// The pointers are NULL or valid for the sizes given, as those functions document.
unsafe fn control(
    op: Opcode,
    out: *mut u8,
    cap: usize,
    payload: *const u8,
    len: usize,
    mask_key: *const u8,
    written: *mut usize,
) -> WsError {
    if (out.is_null() && cap != 0) || (payload.is_null() && len != 0) {
        return WsError::NullPointer;
    }
    // SAFETY: `mask_key` is NULL or 4 readable bytes.
    let key = unsafe { key_from(mask_key) };
    // SAFETY: `payload` holds `len` readable bytes and `out` `cap` writable ones.
    let (p, buf) = unsafe { (slice_from(payload, len), slice_from_mut(out, cap)) };
    let needed = encoder::frame_len(len as u64, key.is_some()).unwrap_or(0);
    // SAFETY: `written` is NULL or writable, by the caller's contract.
    unsafe {
        finish(
            encoder::write_frame(buf, true, false, op, key, p),
            needed,
            written,
        )
    }
}

/// Writes a ping frame with `len` (at most 125) payload bytes. Results as for
/// `wf_ws_encode_frame`.
#[no_mangle]
pub unsafe extern "C" fn wf_ws_encode_ping(
    out: *mut u8,
    cap: usize,
    payload: *const u8,
    len: usize,
    mask_key: *const u8,
    written: *mut usize,
) -> WsError {
    ffi_boundary!(WsError::Internal, {
        // SAFETY: the pointers carry this function's contract, which is `control`'s.
        unsafe { control(Opcode::Ping, out, cap, payload, len, mask_key, written) }
    })
}

/// Writes a pong frame with `len` (at most 125) payload bytes (echo the ping's payload).
/// Results as for `wf_ws_encode_frame`.
#[no_mangle]
pub unsafe extern "C" fn wf_ws_encode_pong(
    out: *mut u8,
    cap: usize,
    payload: *const u8,
    len: usize,
    mask_key: *const u8,
    written: *mut usize,
) -> WsError {
    ffi_boundary!(WsError::Internal, {
        // SAFETY: the pointers carry this function's contract, which is `control`'s.
        unsafe { control(Opcode::Pong, out, cap, payload, len, mask_key, written) }
    })
}
