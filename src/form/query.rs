//! Query strings and `application/x-www-form-urlencoded` bodies (WHATWG URL, "urlencoded
//! parsing"): `name=value` pairs separated by `&`, and the in-place percent-decoder.
//!
//! [`QueryPairs`] yields each pair as spans into the input, still encoded; empty pieces
//! (`a=1&&b=2`) are skipped and a piece without `=` is a name with an empty value, as browsers
//! and every web framework read them. [`percent_decode_in_place`] then decodes a span where it
//! lies (a decoded string is never longer than its encoding), reporting the offset of an
//! invalid escape instead of passing it through.

use super::chars::hex_value;
use super::error::{FormError, FormErrorAt};
use super::span::Span;

/// One `name=value` pair, both still percent-encoded.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QueryPair {
    /// The name.
    pub name: Span,
    /// The value (empty when the piece had no `=`).
    pub value: Span,
    /// The piece had an `=`.
    pub has_value: bool,
}

/// Iterator over the pairs of a query string or urlencoded body (without the leading `?`).
#[derive(Clone, Debug)]
pub struct QueryPairs<'a> {
    input: &'a [u8],
    pos: usize,
}

impl<'a> QueryPairs<'a> {
    /// The pairs of `input`.
    pub fn new(input: &'a [u8]) -> Self {
        QueryPairs { input, pos: 0 }
    }

    /// The offset where the next call starts looking (for resumable C iteration).
    pub fn position(&self) -> usize {
        self.pos
    }

    /// Iteration resumed at `pos` (a value returned by [`QueryPairs::position`]).
    pub fn at(input: &'a [u8], pos: usize) -> Self {
        QueryPairs {
            input,
            pos: pos.min(input.len()),
        }
    }
}

impl Iterator for QueryPairs<'_> {
    type Item = QueryPair;

    fn next(&mut self) -> Option<QueryPair> {
        let s = self.input;
        while self.pos < s.len() {
            let start = self.pos;
            let end = s[start..]
                .iter()
                .position(|&b| b == b'&')
                .map_or(s.len(), |k| start + k);
            self.pos = if end < s.len() { end + 1 } else { end };
            if end == start {
                continue;
            }
            let piece = &s[start..end];
            return Some(match piece.iter().position(|&b| b == b'=') {
                Some(eq) => QueryPair {
                    name: Span::new(start, start + eq),
                    value: Span::new(start + eq + 1, end),
                    has_value: true,
                },
                None => QueryPair {
                    name: Span::new(start, end),
                    value: Span::new(end, end),
                    has_value: false,
                },
            });
        }
        None
    }
}

/// Decodes `%XX` escapes in `buf` in place, and with `plus_as_space` turns `+` into a space
/// (form encoding; leave it off for paths and RFC 8187 values). Returns the decoded length:
/// the decoded bytes are `buf[..len]`; the rest of `buf` is left unspecified.
///
/// Errors: `InvalidPercentEscape` at the offset of a `%` not followed by two hexadecimal
/// digits (`buf` is then partly decoded). The decoded bytes may be any byte values (UTF-8 is
/// not checked: a form field may be binary or in the page's legacy charset).
pub fn percent_decode_in_place(buf: &mut [u8], plus_as_space: bool) -> Result<usize, FormErrorAt> {
    let n = buf.len();
    let (mut r, mut w) = (0usize, 0usize);
    while r < n {
        let b = buf[r];
        if b == b'%' {
            let hi = buf.get(r + 1).copied().and_then(hex_value);
            let lo = buf.get(r + 2).copied().and_then(hex_value);
            match (hi, lo) {
                (Some(hi), Some(lo)) => {
                    buf[w] = hi << 4 | lo;
                    r += 3;
                }
                _ => return Err(FormErrorAt::new(FormError::InvalidPercentEscape, r)),
            }
        } else {
            buf[w] = if plus_as_space && b == b'+' { b' ' } else { b };
            r += 1;
        }
        w += 1;
    }
    Ok(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(s: &str) -> Vec<(String, String, bool)> {
        QueryPairs::new(s.as_bytes())
            .map(|p| {
                (
                    String::from_utf8(p.name.get(s.as_bytes()).to_vec()).unwrap(),
                    String::from_utf8(p.value.get(s.as_bytes()).to_vec()).unwrap(),
                    p.has_value,
                )
            })
            .collect()
    }

    #[test]
    fn splits_like_browsers() {
        assert_eq!(
            pairs("a=1&&b=&c&=d&e=f=g&"),
            vec![
                ("a".into(), "1".into(), true),
                ("b".into(), "".into(), true),
                ("c".into(), "".into(), false),
                ("".into(), "d".into(), true),
                ("e".into(), "f=g".into(), true),
            ]
        );
        assert!(pairs("").is_empty() && pairs("&&&").is_empty());
    }

    #[test]
    fn decodes_in_place_and_reports_bad_escapes() {
        let mut b = *b"a+b%20c%2Bd%e2%82%AC";
        let n = percent_decode_in_place(&mut b, true).unwrap();
        assert_eq!(&b[..n], "a b c+d€".as_bytes());
        let mut b = *b"a+b";
        let n = percent_decode_in_place(&mut b, false).unwrap();
        assert_eq!(&b[..n], b"a+b");
        for (bad, at) in [
            (&b"%"[..], 0),
            (b"ab%2", 2),
            (b"x%zz", 1),
            (b"%%41", 0),
            (b"%4g", 0),
        ] {
            let mut v = bad.to_vec();
            let e = percent_decode_in_place(&mut v, true).unwrap_err();
            assert_eq!(
                e,
                FormErrorAt::new(FormError::InvalidPercentEscape, at),
                "{bad:?}"
            );
        }
    }
}
