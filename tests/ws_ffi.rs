//! The C ABI from Rust: callbacks through function pointers, the `data` field, pause codes,
//! callback errors, NULL pointers and an uninitialized (zeroed) decoder.

use std::os::raw::c_int;
use wireframe::ffi::handshake::*;
use wireframe::ffi::ws::*;
use wireframe::ws::{encoder, Opcode, WsError};

#[derive(Default)]
struct Log {
    headers: usize,
    bytes: Vec<u8>,
    ends: usize,
    rc: c_int,
}

unsafe extern "C" fn on_header(d: *mut WsDecoder, _: *const WsFrameHeader) -> c_int {
    // SAFETY: `data` points to the test's Log for the whole decode call.
    let log = unsafe { &mut *((*d).data as *mut Log) };
    log.headers += 1;
    log.rc
}

unsafe extern "C" fn on_payload(d: *mut WsDecoder, p: *const u8, n: usize) -> c_int {
    // SAFETY: as above; `p` holds `n` bytes during the call.
    let log = unsafe { &mut *((*d).data as *mut Log) };
    log.bytes
        .extend_from_slice(unsafe { std::slice::from_raw_parts(p, n) });
    log.rc
}

unsafe extern "C" fn on_end(d: *mut WsDecoder, e: *const WsFrameEnd) -> c_int {
    // SAFETY: as above.
    let log = unsafe { &mut *((*d).data as *mut Log) };
    log.ends += 1;
    assert!(unsafe { (*e).message_end });
    log.rc
}

const CB: WsCallbacks = WsCallbacks {
    on_frame_header: Some(on_header),
    on_payload: Some(on_payload),
    on_frame_complete: Some(on_end),
};

unsafe fn decoder(log: &mut Log) -> WsDecoder {
    // SAFETY: an all-zero WsDecoder is a valid value (null pointer and integers).
    let mut d: WsDecoder = unsafe { std::mem::zeroed() };
    d.data = log as *mut Log as *mut _;
    assert_eq!(wf_ws_decoder_init(&mut d, WF_WS_ROLE_CLIENT), WsError::Ok);
    d
}

fn wire() -> Vec<u8> {
    let mut w = vec![0u8; 16];
    let n = encoder::write_frame(&mut w, true, false, Opcode::Binary, None, b"abcdef").unwrap();
    w.truncate(n);
    w
}

#[test]
fn pause_codes_and_resume() {
    // SAFETY: the C ABI is called with valid pointers or deliberate NULLs it must reject.
    unsafe { pause_codes_and_resume_body() }
}

unsafe fn pause_codes_and_resume_body() {
    let mut log = Log {
        rc: WsError::Paused as c_int,
        ..Log::default()
    };
    let mut d = decoder(&mut log);
    let mut w = wire();
    let mut off = 0;
    let mut calls = 0;
    loop {
        off += wf_ws_decode(&mut d, &CB, w[off..].as_mut_ptr(), w.len() - off);
        calls += 1;
        if wf_ws_decoder_error(&d) != WsError::Paused {
            break;
        }
        assert_eq!(wf_ws_decoder_close_code(&d), 0);
    }
    assert_eq!(wf_ws_decoder_error(&d), WsError::Ok);
    assert_eq!(off, 8);
    assert_eq!(calls, 4);
    assert_eq!(
        (log.headers, log.bytes.as_slice(), log.ends),
        (1, &b"abcdef"[..], 1)
    );
}

#[test]
fn callback_error_codes() {
    // SAFETY: the C ABI is called with valid pointers or deliberate NULLs it must reject.
    unsafe { callback_error_codes_body() }
}

unsafe fn callback_error_codes_body() {
    for rc in [1, -1, 7] {
        let mut log = Log {
            rc,
            ..Log::default()
        };
        let mut d = decoder(&mut log);
        let mut w = wire();
        assert_eq!(wf_ws_decode(&mut d, &CB, w.as_mut_ptr(), w.len()), 2);
        assert_eq!(wf_ws_decoder_error(&d), WsError::CallbackError);
        assert_eq!(wf_ws_decoder_close_code(&d), 1011);
        assert_eq!(wf_ws_decoder_error_offset(&d), 2);
    }
}

#[test]
fn uninitialized_and_null() {
    // SAFETY: the C ABI is called with valid pointers or deliberate NULLs it must reject.
    unsafe { uninitialized_and_null_body() }
}

unsafe fn uninitialized_and_null_body() {
    // SAFETY: all-zero is a valid WsDecoder value; it was never initialized.
    let mut d: WsDecoder = unsafe { std::mem::zeroed() };
    let mut w = wire();
    assert_eq!(wf_ws_decode(&mut d, &CB, w.as_mut_ptr(), w.len()), 0);
    assert_eq!(wf_ws_decoder_error(&d), WsError::NotInitialized);
    assert_eq!(
        wf_ws_decoder_set_limits(&mut d, 1, 1, 1),
        WsError::NotInitialized
    );
    assert_eq!(wf_ws_decoder_error(std::ptr::null()), WsError::NullPointer);
    assert_eq!(
        wf_ws_decode(std::ptr::null_mut(), &CB, w.as_mut_ptr(), w.len()),
        0
    );
    let mut log = Log::default();
    let mut d = decoder(&mut log);
    assert_eq!(
        wf_ws_decode(&mut d, std::ptr::null(), std::ptr::null_mut(), 5),
        0
    );
    assert_eq!(wf_ws_decoder_error(&d), WsError::Ok);
    assert_eq!(
        wf_ws_decode(&mut d, std::ptr::null(), w.as_mut_ptr(), w.len()),
        w.len()
    );
    assert_eq!(
        wf_ws_server_handshake(
            std::ptr::null(),
            3,
            1,
            1,
            std::ptr::null(),
            0,
            std::ptr::null(),
            0,
            0,
            std::ptr::null_mut()
        ),
        WsError::NullPointer
    );
    assert_eq!(
        wf_ws_accept_key(std::ptr::null(), 0, std::ptr::null_mut()),
        WsError::NullPointer
    );
}

#[test]
fn names_and_tables() {
    // SAFETY: the C ABI is called with valid pointers or deliberate NULLs it must reject.
    unsafe { names_and_tables_body() }
}

unsafe fn names_and_tables_body() {
    // SAFETY: the returned strings are static and NUL-terminated.
    let s = |p| unsafe { std::ffi::CStr::from_ptr(p) }.to_str().unwrap();
    assert_eq!(
        s(wf_ws_err_name(WsError::MessageTooLarge as u32)),
        "WF_WS_ERR_MESSAGE_TOO_LARGE"
    );
    assert_eq!(s(wf_ws_err_description(12345)), "unknown error");
    assert_eq!(
        wf_ws_err_close_code(WsError::InvalidCloseReason as u32),
        1007
    );
    assert_eq!(s(wf_ws_close_code_name(3500)), "REGISTERED");
    assert_eq!(s(wf_ws_close_code_name(4500)), "PRIVATE_USE");
    assert_eq!(s(wf_ws_close_code_name(2000)), "UNKNOWN");
    assert_eq!(s(wf_ws_close_code_description(1011)), "internal error");
    assert_eq!(wf_ws_frame_size(u64::MAX, true), 0);
}
