//! Byte classes of the HTTP grammar and the fast scans over them.
//!
//! Each scan returns the index of the first byte in `data[from..end]` outside its class (or
//! `end` when every byte is inside). On x86_64 the URL and header-value scans look at 16 bytes
//! at a time with SSE2 (part of the x86_64 baseline, so no run-time detection is needed); other
//! targets, and builds with the `force-scalar` feature, use the byte tables. Every SIMD kernel is
//! tested against its table for all 256 byte values at every position.
//!
//! This module and `ws::mask` are the only places in the core with `unsafe` code.

/// Builds a 256-entry class table from one of the predicates below.
macro_rules! table {
    ($pred:ident) => {{
        let mut t = [false; 256];
        let mut i = 0;
        while i < 256 {
            t[i] = $pred(i as u8);
            i += 1;
        }
        t
    }};
}

const fn is_tchar(b: u8) -> bool {
    matches!(b,
        b'!' | b'#' | b'$' | b'%' | b'&' | b'\'' | b'*' | b'+' | b'-' | b'.' | b'^' | b'_' | b'`'
        | b'|' | b'~' | b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z')
}

/// Bytes allowed in a request target (RFC 9112 3.2, RFC 3986): visible ASCII only; no space,
/// no control character, no DEL, no byte above 0x7F (a leniency flag admits those).
const fn is_url_char(b: u8) -> bool {
    b > 0x20 && b < 0x7f
}

/// Bytes allowed in a header value or a reason phrase: visible ASCII, obs-text, SP and HTAB.
const fn is_value_char(b: u8) -> bool {
    (b >= 0x20 && b != 0x7f) || b == b'\t'
}

/// `token` (RFC 9110 5.6.2): header names, chunk extension names and unquoted values.
pub(crate) static TOKEN: [bool; 256] = table!(is_tchar);
/// See [`is_url_char`].
pub(crate) static URL: [bool; 256] = table!(is_url_char);
/// See [`is_value_char`].
pub(crate) static VALUE: [bool; 256] = table!(is_value_char);

/// Index of the first byte in `data[from..end]` that is not in `class`, or `end`.
#[inline(always)]
fn scan_table(class: &[bool; 256], data: &[u8], mut from: usize, end: usize) -> usize {
    let end = end.min(data.len());
    while from < end {
        if !class[data[from] as usize] {
            return from;
        }
        from += 1;
    }
    end
}

/// Index of the first non-token byte in `data[from..end]`, or `end`.
#[inline]
pub(crate) fn token_end(data: &[u8], from: usize, end: usize) -> usize {
    #[cfg(all(target_arch = "x86_64", not(feature = "force-scalar")))]
    {
        // Most header names are letters, digits and dashes: skip those 16 at a time, then let
        // the table decide on the byte that stopped the fast scan (a colon, or a rarer token
        // character such as `_`, after which the table carries on).
        let from = sse2::scan(data, from, end, sse2::Class::NameFast);
        scan_table(&TOKEN, data, from, end)
    }
    #[cfg(not(all(target_arch = "x86_64", not(feature = "force-scalar"))))]
    {
        scan_table(&TOKEN, data, from, end)
    }
}

/// Index of the first byte in `data[from..end]` that may not appear in a URL, or `end`.
#[inline]
pub(crate) fn url_end(data: &[u8], from: usize, end: usize) -> usize {
    #[cfg(all(target_arch = "x86_64", not(feature = "force-scalar")))]
    {
        let from = sse2::scan(data, from, end, sse2::Class::Url);
        scan_table(&URL, data, from, end)
    }
    #[cfg(not(all(target_arch = "x86_64", not(feature = "force-scalar"))))]
    {
        scan_table(&URL, data, from, end)
    }
}

/// Index of the first byte in `data[from..end]` that may not appear in a header value, or
/// `end`.
#[inline]
pub(crate) fn value_end(data: &[u8], from: usize, end: usize) -> usize {
    #[cfg(all(target_arch = "x86_64", not(feature = "force-scalar")))]
    {
        let from = sse2::scan(data, from, end, sse2::Class::Value);
        scan_table(&VALUE, data, from, end)
    }
    #[cfg(not(all(target_arch = "x86_64", not(feature = "force-scalar"))))]
    {
        scan_table(&VALUE, data, from, end)
    }
}

#[cfg(all(target_arch = "x86_64", not(feature = "force-scalar")))]
mod sse2 {
    use core::arch::x86_64::*;

    /// Which class to scan for.
    #[derive(Clone, Copy)]
    pub(super) enum Class {
        Url,
        Value,
        /// Letters, digits and `-`: a subset of `token` that covers almost every header name.
        NameFast,
    }

    /// One bit per byte of `v` (bit i for byte i), set where the byte is in `class`.
    #[inline(always)]
    fn class_mask(v: __m128i, class: Class) -> u32 {
        // SAFETY: SSE2 is part of the x86_64 baseline; these intrinsics only compute on
        // registers.
        unsafe {
            let ok = match class {
                Class::Url => {
                    // 0x20 < v < 0x7f: a signed compare (bytes >= 0x80 are negative), and
                    // v != DEL.
                    let visible = _mm_cmpgt_epi8(v, _mm_set1_epi8(0x20));
                    _mm_andnot_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(0x7f)), visible)
                }
                Class::Value => {
                    // (v >= 0x20 (unsigned) or v == HTAB) and v != DEL.
                    let visible = _mm_or_si128(
                        _mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8(0x20)), v),
                        _mm_cmpeq_epi8(v, _mm_set1_epi8(0x09)),
                    );
                    _mm_andnot_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(0x7f)), visible)
                }
                Class::NameFast => {
                    // Signed compares: bytes >= 0x80 are negative and fall out of every range.
                    let lower = _mm_or_si128(v, _mm_set1_epi8(0x20));
                    let letter = _mm_and_si128(
                        _mm_cmpgt_epi8(lower, _mm_set1_epi8(0x60)),
                        _mm_cmplt_epi8(lower, _mm_set1_epi8(0x7b)),
                    );
                    let digit = _mm_and_si128(
                        _mm_cmpgt_epi8(v, _mm_set1_epi8(0x2f)),
                        _mm_cmplt_epi8(v, _mm_set1_epi8(0x3a)),
                    );
                    let dash = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'-' as i8));
                    _mm_or_si128(_mm_or_si128(letter, digit), dash)
                }
            };
            _mm_movemask_epi8(ok) as u32
        }
    }

    /// Scans 16 bytes at a time. Returns the index of the first byte outside the class if it
    /// is found, `end` if every byte up to `end` is in the class, or the start of a last
    /// stretch shorter than 16 bytes that the caller finishes with the table. A stretch near
    /// `end` is still read 16 bytes at a time when `data` itself extends far enough (the bytes
    /// past `end` are read but ignored), which spares the table loop in the common case where
    /// more input follows the span.
    #[inline(always)]
    pub(super) fn scan(data: &[u8], mut from: usize, end: usize, class: Class) -> usize {
        let end = end.min(data.len());
        while from < end && from + 16 <= data.len() {
            // SAFETY: `from + 16 <= data.len()`, so the 16 bytes read are inside `data`;
            // `_mm_loadu_si128` has no alignment requirement.
            let v = unsafe { _mm_loadu_si128(data.as_ptr().add(from) as *const __m128i) };
            let good = class_mask(v, class);
            if good != 0xffff {
                return (from + (!good).trailing_zeros() as usize).min(end);
            }
            from += 16;
        }
        from.min(end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every byte value at every position of a 40-byte run must stop each fast scan exactly
    /// where the table says.
    #[test]
    fn fast_scans_agree_with_tables() {
        for b in 0..=255u8 {
            for pos in 0..40 {
                let mut buf = [b'a'; 40];
                buf[pos] = b;
                for from in [0, 1, 3] {
                    if from > pos {
                        continue;
                    }
                    // The same stretch at the very end of a buffer (no bytes past it).
                    let tail = &buf[..=pos];
                    assert_eq!(
                        url_end(tail, from, pos + 1),
                        scan_table(&URL, tail, from, pos + 1)
                    );
                    assert_eq!(
                        token_end(tail, from, pos + 1),
                        scan_table(&TOKEN, tail, from, pos + 1)
                    );
                    let want_url = scan_table(&URL, &buf, from, 40);
                    let want_value = scan_table(&VALUE, &buf, from, 40);
                    assert_eq!(url_end(&buf, from, 40), want_url, "url b={b} pos={pos}");
                    assert_eq!(
                        value_end(&buf, from, 40),
                        want_value,
                        "value b={b} pos={pos}"
                    );
                    assert_eq!(url_end(&buf, from, pos), pos.max(from));
                }
            }
        }
    }

    #[test]
    fn classes() {
        assert!(TOKEN[b'a' as usize] && TOKEN[b'!' as usize] && !TOKEN[b':' as usize]);
        assert!(!TOKEN[b' ' as usize] && !TOKEN[0x80]);
        assert!(!URL[0x80] && !URL[0xff] && URL[b'~' as usize] && URL[b'!' as usize]);
        assert!(!URL[b' ' as usize] && !URL[0x7f]);
        assert!(VALUE[b'\t' as usize] && VALUE[b' ' as usize] && !VALUE[b'\r' as usize]);
        assert!(!VALUE[0] && !VALUE[b'\n' as usize] && VALUE[0xff]);
    }
}
