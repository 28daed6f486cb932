//! The delimiter search of the multipart parser: where does `needle` (`CRLF--boundary`) start
//! in a block of body bytes, or where does a prefix of it hang off the block's end?
//!
//! The fast kernels look at 16 (SSE2) or 32 (AVX2) candidate positions at once, keeping a
//! position only when both the needle's first byte and its last byte are where they would be
//! (the "first and last byte" filter that memchr's memmem prefilter also uses), then confirm
//! with a comparison of the whole needle. A body without the delimiter goes by at one or two
//! vector compares per 32 bytes. AVX2 is chosen at run time (`is_x86_feature_detected!`, which
//! the standard library caches); SSE2 is in the x86_64 baseline; other targets, and builds with
//! the `force-scalar` feature, use a portable word-at-a-time scan for the first byte. Every
//! kernel is tested against [`find_reference`], a plain loop over every position.
//!
//! This module holds the only `unsafe` code of the `form` module.

/// What [`find`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Found {
    /// The whole needle starts at this index.
    Full(usize),
    /// The haystack ends with a proper, non-empty prefix of the needle starting at this index
    /// (and no whole needle starts before it).
    Partial(usize),
    /// Neither.
    Nothing,
}

/// The first index `j >= from` where `hay[j..]` starts with `needle` or is a proper prefix of
/// it. `needle` must not be empty.
#[inline]
pub(crate) fn find(hay: &[u8], from: usize, needle: &[u8]) -> Found {
    #[allow(unused_mut)]
    let mut from = from;
    #[cfg(all(target_arch = "x86_64", not(feature = "force-scalar")))]
    {
        let n = needle.len();
        if n >= 2 && from + n + 16 <= hay.len() {
            let r = if from + n + 32 <= hay.len() && std::is_x86_feature_detected!("avx2") {
                // SAFETY: AVX2 support was just checked.
                unsafe { x86::find_avx2(hay, from, needle) }
            } else {
                x86::find_sse2(hay, from, needle)
            };
            match r {
                Ok(j) => return Found::Full(j),
                Err(next) => from = next,
            }
        }
    }
    find_portable(hay, from, needle)
}

/// Candidate-by-candidate search from `from`: a word-at-a-time scan for the first byte, then a
/// comparison. Used for the tails the vector kernels leave and on every other target.
fn find_portable(hay: &[u8], mut from: usize, needle: &[u8]) -> Found {
    let first = needle[0];
    while from < hay.len() {
        let Some(j) = find_byte(hay, from, first) else {
            return Found::Nothing;
        };
        if let Some(found) = match_at(hay, j, needle) {
            return found;
        }
        from = j + 1;
    }
    Found::Nothing
}

/// Whether a whole needle, or a proper prefix of it that ends the haystack, starts at `j`.
#[inline]
fn match_at(hay: &[u8], j: usize, needle: &[u8]) -> Option<Found> {
    let rest = &hay[j..];
    if rest.len() >= needle.len() {
        (&rest[..needle.len()] == needle).then_some(Found::Full(j))
    } else {
        needle.starts_with(rest).then_some(Found::Partial(j))
    }
}

/// Index of the first `b` in `hay[from..]`, eight bytes at a time.
#[inline]
fn find_byte(hay: &[u8], mut from: usize, b: u8) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let pattern = LO.wrapping_mul(b as u64);
    while from + 8 <= hay.len() {
        let mut w = [0u8; 8];
        w.copy_from_slice(&hay[from..from + 8]);
        let x = u64::from_le_bytes(w) ^ pattern;
        let zero = x.wrapping_sub(LO) & !x & HI;
        if zero != 0 {
            return Some(from + (zero.trailing_zeros() / 8) as usize);
        }
        from += 8;
    }
    hay[from.min(hay.len())..]
        .iter()
        .position(|&c| c == b)
        .map(|k| from + k)
}

/// The definition the kernels are tested against: every position in turn.
#[cfg(test)]
pub(crate) fn find_reference(hay: &[u8], from: usize, needle: &[u8]) -> Found {
    (from..hay.len())
        .find_map(|j| match_at(hay, j, needle))
        .unwrap_or(Found::Nothing)
}

#[cfg(all(target_arch = "x86_64", not(feature = "force-scalar")))]
mod x86 {
    use core::arch::x86_64::*;

    /// Checks the candidates of one block: `bits` has bit i set when position `base + i` has
    /// the needle's first and last bytes in place. Returns the first confirmed position.
    #[inline(always)]
    fn confirm(hay: &[u8], base: usize, mut bits: u32, needle: &[u8]) -> Option<usize> {
        while bits != 0 {
            let j = base + bits.trailing_zeros() as usize;
            // The kernels only report positions with `j + needle.len() <= hay.len()`.
            if hay.get(j..j + needle.len()) == Some(needle) {
                return Some(j);
            }
            bits &= bits - 1;
        }
        None
    }

    /// SSE2 kernel. Returns `Ok(j)` for the first whole needle at `j >= from`, or `Err(next)`:
    /// no whole needle starts in `from..next`, and the caller goes on from `next`.
    /// Requires `needle.len() >= 2`.
    pub(super) fn find_sse2(hay: &[u8], mut from: usize, needle: &[u8]) -> Result<usize, usize> {
        let n = needle.len();
        // SAFETY: SSE2 is in the x86_64 baseline; the intrinsics only compute on registers.
        let (first, last) = unsafe {
            (
                _mm_set1_epi8(needle[0] as i8),
                _mm_set1_epi8(needle[n - 1] as i8),
            )
        };
        while from + n - 1 + 16 <= hay.len() {
            // SAFETY: both 16-byte loads end at or before `from + n - 1 + 16 <= hay.len()`;
            // unaligned loads have no alignment requirement.
            let bits = unsafe {
                let a = _mm_loadu_si128(hay.as_ptr().add(from) as *const __m128i);
                let b = _mm_loadu_si128(hay.as_ptr().add(from + n - 1) as *const __m128i);
                let m = _mm_and_si128(_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, last));
                _mm_movemask_epi8(m) as u32
            };
            if bits != 0 {
                if let Some(j) = confirm(hay, from, bits, needle) {
                    return Ok(j);
                }
            }
            from += 16;
        }
        Err(from)
    }

    /// AVX2 kernel, as [`find_sse2`] with 32 positions per step.
    ///
    /// # Safety
    /// The CPU must support AVX2.
    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn find_avx2(
        hay: &[u8],
        mut from: usize,
        needle: &[u8],
    ) -> Result<usize, usize> {
        let n = needle.len();
        let first = _mm256_set1_epi8(needle[0] as i8);
        let last = _mm256_set1_epi8(needle[n - 1] as i8);
        while from + n - 1 + 64 <= hay.len() {
            // Two blocks per step: one branch for 64 positions in the common case.
            // SAFETY: the four 32-byte loads end at or before `from + n - 1 + 64 <=
            // hay.len()`; unaligned loads have no alignment requirement.
            let (lo, hi) = unsafe {
                let p = hay.as_ptr().add(from);
                let a0 = _mm256_loadu_si256(p as *const __m256i);
                let b0 = _mm256_loadu_si256(p.add(n - 1) as *const __m256i);
                let a1 = _mm256_loadu_si256(p.add(32) as *const __m256i);
                let b1 = _mm256_loadu_si256(p.add(n - 1 + 32) as *const __m256i);
                let m0 =
                    _mm256_and_si256(_mm256_cmpeq_epi8(a0, first), _mm256_cmpeq_epi8(b0, last));
                let m1 =
                    _mm256_and_si256(_mm256_cmpeq_epi8(a1, first), _mm256_cmpeq_epi8(b1, last));
                (
                    _mm256_movemask_epi8(m0) as u32,
                    _mm256_movemask_epi8(m1) as u32,
                )
            };
            if (lo | hi) != 0 {
                if let Some(j) = confirm(hay, from, lo, needle) {
                    return Ok(j);
                }
                if let Some(j) = confirm(hay, from + 32, hi, needle) {
                    return Ok(j);
                }
            }
            from += 64;
        }
        while from + n - 1 + 32 <= hay.len() {
            // SAFETY: both loads end at or before `from + n - 1 + 32 <= hay.len()`.
            let bits = unsafe {
                let p = hay.as_ptr().add(from);
                let a = _mm256_loadu_si256(p as *const __m256i);
                let b = _mm256_loadu_si256(p.add(n - 1) as *const __m256i);
                _mm256_movemask_epi8(_mm256_and_si256(
                    _mm256_cmpeq_epi8(a, first),
                    _mm256_cmpeq_epi8(b, last),
                )) as u32
            };
            if bits != 0 {
                if let Some(j) = confirm(hay, from, bits, needle) {
                    return Ok(j);
                }
            }
            from += 32;
        }
        Err(from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (xorshift), so the test needs no dependency.
    fn rng(seed: &mut u64) -> u64 {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        *seed
    }

    #[test]
    fn kernels_agree_with_reference_everywhere() {
        let needles: [&[u8]; 3] = [
            b"\r\n--b",
            b"\r\n--AaB03x",
            b"\r\n------WebKitFormBoundary7MA4YWxkTrZu0gW",
        ];
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for needle in needles {
            for len in 0..200usize {
                // Alphabet of the needle's own bytes, so near-misses are frequent.
                for _ in 0..4 {
                    let mut hay: Vec<u8> = (0..len)
                        .map(|_| needle[(rng(&mut seed) % needle.len() as u64) as usize])
                        .collect();
                    // Plant a whole needle, or a prefix at the end, sometimes.
                    let r = rng(&mut seed);
                    if len >= needle.len() && r % 3 == 0 {
                        let at = (r as usize / 3) % (len - needle.len() + 1);
                        hay[at..at + needle.len()].copy_from_slice(needle);
                    } else if len > 0 && r % 3 == 1 {
                        let k = 1 + (r as usize / 3) % (needle.len() - 1).min(len);
                        hay[len - k..].copy_from_slice(&needle[..k]);
                    }
                    for from in [0, 1, 5, 17, 33].into_iter().filter(|&f| f <= len) {
                        assert_eq!(
                            find(&hay, from, needle),
                            find_reference(&hay, from, needle),
                            "len {len} from {from} hay {hay:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn every_position_and_byte_value() {
        let needle = b"\r\n--xyz";
        for pos in 0..100 {
            for b in 0..=255u8 {
                let mut hay = vec![b'a'; 100];
                hay[pos] = b;
                if pos + needle.len() <= 100 && b == b'\r' {
                    hay[pos..pos + needle.len()].copy_from_slice(needle);
                }
                assert_eq!(find(&hay, 0, needle), find_reference(&hay, 0, needle));
            }
        }
    }

    #[test]
    fn find_byte_matches_position() {
        let hay: Vec<u8> = (0..300u32).map(|i| (i * 7 % 251) as u8).collect();
        for from in 0..40 {
            for b in [0u8, 13, 200, 250, 255] {
                let want = hay[from..].iter().position(|&c| c == b).map(|k| k + from);
                assert_eq!(find_byte(&hay, from, b), want);
            }
        }
    }
}
