//! Masking: every kernel, `mask` itself, `mask` applied in random pieces with their payload
//! offsets, and `mask_into` (copying into another buffer) give the bytes of the byte-at-a-time
//! reference, at any start alignment.
//!
//! Input: 4 bytes of key, 1 byte of offset, 1 byte of alignment, 1 byte of seed, then the data.

use wireframe::ws::mask::{mask, mask_into, mask_reference, mask_with, Kernel};

use crate::{cuts, take_config, Rng};

/// The fuzz target.
pub fn check(data: &[u8]) {
    let (c, payload) = take_config::<7>(data);
    let key = [c[0], c[1], c[2], c[3]];
    let offset = c[4] as u64 * 0x0001_0101_0101;
    let align = (c[5] % 64) as usize;
    let mut expected = payload.to_vec();
    mask_reference(&mut expected, key, offset);

    // Place the data at the chosen alignment inside a larger buffer.
    let mut buf = vec![0xA5u8; payload.len() + 64];
    let run = |buf: &mut Vec<u8>, f: &dyn Fn(&mut [u8])| {
        buf.iter_mut().for_each(|b| *b = 0xA5);
        buf[align..align + payload.len()].copy_from_slice(payload);
        f(&mut buf[align..align + payload.len()]);
        assert!(
            buf[..align].iter().all(|&b| b == 0xA5),
            "wrote before the data"
        );
        assert!(
            buf[align + payload.len()..].iter().all(|&b| b == 0xA5),
            "wrote after the data"
        );
        buf[align..align + payload.len()].to_vec()
    };

    assert_eq!(run(&mut buf, &|d| mask(d, key, offset)), expected, "mask");
    for kernel in Kernel::ALL {
        if kernel.is_available() {
            let got = run(&mut buf, &|d| {
                assert!(mask_with(kernel, d, key, offset));
            });
            assert_eq!(got, expected, "kernel {kernel:?}");
        }
    }
    let mut rng = Rng::new(c[6] as u64);
    let cut = cuts(&mut rng, payload.len(), c[6] >> 4 | 2);
    let got = run(&mut buf, &|d| {
        let mut start = 0;
        for end in cut.iter().copied().chain([d.len()]) {
            mask(&mut d[start..end], key, offset + start as u64);
            start = end;
        }
    });
    assert_eq!(got, expected, "mask in pieces {cut:?}");
    // Copying while masking: the source stays as it was, only the source's length is written.
    buf.iter_mut().for_each(|b| *b = 0xA5);
    let n = mask_into(payload, &mut buf[align..], key, offset);
    assert_eq!(n, payload.len(), "mask_into count");
    assert_eq!(&buf[align..align + n], &expected[..], "mask_into");
    assert!(
        buf[..align]
            .iter()
            .chain(&buf[align + n..])
            .all(|&b| b == 0xA5),
        "mask_into wrote outside its destination"
    );
    // Masking twice restores the input.
    let mut twice = expected.clone();
    mask(&mut twice, key, offset);
    assert_eq!(twice, payload, "mask is not an involution");
}
