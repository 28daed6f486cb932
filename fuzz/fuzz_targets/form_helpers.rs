//! Fuzz target `form_helpers`: see `wireframe_fuzz::form_helpers`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| wireframe_fuzz::form_helpers::check(data));
