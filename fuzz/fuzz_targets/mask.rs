//! Fuzz target `mask`: see `wireframe_fuzz::mask`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| wireframe_fuzz::mask::check(data));
