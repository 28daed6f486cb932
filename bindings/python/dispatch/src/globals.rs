//! The Python objects the dispatcher needs and cannot look up cheaply: the binding's exception
//! classes and result types, handed over once by `wfpy_init` when the package is imported.

use core::cell::UnsafeCell;

use crate::capi::{PyObject, PyTuple_GetItem, PyTuple_Size, Py_IncRef};

/// `wireframe.HttpParserError`.
pub const HTTP_ERROR: usize = 0;
/// `wireframe.HttpParserCallbackError`.
pub const HTTP_CALLBACK_ERROR: usize = 1;
/// `wireframe.HttpParserInvalidStatusError`.
pub const HTTP_INVALID_STATUS: usize = 2;
/// `wireframe.HttpParserInvalidMethodError`.
pub const HTTP_INVALID_METHOD: usize = 3;
/// `wireframe.HttpParserInvalidURLError`.
pub const HTTP_INVALID_URL: usize = 4;
/// `wireframe.HttpParserUpgrade`.
pub const HTTP_UPGRADE: usize = 5;
/// `wireframe.ws.Frame`.
pub const WS_FRAME: usize = 6;
/// `wireframe.ws.Message`.
pub const WS_MESSAGE: usize = 7;
/// `tuple.__new__`, to make the two named tuples above without running their Python
/// `__new__`.
pub const TUPLE_NEW: usize = 8;
/// `wireframe.ws.WebSocketError`.
pub const WS_ERROR: usize = 9;
/// How many objects `wfpy_init` takes.
pub const COUNT: usize = 10;

struct Objects(UnsafeCell<[*mut PyObject; COUNT]>);

// SAFETY: the objects are read and written only with the GIL held, which serialises every
// access.
unsafe impl Sync for Objects {}

static OBJECTS: Objects = Objects(UnsafeCell::new([core::ptr::null_mut(); COUNT]));

/// The object at `index` (a borrowed reference; NULL before `wfpy_init`).
#[inline(always)]
pub fn get(index: usize) -> *mut PyObject {
    // SAFETY: the GIL is held by every caller (see `Objects`); the read is of a plain array.
    unsafe { (*OBJECTS.0.get())[index] }
}

/// Keeps a strong reference to each item of the tuple `objects` (in the order of the
/// constants above). Returns false if the tuple has the wrong length.
///
/// # Safety
/// The GIL is held; `objects` is a tuple.
pub unsafe fn set(objects: *mut PyObject) -> bool {
    // SAFETY: as the caller guarantees; the references taken are kept for the life of the
    // process (the binding calls this once, at import).
    unsafe {
        if PyTuple_Size(objects) != COUNT as isize {
            return false;
        }
        let slots = &mut *OBJECTS.0.get();
        for (i, slot) in slots.iter_mut().enumerate() {
            let item = PyTuple_GetItem(objects, i as isize);
            if item.is_null() {
                return false;
            }
            Py_IncRef(item);
            *slot = item;
        }
        crate::capi::find_vectorcall();
        true
    }
}
