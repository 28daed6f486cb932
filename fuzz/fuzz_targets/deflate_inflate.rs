//! Fuzz target `deflate_inflate`: see `wireframe_fuzz::deflate_inflate`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| wireframe_fuzz::deflate_inflate::check(data));
