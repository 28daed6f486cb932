//! Masking: the fast kernels (AVX2/SSE2/NEON or word-at-a-time) against the byte-at-a-time
//! reference, for every length 0..300 and every offset 0..3: in place at every start alignment
//! 0..31, and while copying into another buffer at six source/destination alignment pairs.

#[path = "ws_common.rs"]
mod common;

use wireframe::ws::mask::{mask, mask_into, mask_reference, mask_with, Kernel};

#[test]
fn matches_reference_for_every_length_offset_and_alignment() {
    let mut rng = common::Rng(0x9E37_79B9_7F4A_7C15);
    let key = [0x12, 0x9a, 0xfe, 0x01];
    let mut backing = vec![0u8; 300 + 64];
    for len in 0..300 {
        for offset in 0..4u64 {
            for align in 0..32 {
                for b in backing.iter_mut() {
                    *b = rng.next_u64() as u8;
                }
                let mut expect = backing.clone();
                mask_reference(&mut expect[align..align + len], key, offset);
                let mut got = backing.clone();
                mask(&mut got[align..align + len], key, offset);
                // Bytes outside the slice are untouched, bytes inside equal the reference.
                assert_eq!(got, expect, "len {len} offset {offset} align {align}");
                for kernel in Kernel::ALL {
                    let mut got = backing.clone();
                    if mask_with(kernel, &mut got[align..align + len], key, offset) {
                        assert_eq!(
                            got, expect,
                            "{kernel:?} len {len} offset {offset} align {align}"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn mask_into_matches_reference_for_every_length_offset_and_alignment() {
    let mut rng = common::Rng(0x2545_F491_4F6C_DD1D);
    let key = [0xa7, 0x03, 0x5c, 0xe8];
    let mut src = vec![0u8; 300 + 32];
    for len in 0..300 {
        for offset in 0..4u64 {
            // Source and destination at different alignments, so that neither is aligned
            // for the other.
            for (src_align, dst_align) in [(0, 0), (1, 0), (0, 3), (5, 17), (31, 1), (16, 8)] {
                for b in src.iter_mut() {
                    *b = rng.next_u64() as u8;
                }
                let from = &src[src_align..src_align + len];
                let mut expect = vec![0xEEu8; 300 + 64];
                expect[dst_align..dst_align + len].copy_from_slice(from);
                mask_reference(&mut expect[dst_align..dst_align + len], key, offset);
                let mut got = vec![0xEEu8; 300 + 64];
                // A destination longer than the source: only the source's length is written.
                let n = mask_into(from, &mut got[dst_align..dst_align + len + 7], key, offset);
                assert_eq!(n, len);
                assert_eq!(
                    got, expect,
                    "len {len} offset {offset} align {src_align}/{dst_align}"
                );
            }
        }
    }
}

#[test]
fn mask_into_short_destination_and_source_untouched() {
    let key = [9, 8, 7, 6];
    let src: Vec<u8> = (0..100u8).collect();
    let mut dst = [0u8; 40];
    assert_eq!(mask_into(&src, &mut dst, key, 2), 40);
    let mut expect = src[..40].to_vec();
    mask_reference(&mut expect, key, 2);
    assert_eq!(&dst[..], &expect[..]);
    assert_eq!(src, (0..100u8).collect::<Vec<_>>());
    assert_eq!(mask_into(&src, &mut [], key, 0), 0);
    assert_eq!(mask_into(&[], &mut dst, key, 0), 0);
    assert_eq!(&dst[..], &expect[..]);
}

#[test]
fn offsets_beyond_three_and_piecewise() {
    let key = [1, 2, 3, 4];
    let data: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
    let mut whole = data.clone();
    mask(&mut whole, key, 0);
    // Unmasking in uneven pieces with running offsets gives the same bytes.
    let mut pieces = data.clone();
    let mut at = 0;
    for step in [1usize, 3, 7, 16, 31, 33, 64, 100, 745] {
        mask(&mut pieces[at..at + step], key, at as u64);
        at += step;
    }
    assert_eq!(pieces, whole);
    let mut a = data.clone();
    let mut b = data.clone();
    mask(&mut a, key, 5);
    mask_reference(&mut b, key, 1);
    assert_eq!(a, b);
    mask(&mut a, key, u64::MAX);
    mask_reference(&mut b, key, 3);
    assert_eq!(a, b);
}

#[test]
fn exact_bytes() {
    // RFC 6455 5.7: "Hello" masked with 37 fa 21 3d.
    let mut d = *b"Hello";
    mask(&mut d, [0x37, 0xfa, 0x21, 0x3d], 0);
    assert_eq!(d, [0x7f, 0x9f, 0x4d, 0x51, 0x58]);
    let mut copy = [0u8; 5];
    assert_eq!(
        mask_into(b"Hello", &mut copy, [0x37, 0xfa, 0x21, 0x3d], 0),
        5
    );
    assert_eq!(copy, [0x7f, 0x9f, 0x4d, 0x51, 0x58]);
}

#[test]
fn kernels_available_here() {
    assert!(Kernel::Words.is_available());
    #[cfg(all(target_arch = "x86_64", not(feature = "force-scalar")))]
    assert!(Kernel::Sse2.is_available());
    #[cfg(feature = "force-scalar")]
    assert!(
        !Kernel::Sse2.is_available()
            && !Kernel::Avx2.is_available()
            && !Kernel::Neon.is_available()
    );
    let mut d = [1u8; 8];
    assert_eq!(
        mask_with(Kernel::Neon, &mut d, [1, 1, 1, 1], 0),
        Kernel::Neon.is_available()
    );
}
