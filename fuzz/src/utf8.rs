//! Incremental UTF-8 validator against `std::str::from_utf8`, fed in random pieces.
//!
//! Input: 2 configuration bytes (cut mode, seed), then the text. The validator must accept
//! exactly the valid texts, report an incomplete code point at the end as not complete, and
//! name as the failing byte the first byte that cannot continue any valid text.

use wireframe::ws::Utf8Validator;

use crate::{cuts, take_config, Rng};

/// The fuzz target.
pub fn check(data: &[u8]) {
    let (c, text) = take_config::<2>(data);
    let mut rng = Rng::new(c[1] as u64);
    let cut = cuts(&mut rng, text.len(), c[0]);
    let mut v = Utf8Validator::new();
    let mut start = 0;
    let mut result = Ok(());
    for end in cut.iter().copied().chain([text.len()]) {
        if let Err(i) = v.feed(&text[start..end]) {
            result = Err(start + i);
            break;
        }
        start = end;
    }
    match std::str::from_utf8(text) {
        Ok(_) => {
            assert_eq!(result, Ok(()), "valid text rejected: {text:x?}");
            assert!(v.is_complete());
        }
        Err(e) => {
            let bad = e.valid_up_to();
            match e.error_len() {
                // Only an incomplete code point at the end.
                None => {
                    assert_eq!(result, Ok(()), "truncated text rejected: {text:x?}");
                    assert!(!v.is_complete(), "truncated text complete: {text:x?}");
                }
                Some(n) => {
                    // A lead byte that can never start a code point fails at itself; otherwise
                    // the byte after the longest valid prefix of the sequence fails.
                    let lead = text[bad];
                    let expected = if matches!(lead, 0x80..=0xC1 | 0xF5..=0xFF) {
                        bad
                    } else {
                        bad + n
                    };
                    assert_eq!(result, Err(expected), "failing byte for {text:x?}");
                }
            }
        }
    }
}
