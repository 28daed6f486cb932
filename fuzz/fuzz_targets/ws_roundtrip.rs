//! Fuzz target `ws_roundtrip`: see `wireframe_fuzz::ws_roundtrip`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| wireframe_fuzz::ws_roundtrip::check(data));
