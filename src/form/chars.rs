//! Byte classes shared by the form formats, as 256-entry tables built at compile time.

const fn is_tchar(b: u8) -> bool {
    matches!(b,
        b'!' | b'#' | b'$' | b'%' | b'&' | b'\'' | b'*' | b'+' | b'-' | b'.' | b'^' | b'_' | b'`'
        | b'|' | b'~' | b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z')
}

/// Header-value bytes: visible ASCII, obs-text (0x80-0xFF, e.g. UTF-8 file names), SP, HTAB.
const fn is_value_char(b: u8) -> bool {
    (b >= 0x20 && b != 0x7f) || b == b'\t'
}

/// RFC 2046 `bchars`: `DIGIT / ALPHA / "'" / "(" / ")" / "+" / "_" / "," / "-" / "." / "/" /
/// ":" / "=" / "?"` and space (not last).
const fn is_bchar(b: u8) -> bool {
    matches!(b,
        b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' | b'\'' | b'(' | b')' | b'+' | b'_' | b','
        | b'-' | b'.' | b'/' | b':' | b'=' | b'?' | b' ')
}

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

/// `token` (RFC 9110 5.6.2).
pub(crate) static TOKEN: [bool; 256] = table!(is_tchar);
/// See [`is_value_char`].
pub(crate) static VALUE: [bool; 256] = table!(is_value_char);
/// See [`is_bchar`].
pub(crate) static BCHAR: [bool; 256] = table!(is_bchar);

/// Whether `b` is a control character (0x00-0x1F or DEL).
#[inline]
pub(crate) const fn is_ctl(b: u8) -> bool {
    b < 0x20 || b == 0x7f
}

/// Index of the first byte of `data[from..end]` not in `class`, or `end`.
#[inline]
pub(crate) fn scan(class: &[bool; 256], data: &[u8], from: usize, end: usize) -> usize {
    let end = end.min(data.len());
    data[from.min(end)..end]
        .iter()
        .position(|&b| !class[b as usize])
        .map_or(end, |k| from + k)
}

/// Whether `a` and `b` are equal ignoring ASCII case.
#[inline]
pub(crate) fn eq_ignore_case(a: &[u8], b: &[u8]) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// The value of a hexadecimal digit, or `None`.
#[inline]
pub(crate) const fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Skips SP and HTAB from `i`; returns the first other index (or `data.len()`).
#[inline]
pub(crate) fn skip_ows(data: &[u8], mut i: usize) -> usize {
    while i < data.len() && (data[i] == b' ' || data[i] == b'\t') {
        i += 1;
    }
    i
}

/// `data` without leading and trailing SP/HTAB, as (start, end) indices.
#[inline]
pub(crate) fn trim_ows(data: &[u8], start: usize, mut end: usize) -> (usize, usize) {
    let start = skip_ows(&data[..end], start);
    while end > start && (data[end - 1] == b' ' || data[end - 1] == b'\t') {
        end -= 1;
    }
    (start, end)
}
