//! Close-status codes: RFC 6455 section 7.4.1 and the IANA "WebSocket Close Code Number
//! Registry". One table gives each registered code its value, name, description and whether it
//! may appear in a close frame on the wire.

use core::ffi::CStr;

/// The registered close-status codes (RFC 6455 7.4.1, IANA registry).
#[repr(u16)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CloseCode {
    /// 1000: the purpose for which the connection was established has been fulfilled.
    NormalClosure = 1000,
    /// 1001: an endpoint is going away (server shutdown, browser navigating away).
    GoingAway = 1001,
    /// 1002: the endpoint is terminating the connection due to a protocol error.
    ProtocolError = 1002,
    /// 1003: the endpoint received a type of data it cannot accept.
    UnsupportedData = 1003,
    /// 1004: reserved; may not be sent.
    Reserved = 1004,
    /// 1005: no status code was present; reported locally, never sent.
    NoStatusReceived = 1005,
    /// 1006: the connection closed without a close frame; reported locally, never sent.
    AbnormalClosure = 1006,
    /// 1007: a message contained data inconsistent with its type (e.g. non-UTF-8 text).
    InvalidPayloadData = 1007,
    /// 1008: a message violated the endpoint's policy.
    PolicyViolation = 1008,
    /// 1009: a message was too big to process.
    MessageTooBig = 1009,
    /// 1010: the client expected the server to negotiate an extension it did not.
    MandatoryExtension = 1010,
    /// 1011: the server met an unexpected condition.
    InternalError = 1011,
    /// 1012: the service is restarting (IANA registry).
    ServiceRestart = 1012,
    /// 1013: try again later (IANA registry).
    TryAgainLater = 1013,
    /// 1014: a gateway or proxy received an invalid response (IANA registry).
    BadGateway = 1014,
    /// 1015: the TLS handshake failed; reported locally, never sent.
    TlsHandshake = 1015,
}

/// The one table of close codes: each one's name, description and whether it may be sent, in
/// numeric order. It generates `ALL` and `info` (behind `name_cstr`, `description_cstr` and
/// `may_be_sent`); a code missing here does not compile.
macro_rules! close_code_table {
    ($($variant:ident => $name:literal, $description:literal, $sendable:literal;)*) => {
        impl CloseCode {
            /// Every value, in numeric order.
            pub const ALL: &'static [CloseCode] = &[$(CloseCode::$variant),*];

            /// (name, description, may be sent) of the value.
            const fn info(self) -> (&'static CStr, &'static CStr, bool) {
                match self {
                    $(CloseCode::$variant => {
                        const INFO: (&CStr, &CStr, bool) = (
                            crate::static_cstr(concat!($name, "\0")),
                            crate::static_cstr(concat!($description, "\0")),
                            $sendable,
                        );
                        INFO
                    })*
                }
            }
        }
    };
}

close_code_table! {
    NormalClosure => "NORMAL_CLOSURE", "normal closure", true;
    GoingAway => "GOING_AWAY", "going away", true;
    ProtocolError => "PROTOCOL_ERROR", "protocol error", true;
    UnsupportedData => "UNSUPPORTED_DATA", "unsupported data", true;
    Reserved => "RESERVED", "reserved", false;
    NoStatusReceived => "NO_STATUS_RECEIVED", "no status received", false;
    AbnormalClosure => "ABNORMAL_CLOSURE", "abnormal closure", false;
    InvalidPayloadData => "INVALID_PAYLOAD_DATA", "invalid frame payload data", true;
    PolicyViolation => "POLICY_VIOLATION", "policy violation", true;
    MessageTooBig => "MESSAGE_TOO_BIG", "message too big", true;
    MandatoryExtension => "MANDATORY_EXTENSION", "mandatory extension missing", true;
    InternalError => "INTERNAL_ERROR", "internal error", true;
    ServiceRestart => "SERVICE_RESTART", "service restart", true;
    TryAgainLater => "TRY_AGAIN_LATER", "try again later", true;
    BadGateway => "BAD_GATEWAY", "bad gateway", true;
    TlsHandshake => "TLS_HANDSHAKE", "TLS handshake failure", false;
}

impl CloseCode {
    /// The value whose number is `n`, or `None`.
    pub fn from_u16(n: u16) -> Option<CloseCode> {
        CloseCode::ALL.iter().copied().find(|v| *v as u16 == n)
    }

    /// The name, such as `"NORMAL_CLOSURE"`, NUL-terminated and static.
    pub const fn name_cstr(self) -> &'static CStr {
        self.info().0
    }

    /// A one-line English description, NUL-terminated and static.
    pub const fn description_cstr(self) -> &'static CStr {
        self.info().1
    }

    /// Whether an endpoint may put this code in a close frame. 1004 is reserved,
    /// 1005, 1006 and 1015 are only reported locally (RFC 6455 7.4.1).
    pub const fn may_be_sent(self) -> bool {
        self.info().2
    }
}

/// Whether `code` may appear in a close frame on the wire: 1000-1003, 1007-1014 and 3000-4999
/// (3000-3999 registered with IANA, 4000-4999 private use). Codes below 1000, 1004-1006, 1015,
/// the unassigned 1016-2999 and anything from 5000 are rejected.
pub fn close_code_may_be_sent(code: u16) -> bool {
    match code {
        3000..=4999 => true,
        _ => CloseCode::from_u16(code).is_some_and(CloseCode::may_be_sent),
    }
}

/// The name of any code: the registered name, `"REGISTERED"` for 3000-3999, `"PRIVATE_USE"`
/// for 4000-4999, `"UNKNOWN"` otherwise. NUL-terminated and static.
pub fn close_code_name(code: u16) -> &'static CStr {
    match code {
        3000..=3999 => c"REGISTERED",
        4000..=4999 => c"PRIVATE_USE",
        _ => CloseCode::from_u16(code).map_or(c"UNKNOWN", CloseCode::name_cstr),
    }
}

/// The description of any code (see [`close_code_name`] for the ranges). NUL-terminated and
/// static.
pub fn close_code_description(code: u16) -> &'static CStr {
    match code {
        3000..=3999 => c"registered with IANA for libraries, frameworks and applications",
        4000..=4999 => c"private use",
        _ => CloseCode::from_u16(code)
            .map_or(c"unknown or unassigned code", CloseCode::description_cstr),
    }
}
