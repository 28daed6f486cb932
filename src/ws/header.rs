//! Frame header types (RFC 6455 5.2).
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-------+-+-------------+-------------------------------+
//! |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
//! |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
//! |N|V|V|V|       |S|             |   (if payload len==126/127)   |
//! | |1|2|3|       |K|             |                               |
//! ```

/// The 4-bit opcode, with every reserved value as its own variant so that any nibble maps to
/// exactly one variant.
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Opcode {
    /// 0x0: "denotes a continuation frame".
    Continuation = 0x0,
    /// 0x1: "denotes a text frame".
    Text = 0x1,
    /// 0x2: "denotes a binary frame".
    Binary = 0x2,
    /// 0x3: reserved for further non-control frames.
    Reserved3 = 0x3,
    /// 0x4: reserved for further non-control frames.
    Reserved4 = 0x4,
    /// 0x5: reserved for further non-control frames.
    Reserved5 = 0x5,
    /// 0x6: reserved for further non-control frames.
    Reserved6 = 0x6,
    /// 0x7: reserved for further non-control frames.
    Reserved7 = 0x7,
    /// 0x8: "denotes a connection close".
    Close = 0x8,
    /// 0x9: "denotes a ping".
    Ping = 0x9,
    /// 0xA: "denotes a pong".
    Pong = 0xA,
    /// 0xB: reserved for further control frames.
    ReservedB = 0xB,
    /// 0xC: reserved for further control frames.
    ReservedC = 0xC,
    /// 0xD: reserved for further control frames.
    ReservedD = 0xD,
    /// 0xE: reserved for further control frames.
    ReservedE = 0xE,
    /// 0xF: reserved for further control frames.
    ReservedF = 0xF,
}

impl Opcode {
    /// The opcode for the low 4 bits of `nibble` (higher bits are ignored).
    pub fn from_nibble(nibble: u8) -> Opcode {
        use Opcode::*;
        match nibble & 0x0F {
            0x0 => Continuation,
            0x1 => Text,
            0x2 => Binary,
            0x3 => Reserved3,
            0x4 => Reserved4,
            0x5 => Reserved5,
            0x6 => Reserved6,
            0x7 => Reserved7,
            0x8 => Close,
            0x9 => Ping,
            0xA => Pong,
            0xB => ReservedB,
            0xC => ReservedC,
            0xD => ReservedD,
            0xE => ReservedE,
            _ => ReservedF,
        }
    }

    /// Whether this is a control opcode (0x8-0xF): "Control frames are identified by opcodes
    /// where the most significant bit of the opcode is 1."
    pub fn is_control(self) -> bool {
        (self as u8) & 0x8 != 0
    }

    /// Whether the opcode is reserved (0x3-0x7, 0xB-0xF).
    pub fn is_reserved(self) -> bool {
        matches!(self as u8, 0x3..=0x7 | 0xB..=0xF)
    }
}

/// A decoded (or to-be-encoded) frame header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FrameHeader {
    /// FIN: this is the final fragment of a message.
    pub fin: bool,
    /// RSV1 (permessage-deflate's "compressed" bit).
    pub rsv1: bool,
    /// RSV2.
    pub rsv2: bool,
    /// RSV3.
    pub rsv3: bool,
    /// The opcode.
    pub opcode: Opcode,
    /// The masking key, if the MASK bit is set.
    pub mask: Option<[u8; 4]>,
    /// The payload length in bytes (at most 2^63 - 1 on the wire).
    pub payload_len: u64,
}

/// Largest payload of a control frame: "All control frames MUST have a payload length of 125
/// bytes or less".
///
/// cbindgen:ignore
pub const MAX_CONTROL_PAYLOAD: usize = 125;

/// Largest frame header: 2 bytes, 8 bytes of extended length, 4 bytes of masking key.
///
/// cbindgen:ignore
pub const MAX_HEADER_LEN: usize = 14;
