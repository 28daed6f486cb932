//! One table for every error of the web-form formats (multipart, Content-Type and
//! Content-Disposition parameters, cookies, query strings, Basic credentials, Set-Cookie):
//! stable number, name and description. A retired number is never reused.

use core::ffi::CStr;

/// What went wrong, or `Ok`. `Paused` is a state of the multipart parser, not a failure.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FormError {
    /// No error.
    Ok = 0,
    /// A multipart callback returned the pause code; parsing stopped after that event and
    /// resumes with the next call. 21 is llhttp's number for `HPE_PAUSED` (and the WebSocket
    /// decoder's); 1 is not used for it because C callbacks often return 1 to mean "error".
    Paused = 21,
    /// A multipart callback returned a nonzero value other than the pause code.
    CallbackError = 2,
    /// A panic was caught at the C boundary (a bug in wireframe; please report it).
    Internal = 3,
    /// A NULL pointer or an out-of-range argument was passed to a C entry point.
    InvalidArgument = 4,
    /// The multipart parser was used before it was initialised, or its state was corrupted.
    NotInitialized = 5,
    /// The output buffer is too small for the result.
    BufferTooSmall = 6,
    /// The body ended before the close delimiter (`--boundary--`): a truncated upload, which
    /// must not be taken for a complete one.
    MissingFinalBoundary = 40,
    /// A CR not followed by LF in a part's header section or on a delimiter line.
    BareCr = 41,
    /// A LF not preceded by CR in a part's header section or on a delimiter line.
    BareLf = 42,
    /// A part header name is empty, has a byte outside `token`, has whitespace before the
    /// colon, or the line has no colon.
    InvalidHeaderName = 43,
    /// A part header value has a control character (other than HTAB).
    InvalidHeaderValue = 44,
    /// A part header line starts with whitespace (obsolete line folding).
    ObsoleteFold = 45,
    /// A boundary delimiter is followed by something other than whitespace and CRLF or `--`:
    /// the boundary appears inside the content, which RFC 2046 forbids.
    InvalidDelimiter = 46,
    /// A part's header section exceeds the header-size limit.
    HeadersTooLarge = 47,
    /// The body has more parts than the part limit.
    TooManyParts = 48,
    /// The preamble (bytes before the first boundary) exceeds its limit.
    PreambleTooLarge = 49,
    /// The epilogue (bytes after the close delimiter) exceeds its limit.
    EpilogueTooLarge = 50,
    /// A part's data exceeds the part-size limit.
    PartTooLarge = 51,
    /// The boundary is empty, longer than 70 bytes, ends with a space, or has a byte outside
    /// RFC 2046's `bchars`.
    InvalidBoundary = 52,
    /// The Content-Type is not `multipart/...` (any subtype), or has no boundary parameter.
    NotMultipart = 53,
    /// A parameter list (`; name=value`) is malformed: no `=`, an unterminated quoted string,
    /// a byte outside `token`, or a parameter given twice.
    InvalidParameter = 54,
    /// A `filename*` (RFC 5987/8187 ext-value) is malformed.
    InvalidExtValue = 55,
    /// A `%` not followed by two hexadecimal digits.
    InvalidPercentEscape = 56,
    /// A Cookie header has a control character, or a pair with an empty name.
    InvalidCookie = 57,
    /// The Authorization value is not the `Basic` scheme followed by spaces and a token.
    NotBasicAuth = 58,
    /// The Basic credentials are not valid padded base64.
    InvalidBase64 = 59,
    /// The decoded Basic credentials have no colon, or contain a control character.
    InvalidCredentials = 60,
    /// A Set-Cookie name is not a `token`.
    InvalidCookieName = 61,
    /// A Set-Cookie value has a byte outside `cookie-octet` (or an unbalanced quote).
    InvalidCookieValue = 62,
    /// A Set-Cookie attribute value has a control character or `;`, or the domain is not a
    /// host name.
    InvalidCookieAttribute = 63,
    /// The Set-Cookie attributes contradict a rule browsers enforce: `SameSite=None` without
    /// `Secure`, a `__Secure-` name without `Secure`, or a `__Host-` name without `Secure`,
    /// with a `Domain`, or with a path other than `/`.
    CookieRule = 64,
}

macro_rules! form_error_table {
    ($($variant:ident => $name:literal, $description:literal;)*) => {
        impl FormError {
            /// Every value, in declaration order.
            pub const ALL: &'static [FormError] = &[$(FormError::$variant),*];

            /// The name and the description of the value, NUL-terminated.
            const fn info(self) -> (&'static CStr, &'static CStr) {
                match self {
                    $(FormError::$variant => {
                        const INFO: (&CStr, &CStr) = (
                            crate::static_cstr(concat!($name, "\0")),
                            crate::static_cstr(concat!($description, "\0")),
                        );
                        INFO
                    })*
                }
            }
        }
    };
}

// The one table: each value's name (the C constant) and description. A value missing here
// does not compile (the match in `info` must be exhaustive).
form_error_table! {
    Ok => "WF_FORM_ERR_OK", "success";
    Paused => "WF_FORM_ERR_PAUSED", "the multipart parser is paused";
    CallbackError => "WF_FORM_ERR_CALLBACK_ERROR", "a callback failed";
    Internal => "WF_FORM_ERR_INTERNAL", "internal error (a caught panic)";
    InvalidArgument => "WF_FORM_ERR_INVALID_ARGUMENT", "invalid argument";
    NotInitialized => "WF_FORM_ERR_NOT_INITIALIZED", "the multipart parser was not initialised";
    BufferTooSmall => "WF_FORM_ERR_BUFFER_TOO_SMALL", "the output buffer is too small";
    MissingFinalBoundary => "WF_FORM_ERR_MISSING_FINAL_BOUNDARY", "the body ended before the close delimiter";
    BareCr => "WF_FORM_ERR_BARE_CR", "CR not followed by LF";
    BareLf => "WF_FORM_ERR_BARE_LF", "LF not preceded by CR";
    InvalidHeaderName => "WF_FORM_ERR_INVALID_HEADER_NAME", "invalid part header name (empty, non-token byte, space before colon, or no colon)";
    InvalidHeaderValue => "WF_FORM_ERR_INVALID_HEADER_VALUE", "control character in a part header value";
    ObsoleteFold => "WF_FORM_ERR_OBSOLETE_FOLD", "part header line starts with whitespace (obsolete line folding)";
    InvalidDelimiter => "WF_FORM_ERR_INVALID_DELIMITER", "boundary delimiter followed by something other than CRLF or --";
    HeadersTooLarge => "WF_FORM_ERR_HEADERS_TOO_LARGE", "part header section exceeds the header-size limit";
    TooManyParts => "WF_FORM_ERR_TOO_MANY_PARTS", "more parts than the part limit";
    PreambleTooLarge => "WF_FORM_ERR_PREAMBLE_TOO_LARGE", "too many bytes before the first boundary";
    EpilogueTooLarge => "WF_FORM_ERR_EPILOGUE_TOO_LARGE", "too many bytes after the close delimiter";
    PartTooLarge => "WF_FORM_ERR_PART_TOO_LARGE", "part data exceeds the part-size limit";
    InvalidBoundary => "WF_FORM_ERR_INVALID_BOUNDARY", "boundary empty, over 70 bytes, ending in space, or with a byte outside bchars";
    NotMultipart => "WF_FORM_ERR_NOT_MULTIPART", "Content-Type is not multipart/* with a boundary parameter";
    InvalidParameter => "WF_FORM_ERR_INVALID_PARAMETER", "malformed or repeated header parameter";
    InvalidExtValue => "WF_FORM_ERR_INVALID_EXT_VALUE", "malformed RFC 8187 extended parameter value";
    InvalidPercentEscape => "WF_FORM_ERR_INVALID_PERCENT_ESCAPE", "% not followed by two hexadecimal digits";
    InvalidCookie => "WF_FORM_ERR_INVALID_COOKIE", "control character or empty name in a Cookie header";
    NotBasicAuth => "WF_FORM_ERR_NOT_BASIC_AUTH", "Authorization is not 'Basic', spaces and credentials";
    InvalidBase64 => "WF_FORM_ERR_INVALID_BASE64", "credentials are not padded base64";
    InvalidCredentials => "WF_FORM_ERR_INVALID_CREDENTIALS", "decoded credentials lack a colon or contain a control character";
    InvalidCookieName => "WF_FORM_ERR_INVALID_COOKIE_NAME", "Set-Cookie name is not a token";
    InvalidCookieValue => "WF_FORM_ERR_INVALID_COOKIE_VALUE", "Set-Cookie value has a byte outside cookie-octet";
    InvalidCookieAttribute => "WF_FORM_ERR_INVALID_COOKIE_ATTRIBUTE", "Set-Cookie attribute has a control character or ';', or a bad domain";
    CookieRule => "WF_FORM_ERR_COOKIE_RULE", "SameSite=None without Secure, or a __Secure-/__Host- prefix rule broken";
}

impl FormError {
    /// The code's name, e.g. `"WF_FORM_ERR_BARE_CR"`, as a NUL-terminated static string.
    pub const fn name(self) -> &'static CStr {
        self.info().0
    }

    /// A one-line description of the code, as a NUL-terminated static string.
    pub const fn description(self) -> &'static CStr {
        self.info().1
    }

    /// The code with the number `value`, or `None`.
    pub fn from_u32(value: u32) -> Option<FormError> {
        Self::ALL.iter().copied().find(|e| *e as u32 == value)
    }
}

impl core::fmt::Display for FormError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let d = self.description().to_str().unwrap_or("?");
        write!(f, "{} ({})", d, self.name().to_str().unwrap_or("?"))
    }
}

impl std::error::Error for FormError {}

/// An error of a span-returning helper: what went wrong and where (a byte offset into the
/// input the helper was given).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FormErrorAt {
    /// What went wrong.
    pub code: FormError,
    /// The offset of the offending byte in the helper's input.
    pub offset: usize,
}

impl FormErrorAt {
    /// `code` at `offset`.
    pub const fn new(code: FormError, offset: usize) -> Self {
        FormErrorAt { code, offset }
    }
}

impl core::fmt::Display for FormErrorAt {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{} at byte {}", self.code, self.offset)
    }
}

impl std::error::Error for FormErrorAt {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_complete_and_unique() {
        for (i, a) in FormError::ALL.iter().enumerate() {
            assert_eq!(FormError::from_u32(*a as u32), Some(*a));
            assert!(a.name().to_bytes().starts_with(b"WF_FORM_ERR_"));
            assert!(!a.description().to_bytes().is_empty());
            for b in &FormError::ALL[i + 1..] {
                assert_ne!(*a as u32, *b as u32);
                assert_ne!(a.name(), b.name());
            }
        }
        assert_eq!(FormError::from_u32(7), None);
        assert_eq!(FormError::from_u32(1), None);
    }
}
