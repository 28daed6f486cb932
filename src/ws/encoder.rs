//! The frame encoder: writes into a caller buffer, never allocates. Every function checks the
//! buffer size first and writes nothing when it is too small ([`WsError::BufferTooSmall`]);
//! [`frame_len`] says how big it must be.

use super::close::close_code_may_be_sent;
use super::error::WsError;
use super::header::{FrameHeader, Opcode, MAX_CONTROL_PAYLOAD};
use super::mask::mask_into;
use super::utf8::Utf8Validator;

/// Length of the header for a payload of `payload_len` bytes: 2, 4 or 10 bytes, plus 4 when
/// masked (so 2 to 14).
pub fn header_len(payload_len: u64, masked: bool) -> usize {
    let base = if payload_len < 126 {
        2
    } else if payload_len <= 0xFFFF {
        4
    } else {
        10
    };
    if masked {
        base + 4
    } else {
        base
    }
}

/// Bytes a whole frame with `payload_len` payload bytes needs (header plus payload), or `None`
/// if that does not fit in `usize`.
pub fn frame_len(payload_len: u64, masked: bool) -> Option<usize> {
    usize::try_from(payload_len)
        .ok()?
        .checked_add(header_len(payload_len, masked))
}

/// Writes `header` into the start of `out` in its minimal encoding. Returns the number of
/// bytes written (2 to 14).
///
/// Errors: `InvalidArgument` for a reserved opcode, a payload length with bit 63 set, or a
/// control frame that is fragmented or longer than 125 bytes; `BufferTooSmall` when `out` is
/// shorter than [`header_len`].
pub fn write_header(out: &mut [u8], header: &FrameHeader) -> Result<usize, WsError> {
    let op = header.opcode;
    let len = header.payload_len;
    if op.is_reserved()
        || len >> 63 != 0
        || (op.is_control() && (!header.fin || len > MAX_CONTROL_PAYLOAD as u64))
    {
        return Err(WsError::InvalidArgument);
    }
    let n = header_len(len, header.mask.is_some());
    let out = out.get_mut(..n).ok_or(WsError::BufferTooSmall)?;
    let mut b0 = op as u8;
    for (bit, on) in [
        (0x80, header.fin),
        (0x40, header.rsv1),
        (0x20, header.rsv2),
        (0x10, header.rsv3),
    ] {
        if on {
            b0 |= bit;
        }
    }
    let mask_bit = if header.mask.is_some() { 0x80 } else { 0 };
    let mut buf = [0u8; 14];
    buf[0] = b0;
    let mut at = 2;
    if len < 126 {
        buf[1] = mask_bit | len as u8;
    } else if len <= 0xFFFF {
        buf[1] = mask_bit | 126;
        buf[2..4].copy_from_slice(&(len as u16).to_be_bytes());
        at = 4;
    } else {
        buf[1] = mask_bit | 127;
        buf[2..10].copy_from_slice(&len.to_be_bytes());
        at = 10;
    }
    if let Some(key) = header.mask {
        buf[at..at + 4].copy_from_slice(&key);
    }
    out.copy_from_slice(buf.get(..n).unwrap_or_default());
    Ok(n)
}

/// Writes a whole frame: header, then `payload` copied and, when `mask_key` is given, masked
/// with it. `rsv1` marks a compressed (permessage-deflate) first frame. Returns the bytes
/// written ([`frame_len`]). Errors as for [`write_header`].
pub fn write_frame(
    out: &mut [u8],
    fin: bool,
    rsv1: bool,
    opcode: Opcode,
    mask_key: Option<[u8; 4]>,
    payload: &[u8],
) -> Result<usize, WsError> {
    let header = FrameHeader {
        fin,
        rsv1,
        rsv2: false,
        rsv3: false,
        opcode,
        mask: mask_key,
        payload_len: payload.len() as u64,
    };
    let total =
        frame_len(header.payload_len, mask_key.is_some()).ok_or(WsError::InvalidArgument)?;
    if out.len() < total {
        // Check the arguments first so that the error does not depend on the buffer.
        write_header(&mut [0u8; 14], &header)?;
        return Err(WsError::BufferTooSmall);
    }
    let h = write_header(out, &header)?;
    let body = out.get_mut(h..total).ok_or(WsError::BufferTooSmall)?;
    match mask_key {
        Some(key) => {
            mask_into(payload, body, key, 0);
        }
        None => body.copy_from_slice(payload),
    }
    Ok(total)
}

/// Writes a close frame. `code` 0 means "no status code" and then `reason` must be empty;
/// otherwise `code` must be one that may be sent (see
/// [`close_code_may_be_sent`]), `reason` must be UTF-8, and together they are at most 125
/// bytes (so `reason` at most 123). Returns the bytes written, or `InvalidArgument` /
/// `BufferTooSmall`.
pub fn write_close(
    out: &mut [u8],
    code: u16,
    reason: &[u8],
    mask_key: Option<[u8; 4]>,
) -> Result<usize, WsError> {
    let mut payload = [0u8; MAX_CONTROL_PAYLOAD];
    let len = if code == 0 {
        if !reason.is_empty() {
            return Err(WsError::InvalidArgument);
        }
        0
    } else {
        if !close_code_may_be_sent(code) || reason.len() > MAX_CONTROL_PAYLOAD - 2 {
            return Err(WsError::InvalidArgument);
        }
        let mut v = Utf8Validator::new();
        if v.feed(reason).is_err() || !v.is_complete() {
            return Err(WsError::InvalidArgument);
        }
        payload[..2].copy_from_slice(&code.to_be_bytes());
        payload[2..2 + reason.len()].copy_from_slice(reason);
        2 + reason.len()
    };
    write_frame(
        out,
        true,
        false,
        Opcode::Close,
        mask_key,
        payload.get(..len).unwrap_or_default(),
    )
}

/// Writes a ping frame with `payload` (at most 125 bytes). Returns the bytes written.
pub fn write_ping(
    out: &mut [u8],
    payload: &[u8],
    mask_key: Option<[u8; 4]>,
) -> Result<usize, WsError> {
    write_frame(out, true, false, Opcode::Ping, mask_key, payload)
}

/// Writes a pong frame with `payload` (at most 125 bytes; echo the ping's payload). Returns
/// the bytes written.
pub fn write_pong(
    out: &mut [u8],
    payload: &[u8],
    mask_key: Option<[u8; 4]>,
) -> Result<usize, WsError> {
    write_frame(out, true, false, Opcode::Pong, mask_key, payload)
}
