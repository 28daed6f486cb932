//! Fuzz target `handshake`: see `wireframe_fuzz::handshake`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| wireframe_fuzz::handshake::check(data));
