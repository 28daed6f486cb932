//! The WebSocket opening handshake (RFC 6455 section 4, RFC 7692 for permessage-deflate):
//! the accept key, server-side validation of an upgrade request and its 101 / 400 / 426 answer,
//! client-side request writing and validation of the server's 101 response.
//!
//! Nothing here allocates. Validators are fed one header at a time, so the headers can come
//! straight from the HTTP parser's callbacks; values that must outlive a header (the key, the
//! chosen protocol) are copied into the validator or point into the caller's configuration.
//! Writers fill a caller buffer; each has a `*_len` twin giving the exact size needed.
//!
//! A server checking an upgrade request (the headers as the HTTP parser reports them) and
//! writing its answer:
//!
//! ```
//! use wireframe::handshake::{reject_status, write_response, RequestValidator, ServerConfig};
//!
//! let config = ServerConfig { protocols: b"chat", ..ServerConfig::default() };
//! let mut validator = RequestValidator::new(config);
//! for (name, value) in [
//!     (&b"Host"[..], &b"server.example.com"[..]),
//!     (b"Upgrade", b"websocket"),
//!     (b"Connection", b"Upgrade"),
//!     (b"Sec-WebSocket-Key", b"dGhlIHNhbXBsZSBub25jZQ=="),
//!     (b"Sec-WebSocket-Protocol", b"chat, superchat"),
//!     (b"Sec-WebSocket-Version", b"13"),
//! ] {
//!     validator.header(name, value);
//! }
//! let accepted = match validator.finish(b"GET", 1, 1) {
//!     Ok(accepted) => accepted,
//!     Err(e) => panic!("answer {} ({e})", reject_status(e)),
//! };
//! // RFC 6455's own example key and answer.
//! assert_eq!(&accepted.accept_key, b"s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
//! assert_eq!(accepted.protocol, Some(&b"chat"[..]));
//! let mut out = [0u8; 256];
//! let n = write_response(&mut out, &accepted).unwrap();
//! assert!(out[..n].starts_with(b"HTTP/1.1 101 Switching Protocols\r\n"));
//! ```

use crate::ws::WsError;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

/// The GUID of RFC 6455 section 1.3, appended to the key before hashing.
///
/// cbindgen:ignore
pub const GUID: &[u8] = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/// Length of a Sec-WebSocket-Accept value (base64 of a 20-byte SHA-1 digest).
///
/// cbindgen:ignore
pub const ACCEPT_KEY_LEN: usize = 28;

/// Computes Sec-WebSocket-Accept for a Sec-WebSocket-Key: base64(SHA-1(key + GUID)). `key` is
/// used as given (the caller trims whitespace). Returns the 28 ASCII bytes.
pub fn accept_key(key: &[u8]) -> [u8; ACCEPT_KEY_LEN] {
    let mut sha = sha1_smol::Sha1::new();
    sha.update(key);
    sha.update(GUID);
    let digest = sha.digest().bytes();
    let mut out = [0u8; ACCEPT_KEY_LEN];
    // 20 bytes always encode to exactly 28; the error arm cannot happen.
    let _ = STANDARD.encode_slice(digest, &mut out);
    out
}

/// permessage-deflate parameters (RFC 7692 section 7.1), as offered or as agreed.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DeflateParams {
    /// `server_no_context_takeover` is present.
    pub server_no_context_takeover: bool,
    /// `client_no_context_takeover` is present.
    pub client_no_context_takeover: bool,
    /// `server_max_window_bits` value 8..15, or 0 when absent.
    pub server_max_window_bits: u8,
    /// `client_max_window_bits` is present (in an offer it may have no value).
    pub client_max_window_bits_present: bool,
    /// `client_max_window_bits` value 8..15, or 0 when absent or present without a value.
    pub client_max_window_bits: u8,
}

/// The extension name of RFC 7692.
///
/// cbindgen:ignore
pub const PERMESSAGE_DEFLATE: &[u8] = b"permessage-deflate";

fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

fn is_token(s: &[u8]) -> bool {
    !s.is_empty() && s.iter().all(|&b| is_tchar(b))
}

fn trim(s: &[u8]) -> &[u8] {
    let start = s
        .iter()
        .position(|&b| b != b' ' && b != b'\t')
        .unwrap_or(s.len());
    let s = s.get(start..).unwrap_or_default();
    let end = s
        .iter()
        .rposition(|&b| b != b' ' && b != b'\t')
        .map_or(0, |p| p + 1);
    s.get(..end).unwrap_or_default()
}

/// Splits `s` at `sep` outside double quotes (quoted strings may contain the separator).
struct Split<'s> {
    rest: Option<&'s [u8]>,
    sep: u8,
}

impl<'s> Iterator for Split<'s> {
    type Item = &'s [u8];
    fn next(&mut self) -> Option<&'s [u8]> {
        let s = self.rest?;
        let mut quoted = false;
        for (i, &b) in s.iter().enumerate() {
            if b == b'"' {
                quoted = !quoted;
            } else if b == self.sep && !quoted {
                self.rest = s.get(i + 1..);
                return Some(trim(s.get(..i).unwrap_or_default()));
            }
        }
        self.rest = None;
        Some(trim(s))
    }
}

fn split(s: &[u8], sep: u8) -> Split<'_> {
    Split { rest: Some(s), sep }
}

/// Whether the comma-separated list `value` contains `token`, ignoring ASCII case.
pub fn list_contains_token(value: &[u8], token: &[u8]) -> bool {
    split(value, b',').any(|t| t.eq_ignore_ascii_case(token))
}

fn window_bits(value: Option<&[u8]>) -> Result<u8, WsError> {
    match value {
        Some(b"8") => Ok(8),
        Some(b"9") => Ok(9),
        Some(b"10") => Ok(10),
        Some(b"11") => Ok(11),
        Some(b"12") => Ok(12),
        Some(b"13") => Ok(13),
        Some(b"14") => Ok(14),
        Some(b"15") => Ok(15),
        _ => Err(WsError::HandshakeExtensions),
    }
}

/// Parses one extension element, `name *( ";" param [ "=" value ] )`, checking the syntax
/// (tokens, or quoted strings whose content is a token, RFC 6455 9.1). Returns the name and
/// the parameter part (after the name) for [`parse_deflate_params`].
pub fn parse_extension(element: &[u8]) -> Result<(&[u8], &[u8]), WsError> {
    let mut parts = split(element, b';');
    let name = parts.next().unwrap_or_default();
    if !is_token(name) {
        return Err(WsError::HandshakeExtensions);
    }
    let params = element.get(
        element
            .iter()
            .position(|&b| b == b';')
            .unwrap_or(element.len())..,
    );
    let params = params.unwrap_or_default();
    for p in parts {
        param(p)?;
    }
    Ok((name, params))
}

fn param(p: &[u8]) -> Result<(&[u8], Option<&[u8]>), WsError> {
    let (name, value) = match p.iter().position(|&b| b == b'=') {
        None => (p, None),
        Some(eq) => {
            let v = trim(p.get(eq + 1..).unwrap_or_default());
            let v = match v {
                [b'"', inner @ .., b'"'] => inner,
                v => v,
            };
            (trim(p.get(..eq).unwrap_or_default()), Some(v))
        }
    };
    if !is_token(name) || value.is_some_and(|v| !is_token(v)) {
        return Err(WsError::HandshakeExtensions);
    }
    Ok((name, value))
}

/// Parses permessage-deflate parameters (the part after the extension name, starting with
/// `;` or empty), as a client's offer (`response == false`) or as a server's response.
///
/// RFC 7692 rules, each failing with `HandshakeExtensions`: no parameter twice; only the four
/// defined parameters; the `*_no_context_takeover` ones take no value; window bits are 8..15
/// written without leading zeros; `server_max_window_bits` needs a value; in an offer
/// `client_max_window_bits` may have no value, in a response it needs one.
pub fn parse_deflate_params(params: &[u8], response: bool) -> Result<DeflateParams, WsError> {
    let mut out = DeflateParams::default();
    let mut seen = [false; 4];
    for p in split(params, b';').skip(1) {
        let (name, value) = param(p)?;
        let idx = if name.eq_ignore_ascii_case(b"server_no_context_takeover") {
            if value.is_some() {
                return Err(WsError::HandshakeExtensions);
            }
            out.server_no_context_takeover = true;
            0
        } else if name.eq_ignore_ascii_case(b"client_no_context_takeover") {
            if value.is_some() {
                return Err(WsError::HandshakeExtensions);
            }
            out.client_no_context_takeover = true;
            1
        } else if name.eq_ignore_ascii_case(b"server_max_window_bits") {
            out.server_max_window_bits = window_bits(value)?;
            2
        } else if name.eq_ignore_ascii_case(b"client_max_window_bits") {
            out.client_max_window_bits_present = true;
            out.client_max_window_bits = match value {
                None if !response => 0,
                v => window_bits(v)?,
            };
            3
        } else {
            return Err(WsError::HandshakeExtensions);
        };
        if let Some(s) = seen.get_mut(idx) {
            if *s {
                return Err(WsError::HandshakeExtensions);
            }
            *s = true;
        }
    }
    Ok(out)
}

/// What a server supports.
#[derive(Clone, Copy, Debug, Default)]
pub struct ServerConfig<'a> {
    /// Supported subprotocols as a comma-separated list, in the server's order of preference
    /// (empty: none). The chosen protocol is a slice of this list.
    pub protocols: &'a [u8],
    /// Accept a permessage-deflate offer.
    pub permessage_deflate: bool,
}

/// A request that may be upgraded: what the 101 response carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Accepted<'a> {
    /// The Sec-WebSocket-Accept value.
    pub accept_key: [u8; ACCEPT_KEY_LEN],
    /// The chosen subprotocol (a slice of [`ServerConfig::protocols`]), if any.
    pub protocol: Option<&'a [u8]>,
    /// The accepted permessage-deflate offer, if any. The response echoes it (see
    /// [`write_response`]).
    pub deflate: Option<DeflateParams>,
}

/// Server side: validates an upgrade request fed header by header.
#[derive(Clone, Copy, Debug)]
pub struct RequestValidator<'a> {
    config: ServerConfig<'a>,
    key: [u8; 24],
    key_count: u8,
    key_ok: bool,
    version_count: u8,
    version_ok: bool,
    host_count: u8,
    upgrade_ok: bool,
    connection_ok: bool,
    protocol_rank: Option<(usize, &'a [u8])>,
    protocol_error: bool,
    deflate: Option<DeflateParams>,
    extensions_error: bool,
}

fn bump(n: &mut u8) {
    *n = n.saturating_add(1);
}

impl<'a> RequestValidator<'a> {
    /// A validator for a server with `config`.
    pub fn new(config: ServerConfig<'a>) -> Self {
        RequestValidator {
            config,
            key: [0; 24],
            key_count: 0,
            key_ok: false,
            version_count: 0,
            version_ok: false,
            host_count: 0,
            upgrade_ok: false,
            connection_ok: false,
            protocol_rank: None,
            protocol_error: false,
            deflate: None,
            extensions_error: false,
        }
    }

    /// Feeds one header (name matched case-insensitively; value with or without surrounding
    /// whitespace). Headers that matter may repeat where HTTP allows lists. Nothing is kept
    /// from `name` or `value` after the call except copies.
    pub fn header(&mut self, name: &[u8], value: &[u8]) {
        let value = trim(value);
        if name.eq_ignore_ascii_case(b"host") {
            bump(&mut self.host_count);
        } else if name.eq_ignore_ascii_case(b"upgrade") {
            self.upgrade_ok |= list_contains_token(value, b"websocket");
        } else if name.eq_ignore_ascii_case(b"connection") {
            self.connection_ok |= list_contains_token(value, b"upgrade");
        } else if name.eq_ignore_ascii_case(b"sec-websocket-version") {
            bump(&mut self.version_count);
            self.version_ok = value == b"13";
        } else if name.eq_ignore_ascii_case(b"sec-websocket-key") {
            bump(&mut self.key_count);
            let mut decoded = [0u8; 24];
            self.key_ok =
                value.len() == 24 && STANDARD.decode_slice(value, &mut decoded).ok() == Some(16);
            if self.key_ok {
                self.key.copy_from_slice(value);
            }
        } else if name.eq_ignore_ascii_case(b"sec-websocket-protocol") {
            for offered in split(value, b',') {
                if offered.is_empty() {
                    continue;
                }
                if !is_token(offered) {
                    self.protocol_error = true;
                }
                let found = split(self.config.protocols, b',')
                    .enumerate()
                    .find(|(_, p)| !p.is_empty() && *p == offered);
                if let Some((rank, p)) = found {
                    if self.protocol_rank.map_or(true, |(best, _)| rank < best) {
                        self.protocol_rank = Some((rank, p));
                    }
                }
            }
        } else if name.eq_ignore_ascii_case(b"sec-websocket-extensions") {
            for element in split(value, b',') {
                if element.is_empty() {
                    continue;
                }
                match parse_extension(element) {
                    Err(_) => self.extensions_error = true,
                    Ok((ext, params)) => {
                        if self.config.permessage_deflate
                            && self.deflate.is_none()
                            && ext.eq_ignore_ascii_case(PERMESSAGE_DEFLATE)
                        {
                            // RFC 7692 5: an offer with bad parameters is declined, and the
                            // next offer (a fallback) is considered.
                            self.deflate = parse_deflate_params(params, false).ok();
                        }
                    }
                }
            }
        }
    }

    /// Ends the request: checks method (`GET`), version (HTTP/1.1 or later) and every header
    /// rule. Returns what the 101 response needs, or the first failing rule in this order:
    /// method, HTTP version, Upgrade, Connection, Sec-WebSocket-Version, Sec-WebSocket-Key,
    /// Host, Sec-WebSocket-Protocol syntax, Sec-WebSocket-Extensions syntax. Use
    /// [`reject_status`] for the status of the refusal.
    pub fn finish(
        &self,
        method: &[u8],
        http_major: u16,
        http_minor: u16,
    ) -> Result<Accepted<'a>, WsError> {
        if method != b"GET" {
            return Err(WsError::HandshakeMethod);
        }
        if (http_major, http_minor) < (1, 1) {
            return Err(WsError::HandshakeHttpVersion);
        }
        if !self.upgrade_ok {
            return Err(WsError::HandshakeUpgrade);
        }
        if !self.connection_ok {
            return Err(WsError::HandshakeConnection);
        }
        if self.version_count != 1 || !self.version_ok {
            return Err(WsError::HandshakeVersion);
        }
        if self.key_count != 1 || !self.key_ok {
            return Err(WsError::HandshakeKey);
        }
        if self.host_count != 1 {
            return Err(WsError::HandshakeHost);
        }
        if self.protocol_error {
            return Err(WsError::HandshakeProtocol);
        }
        if self.extensions_error {
            return Err(WsError::HandshakeExtensions);
        }
        Ok(Accepted {
            accept_key: accept_key(&self.key),
            protocol: self.protocol_rank.map(|(_, p)| p),
            deflate: self.deflate,
        })
    }
}

/// The HTTP status for refusing a request that failed with `e`: 426 Upgrade Required when the
/// client did not ask for WebSocket or asked for a version other than 13, else 400.
pub fn reject_status(e: WsError) -> u16 {
    match e {
        WsError::HandshakeUpgrade | WsError::HandshakeVersion => 426,
        _ => 400,
    }
}

/// A writer that counts what does not fit, so one code path gives both bytes and size.
struct Out<'o> {
    buf: &'o mut [u8],
    n: usize,
}

impl Out<'_> {
    fn put(&mut self, s: &[u8]) {
        let end = self.n.saturating_add(s.len());
        if let Some(dst) = self.buf.get_mut(self.n..end) {
            dst.copy_from_slice(s);
        }
        self.n = end;
    }
    fn num(&mut self, v: u8) {
        if v >= 10 {
            self.put(&[b'0' + v / 10]);
        }
        self.put(&[b'0' + v % 10]);
    }
    fn done(self) -> Result<usize, WsError> {
        if self.n <= self.buf.len() {
            Ok(self.n)
        } else {
            Err(WsError::BufferTooSmall)
        }
    }
}

fn put_deflate(o: &mut Out<'_>, d: &DeflateParams) {
    o.put(PERMESSAGE_DEFLATE);
    if d.server_no_context_takeover {
        o.put(b"; server_no_context_takeover");
    }
    if d.client_no_context_takeover {
        o.put(b"; client_no_context_takeover");
    }
    if (8..=15).contains(&d.server_max_window_bits) {
        o.put(b"; server_max_window_bits=");
        o.num(d.server_max_window_bits);
    }
    if d.client_max_window_bits_present && (8..=15).contains(&d.client_max_window_bits) {
        o.put(b"; client_max_window_bits=");
        o.num(d.client_max_window_bits);
    }
}

fn response(o: &mut Out<'_>, a: &Accepted<'_>) {
    o.put(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ");
    o.put(&a.accept_key);
    o.put(b"\r\n");
    if let Some(p) = a.protocol {
        o.put(b"Sec-WebSocket-Protocol: ");
        o.put(p);
        o.put(b"\r\n");
    }
    if let Some(d) = &a.deflate {
        o.put(b"Sec-WebSocket-Extensions: ");
        put_deflate(o, d);
        o.put(b"\r\n");
    }
    o.put(b"\r\n");
}

/// Writes the `101 Switching Protocols` response for `accepted`. The agreed permessage-deflate
/// parameters echo the offer: both `*_no_context_takeover` if offered, `server_max_window_bits`
/// if offered, `client_max_window_bits` if offered with a value. Returns the bytes written;
/// `BufferTooSmall` (contents unspecified) when `out` is shorter than [`response_len`].
pub fn write_response(out: &mut [u8], accepted: &Accepted<'_>) -> Result<usize, WsError> {
    let mut o = Out { buf: out, n: 0 };
    response(&mut o, accepted);
    o.done()
}

/// The exact size [`write_response`] needs.
pub fn response_len(accepted: &Accepted<'_>) -> usize {
    let mut o = Out { buf: &mut [], n: 0 };
    response(&mut o, accepted);
    o.n
}

fn reject(o: &mut Out<'_>, status: u16) {
    if status == 426 {
        o.put(b"HTTP/1.1 426 Upgrade Required\r\nUpgrade: websocket\r\nConnection: Upgrade, close\r\n");
    } else {
        o.put(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n");
    }
    o.put(b"Sec-WebSocket-Version: 13\r\nContent-Length: 0\r\n\r\n");
}

/// Writes the refusal for status 400 or 426 (any other status is `InvalidArgument`), both with
/// `Sec-WebSocket-Version: 13`, `Connection: close` and an empty body; 426 also carries
/// `Upgrade: websocket` (RFC 9110 15.5.22). Returns the bytes written or `BufferTooSmall`.
pub fn write_reject(out: &mut [u8], status: u16) -> Result<usize, WsError> {
    if status != 400 && status != 426 {
        return Err(WsError::InvalidArgument);
    }
    let mut o = Out { buf: out, n: 0 };
    reject(&mut o, status);
    o.done()
}

/// The exact size [`write_reject`] needs for `status` (0 for an invalid status).
pub fn reject_len(status: u16) -> usize {
    if status != 400 && status != 426 {
        return 0;
    }
    let mut o = Out { buf: &mut [], n: 0 };
    reject(&mut o, status);
    o.n
}

/// What a client asks for.
#[derive(Clone, Copy, Debug, Default)]
pub struct ClientRequest<'a> {
    /// The Host header value (`host` or `host:port`).
    pub host: &'a [u8],
    /// The request target, starting with `/`: visible ASCII only (percent-encode the rest).
    pub path: &'a [u8],
    /// Offered subprotocols, comma-separated (empty: no Sec-WebSocket-Protocol header).
    pub protocols: &'a [u8],
    /// The Sec-WebSocket-Extensions value to send (empty: none), e.g.
    /// `permessage-deflate; client_max_window_bits`.
    pub extensions: &'a [u8],
    /// Extra header lines written verbatim before the blank line (e.g. `Origin: ...\r\n`):
    /// empty, or complete lines each ending in CRLF.
    pub extra_headers: &'a [u8],
}

fn field_ok(v: &[u8]) -> bool {
    v.iter().all(|&b| b == b'\t' || (b >= 0x20 && b != 0x7F))
}

fn extra_ok(v: &[u8]) -> bool {
    if v.is_empty() {
        return true;
    }
    if !v.ends_with(b"\r\n") || v.starts_with(b"\r\n") || v.windows(4).any(|w| w == b"\r\n\r\n") {
        return false;
    }
    v.iter().enumerate().all(|(i, &b)| match b {
        b'\r' => v.get(i + 1) == Some(&b'\n'),
        b'\n' => i > 0 && v.get(i - 1) == Some(&b'\r'),
        b'\t' => true,
        b => b >= 0x20 && b != 0x7F,
    })
}

fn request(o: &mut Out<'_>, r: &ClientRequest<'_>, key: &[u8]) {
    o.put(b"GET ");
    o.put(r.path);
    o.put(b" HTTP/1.1\r\nHost: ");
    o.put(r.host);
    o.put(b"\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ");
    o.put(key);
    o.put(b"\r\nSec-WebSocket-Version: 13\r\n");
    if !r.protocols.is_empty() {
        o.put(b"Sec-WebSocket-Protocol: ");
        o.put(r.protocols);
        o.put(b"\r\n");
    }
    if !r.extensions.is_empty() {
        o.put(b"Sec-WebSocket-Extensions: ");
        o.put(r.extensions);
        o.put(b"\r\n");
    }
    o.put(r.extra_headers);
    o.put(b"\r\n");
}

/// The Sec-WebSocket-Key for a 16-byte nonce: its base64 (24 ASCII bytes). The nonce must be
/// random for each connection (RFC 6455 4.1); the caller supplies it.
pub fn client_key(nonce: &[u8; 16]) -> [u8; 24] {
    let mut key = [0u8; 24];
    let _ = STANDARD.encode_slice(nonce, &mut key);
    key
}

fn check_request(r: &ClientRequest<'_>) -> Result<(), WsError> {
    let ok = !r.host.is_empty()
        && r.path.first() == Some(&b'/')
        && r.path.iter().all(|&b| b > b' ' && b < 0x7F)
        && field_ok(r.host)
        && field_ok(r.protocols)
        && field_ok(r.extensions)
        && extra_ok(r.extra_headers);
    if ok {
        Ok(())
    } else {
        Err(WsError::InvalidArgument)
    }
}

/// Writes the client's upgrade request for `req` with the key made from `nonce`. Returns the
/// bytes written; `InvalidArgument` when a field contains CR, LF or another control character
/// (header injection), the path does not start with `/` or holds anything but visible ASCII
/// (percent-encode spaces and non-ASCII bytes), or the host is empty; `BufferTooSmall` when `out` is shorter than [`request_len`].
pub fn write_request(
    out: &mut [u8],
    req: &ClientRequest<'_>,
    nonce: &[u8; 16],
) -> Result<usize, WsError> {
    check_request(req)?;
    let mut o = Out { buf: out, n: 0 };
    request(&mut o, req, &client_key(nonce));
    o.done()
}

/// The exact size [`write_request`] needs.
pub fn request_len(req: &ClientRequest<'_>) -> usize {
    let mut o = Out { buf: &mut [], n: 0 };
    request(&mut o, req, &[0; 24]);
    o.n
}

/// What the server agreed to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAccepted<'a> {
    /// The protocol the server chose (a slice of the offered list), if any.
    pub protocol: Option<&'a [u8]>,
    /// The permessage-deflate parameters the server agreed, if any.
    pub deflate: Option<DeflateParams>,
}

/// Client side: validates the server's response, fed header by header.
#[derive(Clone, Copy, Debug)]
pub struct ResponseValidator<'a> {
    expected: [u8; ACCEPT_KEY_LEN],
    offered_protocols: &'a [u8],
    deflate_offered: bool,
    client_bits_offered: bool,
    upgrade_ok: bool,
    connection_ok: bool,
    accept_count: u8,
    accept_ok: bool,
    protocol_count: u8,
    protocol: Option<&'a [u8]>,
    protocol_error: bool,
    deflate: Option<DeflateParams>,
    extensions_error: bool,
}

impl<'a> ResponseValidator<'a> {
    /// A validator for the response to the request written with `nonce`, `req.protocols`
    /// and `req.extensions` (the offers the response may accept).
    pub fn new(req: &ClientRequest<'a>, nonce: &[u8; 16]) -> Self {
        let mut deflate_offered = false;
        let mut client_bits_offered = false;
        for element in split(req.extensions, b',') {
            if let Ok((name, params)) = parse_extension(element) {
                if name.eq_ignore_ascii_case(PERMESSAGE_DEFLATE) {
                    deflate_offered = true;
                    client_bits_offered |= parse_deflate_params(params, false)
                        .is_ok_and(|d| d.client_max_window_bits_present);
                }
            }
        }
        ResponseValidator {
            expected: accept_key(&client_key(nonce)),
            offered_protocols: req.protocols,
            deflate_offered,
            client_bits_offered,
            upgrade_ok: false,
            connection_ok: false,
            accept_count: 0,
            accept_ok: false,
            protocol_count: 0,
            protocol: None,
            protocol_error: false,
            deflate: None,
            extensions_error: false,
        }
    }

    /// Feeds one response header.
    pub fn header(&mut self, name: &[u8], value: &[u8]) {
        let value = trim(value);
        if name.eq_ignore_ascii_case(b"upgrade") {
            self.upgrade_ok |= list_contains_token(value, b"websocket");
        } else if name.eq_ignore_ascii_case(b"connection") {
            self.connection_ok |= list_contains_token(value, b"upgrade");
        } else if name.eq_ignore_ascii_case(b"sec-websocket-accept") {
            bump(&mut self.accept_count);
            self.accept_ok = value == self.expected;
        } else if name.eq_ignore_ascii_case(b"sec-websocket-protocol") {
            bump(&mut self.protocol_count);
            self.protocol =
                split(self.offered_protocols, b',').find(|p| !p.is_empty() && *p == value);
            self.protocol_error |= self.protocol.is_none();
        } else if name.eq_ignore_ascii_case(b"sec-websocket-extensions") {
            for element in split(value, b',') {
                if element.is_empty() {
                    continue;
                }
                let ok = match parse_extension(element) {
                    Ok((ext, params)) if ext.eq_ignore_ascii_case(PERMESSAGE_DEFLATE) => {
                        match parse_deflate_params(params, true) {
                            Ok(d)
                                if self.deflate_offered
                                    && self.deflate.is_none()
                                    && (!d.client_max_window_bits_present
                                        || self.client_bits_offered) =>
                            {
                                self.deflate = Some(d);
                                true
                            }
                            _ => false,
                        }
                    }
                    _ => false,
                };
                self.extensions_error |= !ok;
            }
        }
    }

    /// Ends the response with its status code. Checks, in order: status 101, Upgrade,
    /// Connection, exactly one matching Sec-WebSocket-Accept, at most one offered
    /// Sec-WebSocket-Protocol, extensions only permessage-deflate if offered, once, with valid
    /// response parameters (`client_max_window_bits` only if offered).
    pub fn finish(&self, status: u16) -> Result<ClientAccepted<'a>, WsError> {
        if status != 101 {
            return Err(WsError::HandshakeStatus);
        }
        if !self.upgrade_ok {
            return Err(WsError::HandshakeUpgrade);
        }
        if !self.connection_ok {
            return Err(WsError::HandshakeConnection);
        }
        if self.accept_count != 1 || !self.accept_ok {
            return Err(WsError::HandshakeAccept);
        }
        if self.protocol_count > 1 || self.protocol_error {
            return Err(WsError::HandshakeProtocol);
        }
        if self.extensions_error {
            return Err(WsError::HandshakeExtensions);
        }
        Ok(ClientAccepted {
            protocol: self.protocol,
            deflate: self.deflate,
        })
    }
}
