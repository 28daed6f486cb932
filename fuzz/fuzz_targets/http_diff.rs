//! Fuzz target `http_diff`: see `wireframe_fuzz::http_diff`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| wireframe_fuzz::http_diff::check(data));
