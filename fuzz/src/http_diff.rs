//! Differential check against httparse on request and response heads.
//!
//! Input: 1 configuration byte (bit 0: response), then the bytes of a head (and whatever
//! follows). Both parsers read the head. Where both accept it they must agree on method, path,
//! version, status code, reason and headers, and on where the head ends. Where one accepts what
//! the other rejects, [`classify`] must name a documented difference (fuzz/README.md lists them
//! with their reasons); anything else is a bug and panics.

use wireframe::http::{Action, Callbacks, Errno, Event, Method, Parser, ParserType};

/// What wireframe read of a head.
#[derive(Default, Debug)]
struct Head {
    method: Vec<u8>,
    url: Vec<u8>,
    version: Vec<u8>,
    reason: Vec<u8>,
    headers: Vec<(Vec<u8>, Vec<u8>)>,
    name: Vec<u8>,
    value: Vec<u8>,
    done: bool,
}

impl Callbacks for Head {
    fn on_data(&mut self, _: &mut Parser, e: Event, d: &[u8]) -> Action {
        match e {
            Event::Method => self.method.extend_from_slice(d),
            Event::Url => self.url.extend_from_slice(d),
            Event::Version => self.version.extend_from_slice(d),
            Event::Status => self.reason.extend_from_slice(d),
            Event::HeaderField => self.name.extend_from_slice(d),
            Event::HeaderValue => self.value.extend_from_slice(d),
            _ => {}
        }
        Action::Continue
    }
    fn on_notify(&mut self, _: &mut Parser, e: Event) -> Action {
        match e {
            Event::HeaderValueComplete => {
                let name = std::mem::take(&mut self.name);
                let value = std::mem::take(&mut self.value);
                self.headers.push((name, value));
            }
            Event::HeadersComplete => {
                self.done = true;
                return Action::Pause;
            }
            _ => {}
        }
        Action::Continue
    }
}

fn trim(v: &[u8]) -> &[u8] {
    let start = v
        .iter()
        .position(|&b| b != b' ' && b != b'\t')
        .unwrap_or(v.len());
    let end = v
        .iter()
        .rposition(|&b| b != b' ' && b != b'\t')
        .map_or(0, |i| i + 1);
    if start >= end {
        &[]
    } else {
        &v[start..end]
    }
}

/// The request line's first word: from the first byte that is not CR or LF (both parsers skip
/// empty lines before a request) to the first space or the end of the input.
fn method_token(input: &[u8]) -> &[u8] {
    let start = input
        .iter()
        .position(|&b| b != b'\r' && b != b'\n')
        .unwrap_or(0);
    let end = input[start..]
        .iter()
        .position(|&b| b == b' ')
        .map_or(input.len(), |i| start + i);
    &input[start..end]
}

fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// The outcome of httparse on the input.
enum Theirs {
    /// A complete head of this many bytes.
    Complete(usize),
    /// Valid so far, incomplete.
    Partial,
    /// Rejected.
    Error(httparse::Error),
}

/// The outcome of wireframe on the input.
#[derive(Debug)]
enum Ours {
    /// The head completed after this many bytes.
    Complete(usize),
    /// Valid so far, incomplete.
    Partial,
    /// Rejected at this offset.
    Error(Errno, usize, String),
}

/// Names the documented difference that explains wireframe rejecting, at `at` with `errno`,
/// a head that httparse accepts (or has not rejected yet); `None` if it is not one.
fn classify_stricter(
    input: &[u8],
    errno: Errno,
    at: usize,
    response: bool,
) -> Option<&'static str> {
    let byte = input.get(at).copied();
    let prev = at.checked_sub(1).and_then(|i| input.get(i)).copied();
    // A bare LF (not after CR) ends a line: httparse accepts it, wireframe wants CRLF.
    if byte == Some(b'\n') && prev != Some(b'\r') {
        return Some("bare-lf");
    }
    match errno {
        // Framing headers httparse does not interpret.
        Errno::UnexpectedContentLength | Errno::InvalidContentLength => {
            return Some("framing-content-length")
        }
        Errno::InvalidTransferEncoding => return Some("framing-transfer-encoding"),
        Errno::HeaderOverflow => return Some("header-size-limit"),
        _ => {}
    }
    if !response && errno == Errno::InvalidMethod {
        // The method is a token httparse takes, but not one wireframe knows.
        let token = method_token(input);
        if !token.is_empty()
            && token.iter().all(|&b| is_tchar(b))
            && Method::from_token(token).is_none()
        {
            return Some("unknown-method");
        }
    }
    // Bytes 0x80-0xFF in the request target: RFC 9112 3.2 allows ASCII only (as llhttp);
    // httparse passes them through.
    if !response && errno == Errno::InvalidUrl && matches!(byte, Some(0x80..=0xff)) {
        return Some("url-high-bytes");
    }
    // A status code below 100: RFC 9110 15 defines 100-999 only; httparse takes any 3 digits.
    if response && errno == Errno::InvalidStatus && input.get(at) == Some(&b'0') {
        return Some("status-below-100");
    }
    // `PRI` is only the HTTP/2 connection preface (`PRI * HTTP/2.0`).
    if !response && input.trim_ascii_start().starts_with(b"PRI ") {
        return Some("pri-method");
    }
    // A method llhttp knows only for RTSP or ICE, in an HTTP request (e.g. `DESCRIBE`).
    if !response
        && errno == Errno::InvalidConstant
        && Method::from_token(method_token(input)).is_some()
    {
        return Some("method-protocol");
    }
    // A header line that starts with SP or HTAB: obs-fold.
    if matches!(byte, Some(b' ' | b'\t')) && prev == Some(b'\n') {
        return Some("obs-fold");
    }
    None
}

/// Names the documented difference that explains httparse rejecting a head wireframe accepts.
fn classify_laxer(
    input: &[u8],
    head: &Head,
    e: httparse::Error,
    response: bool,
) -> Option<&'static str> {
    let start = input
        .iter()
        .position(|&b| b != b'\r' && b != b'\n')
        .unwrap_or(0);
    let line_end = input[start..]
        .iter()
        .position(|&b| b == b'\r' || b == b'\n')
        .map_or(input.len(), |i| start + i);
    let line = &input[start..line_end];
    // RTSP and ICE (SHOUTcast SOURCE) start lines, which llhttp reads too.
    let other = if response {
        line.starts_with(b"RTSP/") || line.starts_with(b"ICE/")
    } else {
        let proto = line.rsplit(|&b| b == b' ').next().unwrap_or(b"");
        proto.starts_with(b"RTSP/") || proto.starts_with(b"ICE/")
    };
    if e == httparse::Error::Version && other {
        return Some("other-protocols");
    }
    // HTTP/0.9: `GET /path` without a version.
    if !response && head.version.is_empty() && head.headers.is_empty() {
        return Some("http09");
    }
    None
}

/// The fuzz target.
pub fn check(data: &[u8]) {
    let Some((&c, input)) = data.split_first() else {
        return;
    };
    let response = c & 1 != 0;
    let mut storage = [httparse::EMPTY_HEADER; 128];
    let mut req = httparse::Request::new(&mut []);
    let mut res = httparse::Response::new(&mut []);
    let theirs = if response {
        res = httparse::Response::new(&mut storage);
        match res.parse(input) {
            Ok(httparse::Status::Complete(n)) => Theirs::Complete(n),
            Ok(httparse::Status::Partial) => Theirs::Partial,
            Err(httparse::Error::TooManyHeaders) => return,
            Err(e) => Theirs::Error(e),
        }
    } else {
        req = httparse::Request::new(&mut storage);
        match req.parse(input) {
            Ok(httparse::Status::Complete(n)) => Theirs::Complete(n),
            Ok(httparse::Status::Partial) => Theirs::Partial,
            Err(httparse::Error::TooManyHeaders) => return,
            Err(e) => Theirs::Error(e),
        }
    };

    let mut p = Parser::new(if response {
        ParserType::Response
    } else {
        ParserType::Request
    });
    let mut head = Head::default();
    let n = crate::consumed(&mut p, &mut head, input);
    let ours = match p.errno() {
        Errno::Paused if head.done => Ours::Complete(n),
        // A head with no headers completes with the same offset.
        Errno::PausedUpgrade if head.done => Ours::Complete(n),
        Errno::Ok => Ours::Partial,
        e => Ours::Error(e, n, p.error_reason().to_string_lossy().into_owned()),
    };

    let text = String::from_utf8_lossy(input);
    match (&theirs, &ours) {
        (Theirs::Complete(m), Ours::Complete(n)) => {
            assert_eq!(m, n, "head length differs for {text:?}");
            if response {
                assert_eq!(res.code, Some(p.status_code()), "status for {text:?}");
                assert_eq!(
                    res.version,
                    Some(p.http_version().1),
                    "version for {text:?}"
                );
                assert_eq!(p.http_version().0, 1, "major for {text:?}");
                // httparse reports an empty reason when the phrase has obs-text (bytes
                // 0x80-0xFF); wireframe passes such phrases through (fuzz/README.md).
                if head.reason.is_ascii() {
                    let reason = std::str::from_utf8(&head.reason).unwrap_or_default();
                    assert_eq!(res.reason.unwrap_or(""), reason, "reason for {text:?}");
                }
                compare_headers(res.headers, &head, &text);
            } else {
                assert_eq!(
                    req.method.map(str::as_bytes),
                    Some(&head.method[..]),
                    "method for {text:?}"
                );
                assert_eq!(
                    p.method().map(|m| m.as_str().as_bytes()),
                    Some(&head.method[..]),
                    "method number for {text:?}"
                );
                assert_eq!(
                    req.path.map(str::as_bytes),
                    Some(&head.url[..]),
                    "path for {text:?}"
                );
                assert_eq!(
                    req.version,
                    Some(p.http_version().1),
                    "version for {text:?}"
                );
                assert_eq!(p.http_version().0, 1, "major for {text:?}");
                compare_headers(req.headers, &head, &text);
            }
        }
        (Theirs::Complete(_) | Theirs::Partial, Ours::Error(errno, at, reason))
            if classify_stricter(input, *errno, *at, response).is_none() =>
        {
            panic!(
                "wireframe rejects ({errno:?} at {at}: {reason}) what httparse accepts: {text:?}"
            );
        }
        (Theirs::Error(e), Ours::Complete(_))
            if classify_laxer(input, &head, *e, response).is_none() =>
        {
            panic!("wireframe accepts what httparse rejects ({e:?}): {text:?} {head:?}");
        }
        (Theirs::Partial, Ours::Complete(n)) => {
            panic!("wireframe completes a head after {n} bytes that httparse finds incomplete: {text:?}");
        }
        (Theirs::Complete(m), Ours::Partial) => {
            panic!("httparse completes a head after {m} bytes that wireframe finds incomplete: {text:?}");
        }
        _ => {}
    }
}

fn compare_headers(theirs: &[httparse::Header<'_>], head: &Head, text: &str) {
    assert_eq!(
        theirs.len(),
        head.headers.len(),
        "header count for {text:?}"
    );
    for (h, (name, value)) in theirs.iter().zip(&head.headers) {
        assert_eq!(h.name.as_bytes(), &name[..], "header name for {text:?}");
        assert_eq!(h.value, trim(value), "header value for {text:?}");
    }
}
