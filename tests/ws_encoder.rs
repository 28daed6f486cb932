//! Encoder: exact bytes for each header form, buffer-size errors, argument checks.

use wireframe::ws::{encoder, FrameHeader, Opcode, WsError};

fn header(op: Opcode, fin: bool, len: u64, mask: Option<[u8; 4]>) -> FrameHeader {
    FrameHeader {
        fin,
        rsv1: false,
        rsv2: false,
        rsv3: false,
        opcode: op,
        mask,
        payload_len: len,
    }
}

#[test]
fn header_forms() {
    let mut out = [0u8; 14];
    type Case = (u64, Option<[u8; 4]>, &'static [u8]);
    let cases: &[Case] = &[
        (0, None, &[0x82, 0x00]),
        (125, None, &[0x82, 125]),
        (126, None, &[0x82, 126, 0, 126]),
        (65535, None, &[0x82, 126, 0xFF, 0xFF]),
        (65536, None, &[0x82, 127, 0, 0, 0, 0, 0, 1, 0, 0]),
        (
            (1 << 63) - 1,
            None,
            &[0x82, 127, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],
        ),
        (5, Some([1, 2, 3, 4]), &[0x82, 0x85, 1, 2, 3, 4]),
        (
            70000,
            Some([9, 9, 9, 9]),
            &[0x82, 0xFF, 0, 0, 0, 0, 0, 1, 0x11, 0x70, 9, 9, 9, 9],
        ),
    ];
    for &(len, mask, expect) in cases {
        let h = header(Opcode::Binary, true, len, mask);
        let n = encoder::write_header(&mut out, &h).unwrap();
        assert_eq!(&out[..n], expect, "len {len}");
        assert_eq!(encoder::header_len(len, mask.is_some()), n);
    }
    let h = FrameHeader {
        fin: false,
        rsv1: true,
        rsv2: true,
        rsv3: true,
        ..header(Opcode::Text, false, 0, None)
    };
    assert_eq!(encoder::write_header(&mut out, &h), Ok(2));
    assert_eq!(out[0], 0x71);
}

#[test]
fn rejects_bad_arguments() {
    let mut out = [0u8; 200];
    assert_eq!(
        encoder::write_header(&mut out, &header(Opcode::Reserved3, true, 0, None)),
        Err(WsError::InvalidArgument)
    );
    assert_eq!(
        encoder::write_header(&mut out, &header(Opcode::Ping, false, 0, None)),
        Err(WsError::InvalidArgument)
    );
    assert_eq!(
        encoder::write_header(&mut out, &header(Opcode::Ping, true, 126, None)),
        Err(WsError::InvalidArgument)
    );
    assert_eq!(
        encoder::write_header(&mut out, &header(Opcode::Binary, true, 1 << 63, None)),
        Err(WsError::InvalidArgument)
    );
    assert_eq!(
        encoder::write_ping(&mut out, &[0; 126], None),
        Err(WsError::InvalidArgument)
    );
    assert_eq!(
        encoder::write_close(&mut out, 1005, b"", None),
        Err(WsError::InvalidArgument)
    );
    assert_eq!(
        encoder::write_close(&mut out, 999, b"", None),
        Err(WsError::InvalidArgument)
    );
    assert_eq!(
        encoder::write_close(&mut out, 0, b"x", None),
        Err(WsError::InvalidArgument)
    );
    assert_eq!(
        encoder::write_close(&mut out, 1000, b"\xff", None),
        Err(WsError::InvalidArgument)
    );
    assert_eq!(
        encoder::write_close(&mut out, 1000, b"\xe2\x82", None),
        Err(WsError::InvalidArgument)
    );
    assert_eq!(
        encoder::write_close(&mut out, 1000, &[b'a'; 124], None),
        Err(WsError::InvalidArgument)
    );
    assert_eq!(
        encoder::write_close(&mut out, 1000, &[b'a'; 123], None),
        Ok(127)
    );
}

#[test]
fn buffer_too_small_writes_nothing() {
    for cap in 0..11 {
        let mut out = vec![0xEEu8; cap];
        assert_eq!(
            encoder::write_frame(
                &mut out,
                true,
                false,
                Opcode::Text,
                Some([1, 2, 3, 4]),
                b"hello"
            ),
            Err(WsError::BufferTooSmall)
        );
        assert!(out.iter().all(|&b| b == 0xEE));
    }
    let mut out = [0u8; 11];
    assert_eq!(
        encoder::write_frame(
            &mut out,
            true,
            false,
            Opcode::Text,
            Some([1, 2, 3, 4]),
            b"hello"
        ),
        Ok(11)
    );
    assert_eq!(encoder::frame_len(5, true), Some(11));
    let mut small = [0u8; 3];
    assert_eq!(
        encoder::write_header(&mut small, &header(Opcode::Binary, true, 200, None)),
        Err(WsError::BufferTooSmall)
    );
    // Argument errors win over size errors.
    assert_eq!(
        encoder::write_ping(&mut small, &[0; 126], None),
        Err(WsError::InvalidArgument)
    );
}

#[test]
fn control_frames_exact_bytes() {
    let mut out = [0u8; 64];
    let n = encoder::write_close(&mut out, 1000, b"bye", None).unwrap();
    assert_eq!(&out[..n], &[0x88, 5, 0x03, 0xE8, b'b', b'y', b'e']);
    let n = encoder::write_close(&mut out, 0, b"", None).unwrap();
    assert_eq!(&out[..n], &[0x88, 0]);
    let n = encoder::write_ping(&mut out, b"Hello", Some([0x37, 0xfa, 0x21, 0x3d])).unwrap();
    assert_eq!(
        &out[..n],
        &[0x89, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58]
    );
    let n = encoder::write_pong(&mut out, b"Hello", None).unwrap();
    assert_eq!(&out[..n], &[0x8a, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f]);
    let n = encoder::write_frame(&mut out, true, true, Opcode::Text, None, b"z").unwrap();
    assert_eq!(&out[..n], &[0xC1, 1, b'z']);
}
