//! The incremental UTF-8 validator against `std::str::from_utf8`: every 1-, 2- and 3-byte
//! sequence and a sweep of 4-byte ones, each split at every byte.

use wireframe::ws::Utf8Validator;

/// Validator verdict for `s` fed in two pieces split at `at`: Ok(complete?) or the error index.
fn verdict(s: &[u8], at: usize) -> Result<bool, usize> {
    let mut v = Utf8Validator::new();
    v.feed(&s[..at])?;
    v.feed(&s[at..]).map_err(|e| e + at)?;
    Ok(v.is_complete())
}

fn check(s: &[u8]) {
    let std = std::str::from_utf8(s);
    for at in 0..=s.len() {
        match (verdict(s, at), std) {
            (Ok(true), Ok(_)) => {}
            // Incomplete at the end: std reports error_len() == None.
            (Ok(false), Err(e)) => assert!(e.error_len().is_none(), "{s:02x?}"),
            (Err(i), Err(e)) => {
                // The offending byte: the lead itself when it can never start a sequence,
                // else the first byte after the maximal invalid prefix std reports.
                let v = e.valid_up_to();
                let lead_ok = matches!(s[v], 0xC2..=0xF4);
                let expect = if lead_ok {
                    v + e.error_len().unwrap_or(0)
                } else {
                    v
                };
                assert!(e.error_len().is_some(), "{s:02x?}");
                assert_eq!(i, expect, "{s:02x?} split {at}");
            }
            (got, want) => panic!("{s:02x?} split {at}: {got:?} vs {want:?}"),
        }
    }
}

#[test]
fn all_short_sequences() {
    for a in 0..=255u8 {
        check(&[a]);
        for b in 0..=255u8 {
            check(&[a, b]);
        }
    }
    for a in 0xE0..=0xEFu8 {
        for b in 0..=255u8 {
            for c in [0x00, 0x7F, 0x80, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF] {
                check(&[a, b, c]);
            }
        }
    }
    for a in 0xF0..=0xF7u8 {
        for b in 0..=255u8 {
            for c in [0x41, 0x80, 0xBF, 0xC0] {
                for d in [0x41, 0x80, 0xBF, 0xC0] {
                    check(&[a, b, c, d]);
                }
            }
        }
    }
}

#[test]
fn long_mixed_text() {
    let s = "ascii then ünïcödé ✓ 🎉 and more ascii to cross the 8-byte fast path".repeat(3);
    check(s.as_bytes());
    let mut bad = s.into_bytes();
    bad[100] = 0xFF;
    check(&bad);
}
