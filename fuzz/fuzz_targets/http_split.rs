//! Fuzz target `http_split`: see `wireframe_fuzz::http_split`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| wireframe_fuzz::http_split::check(data));
