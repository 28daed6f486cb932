//! The plumbing shared by every exported function.
//!
//! - [`ffi_boundary!`] runs a function body and turns a panic into a fallback return value, so
//!   that no unwind ever crosses into C. (The crate is never built with `panic = "abort"`.)
//! - [`check_null!`] returns early with an error value when a pointer argument is NULL.
//! - [`deref_mut!`] does the same and otherwise turns the pointer into a `&mut`, under the one
//!   contract every exported function states: a pointer argument is NULL or valid.

/// Runs `$body` (a block) inside `catch_unwind`; evaluates to the block's value, or to
/// `$on_panic` if the block panicked. Every `extern "C"` function wraps its body in this.
macro_rules! ffi_boundary {
    ($on_panic:expr, $body:block) => {
        match ::std::panic::catch_unwind(::std::panic::AssertUnwindSafe(|| $body)) {
            Ok(value) => value,
            Err(_) => $on_panic,
        }
    };
}

/// Returns `$ret` (or nothing, without `$ret;`) from the enclosing function (or closure) when
/// any of the pointers is NULL.
macro_rules! check_null {
    ($($ptr:expr),+ $(,)?) => {
        if false $(|| $ptr.is_null())+ {
            return;
        }
    };
    ($ret:expr; $($ptr:expr),+ $(,)?) => {
        if false $(|| $ptr.is_null())+ {
            return $ret;
        }
    };
}

/// Evaluates to `&mut *$ptr`, or returns `$ret` (or nothing, without `$ret;`) from the
/// enclosing function (or closure) when `$ptr` is NULL. For pointer arguments of exported
/// functions only: their contract is that each is NULL or points to a valid, initialised
/// object that nothing else uses during the call.
macro_rules! deref_mut {
    ($ptr:expr) => {
        // SAFETY: NULL or valid and unaliased for the call, by the exported function's
        // contract; NULL returns early.
        match unsafe { $ptr.as_mut() } {
            Some(target) => target,
            None => return,
        }
    };
    ($ret:expr; $ptr:expr) => {
        // SAFETY: as above.
        match unsafe { $ptr.as_mut() } {
            Some(target) => target,
            None => return $ret,
        }
    };
}

/// Builds a byte slice from a C pointer and length; a NULL pointer is accepted for length 0.
///
/// # Safety
/// Unless `len` is 0, `ptr` must point to `len` readable bytes that stay valid and unmodified
/// for the lifetime `'a` chosen by the caller.
pub(crate) unsafe fn slice_from<'a>(ptr: *const u8, len: usize) -> &'a [u8] {
    if len == 0 || ptr.is_null() {
        &[]
    } else {
        // SAFETY: the caller guarantees `len` readable bytes at `ptr` (non-null, checked).
        unsafe { std::slice::from_raw_parts(ptr, len) }
    }
}

/// Mutable counterpart of [`slice_from`].
///
/// # Safety
/// Unless `len` is 0, `ptr` must point to `len` writable bytes, not aliased elsewhere, valid for
/// the lifetime `'a` chosen by the caller.
#[allow(dead_code)]
pub(crate) unsafe fn slice_from_mut<'a>(ptr: *mut u8, len: usize) -> &'a mut [u8] {
    if len == 0 || ptr.is_null() {
        &mut []
    } else {
        // SAFETY: the caller guarantees `len` exclusive writable bytes at `ptr` (non-null).
        unsafe { std::slice::from_raw_parts_mut(ptr, len) }
    }
}
