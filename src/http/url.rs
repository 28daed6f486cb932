//! Splitting a request target into its parts, as `http_parser_parse_url` does.
//!
//! Accepted forms: origin-form (`/path?query#fragment`), absolute-form
//! (`scheme://[userinfo@]host[:port][/path][?query][#fragment]`), asterisk-form (`*`), and, for
//! CONNECT, authority-form (`host:port`, the port required). Hosts are a registered name or IPv4
//! address (letters, digits, `-`, `.`, `_`, `~`) or an IPv6 literal in brackets.

/// A part of a URL. Numbers are http-parser's `UF_*`.
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UrlPart {
    /// The scheme, without `://`.
    Schema = 0,
    /// The host, without brackets for IPv6 literals.
    Host = 1,
    /// The port digits.
    Port = 2,
    /// The path, from its `/`.
    Path = 3,
    /// The query, without its `?`.
    Query = 4,
    /// The fragment, without its `#`.
    Fragment = 5,
    /// The userinfo, without its `@`.
    Userinfo = 6,
}

/// Where one part lies in the URL: `offset` and `length` in bytes.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct UrlSpan {
    /// Offset of the part in the URL.
    pub offset: usize,
    /// Length of the part.
    pub length: usize,
}

/// A parsed URL (`wf_http_url`): which parts are present, where they lie, and the port.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Url {
    /// Bit `1 << part` is set for each part present.
    pub field_set: u16,
    /// The port as a number, when the Port part is present; 0 otherwise.
    pub port: u16,
    /// The parts, indexed by `UrlPart`.
    pub fields: [UrlSpan; 7],
}

impl Url {
    /// The part's bytes within `url` (the buffer that was parsed), if the part is present.
    pub fn get<'a>(&self, url: &'a [u8], part: UrlPart) -> Option<&'a [u8]> {
        if self.field_set & (1 << part as u16) == 0 {
            return None;
        }
        let span = self.fields[part as usize];
        url.get(span.offset..span.offset + span.length)
    }

    fn set(&mut self, part: UrlPart, offset: usize, end: usize) {
        self.field_set |= 1 << part as u16;
        self.fields[part as usize] = UrlSpan {
            offset,
            length: end - offset,
        };
    }
}

/// Why a URL was rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UrlError;

fn is_host_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

fn is_userinfo_char(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'-' | b'_'
                | b'.'
                | b'!'
                | b'~'
                | b'*'
                | b'\''
                | b'('
                | b')'
                | b'%'
                | b';'
                | b':'
                | b'&'
                | b'='
                | b'+'
                | b'$'
                | b','
        )
}

fn is_url_byte(b: u8) -> bool {
    b > 0x20 && b != 0x7f
}

/// Parses `url`; `is_connect` selects the authority form of CONNECT requests.
///
/// ```
/// use wireframe::http::url::{parse_url, UrlPart};
///
/// let target = b"http://user@example.com:8080/path?q=1#top";
/// let url = parse_url(target, false).unwrap();
/// assert_eq!(url.get(target, UrlPart::Host), Some(&b"example.com"[..]));
/// assert_eq!(url.port, 8080);
/// assert_eq!(url.get(target, UrlPart::Query), Some(&b"q=1"[..]));
/// assert!(parse_url(b"http://a b/", false).is_err());
/// ```
pub fn parse_url(url: &[u8], is_connect: bool) -> Result<Url, UrlError> {
    if url.is_empty() || !url.iter().all(|&b| is_url_byte(b)) {
        return Err(UrlError);
    }
    let mut out = Url::default();
    if is_connect {
        parse_authority(url, 0, url.len(), true, &mut out)?;
        return Ok(out);
    }
    if url == b"*" {
        out.set(UrlPart::Path, 0, 1);
        return Ok(out);
    }
    let rest = if url[0] == b'/' {
        0
    } else {
        // scheme "://" authority
        let colon = url.iter().position(|&b| b == b':').ok_or(UrlError)?;
        let scheme = &url[..colon];
        let valid_scheme = !scheme.is_empty()
            && scheme[0].is_ascii_alphabetic()
            && scheme
                .iter()
                .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
        if !valid_scheme || !url[colon..].starts_with(b"://") {
            return Err(UrlError);
        }
        out.set(UrlPart::Schema, 0, colon);
        let start = colon + 3;
        let end = url[start..]
            .iter()
            .position(|&b| matches!(b, b'/' | b'?' | b'#'))
            .map_or(url.len(), |p| start + p);
        parse_authority(url, start, end, false, &mut out)?;
        end
    };
    parse_path(url, rest, &mut out)?;
    Ok(out)
}

/// Path, query and fragment, from `start` to the end.
fn parse_path(url: &[u8], start: usize, out: &mut Url) -> Result<(), UrlError> {
    if start == url.len() {
        return Ok(());
    }
    let hash = url[start..]
        .iter()
        .position(|&b| b == b'#')
        .map(|p| start + p);
    let before_hash = hash.unwrap_or(url.len());
    let question = url[start..before_hash]
        .iter()
        .position(|&b| b == b'?')
        .map(|p| start + p);
    let path_end = question.unwrap_or(before_hash);
    if path_end > start {
        if url[start] != b'/' {
            return Err(UrlError);
        }
        out.set(UrlPart::Path, start, path_end);
    }
    if let Some(q) = question {
        if before_hash > q + 1 {
            out.set(UrlPart::Query, q + 1, before_hash);
        }
    }
    if let Some(h) = hash {
        if url.len() > h + 1 {
            out.set(UrlPart::Fragment, h + 1, url.len());
        }
    }
    Ok(())
}

/// `[userinfo@]host[:port]` in `url[start..end]`.
fn parse_authority(
    url: &[u8],
    start: usize,
    end: usize,
    port_required: bool,
    out: &mut Url,
) -> Result<(), UrlError> {
    let auth = &url[start..end];
    let host_start = match auth.iter().rposition(|&b| b == b'@') {
        Some(at) if !port_required => {
            if !auth[..at].iter().all(|&b| is_userinfo_char(b)) {
                return Err(UrlError);
            }
            if at > 0 {
                out.set(UrlPart::Userinfo, start, start + at);
            }
            start + at + 1
        }
        Some(_) => return Err(UrlError),
        None => start,
    };
    let host_end;
    let mut i;
    if url.get(host_start) == Some(&b'[') {
        let close = url[host_start..end]
            .iter()
            .position(|&b| b == b']')
            .ok_or(UrlError)?;
        let inner = &url[host_start + 1..host_start + close];
        let valid = !inner.is_empty()
            && inner
                .iter()
                .all(|&b| b.is_ascii_hexdigit() || matches!(b, b':' | b'.' | b'%'))
            && inner.contains(&b':');
        if !valid {
            return Err(UrlError);
        }
        out.set(UrlPart::Host, host_start + 1, host_start + close);
        i = host_start + close + 1;
    } else {
        i = host_start;
        while i < end && is_host_char(url[i]) {
            i += 1;
        }
        host_end = i;
        if host_end == host_start {
            return Err(UrlError);
        }
        out.set(UrlPart::Host, host_start, host_end);
    }
    if i == end {
        return if port_required { Err(UrlError) } else { Ok(()) };
    }
    if url[i] != b':' {
        return Err(UrlError);
    }
    i += 1;
    let digits = &url[i..end];
    if digits.is_empty() || digits.len() > 5 || !digits.iter().all(u8::is_ascii_digit) {
        return Err(UrlError);
    }
    let port = digits
        .iter()
        .fold(0u32, |acc, &d| acc * 10 + (d - b'0') as u32);
    if port > 65535 {
        return Err(UrlError);
    }
    out.set(UrlPart::Port, i, end);
    out.port = port as u16;
    Ok(())
}
