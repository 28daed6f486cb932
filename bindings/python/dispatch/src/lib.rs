//! The Python binding's native dispatcher.
//!
//! `wireframe` (the Python package) loads this library with `ctypes.PyDLL`, so every call into
//! it holds the GIL and an exception it sets is raised when the call returns. `feed_data`
//! makes one call per buffer: the core parser runs here and the protocol's methods are called
//! from its callbacks through CPython's C API, limited to the stable ABI (see [`capi`]), so
//! one build serves every CPython from 3.9 on. The core knows nothing of Python.
//!
//! The per-parser state lives in memory the Python object owns (plain data, nothing to free);
//! the Python objects a call needs (bound methods, carried-over pieces) come in a context tuple
//! the Python object holds, so reference cycles through the protocol stay visible to the
//! garbage collector.

#![deny(missing_docs)]
#![deny(clippy::undocumented_unsafe_blocks)]

mod capi;
mod globals;
mod http;
mod ws;

use core::cell::UnsafeCell;
use core::ffi::c_int;
use std::panic::{catch_unwind, AssertUnwindSafe};

use capi::{PyErr_SetString, PyExc_RuntimeError, PyExc_SystemError, PyMethodDef, PyObject, METH_O};

/// The version of this library's interface to the Python package; the package refuses a
/// dispatcher with another.
pub const WFPY_INTERFACE: u32 = 1;

/// The interface version (`WFPY_INTERFACE`).
#[no_mangle]
pub extern "C" fn wfpy_interface() -> u32 {
    WFPY_INTERFACE
}

/// The size of the HTTP parser state the package allocates per parser.
#[no_mangle]
pub extern "C" fn wfpy_http_state_size() -> usize {
    core::mem::size_of::<http::HttpState>()
}

/// The size of the WebSocket decoder state the package allocates per decoder.
#[no_mangle]
pub extern "C" fn wfpy_ws_state_size() -> usize {
    core::mem::size_of::<ws::WsState>()
}

/// Runs `f`, turning a panic into a RuntimeError (never unwinding into the interpreter).
fn boundary(f: impl FnOnce() -> c_int) -> c_int {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(_) => {
            // SAFETY: the GIL is held by every caller (PyDLL).
            unsafe {
                PyErr_SetString(
                    PyExc_RuntimeError,
                    c"wireframe: internal error in the native dispatcher".as_ptr(),
                )
            };
            -1
        }
    }
}

/// Keeps the objects the dispatcher raises and builds (a tuple, in the order of `globals`).
/// Returns 0, or -1 with SystemError set if the tuple does not fit.
///
/// # Safety
/// Called through `ctypes.PyDLL` (GIL held) with a tuple.
#[no_mangle]
pub unsafe extern "C" fn wfpy_init(objects: *mut PyObject) -> c_int {
    boundary(|| {
        // SAFETY: as the caller guarantees.
        if unsafe { globals::set(objects) } {
            return 0;
        }
        // SAFETY: GIL held.
        unsafe { PyErr_SetString(PyExc_SystemError, c"wfpy_init: wrong objects".as_ptr()) };
        -1
    })
}

/// A `PyMethodDef` the interpreter may read at any time.
struct MethodDef(UnsafeCell<PyMethodDef>);

// SAFETY: the definitions are never written after they are made; the interpreter only reads
// them (with the GIL held).
unsafe impl Sync for MethodDef {}

static HTTP_FEED: MethodDef = MethodDef(UnsafeCell::new(PyMethodDef {
    ml_name: c"feed_data".as_ptr(),
    ml_meth: Some(http_feed),
    ml_flags: METH_O,
    ml_doc: c"feed_data(data): parses data, calling the protocol's methods.".as_ptr(),
}));

static WS_FEED: MethodDef = MethodDef(UnsafeCell::new(PyMethodDef {
    ml_name: c"feed".as_ptr(),
    ml_meth: Some(ws_feed),
    ml_flags: METH_O,
    ml_doc: c"feed(data): decodes data; returns the frames or messages it completed.".as_ptr(),
}));

/// `feed_data(data)` bound to a parser's context tuple: parses `data` (bytes, or any object
/// with a contiguous buffer, which is copied first), calling the protocol's methods. Returns
/// None, or NULL with an exception set: `HttpParserUpgrade(offset)`, a subclass of
/// `HttpParserError`, or `HttpParserCallbackError` chained to what a callback raised.
unsafe extern "C" fn http_feed(ctx: *mut PyObject, data: *mut PyObject) -> *mut PyObject {
    // SAFETY: the interpreter calls this with the GIL held, `ctx` the tuple the function was
    // bound to by `wfpy_bind`, and a live argument.
    let r = boundary(|| unsafe { http::feed(ctx, data) });
    if r != 0 {
        return core::ptr::null_mut();
    }
    let n = capi::none();
    // SAFETY: GIL held; the new reference is the return value.
    unsafe { capi::Py_IncRef(n) };
    n
}

/// `Decoder.feed(data)` bound to a decoder's context tuple: decodes `data` and returns the
/// list of the `Frame`s or `Message`s it completed; raises `WebSocketError` (with the close
/// code, the stream offset and what was completed before the error) when the input breaks the
/// protocol (the decoder has then failed for good).
unsafe extern "C" fn ws_feed(ctx: *mut PyObject, data: *mut PyObject) -> *mut PyObject {
    let mut out = core::ptr::null_mut();
    // SAFETY: as for `http_feed`.
    let r = boundary(|| unsafe {
        out = capi::PyList_New(0);
        if out.is_null() {
            return -1;
        }
        ws::feed(ctx, data, out)
    });
    if r == 0 {
        return out;
    }
    // SAFETY: GIL held; `out` is NULL or owned.
    unsafe { capi::xdecref(out) };
    core::ptr::null_mut()
}

/// Binds `feed_data` (`kind` 0) or `Decoder.feed` (`kind` 1) to the context tuple `ctx` and
/// appends the resulting builtin function to the list `out`. The package makes it the
/// parser's or decoder's own `feed_data` / `feed`, so that each call goes straight to the
/// dispatcher (no ctypes argument conversion per call). Returns 0, or -1 with an exception
/// set.
///
/// # Safety
/// Called through `ctypes.PyDLL` (GIL held) with the context tuple the package built and a
/// list.
#[no_mangle]
pub unsafe extern "C" fn wfpy_bind(kind: c_int, ctx: *mut PyObject, out: *mut PyObject) -> c_int {
    boundary(|| {
        let def = if kind == 0 { &HTTP_FEED } else { &WS_FEED };
        // SAFETY: GIL held; the definition is static; the function object keeps its own
        // reference to `ctx`, and the list takes its own to the function.
        unsafe {
            let f = capi::PyCFunction_NewEx(def.0.get(), ctx, core::ptr::null_mut());
            if f.is_null() {
                return -1;
            }
            let r = capi::PyList_Append(out, f);
            capi::Py_DecRef(f);
            r
        }
    })
}
