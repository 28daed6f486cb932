//! The library's version, for C callers: compile-time macros in the header and a run-time
//! function, so a program can check that the library it loaded is the one it was built for.
//!
//! The one place the version is written is Cargo.toml; the numbers below are checked against it
//! when the crate compiles (cbindgen can only copy literal constants into the header).

use core::ffi::c_char;

/// The major version this header belongs to.
pub const WIREFRAME_VERSION_MAJOR: u32 = 0;
/// The minor version this header belongs to.
pub const WIREFRAME_VERSION_MINOR: u32 = 1;
/// The patch version this header belongs to.
pub const WIREFRAME_VERSION_PATCH: u32 = 0;

/// Parses a decimal number at compile time (the version components Cargo passes as strings).
const fn decimal(text: &str) -> u32 {
    let bytes = text.as_bytes();
    let mut value = 0;
    let mut i = 0;
    while i < bytes.len() {
        assert!(
            bytes[i].is_ascii_digit(),
            "version component is not a number"
        );
        value = value * 10 + (bytes[i] - b'0') as u32;
        i += 1;
    }
    value
}

const _: () = {
    assert!(WIREFRAME_VERSION_MAJOR == decimal(env!("CARGO_PKG_VERSION_MAJOR")));
    assert!(WIREFRAME_VERSION_MINOR == decimal(env!("CARGO_PKG_VERSION_MINOR")));
    assert!(WIREFRAME_VERSION_PATCH == decimal(env!("CARGO_PKG_VERSION_PATCH")));
};

/// The version as text, NUL-terminated.
const VERSION: &core::ffi::CStr =
    match core::ffi::CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes())
    {
        Ok(text) => text,
        Err(_) => panic!("the crate version has a NUL byte"),
    };

/// Returns the version of the library that is running, as `"MAJOR.MINOR.PATCH"`: compare it
/// with `WIREFRAME_VERSION_MAJOR` (and the others) to detect a program built against another
/// version's header.
///
/// Memory: a static, NUL-terminated string; never free it.
#[no_mangle]
pub extern "C" fn wf_version() -> *const c_char {
    ffi_boundary!(core::ptr::null(), { VERSION.as_ptr() })
}
