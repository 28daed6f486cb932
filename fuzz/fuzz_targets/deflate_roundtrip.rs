//! Fuzz target `deflate_roundtrip`: see `wireframe_fuzz::deflate_roundtrip`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| wireframe_fuzz::deflate_roundtrip::check(data));
