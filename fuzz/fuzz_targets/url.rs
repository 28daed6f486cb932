//! Fuzz target `url`: see `wireframe_fuzz::url`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| wireframe_fuzz::url::check(data));
