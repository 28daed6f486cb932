//! One table for every WebSocket codec and handshake error: stable number, name, description
//! and the close code an endpoint sends when the error ends the connection.

use core::ffi::CStr;

/// a retired number is never reused. `Ok` and `Paused` are states, not failures.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WsError {
    /// No error.
    Ok = 0,
    /// A callback returned the pause code; decoding stopped after that event and resumes with
    /// the next call.
    Paused = 21,
    /// A callback returned a nonzero value other than the pause code.
    CallbackError = 2,
    /// Opcode 0x3-0x7 or 0xB-0xF (RFC 6455 5.2: "If an unknown opcode is received, the
    /// receiving endpoint MUST _Fail the WebSocket Connection_").
    ReservedOpcode = 3,
    /// RSV1, RSV2 or RSV3 set without a negotiated extension that defines it.
    ReservedBits = 4,
    /// A control frame without FIN (RFC 6455 5.5: "Control frames MUST NOT be fragmented").
    FragmentedControl = 5,
    /// A control frame with a payload over 125 bytes.
    ControlTooLong = 6,
    /// A continuation frame with no fragmented message in progress.
    UnexpectedContinuation = 7,
    /// A text or binary frame while a fragmented message is in progress.
    ExpectedContinuation = 8,
    /// A 64-bit payload length with the most significant bit set.
    LengthTopBit = 9,
    /// A payload length not in its shortest encoding (only when the decoder is strict).
    NonMinimalLength = 10,
    /// A server received an unmasked frame (RFC 6455 5.1).
    UnmaskedFrame = 11,
    /// A client received a masked frame (RFC 6455 5.1).
    MaskedFrame = 12,
    /// A text message contains a byte sequence that is not UTF-8.
    InvalidUtf8 = 13,
    /// A text message ended inside a UTF-8 code point.
    IncompleteUtf8 = 14,
    /// A close frame with a 1-byte payload.
    CloseTooShort = 15,
    /// A close frame carrying a code that may not be sent on the wire.
    InvalidCloseCode = 16,
    /// A close reason that is not UTF-8.
    InvalidCloseReason = 17,
    /// A frame payload above the decoder's maximum frame payload.
    FrameTooLarge = 18,
    /// A message above the decoder's maximum message size.
    MessageTooLarge = 19,
    /// A message made of more frames than the decoder's maximum fragment count.
    TooManyFragments = 20,
    /// RSV1 (permessage-deflate) on a control frame or on a continuation frame (RFC 7692 6).
    UnexpectedRsv1 = 22,
    /// A NULL pointer was passed where one is not allowed.
    NullPointer = 30,
    /// The output buffer is too small; the size-query functions give the size needed.
    BufferTooSmall = 31,
    /// An argument is out of range (reserved opcode, control payload over 125 bytes, a close
    /// code that may not be sent, a reason that is not UTF-8, a header value with CR or LF...).
    InvalidArgument = 32,
    /// A panic was caught at the C boundary (a bug in wireframe; please report it).
    Internal = 33,
    /// The decoder was used before `wf_ws_decoder_init`, or a field was corrupted.
    NotInitialized = 34,
    /// Handshake: the request method is not GET.
    HandshakeMethod = 40,
    /// Handshake: the request is older than HTTP/1.1.
    HandshakeHttpVersion = 41,
    /// Handshake: Upgrade has no `websocket` token.
    HandshakeUpgrade = 42,
    /// Handshake: Connection has no `Upgrade` token.
    HandshakeConnection = 43,
    /// Handshake: Sec-WebSocket-Version is missing, repeated or not 13.
    HandshakeVersion = 44,
    /// Handshake: Sec-WebSocket-Key is missing, repeated, or not base64 of 16 bytes.
    HandshakeKey = 45,
    /// Handshake: the Host header is missing or repeated.
    HandshakeHost = 46,
    /// Handshake: Sec-WebSocket-Extensions is malformed, or an extension offer or response
    /// violates RFC 7692 (duplicate parameter, invalid window bits, unknown parameter).
    HandshakeExtensions = 47,
    /// Handshake: Sec-WebSocket-Protocol is malformed, or the server chose one not offered.
    HandshakeProtocol = 48,
    /// Handshake (client): the response status is not 101.
    HandshakeStatus = 49,
    /// Handshake (client): Sec-WebSocket-Accept is missing or does not match the key sent.
    HandshakeAccept = 50,
}

/// The one table of errors: each one's name (the C constant's), description and the close code
/// to send, in declaration order. It generates `ALL` and `info` (behind `name_cstr`,
/// `description_cstr` and `close_code`); an error missing here does not compile.
macro_rules! ws_error_table {
    ($($variant:ident => $name:literal, $description:literal, $close:literal;)*) => {
        impl WsError {
            /// Every value, in declaration order.
            pub const ALL: &'static [WsError] = &[$(WsError::$variant),*];

            /// (name, description, close code) of the value.
            const fn info(self) -> (&'static CStr, &'static CStr, u16) {
                match self {
                    $(WsError::$variant => {
                        const INFO: (&CStr, &CStr, u16) = (
                            crate::static_cstr(concat!($name, "\0")),
                            crate::static_cstr(concat!($description, "\0")),
                            $close,
                        );
                        INFO
                    })*
                }
            }
        }
    };
}

ws_error_table! {
    Ok => "WF_WS_ERR_OK", "success", 0;
    Paused => "WF_WS_ERR_PAUSED", "decoding paused by a callback", 0;
    CallbackError => "WF_WS_ERR_CALLBACK_ERROR", "a callback reported an error", 1011;
    ReservedOpcode => "WF_WS_ERR_RESERVED_OPCODE", "reserved opcode", 1002;
    ReservedBits => "WF_WS_ERR_RESERVED_BITS", "RSV bit set without a negotiated extension", 1002;
    FragmentedControl => "WF_WS_ERR_FRAGMENTED_CONTROL", "fragmented control frame", 1002;
    ControlTooLong => "WF_WS_ERR_CONTROL_TOO_LONG", "control frame payload longer than 125 bytes", 1002;
    UnexpectedContinuation => "WF_WS_ERR_UNEXPECTED_CONTINUATION", "continuation frame without a message to continue", 1002;
    ExpectedContinuation => "WF_WS_ERR_EXPECTED_CONTINUATION", "new data frame inside a fragmented message", 1002;
    LengthTopBit => "WF_WS_ERR_LENGTH_TOP_BIT", "64-bit payload length with the most significant bit set", 1002;
    NonMinimalLength => "WF_WS_ERR_NON_MINIMAL_LENGTH", "payload length not minimally encoded", 1002;
    UnmaskedFrame => "WF_WS_ERR_UNMASKED_FRAME", "client frame is not masked", 1002;
    MaskedFrame => "WF_WS_ERR_MASKED_FRAME", "server frame is masked", 1002;
    InvalidUtf8 => "WF_WS_ERR_INVALID_UTF8", "invalid UTF-8 in a text message", 1007;
    IncompleteUtf8 => "WF_WS_ERR_INCOMPLETE_UTF8", "text message ends inside a UTF-8 code point", 1007;
    CloseTooShort => "WF_WS_ERR_CLOSE_TOO_SHORT", "close frame payload of one byte", 1002;
    InvalidCloseCode => "WF_WS_ERR_INVALID_CLOSE_CODE", "close code that may not be sent", 1002;
    InvalidCloseReason => "WF_WS_ERR_INVALID_CLOSE_REASON", "close reason is not valid UTF-8", 1007;
    FrameTooLarge => "WF_WS_ERR_FRAME_TOO_LARGE", "frame payload exceeds the limit", 1009;
    MessageTooLarge => "WF_WS_ERR_MESSAGE_TOO_LARGE", "message size exceeds the limit", 1009;
    TooManyFragments => "WF_WS_ERR_TOO_MANY_FRAGMENTS", "message has more fragments than the limit", 1009;
    UnexpectedRsv1 => "WF_WS_ERR_UNEXPECTED_RSV1", "RSV1 set on a control or continuation frame", 1002;
    NullPointer => "WF_WS_ERR_NULL_POINTER", "a required pointer argument is NULL", 0;
    BufferTooSmall => "WF_WS_ERR_BUFFER_TOO_SMALL", "output buffer too small", 0;
    InvalidArgument => "WF_WS_ERR_INVALID_ARGUMENT", "invalid argument", 0;
    Internal => "WF_WS_ERR_INTERNAL", "internal error (panic caught at the C boundary)", 1011;
    NotInitialized => "WF_WS_ERR_NOT_INITIALIZED", "decoder not initialized", 0;
    HandshakeMethod => "WF_WS_ERR_HANDSHAKE_METHOD", "upgrade request method is not GET", 0;
    HandshakeHttpVersion => "WF_WS_ERR_HANDSHAKE_HTTP_VERSION", "upgrade request is older than HTTP/1.1", 0;
    HandshakeUpgrade => "WF_WS_ERR_HANDSHAKE_UPGRADE", "Upgrade header lacks the websocket token", 0;
    HandshakeConnection => "WF_WS_ERR_HANDSHAKE_CONNECTION", "Connection header lacks the Upgrade token", 0;
    HandshakeVersion => "WF_WS_ERR_HANDSHAKE_VERSION", "Sec-WebSocket-Version is missing or not 13", 0;
    HandshakeKey => "WF_WS_ERR_HANDSHAKE_KEY", "Sec-WebSocket-Key is missing or not base64 of 16 bytes", 0;
    HandshakeHost => "WF_WS_ERR_HANDSHAKE_HOST", "Host header missing or repeated", 0;
    HandshakeExtensions => "WF_WS_ERR_HANDSHAKE_EXTENSIONS", "invalid Sec-WebSocket-Extensions", 0;
    HandshakeProtocol => "WF_WS_ERR_HANDSHAKE_PROTOCOL", "invalid or unoffered Sec-WebSocket-Protocol", 0;
    HandshakeStatus => "WF_WS_ERR_HANDSHAKE_STATUS", "response status is not 101", 0;
    HandshakeAccept => "WF_WS_ERR_HANDSHAKE_ACCEPT", "Sec-WebSocket-Accept missing or wrong", 0;
}

impl WsError {
    /// The value whose number is `n`, or `None`.
    pub fn from_u32(n: u32) -> Option<WsError> {
        WsError::ALL.iter().copied().find(|v| *v as u32 == n)
    }

    /// The stable name, such as `"WF_WS_ERR_INVALID_UTF8"` (the C constant's name), as a
    /// NUL-terminated static string.
    pub const fn name_cstr(self) -> &'static CStr {
        self.info().0
    }

    /// A one-line English description, as a NUL-terminated static string.
    pub const fn description_cstr(self) -> &'static CStr {
        self.info().1
    }

    /// The close code to send when this error ends a connection (1002 protocol error,
    /// 1007 invalid payload data, 1009 message too big, 1011 internal error), or 0 when
    /// the error is not one a peer caused on an open connection.
    pub const fn close_code(self) -> u16 {
        self.info().2
    }
}

impl WsError {
    /// The name as a Rust string (see [`WsError::name_cstr`]).
    pub fn name(self) -> &'static str {
        self.name_cstr().to_str().unwrap_or("")
    }

    /// The description as a Rust string (see [`WsError::description_cstr`]).
    pub fn description(self) -> &'static str {
        self.description_cstr().to_str().unwrap_or("")
    }
}

impl core::fmt::Display for WsError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}: {}", self.name(), self.description())
    }
}

impl std::error::Error for WsError {}
