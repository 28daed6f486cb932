//! The Cookie request header (RFC 6265 section 5.4): `name=value` pairs separated by `;`.
//!
//! Browsers send `a=1; b=2`. The splitter is tolerant exactly where browsers' own cookie
//! stores are: the space after `;` may be missing or doubled, whitespace around names and
//! values is trimmed, empty pieces (`a=1;; b=2`) are skipped, and a piece without `=` is a
//! cookie with an empty name (RFC 6265bis: a nameless cookie is sent as its value alone).
//! It is strict where no browser sends anything: a control character (other than HTAB) is
//! `InvalidCookie` (header injection and log forging), and so is `=value` with an empty name.
//! Values are returned as sent, double quotes included.

use super::chars::{is_ctl, trim_ows};
use super::error::{FormError, FormErrorAt};
use super::span::Span;

/// One cookie: spans into the header value.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CookiePair {
    /// The name (empty for a nameless cookie).
    pub name: Span,
    /// The value, as sent.
    pub value: Span,
}

/// Iterator over the cookies of a Cookie header value; yields one error and then stops.
#[derive(Clone, Debug)]
pub struct Cookies<'a> {
    input: &'a [u8],
    pos: usize,
    failed: bool,
}

impl<'a> Cookies<'a> {
    /// The cookies of `header_value`.
    pub fn new(header_value: &'a [u8]) -> Self {
        Cookies::at(header_value, 0)
    }

    /// Iteration resumed at `pos` (a value returned by [`Cookies::position`]).
    pub fn at(header_value: &'a [u8], pos: usize) -> Self {
        Cookies {
            input: header_value,
            pos: pos.min(header_value.len()),
            failed: false,
        }
    }

    /// The offset where the next call starts looking (for resumable C iteration).
    pub fn position(&self) -> usize {
        self.pos
    }
}

impl Iterator for Cookies<'_> {
    type Item = Result<CookiePair, FormErrorAt>;

    fn next(&mut self) -> Option<Self::Item> {
        let s = self.input;
        while !self.failed && self.pos < s.len() {
            let start = self.pos;
            let mut end = start;
            while end < s.len() && s[end] != b';' {
                if is_ctl(s[end]) && s[end] != b'\t' {
                    self.failed = true;
                    return Some(Err(FormErrorAt::new(FormError::InvalidCookie, end)));
                }
                end += 1;
            }
            self.pos = if end < s.len() { end + 1 } else { end };
            let (a, b) = trim_ows(s, start, end);
            if a == b {
                continue;
            }
            let pair = match s[a..b].iter().position(|&c| c == b'=') {
                Some(eq) => {
                    let (na, nb) = trim_ows(s, a, a + eq);
                    if na == nb {
                        self.failed = true;
                        return Some(Err(FormErrorAt::new(FormError::InvalidCookie, a)));
                    }
                    let (va, vb) = trim_ows(s, a + eq + 1, b);
                    CookiePair {
                        name: Span::new(na, nb),
                        value: Span::new(va, vb),
                    }
                }
                None => CookiePair {
                    name: Span::new(a, a),
                    value: Span::new(a, b),
                },
            };
            return Some(Ok(pair));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(h: &str) -> Result<Vec<(String, String)>, FormErrorAt> {
        let b = h.as_bytes();
        Cookies::new(b)
            .map(|r| {
                r.map(|p| {
                    (
                        String::from_utf8(p.name.get(b).to_vec()).unwrap(),
                        String::from_utf8(p.value.get(b).to_vec()).unwrap(),
                    )
                })
            })
            .collect()
    }

    #[test]
    fn browser_headers() {
        let v = |a: &[(&str, &str)]| -> Vec<(String, String)> {
            a.iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect()
        };
        assert_eq!(all("a=1; b=2").unwrap(), v(&[("a", "1"), ("b", "2")]));
        assert_eq!(
            all("a=1;b=2 ;  c = 3 ").unwrap(),
            v(&[("a", "1"), ("b", "2"), ("c", "3")])
        );
        assert_eq!(
            all("sid=\"x y\"; e=; ;lone").unwrap(),
            v(&[("sid", "\"x y\""), ("e", ""), ("", "lone")])
        );
        assert_eq!(all("t=a=b").unwrap(), v(&[("t", "a=b")]));
        assert!(all("").unwrap().is_empty());
    }

    #[test]
    fn rejections() {
        // Header injection: a CR/LF or NUL smuggled into the value.
        assert_eq!(
            all("a=1\r\nSet-Cookie: x").unwrap_err(),
            FormErrorAt::new(FormError::InvalidCookie, 3)
        );
        assert_eq!(
            all("a=\x00").unwrap_err(),
            FormErrorAt::new(FormError::InvalidCookie, 2)
        );
        // No browser sends an empty name with `=`.
        assert_eq!(
            all("b=2; =v").unwrap_err(),
            FormErrorAt::new(FormError::InvalidCookie, 5)
        );
    }
}
