//! Masking (RFC 6455 5.3): `data[i] ^= key[(offset + i) % 4]`, in place.
//!
//! Kernels: AVX2 (32 bytes per step) or SSE2 (16 bytes) on x86_64, chosen at run time with
//! `is_x86_feature_detected!` (the standard library caches the CPU query, so there is no state
//! here); NEON (16 bytes) on aarch64; a portable word-at-a-time loop everywhere else, and
//! everywhere when the `force-scalar` feature is on. Every kernel gives the same bytes as
//! [`mask_reference`]; the tests check it for every length 0..300, offset 0..3 and alignment.
//!
//! Because every step length is a multiple of 4, one key pattern rotated by the offset is
//! valid for every step, and the tail is finished by the scalar loop with the offset advanced.

/// XORs `data` in place with the masking `key`, as if `data` started `offset` bytes into the
/// payload (only `offset % 4` matters). Masking twice with the same key and offset restores the
/// input, so this both masks and unmasks. A payload may be processed in pieces by passing each
/// piece's payload offset.
pub fn mask(data: &mut [u8], key: [u8; 4], offset: u64) {
    let rot = (offset % 4) as usize;
    let k = [
        key[rot],
        key[(rot + 1) % 4],
        key[(rot + 2) % 4],
        key[(rot + 3) % 4],
    ];
    #[cfg(all(target_arch = "x86_64", not(feature = "force-scalar")))]
    {
        if data.len() >= 32 && std::is_x86_feature_detected!("avx2") {
            // SAFETY: AVX2 support was just checked at run time.
            let done = unsafe { x86::mask_avx2(data, k) };
            return mask_words(data.get_mut(done..).unwrap_or_default(), k);
        }
        if data.len() >= 16 {
            // SSE2 is part of the x86_64 baseline, so the kernel is always available.
            let done = x86::mask_sse2(data, k);
            return mask_words(data.get_mut(done..).unwrap_or_default(), k);
        }
    }
    #[cfg(all(target_arch = "aarch64", not(feature = "force-scalar")))]
    {
        if data.len() >= 16 {
            let done = arm::mask_neon(data, k);
            return mask_words(data.get_mut(done..).unwrap_or_default(), k);
        }
    }
    mask_words(data, k);
}

/// A masking kernel, so that tests and benchmarks can run each one against the others.
///
/// cbindgen:ignore
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kernel {
    /// The portable word-at-a-time loop (always available).
    Words,
    /// SSE2, 16 bytes per step (x86_64 without `force-scalar`).
    Sse2,
    /// AVX2, 32 bytes per step (x86_64 CPUs with AVX2, without `force-scalar`).
    Avx2,
    /// NEON, 16 bytes per step (aarch64 without `force-scalar`).
    Neon,
}

impl Kernel {
    /// Every kernel, available or not.
    pub const ALL: [Kernel; 4] = [Kernel::Words, Kernel::Sse2, Kernel::Avx2, Kernel::Neon];

    /// Whether this kernel is compiled in and the CPU supports it.
    pub fn is_available(self) -> bool {
        match self {
            Kernel::Words => true,
            #[cfg(all(target_arch = "x86_64", not(feature = "force-scalar")))]
            Kernel::Sse2 => true,
            #[cfg(all(target_arch = "x86_64", not(feature = "force-scalar")))]
            Kernel::Avx2 => std::is_x86_feature_detected!("avx2"),
            #[cfg(all(target_arch = "aarch64", not(feature = "force-scalar")))]
            Kernel::Neon => true,
            #[allow(unreachable_patterns)]
            _ => false,
        }
    }
}

/// Same contract as [`mask`], but with the given `kernel` (its tail finished by the portable
/// loop). Returns false, leaving `data` untouched, when the kernel is not available.
pub fn mask_with(kernel: Kernel, data: &mut [u8], key: [u8; 4], offset: u64) -> bool {
    if !kernel.is_available() {
        return false;
    }
    let rot = (offset % 4) as usize;
    let k = [
        key[rot],
        key[(rot + 1) % 4],
        key[(rot + 2) % 4],
        key[(rot + 3) % 4],
    ];
    let done = match kernel {
        #[cfg(all(target_arch = "x86_64", not(feature = "force-scalar")))]
        Kernel::Sse2 => x86::mask_sse2(data, k),
        #[cfg(all(target_arch = "x86_64", not(feature = "force-scalar")))]
        // SAFETY: `is_available` checked AVX2 at run time.
        Kernel::Avx2 => unsafe { x86::mask_avx2(data, k) },
        #[cfg(all(target_arch = "aarch64", not(feature = "force-scalar")))]
        Kernel::Neon => arm::mask_neon(data, k),
        _ => 0,
    };
    mask_words(data.get_mut(done..).unwrap_or_default(), k);
    true
}

/// Portable kernel: 8 bytes at a time as a `u64`, then byte by byte. `k` is already rotated so
/// that `k[0]` applies to `data[0]`.
fn mask_words(data: &mut [u8], k: [u8; 4]) {
    let word = u64::from_ne_bytes([k[0], k[1], k[2], k[3], k[0], k[1], k[2], k[3]]);
    let mut chunks = data.chunks_exact_mut(8);
    for chunk in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        chunk.copy_from_slice(&(u64::from_ne_bytes(w) ^ word).to_ne_bytes());
    }
    // The tail starts at a multiple of 8, so k[0] applies to its first byte again.
    for (i, b) in chunks.into_remainder().iter_mut().enumerate() {
        *b ^= k[i % 4];
    }
}

/// The obvious byte-at-a-time definition, kept as the reference the fast kernels are tested
/// against. Same contract as [`mask`].
pub fn mask_reference(data: &mut [u8], key: [u8; 4], offset: u64) {
    for (i, b) in data.iter_mut().enumerate() {
        *b ^= key[((offset % 4) as usize + i) % 4];
    }
}

#[cfg(all(target_arch = "x86_64", not(feature = "force-scalar")))]
mod x86 {
    use core::arch::x86_64::*;

    /// Masks the longest prefix of `data` that is a multiple of 16 bytes; returns its length.
    pub(super) fn mask_sse2(data: &mut [u8], k: [u8; 4]) -> usize {
        let n = data.len() / 16 * 16;
        let ptr = data.as_mut_ptr();
        // SAFETY: SSE2 is in the x86_64 baseline. `i + 16 <= n <= data.len()`, so every
        // unaligned 16-byte load and store stays inside `data`, which we borrow mutably.
        unsafe {
            let key = _mm_set1_epi32(i32::from_ne_bytes(k));
            let mut i = 0;
            while i < n {
                let p = ptr.add(i) as *mut __m128i;
                _mm_storeu_si128(p, _mm_xor_si128(_mm_loadu_si128(p), key));
                i += 16;
            }
        }
        n
    }

    /// Masks the longest prefix of `data` that is a multiple of 32 bytes; returns its length.
    ///
    /// # Safety
    /// The CPU must support AVX2.
    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn mask_avx2(data: &mut [u8], k: [u8; 4]) -> usize {
        let n = data.len() / 32 * 32;
        let ptr = data.as_mut_ptr();
        // SAFETY: the caller checked AVX2. `i + 32 <= n <= data.len()`, so every unaligned
        // 32-byte load and store stays inside `data`, which we borrow mutably.
        unsafe {
            let key = _mm256_set1_epi32(i32::from_ne_bytes(k));
            let mut i = 0;
            while i < n {
                let p = ptr.add(i) as *mut __m256i;
                _mm256_storeu_si256(p, _mm256_xor_si256(_mm256_loadu_si256(p), key));
                i += 32;
            }
        }
        n
    }
}

#[cfg(all(target_arch = "aarch64", not(feature = "force-scalar")))]
mod arm {
    use core::arch::aarch64::*;

    /// Masks the longest prefix of `data` that is a multiple of 16 bytes; returns its length.
    pub(super) fn mask_neon(data: &mut [u8], k: [u8; 4]) -> usize {
        let n = data.len() / 16 * 16;
        let ptr = data.as_mut_ptr();
        // SAFETY: NEON is in the aarch64 baseline. `i + 16 <= n <= data.len()`, so every
        // 16-byte load and store stays inside `data`, which we borrow mutably.
        unsafe {
            let key = vreinterpretq_u8_u32(vdupq_n_u32(u32::from_ne_bytes(k)));
            let mut i = 0;
            while i < n {
                let p = ptr.add(i);
                vst1q_u8(p, veorq_u8(vld1q_u8(p), key));
                i += 16;
            }
        }
        n
    }
}
