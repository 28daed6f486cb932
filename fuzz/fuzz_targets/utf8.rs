//! Fuzz target `utf8`: see `wireframe_fuzz::utf8`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| wireframe_fuzz::utf8::check(data));
