//! Fuzz target `multipart`: see `wireframe_fuzz::multipart`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| wireframe_fuzz::multipart::check(data));
