//! Gives the shared library its soname so `make install` can ship a versioned library.
fn main() {
    let target = std::env::var("TARGET").unwrap_or_default();
    if target.contains("linux") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libwireframe.so.0");
    }
}
