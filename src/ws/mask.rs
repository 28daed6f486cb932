//! Masking (RFC 6455 5.3): `data[i] ^= key[(offset + i) % 4]`, in place ([`mask()`]) or
//! while copying into another buffer ([`mask_into`], one pass instead of a copy and a mask).
//!
//! Kernels: AVX2 (32 bytes per step) or SSE2 (16 bytes) on x86_64, chosen at run time with
//! `is_x86_feature_detected!` (the standard library caches the CPU query, so there is no state
//! here); NEON (16 bytes) on aarch64; a portable word-at-a-time loop everywhere else, and
//! everywhere when the `force-scalar` feature is on. Every kernel gives the same bytes as
//! [`mask_reference`]; the tests check it for every length 0..300, offset 0..3 and alignment.
//!
//! Each kernel reads from a source pointer and writes to a destination pointer, each step
//! loading a whole block before storing it, so the same code serves in place (the two pointers
//! equal) and copying (two buffers that do not overlap).
//!
//! Because every step length is a multiple of 4, one key pattern rotated by the offset is
//! valid for every step, and the tail is finished by the scalar loop with the offset advanced.

/// XORs `data` in place with the masking `key`, as if `data` started `offset` bytes into the
/// payload (only `offset % 4` matters). Masking twice with the same key and offset restores the
/// input, so this both masks and unmasks. A payload may be processed in pieces by passing each
/// piece's payload offset.
pub fn mask(data: &mut [u8], key: [u8; 4], offset: u64) {
    let p = data.as_mut_ptr();
    // SAFETY: `p` is valid for reads and writes of `data.len()` bytes, which we borrow
    // mutably; source and destination are the same pointer, which the kernels allow.
    unsafe { mask_raw(p, p, data.len(), rotated(key, offset)) }
}

/// Writes `src` XORed with the masking `key` into the start of `dst`, as [`mask()`] would
/// leave it after a copy (same `key`/`offset` contract), in one pass. Writes
/// `min(src.len(), dst.len())` bytes and returns that count; the rest of `dst` is untouched.
pub fn mask_into(src: &[u8], dst: &mut [u8], key: [u8; 4], offset: u64) -> usize {
    let n = src.len().min(dst.len());
    // SAFETY: `src` is readable and `dst` writable for `n` bytes; a shared and a mutable
    // borrow cannot overlap.
    unsafe { mask_raw(src.as_ptr(), dst.as_mut_ptr(), n, rotated(key, offset)) };
    n
}

/// The key rotated so that its first byte applies to the byte at payload offset `offset`.
fn rotated(key: [u8; 4], offset: u64) -> [u8; 4] {
    let rot = (offset % 4) as usize;
    [
        key[rot],
        key[(rot + 1) % 4],
        key[(rot + 2) % 4],
        key[(rot + 3) % 4],
    ]
}

/// Masks `len` bytes from `src` into `dst` with the already rotated key `k`, with the fastest
/// kernel this CPU has.
///
/// # Safety
/// `src` is readable and `dst` writable for `len` bytes, and either `src == dst` or the two
/// ranges do not overlap.
unsafe fn mask_raw(src: *const u8, dst: *mut u8, len: usize, k: [u8; 4]) {
    #[allow(unused_mut)]
    let mut done = 0;
    #[cfg(all(target_arch = "x86_64", not(feature = "force-scalar")))]
    {
        if len >= 32 && std::is_x86_feature_detected!("avx2") {
            // SAFETY: AVX2 support was just checked; the pointers as our caller promised.
            done = unsafe { x86::mask_avx2(src, dst, len, k) };
        } else if len >= 16 {
            // SAFETY: SSE2 is in the x86_64 baseline; the pointers as our caller promised.
            done = unsafe { x86::mask_sse2(src, dst, len, k) };
        }
    }
    #[cfg(all(target_arch = "aarch64", not(feature = "force-scalar")))]
    {
        if len >= 16 {
            // SAFETY: NEON is in the aarch64 baseline; the pointers as our caller promised.
            done = unsafe { arm::mask_neon(src, dst, len, k) };
        }
    }
    // SAFETY: `done <= len`, so the rest lies inside both ranges.
    unsafe { mask_words(src.add(done), dst.add(done), len - done, k) }
}

/// A masking kernel, so that tests and benchmarks can run each one against the others. Not part
/// of the API: hidden from the documentation, may change in any release.
///
/// cbindgen:ignore
#[doc(hidden)]
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

/// Same contract as [`mask()`], but with the given `kernel` (its tail finished by the portable
/// loop). Returns false, leaving `data` untouched, when the kernel is not available. A test hook,
/// not part of the API.
#[doc(hidden)]
pub fn mask_with(kernel: Kernel, data: &mut [u8], key: [u8; 4], offset: u64) -> bool {
    if !kernel.is_available() {
        return false;
    }
    let k = rotated(key, offset);
    let (len, p) = (data.len(), data.as_mut_ptr());
    // In every arm `p` is valid for reads and writes of `len` bytes (borrowed mutably), used
    // as both source and destination, and `is_available` checked the CPU feature.
    let done = match kernel {
        #[cfg(all(target_arch = "x86_64", not(feature = "force-scalar")))]
        // SAFETY: see above.
        Kernel::Sse2 => unsafe { x86::mask_sse2(p, p, len, k) },
        #[cfg(all(target_arch = "x86_64", not(feature = "force-scalar")))]
        // SAFETY: see above.
        Kernel::Avx2 => unsafe { x86::mask_avx2(p, p, len, k) },
        #[cfg(all(target_arch = "aarch64", not(feature = "force-scalar")))]
        // SAFETY: see above.
        Kernel::Neon => unsafe { arm::mask_neon(p, p, len, k) },
        _ => 0,
    };
    // SAFETY: `done <= len`; the rest lies inside `data`.
    unsafe { mask_words(p.add(done), p.add(done), len - done, k) };
    true
}

/// Portable kernel: 8 bytes at a time as a `u64`, then byte by byte. `k` is already rotated so
/// that `k[0]` applies to the first byte.
///
/// # Safety
/// As [`mask_raw`].
unsafe fn mask_words(src: *const u8, dst: *mut u8, len: usize, k: [u8; 4]) {
    let word = u64::from_ne_bytes([k[0], k[1], k[2], k[3], k[0], k[1], k[2], k[3]]);
    let words = len / 8 * 8;
    let mut i = 0;
    // SAFETY: `i + 8 <= words <= len` and `words + j < len` below keep every access inside
    // both ranges; each word is read before it is written, so `src == dst` is fine.
    unsafe {
        while i < words {
            let w = (src.add(i) as *const u64).read_unaligned();
            (dst.add(i) as *mut u64).write_unaligned(w ^ word);
            i += 8;
        }
        // The tail (under 8 bytes, a bound the compiler sees, so it unrolls the loop) starts at
        // a multiple of 8, so k[0] applies to its first byte again.
        for j in 0..len % 8 {
            *dst.add(words + j) = *src.add(words + j) ^ k[j % 4];
        }
    }
}

/// The obvious byte-at-a-time definition, kept as the reference the fast kernels are tested
/// against. Same contract as [`mask`]. A test hook, not part of the API.
#[doc(hidden)]
pub fn mask_reference(data: &mut [u8], key: [u8; 4], offset: u64) {
    for (i, b) in data.iter_mut().enumerate() {
        *b ^= key[((offset % 4) as usize + i) % 4];
    }
}

#[cfg(all(target_arch = "x86_64", not(feature = "force-scalar")))]
mod x86 {
    use core::arch::x86_64::*;

    /// Masks the longest prefix of `len` that is a multiple of 16 bytes from `src` into `dst`;
    /// returns its length.
    ///
    /// # Safety
    /// As `mask_raw`: `src` readable and `dst` writable for `len` bytes, equal or disjoint.
    pub(super) unsafe fn mask_sse2(src: *const u8, dst: *mut u8, len: usize, k: [u8; 4]) -> usize {
        let n = len / 16 * 16;
        // SAFETY: SSE2 is in the x86_64 baseline. `i + 16 <= n <= len`, so every unaligned
        // 16-byte load and store stays inside the ranges; each block is loaded before it is
        // stored.
        unsafe {
            let key = _mm_set1_epi32(i32::from_ne_bytes(k));
            let mut i = 0;
            while i < n {
                let v = _mm_loadu_si128(src.add(i) as *const __m128i);
                _mm_storeu_si128(dst.add(i) as *mut __m128i, _mm_xor_si128(v, key));
                i += 16;
            }
        }
        n
    }

    /// Masks the longest prefix of `len` that is a multiple of 32 bytes from `src` into `dst`;
    /// returns its length.
    ///
    /// # Safety
    /// The CPU must support AVX2; the pointers as for `mask_sse2`.
    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn mask_avx2(src: *const u8, dst: *mut u8, len: usize, k: [u8; 4]) -> usize {
        let n = len / 32 * 32;
        // SAFETY: the caller checked AVX2. `i + 32 <= n <= len`, so every unaligned 32-byte
        // load and store stays inside the ranges; each block is loaded before it is stored.
        unsafe {
            let key = _mm256_set1_epi32(i32::from_ne_bytes(k));
            let mut i = 0;
            while i < n {
                let v = _mm256_loadu_si256(src.add(i) as *const __m256i);
                _mm256_storeu_si256(dst.add(i) as *mut __m256i, _mm256_xor_si256(v, key));
                i += 32;
            }
        }
        n
    }
}

#[cfg(all(target_arch = "aarch64", not(feature = "force-scalar")))]
mod arm {
    use core::arch::aarch64::*;

    /// Masks the longest prefix of `len` that is a multiple of 16 bytes from `src` into `dst`;
    /// returns its length.
    ///
    /// # Safety
    /// As `mask_raw`: `src` readable and `dst` writable for `len` bytes, equal or disjoint.
    pub(super) unsafe fn mask_neon(src: *const u8, dst: *mut u8, len: usize, k: [u8; 4]) -> usize {
        let n = len / 16 * 16;
        // SAFETY: NEON is in the aarch64 baseline. `i + 16 <= n <= len`, so every 16-byte load
        // and store stays inside the ranges; each block is loaded before it is stored.
        unsafe {
            let key = vreinterpretq_u8_u32(vdupq_n_u32(u32::from_ne_bytes(k)));
            let mut i = 0;
            while i < n {
                vst1q_u8(dst.add(i), veorq_u8(vld1q_u8(src.add(i)), key));
                i += 16;
            }
        }
        n
    }
}
