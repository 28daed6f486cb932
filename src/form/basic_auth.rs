//! `Authorization: Basic` credentials (RFC 7617): `Basic` (any case), one or more spaces, and
//! base64 (RFC 4648 section 4, padded) of `user-id ":" password`.
//!
//! The decoded bytes go into a caller's buffer and the user and password come back as spans
//! of it. Rules enforced: the scheme, canonical padded base64 (no line breaks, no URL-safe
//! alphabet, no stray bits: two encodings of one credential would let a cache or a rate
//! limiter count one client as two), a colon (the user-id is everything before the first
//! one), and no control characters in either part (RFC 7617 section 2; they end up in logs
//! and in headers built from the user name). The password may contain colons.

use base64::engine::general_purpose::STANDARD;
use base64::{DecodeError, DecodeSliceError, Engine};

use super::chars::{eq_ignore_case, is_ctl};
use super::error::{FormError, FormErrorAt};
use super::span::Span;

/// Decoded Basic credentials: spans of the output buffer the decoder was given
/// (`decode_basic_auth`, `wf_form_basic_auth_decode`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BasicCredentials {
    /// The user-id.
    pub user: Span,
    /// The password.
    pub password: Span,
}

/// The number of output bytes [`decode_basic_auth`] needs for a header value of `len` bytes
/// (an upper bound: three bytes per four characters).
pub const fn basic_auth_buffer_size(len: usize) -> usize {
    len / 4 * 3 + 3
}

/// Decodes the value of an Authorization header holding Basic credentials into `out`.
///
/// Returns the user and password as spans of `out`. Errors, with the offset in `value` of the
/// offending byte: `NotBasicAuth` (another scheme, no space, nothing after it),
/// `InvalidBase64`, `BufferTooSmall` (offset 0; [`basic_auth_buffer_size`] gives a size
/// that always suffices), `InvalidCredentials` (no colon, or a control character; the offset
/// is then that of the start of the base64).
pub fn decode_basic_auth(value: &[u8], out: &mut [u8]) -> Result<BasicCredentials, FormErrorAt> {
    let not_basic = |k| Err(FormErrorAt::new(FormError::NotBasicAuth, k));
    if value.len() < 6 || !eq_ignore_case(&value[..5], b"Basic") || value[5] != b' ' {
        return not_basic(value.len().min(5));
    }
    let mut start = 5;
    while value.get(start) == Some(&b' ') {
        start += 1;
    }
    let mut end = value.len();
    while end > start && (value[end - 1] == b' ' || value[end - 1] == b'\t') {
        end -= 1;
    }
    if start == end {
        return not_basic(start);
    }
    let b64 = &value[start..end];
    let bad = |k: usize| FormErrorAt::new(FormError::InvalidBase64, start + k);
    if b64.len() % 4 != 0 {
        return Err(bad(b64.len() - b64.len() % 4));
    }
    let pad = b64.iter().rev().take_while(|&&b| b == b'=').count();
    let need = b64.len() / 4 * 3 - pad.min(2);
    if out.len() < need {
        return Err(FormErrorAt::new(FormError::BufferTooSmall, 0));
    }
    let n = match STANDARD.decode_slice(b64, out) {
        Ok(n) => n,
        Err(DecodeSliceError::OutputSliceTooSmall) => {
            return Err(FormErrorAt::new(FormError::BufferTooSmall, 0))
        }
        Err(DecodeSliceError::DecodeError(e)) => {
            return Err(match e {
                DecodeError::InvalidByte(k, _) | DecodeError::InvalidLastSymbol(k, _) => bad(k),
                DecodeError::InvalidLength(k) => bad(k),
                DecodeError::InvalidPadding => bad(b64.len() - pad.max(1)),
            })
        }
    };
    let creds = &out[..n];
    let invalid = Err(FormErrorAt::new(FormError::InvalidCredentials, start));
    if creds.iter().any(|&b| is_ctl(b)) {
        return invalid;
    }
    let Some(colon) = creds.iter().position(|&b| b == b':') else {
        return invalid;
    };
    Ok(BasicCredentials {
        user: Span::new(0, colon),
        password: Span::new(colon + 1, n),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(v: &str) -> Result<(String, String), FormErrorAt> {
        let mut out = [0u8; 128];
        let c = decode_basic_auth(v.as_bytes(), &mut out)?;
        Ok((
            String::from_utf8(c.user.get(&out).to_vec()).unwrap(),
            String::from_utf8(c.password.get(&out).to_vec()).unwrap(),
        ))
    }

    #[test]
    fn rfc7617_examples() {
        // RFC 7617 section 2: Aladdin / open sesame.
        assert_eq!(
            dec("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==").unwrap(),
            ("Aladdin".into(), "open sesame".into())
        );
        // Section 2.1: test / 123£ in UTF-8.
        assert_eq!(
            dec("basic  dGVzdDoxMjPCow== ").unwrap(),
            ("test".into(), "123£".into())
        );
        // The password may contain colons; the user-id ends at the first one.
        assert_eq!(dec("Basic dTpwOnE=").unwrap(), ("u".into(), "p:q".into()));
        assert_eq!(dec("Basic Og==").unwrap(), ("".into(), "".into()));
    }

    #[test]
    fn rejections() {
        let e = |v: &str| dec(v).unwrap_err();
        assert_eq!(e("Bearer abc").code, FormError::NotBasicAuth);
        assert_eq!(e("Basic").code, FormError::NotBasicAuth);
        assert_eq!(e("Basic ").code, FormError::NotBasicAuth);
        assert_eq!(e("BasicQWxh").code, FormError::NotBasicAuth);
        // Unpadded, URL-safe alphabet, non-canonical trailing bits.
        assert_eq!(
            e("Basic dTp"),
            FormErrorAt::new(FormError::InvalidBase64, 6)
        );
        assert_eq!(e("Basic dTpwOnE").code, FormError::InvalidBase64);
        assert_eq!(e("Basic dT_w").code, FormError::InvalidBase64);
        assert_eq!(e("Basic dTpwOnF=").code, FormError::InvalidBase64);
        // No colon; a control character (CR LF would forge a log line).
        assert_eq!(e("Basic dXNlcg==").code, FormError::InvalidCredentials);
        assert_eq!(e("Basic dQ06cA==").code, FormError::InvalidCredentials);
        let mut small = [0u8; 2];
        assert_eq!(
            decode_basic_auth(b"Basic dTpwOnE=", &mut small)
                .unwrap_err()
                .code,
            FormError::BufferTooSmall
        );
    }
}
