//! The few functions and objects of CPython's C API the dispatcher uses, declared by hand.
//!
//! Everything here is in CPython's stable ABI (the limited API) as of 3.9, with one
//! exception: `PyObject_GetBuffer` / `PyBuffer_Release` and the `Py_buffer` struct joined the
//! stable ABI in 3.11, but their signatures and the struct's layout have not changed since
//! 3.3, so the interpreters 3.9 and 3.10 export the same ABI. `PyObject_Vectorcall` (stable
//! ABI from 3.12, exported by 3.11) is looked up at run time and used when present. No macro of the C API is used
//! (reference counts change through `Py_IncRef` / `Py_DecRef`, which are functions), so the
//! library depends on no Python header and on no interpreter version: the symbols are
//! resolved, when `ctypes.PyDLL` loads the library, from the interpreter that loads it.

#![allow(
    non_camel_case_types,
    non_snake_case,
    non_upper_case_globals,
    missing_docs
)]

use core::ffi::{c_char, c_int, c_long, c_void};

/// An opaque Python object.
#[repr(C)]
pub struct PyObject {
    _private: [u8; 0],
}

pub type Py_ssize_t = isize;

/// `Py_buffer` (layout unchanged since CPython 3.3).
#[repr(C)]
pub struct Py_buffer {
    pub buf: *mut c_void,
    pub obj: *mut PyObject,
    pub len: Py_ssize_t,
    pub itemsize: Py_ssize_t,
    pub readonly: c_int,
    pub ndim: c_int,
    pub format: *mut c_char,
    pub shape: *mut Py_ssize_t,
    pub strides: *mut Py_ssize_t,
    pub suboffsets: *mut Py_ssize_t,
    pub internal: *mut c_void,
}

/// `PyBUF_SIMPLE`: a contiguous buffer of bytes, read-only is fine.
pub const PyBUF_SIMPLE: c_int = 0;

/// `PyMethodDef`.
#[repr(C)]
pub struct PyMethodDef {
    pub ml_name: *const c_char,
    pub ml_meth: Option<unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> *mut PyObject>,
    pub ml_flags: c_int,
    pub ml_doc: *const c_char,
}

/// `METH_O`: the function takes exactly one argument.
pub const METH_O: c_int = 0x0008;

extern "C" {
    pub static mut _Py_NoneStruct: PyObject;
    pub static mut _Py_TrueStruct: PyObject;
    pub static mut _Py_FalseStruct: PyObject;
    pub static mut PyExc_RuntimeError: *mut PyObject;
    pub static mut PyExc_SystemError: *mut PyObject;

    pub fn Py_IncRef(o: *mut PyObject);
    pub fn Py_DecRef(o: *mut PyObject);

    pub fn PyBytes_FromStringAndSize(s: *const c_char, n: Py_ssize_t) -> *mut PyObject;
    pub fn PyBytes_AsStringAndSize(
        o: *mut PyObject,
        s: *mut *mut c_char,
        n: *mut Py_ssize_t,
    ) -> c_int;
    pub fn PyBytes_AsString(o: *mut PyObject) -> *mut c_char;
    pub fn PyBytes_Size(o: *mut PyObject) -> Py_ssize_t;

    pub fn PyObject_GetBuffer(o: *mut PyObject, view: *mut Py_buffer, flags: c_int) -> c_int;
    pub fn PyBuffer_Release(view: *mut Py_buffer);

    pub fn PyObject_CallFunctionObjArgs(callable: *mut PyObject, ...) -> *mut PyObject;

    pub fn PyCFunction_NewEx(
        def: *mut PyMethodDef,
        slf: *mut PyObject,
        module: *mut PyObject,
    ) -> *mut PyObject;
    pub fn PyList_New(n: Py_ssize_t) -> *mut PyObject;
    pub fn PyByteArray_Resize(o: *mut PyObject, n: Py_ssize_t) -> c_int;
    pub fn PyByteArray_AsString(o: *mut PyObject) -> *mut c_char;

    pub fn PyTuple_New(n: Py_ssize_t) -> *mut PyObject;
    pub fn PyTuple_GetItem(t: *mut PyObject, i: Py_ssize_t) -> *mut PyObject;
    pub fn PyTuple_SetItem(t: *mut PyObject, i: Py_ssize_t, o: *mut PyObject) -> c_int;
    pub fn PyTuple_Size(t: *mut PyObject) -> Py_ssize_t;

    pub fn PyList_Append(l: *mut PyObject, o: *mut PyObject) -> c_int;
    pub fn PyList_Size(l: *mut PyObject) -> Py_ssize_t;
    pub fn PyList_GetItem(l: *mut PyObject, i: Py_ssize_t) -> *mut PyObject;
    pub fn PyList_SetItem(l: *mut PyObject, i: Py_ssize_t, o: *mut PyObject) -> c_int;
    pub fn PyList_SetSlice(
        l: *mut PyObject,
        lo: Py_ssize_t,
        hi: Py_ssize_t,
        items: *mut PyObject,
    ) -> c_int;

    pub fn PyLong_AsVoidPtr(o: *mut PyObject) -> *mut c_void;
    pub fn PyLong_FromLong(v: c_long) -> *mut PyObject;
    pub fn PyLong_FromSize_t(v: usize) -> *mut PyObject;
    pub fn PyUnicode_DecodeLatin1(
        s: *const c_char,
        n: Py_ssize_t,
        errors: *const c_char,
    ) -> *mut PyObject;

    pub fn PyErr_Fetch(t: *mut *mut PyObject, v: *mut *mut PyObject, tb: *mut *mut PyObject);
    pub fn PyErr_Restore(t: *mut PyObject, v: *mut PyObject, tb: *mut PyObject);
    pub fn PyErr_NormalizeException(
        t: *mut *mut PyObject,
        v: *mut *mut PyObject,
        tb: *mut *mut PyObject,
    );
    pub fn PyErr_SetString(t: *mut PyObject, message: *const c_char);
    pub fn PyErr_SetObject(t: *mut PyObject, v: *mut PyObject);
    pub fn PyException_SetCause(exc: *mut PyObject, cause: *mut PyObject);
    pub fn PyException_SetContext(exc: *mut PyObject, context: *mut PyObject);
    pub fn PyException_SetTraceback(exc: *mut PyObject, tb: *mut PyObject) -> c_int;
}

/// `Py_None` (a borrowed reference).
#[inline(always)]
pub fn none() -> *mut PyObject {
    core::ptr::addr_of_mut!(_Py_NoneStruct)
}

/// `Py_True` or `Py_False` (a borrowed reference).
#[inline(always)]
pub fn boolean(v: bool) -> *mut PyObject {
    if v {
        core::ptr::addr_of_mut!(_Py_TrueStruct)
    } else {
        core::ptr::addr_of_mut!(_Py_FalseStruct)
    }
}

/// A new `bytes` object holding a copy of `data`, or NULL with an exception set.
#[inline(always)]
pub fn bytes(data: &[u8]) -> *mut PyObject {
    // SAFETY: `data` is valid for its length; CPython copies it.
    unsafe { PyBytes_FromStringAndSize(data.as_ptr().cast(), data.len() as Py_ssize_t) }
}

/// `PyObject_Vectorcall`'s type.
pub type VectorcallFn = unsafe extern "C" fn(
    callable: *mut PyObject,
    args: *const *mut PyObject,
    nargsf: usize,
    kwnames: *mut PyObject,
) -> *mut PyObject;

/// `PY_VECTORCALL_ARGUMENTS_OFFSET`: `args[-1]` may be overwritten by the callee (a bound
/// method puts its `self` there instead of copying the arguments).
const PY_VECTORCALL_ARGUMENTS_OFFSET: usize = 1 << (usize::BITS - 1);

extern "C" {
    fn dlsym(handle: *mut c_void, symbol: *const c_char) -> *mut c_void;
}

struct Vectorcall(core::cell::UnsafeCell<Option<VectorcallFn>>);
// SAFETY: written once by `find_vectorcall` with the GIL held, read with the GIL held.
unsafe impl Sync for Vectorcall {}
static VECTORCALL: Vectorcall = Vectorcall(core::cell::UnsafeCell::new(None));

/// Looks for `PyObject_Vectorcall` in the interpreter: in the stable ABI since 3.12, and
/// exported with the same signature by 3.11. Without it (3.9, 3.10) calls go through
/// `PyObject_CallFunctionObjArgs`, which is slower (it walks a `va_list`).
///
/// # Safety
/// GIL held.
pub unsafe fn find_vectorcall() {
    // SAFETY: dlsym with RTLD_DEFAULT (NULL on glibc) searches the process's global symbols,
    // where the interpreter's are; the symbol, when present, has the declared signature.
    unsafe {
        let p = dlsym(core::ptr::null_mut(), c"PyObject_Vectorcall".as_ptr());
        *VECTORCALL.0.get() = if p.is_null() {
            None
        } else {
            Some(core::mem::transmute::<*mut c_void, VectorcallFn>(p))
        };
    }
}

/// Calls `f(*args)` (at most 3 arguments) and drops the result; false when it raised (the
/// exception stays set).
///
/// # Safety
/// The GIL is held; `f` and the arguments are live objects.
#[inline(always)]
pub unsafe fn call(f: *mut PyObject, args: &[*mut PyObject]) -> bool {
    // SAFETY: as the caller guarantees. The vector has a free slot before the arguments, as
    // PY_VECTORCALL_ARGUMENTS_OFFSET promises; the variadic calls end with NULL.
    unsafe {
        let r = if let Some(vc) = *VECTORCALL.0.get() {
            let mut v = [core::ptr::null_mut(); 4];
            v[1..=args.len()].copy_from_slice(args);
            vc(
                f,
                v.as_ptr().add(1),
                args.len() | PY_VECTORCALL_ARGUMENTS_OFFSET,
                core::ptr::null_mut(),
            )
        } else {
            let end = core::ptr::null_mut::<PyObject>();
            match *args {
                [] => PyObject_CallFunctionObjArgs(f, end),
                [a] => PyObject_CallFunctionObjArgs(f, a, end),
                [a, b] => PyObject_CallFunctionObjArgs(f, a, b, end),
                [a, b, c, ..] => PyObject_CallFunctionObjArgs(f, a, b, c, end),
            }
        };
        finish(r)
    }
}

#[inline(always)]
fn finish(r: *mut PyObject) -> bool {
    if r.is_null() {
        return false;
    }
    // SAFETY: `r` is a new reference the caller does not keep.
    unsafe { Py_DecRef(r) };
    true
}

/// Drops a reference that may be NULL.
///
/// # Safety
/// The GIL is held; `o` is NULL or a reference the caller owns.
#[inline(always)]
pub unsafe fn xdecref(o: *mut PyObject) {
    if !o.is_null() {
        // SAFETY: as the caller guarantees.
        unsafe { Py_DecRef(o) };
    }
}

/// The bytes of the object `data`: a `bytes` object is read where it is (it is immutable);
/// any other object exporting a contiguous buffer is copied into a new `bytes` object first,
/// so that a callback mutating it cannot change what is being parsed. Returns the owner to
/// release with [`Py_DecRef`] (the new bytes object, or `data` itself with a reference added)
/// and the bytes, or NULL with an exception set (TypeError for `str` and other objects without
/// the buffer protocol, BufferError for a buffer that is not contiguous).
///
/// # Safety
/// The GIL is held; `data` is a live object. The slice is valid while the owner lives.
pub unsafe fn input<'a>(data: *mut PyObject) -> Option<(*mut PyObject, &'a [u8])> {
    let mut ptr: *mut c_char = core::ptr::null_mut();
    let mut len: Py_ssize_t = 0;
    // SAFETY: the GIL is held. PyBytes_AsStringAndSize accepts bytes (and subclasses) only;
    // for anything else it sets TypeError, which is cleared below before trying buffers.
    unsafe {
        if PyBytes_AsStringAndSize(data, &mut ptr, &mut len) == 0 {
            Py_IncRef(data);
            return Some((data, core::slice::from_raw_parts(ptr.cast(), len as usize)));
        }
        let (mut t, mut v, mut tb) = (
            core::ptr::null_mut(),
            core::ptr::null_mut(),
            core::ptr::null_mut(),
        );
        PyErr_Fetch(&mut t, &mut v, &mut tb);
        xdecref(t);
        xdecref(v);
        xdecref(tb);
        let mut view: Py_buffer = core::mem::zeroed();
        if PyObject_GetBuffer(data, &mut view, PyBUF_SIMPLE) != 0 {
            return None;
        }
        let copy = PyBytes_FromStringAndSize(view.buf.cast(), view.len);
        PyBuffer_Release(&mut view);
        if copy.is_null() {
            return None;
        }
        let p = PyBytes_AsString(copy);
        let n = PyBytes_Size(copy);
        Some((copy, core::slice::from_raw_parts(p.cast(), n as usize)))
    }
}
