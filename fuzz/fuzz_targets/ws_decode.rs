//! Fuzz target `ws_decode`: see `wireframe_fuzz::ws_decode`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| wireframe_fuzz::ws_decode::check(data));
