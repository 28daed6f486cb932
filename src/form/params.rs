//! Header parameters (`type/subtype; name=value; name="quoted value"`, RFC 9110 5.6.6), and
//! the two headers of multipart/form-data that carry them: the request's Content-Type (for the
//! boundary) and each part's Content-Disposition (RFC 7578 4.2, with RFC 8187 `filename*`).
//!
//! Results are spans into the header value. A quoted value's span covers the bytes between the
//! quotes as sent; when it contains quoted-pairs (`\"`) `escaped` is set and
//! [`unescape_quoted_in_place`] removes the backslashes. Browsers percent-encode `"`, CR and LF
//! in file names (`%22`, `%0D`, `%0A`) and send other bytes, UTF-8 included, as they are; the
//! span keeps those bytes untouched so the application decides what a file name means.

use super::chars::{eq_ignore_case, hex_value, is_ctl, scan, skip_ows, TOKEN};
use super::error::{FormError, FormErrorAt};
use super::multipart::validate_boundary;
use super::span::Span;

/// One parameter value: a span into the header value and how it was written.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ParamValue {
    /// The value: a token, or the bytes between the quotes of a quoted-string.
    pub span: Span,
    /// The value was a quoted-string.
    pub quoted: bool,
    /// The quoted-string contains quoted-pairs (backslash escapes) still in `span`.
    pub escaped: bool,
}

/// One parameter of a list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Param {
    /// The name (compare it ignoring case).
    pub name: Span,
    /// The value.
    pub value: ParamValue,
}

/// Iterator over a parameter list `*( OWS ";" OWS [ name "=" value ] )` that starts at a given
/// offset of a header value. Yields each parameter, or one error (and then nothing more).
#[derive(Clone, Debug)]
pub struct Params<'a> {
    input: &'a [u8],
    pos: usize,
    failed: bool,
}

impl<'a> Params<'a> {
    /// Parameters of `input` from `from` (the index just after the type).
    pub fn new(input: &'a [u8], from: usize) -> Self {
        Params {
            input,
            pos: from.min(input.len()),
            failed: false,
        }
    }

    fn parse_one(&mut self) -> Option<Result<Param, FormErrorAt>> {
        let s = self.input;
        loop {
            let i = skip_ows(s, self.pos);
            if i >= s.len() {
                self.pos = i;
                return None;
            }
            if s[i] != b';' {
                return Some(Err(FormErrorAt::new(FormError::InvalidParameter, i)));
            }
            let i = skip_ows(s, i + 1);
            self.pos = i;
            if i >= s.len() || s[i] == b';' {
                continue; // an empty parameter
            }
            let name_end = scan(&TOKEN, s, i, s.len());
            if name_end == i || name_end >= s.len() || s[name_end] != b'=' {
                return Some(Err(FormErrorAt::new(FormError::InvalidParameter, name_end)));
            }
            let name = Span::new(i, name_end);
            let v = name_end + 1;
            let value = if s.get(v) == Some(&b'"') {
                let mut j = v + 1;
                let mut escaped = false;
                loop {
                    match s.get(j) {
                        None => return Some(Err(FormErrorAt::new(FormError::InvalidParameter, j))),
                        Some(b'"') => break,
                        Some(b'\\') => {
                            escaped = true;
                            match s.get(j + 1) {
                                Some(&c) if !is_ctl(c) || c == b'\t' => j += 2,
                                _ => {
                                    return Some(Err(FormErrorAt::new(
                                        FormError::InvalidParameter,
                                        j + 1,
                                    )))
                                }
                            }
                        }
                        Some(&c) if is_ctl(c) && c != b'\t' => {
                            return Some(Err(FormErrorAt::new(FormError::InvalidParameter, j)))
                        }
                        Some(_) => j += 1,
                    }
                }
                self.pos = j + 1;
                ParamValue {
                    span: Span::new(v + 1, j),
                    quoted: true,
                    escaped,
                }
            } else {
                let e = scan(&TOKEN, s, v, s.len());
                if e == v {
                    return Some(Err(FormErrorAt::new(FormError::InvalidParameter, v)));
                }
                self.pos = e;
                ParamValue {
                    span: Span::new(v, e),
                    quoted: false,
                    escaped: false,
                }
            };
            return Some(Ok(Param { name, value }));
        }
    }
}

impl Iterator for Params<'_> {
    type Item = Result<Param, FormErrorAt>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let r = self.parse_one();
        if let Some(Err(_)) = r {
            self.failed = true;
        }
        r
    }
}

/// Removes the backslashes of quoted-pairs from a quoted-string's content in place; returns
/// the new length. `\x` becomes `x`; a lone trailing backslash is kept.
pub fn unescape_quoted_in_place(buf: &mut [u8]) -> usize {
    let (mut r, mut w) = (0, 0);
    while r < buf.len() {
        if buf[r] == b'\\' && r + 1 < buf.len() {
            r += 1;
        }
        buf[w] = buf[r];
        w += 1;
        r += 1;
    }
    w
}

/// Reads the type (`token "/" token`, or a lone token for dispositions) at the start of a
/// header value; returns its span.
fn leading_type(value: &[u8], slash: bool) -> Result<Span, FormErrorAt> {
    let start = skip_ows(value, 0);
    let mut e = scan(&TOKEN, value, start, value.len());
    if e == start {
        return Err(FormErrorAt::new(FormError::InvalidParameter, e));
    }
    if slash {
        if value.get(e) != Some(&b'/') {
            return Err(FormErrorAt::new(FormError::NotMultipart, e));
        }
        let sub = e + 1;
        e = scan(&TOKEN, value, sub, value.len());
        if e == sub {
            return Err(FormErrorAt::new(FormError::NotMultipart, e));
        }
    }
    Ok(Span::new(start, e))
}

/// Reads the boundary from a Content-Type value such as
/// `multipart/form-data; boundary="----x"`: the media type must be `multipart/...` (any subtype) (any case),
/// the `boundary` parameter (any case) must appear exactly once, and its value must satisfy
/// RFC 2046 (1-70 `bchars`, not ending in a space; quoted boundaries may contain spaces).
///
/// Returns the boundary's span in `value` (without quotes). Errors: `NotMultipart` (another
/// type, or no boundary), `InvalidParameter` (malformed list, boundary given twice),
/// `InvalidBoundary`, each with the offset of the offending byte. Linear time: no
/// backtracking whatever the input.
pub fn boundary_from_content_type(value: &[u8]) -> Result<Span, FormErrorAt> {
    let ty = leading_type(value, true)?;
    let t = ty.get(value);
    let is_multipart = t.len() > 10 && eq_ignore_case(&t[..10], b"multipart/");
    if !is_multipart {
        return Err(FormErrorAt::new(FormError::NotMultipart, ty.offset));
    }
    let mut found: Option<ParamValue> = None;
    for p in Params::new(value, ty.end()) {
        let p = p?;
        if eq_ignore_case(p.name.get(value), b"boundary") {
            if found.is_some() {
                return Err(FormErrorAt::new(FormError::InvalidParameter, p.name.offset));
            }
            found = Some(p.value);
        }
    }
    let Some(b) = found else {
        return Err(FormErrorAt::new(FormError::NotMultipart, value.len()));
    };
    if b.escaped || validate_boundary(b.span.get(value)).is_err() {
        return Err(FormErrorAt::new(FormError::InvalidBoundary, b.span.offset));
    }
    Ok(b.span)
}

/// An RFC 8187 ext-value (`charset "'" [ language ] "'" value-chars`), as spans.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExtValue {
    /// The charset, e.g. `UTF-8` (compare ignoring case).
    pub charset: Span,
    /// The language tag (often empty).
    pub language: Span,
    /// The value, still percent-encoded: decode it with the percent-decoder
    /// (`wf_form_percent_decode`), without `+` as space.
    pub value: Span,
}

/// Splits and checks an ext-value: the charset is a token without `'`, the language has no
/// `'`, and the value is `attr-char`s and `%XX` escapes.
pub fn parse_ext_value(value: &[u8], span: Span) -> Result<ExtValue, FormErrorAt> {
    let s = span.get(value);
    let err = |k: usize| FormErrorAt::new(FormError::InvalidExtValue, span.offset + k);
    let q1 = s.iter().position(|&b| b == b'\'').ok_or(err(s.len()))?;
    let q2 = q1
        + 1
        + s[q1 + 1..]
            .iter()
            .position(|&b| b == b'\'')
            .ok_or(err(s.len()))?;
    if q1 == 0 {
        return Err(err(0));
    }
    let mut k = q2 + 1;
    while k < s.len() {
        let b = s[k];
        if b == b'%' {
            let ok =
                s.len() > k + 2 && hex_value(s[k + 1]).is_some() && hex_value(s[k + 2]).is_some();
            if !ok {
                return Err(err(k));
            }
            k += 3;
        } else if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            k += 1;
        } else {
            return Err(err(k));
        }
    }
    let o = span.offset;
    Ok(ExtValue {
        charset: Span::new(o, o + q1),
        language: Span::new(o + q1 + 1, o + q2),
        value: Span::new(o + q2 + 1, o + s.len()),
    })
}

/// A part's Content-Disposition (RFC 7578 4.2): `form-data; name="field"; filename="a.txt"`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ContentDisposition {
    /// The disposition type (`form-data` in a form; compare ignoring case).
    pub kind: Span,
    /// The `name` parameter: the form field.
    pub name: Option<ParamValue>,
    /// The `filename` parameter: present for file fields (may be empty: no file chosen).
    pub filename: Option<ParamValue>,
    /// The `filename*` parameter (RFC 8187), which takes precedence over `filename` when the
    /// application understands its charset.
    pub filename_ext: Option<ExtValue>,
}

/// Parses a Content-Disposition value. Each of `name`, `filename` and `filename*` may appear
/// at most once (a repeated one is `InvalidParameter`: two parsers picking different copies
/// is how a filter is bypassed); other parameters are checked for syntax and ignored.
pub fn parse_content_disposition(value: &[u8]) -> Result<ContentDisposition, FormErrorAt> {
    let kind = leading_type(value, false)?;
    let mut out = ContentDisposition {
        kind,
        ..ContentDisposition::default()
    };
    for p in Params::new(value, kind.end()) {
        let p = p?;
        let name = p.name.get(value);
        let dup = FormErrorAt::new(FormError::InvalidParameter, p.name.offset);
        if eq_ignore_case(name, b"name") {
            if out.name.replace(p.value).is_some() {
                return Err(dup);
            }
        } else if eq_ignore_case(name, b"filename") {
            if out.filename.replace(p.value).is_some() {
                return Err(dup);
            }
        } else if eq_ignore_case(name, b"filename*") {
            if p.value.quoted {
                return Err(FormErrorAt::new(
                    FormError::InvalidExtValue,
                    p.value.span.offset,
                ));
            }
            let ext = parse_ext_value(value, p.value.span)?;
            if out.filename_ext.replace(ext).is_some() {
                return Err(dup);
            }
        }
    }
    Ok(out)
}
