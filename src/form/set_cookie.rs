//! The Set-Cookie response header (RFC 6265 section 4.1, with the rules of RFC 6265bis that
//! browsers enforce), written into a caller's buffer after checking every part.
//!
//! A cookie the browser would silently drop, or a header that carries more than the cookie,
//! is refused with an error instead: a name that is not a token, a value with a byte outside
//! `cookie-octet` (a `;` or CR LF would inject attributes or headers), attribute values with
//! control characters or `;`, `SameSite=None` or `Partitioned` without `Secure`, and the
//! `__Secure-` / `__Host-` name prefixes without what they promise.

use super::chars::{is_ctl, TOKEN};
use super::error::{FormError, FormErrorAt};

/// The SameSite attribute.
#[repr(u8)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SameSite {
    /// No SameSite attribute (browsers then default to Lax).
    #[default]
    Unset = 0,
    /// `SameSite=Strict`.
    Strict = 1,
    /// `SameSite=Lax`.
    Lax = 2,
    /// `SameSite=None` (requires Secure).
    None = 3,
}

/// A cookie to write. Every byte string is borrowed; nothing is kept after the call.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SetCookie<'a> {
    /// The name: a `token`.
    pub name: &'a [u8],
    /// The value: `cookie-octet`s, optionally inside double quotes.
    pub value: &'a [u8],
    /// `Domain=`: a host name (letters, digits, `-`, `.`).
    pub domain: Option<&'a [u8]>,
    /// `Path=`: starts with `/`, no control character, no `;`.
    pub path: Option<&'a [u8]>,
    /// `Max-Age=` in seconds (0 or less: expire now).
    pub max_age: Option<i64>,
    /// `Expires=`, as seconds since the Unix epoch (written as an IMF-fixdate); 0 or later.
    pub expires: Option<i64>,
    /// `Secure`.
    pub secure: bool,
    /// `HttpOnly`.
    pub http_only: bool,
    /// `Partitioned` (CHIPS; requires Secure).
    pub partitioned: bool,
    /// `SameSite=`.
    pub same_site: SameSite,
}

/// Whether `b` is a `cookie-octet` (RFC 6265 4.1.1): visible ASCII but `"`, `,`, `;`, `\`.
const fn is_cookie_octet(b: u8) -> bool {
    matches!(b, 0x21 | 0x23..=0x2b | 0x2d..=0x3a | 0x3c..=0x5b | 0x5d..=0x7e)
}

/// Writes into `out` as far as it fits, counting every byte.
struct Out<'a> {
    buf: &'a mut [u8],
    len: usize,
}

impl Out<'_> {
    fn put(&mut self, bytes: &[u8]) {
        if let Some(dst) = self.buf.get_mut(self.len..self.len + bytes.len()) {
            dst.copy_from_slice(bytes);
        }
        self.len += bytes.len();
    }

    fn put_int(&mut self, v: i64) {
        let mut digits = [0u8; 20];
        let mut n = v.unsigned_abs();
        let mut k = digits.len();
        loop {
            k -= 1;
            digits[k] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        if v < 0 {
            self.put(b"-");
        }
        self.put(&digits[k..]);
    }

    fn put2(&mut self, v: u64) {
        self.put(&[b'0' + (v / 10 % 10) as u8, b'0' + (v % 10) as u8]);
    }
}

/// Writes `t` (seconds since the epoch, >= 0) as an IMF-fixdate: `Sun, 06 Nov 1994 08:49:37
/// GMT`.
fn put_http_date(o: &mut Out<'_>, t: u64) {
    const DAYS: [&[u8; 3]; 7] = [b"Thu", b"Fri", b"Sat", b"Sun", b"Mon", b"Tue", b"Wed"];
    const MONTHS: [&[u8; 3]; 12] = [
        b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov",
        b"Dec",
    ];
    let days = t / 86400;
    let secs = t % 86400;
    // Civil date from days since 1970-01-01 (the proleptic Gregorian algorithm of H. Hinnant).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u64;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as usize;
    let year = yoe + era * 400 + i64::from(month <= 2);
    o.put(DAYS[(days % 7) as usize]);
    o.put(b", ");
    o.put2(day);
    o.put(b" ");
    o.put(MONTHS[month - 1]);
    o.put(b" ");
    if year < 1000 {
        o.put(b"0");
    }
    o.put_int(year);
    o.put(b" ");
    o.put2(secs / 3600);
    o.put(b":");
    o.put2(secs / 60 % 60);
    o.put(b":");
    o.put2(secs % 60);
    o.put(b" GMT");
}

/// Checks `cookie`, then writes the Set-Cookie header value (without `Set-Cookie: `) into
/// `out`; returns its length.
///
/// Errors: `InvalidCookieName` / `InvalidCookieValue` / `InvalidCookieAttribute` with the
/// offset of the offending byte in the offending field; `CookieRule` (offset 0);
/// `BufferTooSmall` with the length needed as the offset (`out` is then left partly written).
pub fn write_set_cookie(cookie: &SetCookie<'_>, out: &mut [u8]) -> Result<usize, FormErrorAt> {
    let c = cookie;
    let at = FormErrorAt::new;
    if c.name.is_empty() {
        return Err(at(FormError::InvalidCookieName, 0));
    }
    if let Some(k) = c.name.iter().position(|&b| !TOKEN[b as usize]) {
        return Err(at(FormError::InvalidCookieName, k));
    }
    let v = c.value;
    let inner = if v.len() >= 2 && v[0] == b'"' && v[v.len() - 1] == b'"' {
        &v[1..v.len() - 1]
    } else {
        v
    };
    let skew = usize::from(inner.len() != v.len());
    if let Some(k) = inner.iter().position(|&b| !is_cookie_octet(b)) {
        return Err(at(FormError::InvalidCookieValue, k + skew));
    }
    if let Some(d) = c.domain {
        let bad = d
            .iter()
            .position(|&b| !(b.is_ascii_alphanumeric() || b == b'-' || b == b'.'));
        match bad {
            Some(k) => return Err(at(FormError::InvalidCookieAttribute, k)),
            None if d.is_empty() => return Err(at(FormError::InvalidCookieAttribute, 0)),
            None => {}
        }
    }
    if let Some(p) = c.path {
        if p.first() != Some(&b'/') {
            return Err(at(FormError::InvalidCookieAttribute, 0));
        }
        if let Some(k) = p.iter().position(|&b| is_ctl(b) || b == b';') {
            return Err(at(FormError::InvalidCookieAttribute, k));
        }
    }
    if matches!(c.expires, Some(t) if t < 0) {
        return Err(at(FormError::InvalidCookieAttribute, 0));
    }
    let rule = Err(at(FormError::CookieRule, 0));
    if (c.same_site == SameSite::None || c.partitioned) && !c.secure {
        return rule;
    }
    if c.name.starts_with(b"__Secure-") && !c.secure {
        return rule;
    }
    if c.name.starts_with(b"__Host-") && (!c.secure || c.domain.is_some() || c.path != Some(b"/")) {
        return rule;
    }
    let mut o = Out { buf: out, len: 0 };
    o.put(c.name);
    o.put(b"=");
    o.put(v);
    if let Some(p) = c.path {
        o.put(b"; Path=");
        o.put(p);
    }
    if let Some(d) = c.domain {
        o.put(b"; Domain=");
        o.put(d);
    }
    if let Some(m) = c.max_age {
        o.put(b"; Max-Age=");
        o.put_int(m);
    }
    if let Some(t) = c.expires {
        o.put(b"; Expires=");
        put_http_date(&mut o, t as u64);
    }
    if c.secure {
        o.put(b"; Secure");
    }
    if c.http_only {
        o.put(b"; HttpOnly");
    }
    match c.same_site {
        SameSite::Unset => {}
        SameSite::Strict => o.put(b"; SameSite=Strict"),
        SameSite::Lax => o.put(b"; SameSite=Lax"),
        SameSite::None => o.put(b"; SameSite=None"),
    }
    if c.partitioned {
        o.put(b"; Partitioned");
    }
    if o.len > o.buf.len() {
        return Err(at(FormError::BufferTooSmall, o.len));
    }
    Ok(o.len)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(c: &SetCookie<'_>) -> Result<String, FormErrorAt> {
        let mut buf = [0u8; 256];
        let n = write_set_cookie(c, &mut buf)?;
        Ok(String::from_utf8(buf[..n].to_vec()).unwrap())
    }

    #[test]
    fn writes_every_attribute() {
        let c = SetCookie {
            name: b"sid",
            value: b"\"a1\"",
            domain: Some(b"example.com"),
            path: Some(b"/app"),
            max_age: Some(-1),
            expires: Some(784_111_777),
            secure: true,
            http_only: true,
            partitioned: true,
            same_site: SameSite::None,
        };
        assert_eq!(
            w(&c).unwrap(),
            "sid=\"a1\"; Path=/app; Domain=example.com; Max-Age=-1; \
             Expires=Sun, 06 Nov 1994 08:49:37 GMT; Secure; HttpOnly; SameSite=None; Partitioned"
        );
        let c = SetCookie {
            name: b"a",
            value: b"",
            expires: Some(0),
            ..Default::default()
        };
        assert_eq!(w(&c).unwrap(), "a=; Expires=Thu, 01 Jan 1970 00:00:00 GMT");
        let c = SetCookie {
            name: b"a",
            value: b"b",
            expires: Some(951_782_400),
            ..Default::default()
        };
        assert_eq!(w(&c).unwrap(), "a=b; Expires=Tue, 29 Feb 2000 00:00:00 GMT");
        let c = SetCookie {
            name: b"a",
            value: b"b",
            max_age: Some(i64::MIN),
            ..Default::default()
        };
        assert_eq!(w(&c).unwrap(), "a=b; Max-Age=-9223372036854775808");
        let mut small = [0u8; 3];
        assert_eq!(
            write_set_cookie(
                &SetCookie {
                    name: b"ab",
                    value: b"cd",
                    ..Default::default()
                },
                &mut small
            ),
            Err(FormErrorAt::new(FormError::BufferTooSmall, 5))
        );
    }

    #[test]
    fn rejections() {
        let base = SetCookie {
            name: b"a",
            value: b"b",
            ..Default::default()
        };
        let e = |c: SetCookie<'_>| w(&c).unwrap_err();
        assert_eq!(
            e(SetCookie { name: b"", ..base }),
            FormErrorAt::new(FormError::InvalidCookieName, 0)
        );
        assert_eq!(
            e(SetCookie {
                name: b"a b",
                ..base
            }),
            FormErrorAt::new(FormError::InvalidCookieName, 1)
        );
        // Attribute injection through the value, and header injection.
        assert_eq!(
            e(SetCookie {
                value: b"x; Domain=evil",
                ..base
            }),
            FormErrorAt::new(FormError::InvalidCookieValue, 1)
        );
        assert_eq!(
            e(SetCookie {
                value: b"x\r\nLocation: y",
                ..base
            }),
            FormErrorAt::new(FormError::InvalidCookieValue, 1)
        );
        assert_eq!(
            e(SetCookie {
                value: b"\"a\"b\"",
                ..base
            }),
            FormErrorAt::new(FormError::InvalidCookieValue, 2)
        );
        assert_eq!(
            e(SetCookie {
                path: Some(b"/a;Secure"),
                ..base
            }),
            FormErrorAt::new(FormError::InvalidCookieAttribute, 2)
        );
        assert_eq!(
            e(SetCookie {
                path: Some(b"rel"),
                ..base
            })
            .code,
            FormError::InvalidCookieAttribute
        );
        assert_eq!(
            e(SetCookie {
                domain: Some(b"a b"),
                ..base
            }),
            FormErrorAt::new(FormError::InvalidCookieAttribute, 1)
        );
        assert_eq!(
            e(SetCookie {
                expires: Some(-5),
                ..base
            })
            .code,
            FormError::InvalidCookieAttribute
        );
        // Rules browsers enforce by dropping the cookie.
        let rule = FormError::CookieRule;
        assert_eq!(
            e(SetCookie {
                same_site: SameSite::None,
                ..base
            })
            .code,
            rule
        );
        assert_eq!(
            e(SetCookie {
                partitioned: true,
                ..base
            })
            .code,
            rule
        );
        assert_eq!(
            e(SetCookie {
                name: b"__Secure-a",
                ..base
            })
            .code,
            rule
        );
        assert_eq!(
            e(SetCookie {
                name: b"__Host-a",
                secure: true,
                path: Some(b"/x"),
                ..base
            })
            .code,
            rule
        );
        assert_eq!(
            e(SetCookie {
                name: b"__Host-a",
                secure: true,
                path: Some(b"/"),
                domain: Some(b"a.b"),
                ..base
            })
            .code,
            rule
        );
        assert!(w(&SetCookie {
            name: b"__Host-a",
            secure: true,
            path: Some(b"/"),
            ..base
        })
        .is_ok());
    }
}
