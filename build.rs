//! Gives the shared library its soname (`libwireframe.so.MAJOR`, from Cargo.toml's version) so
//! `make install` can ship a versioned library.
fn main() {
    let target = std::env::var("TARGET").unwrap_or_default();
    let major = std::env::var("CARGO_PKG_VERSION_MAJOR").unwrap_or_else(|_| "0".into());
    if target.contains("linux") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libwireframe.so.{major}");
    }
}
