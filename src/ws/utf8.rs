//! Incremental UTF-8 validation (RFC 3629): input may be split at any byte, including inside a
//! code point. Overlong forms, surrogates (U+D800-U+DFFF) and values above U+10FFFF are
//! rejected as soon as the first byte that makes them invalid is seen.

/// Validator state carried between pieces: plain data with a fixed layout, so that it can live
/// inside the decoder, which sets it up at the start of each text message.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Utf8Validator {
    /// Continuation bytes still expected for the current code point (0 = between code points).
    _need: u8,
    /// Smallest allowed value of the next continuation byte.
    _lo: u8,
    /// Largest allowed value of the next continuation byte.
    _hi: u8,
}

impl Utf8Validator {
    /// A validator positioned at the start of a text.
    pub const fn new() -> Self {
        Utf8Validator {
            _need: 0,
            _lo: 0x80,
            _hi: 0xBF,
        }
    }

    /// Validates the next piece. Returns `Ok(())` when every byte so far can start a valid
    /// text, or `Err(i)` with the index in `data` of the first byte that makes the text
    /// invalid. After an error the state is unspecified; start a new validator.
    pub fn feed(&mut self, data: &[u8]) -> Result<(), usize> {
        let mut i = 0;
        let len = data.len();
        while i < len {
            if self._need == 0 {
                // Fast path: skip 8 ASCII bytes at a time.
                while let Some(chunk) = data.get(i..i + 8) {
                    let mut w = [0u8; 8];
                    w.copy_from_slice(chunk);
                    if u64::from_ne_bytes(w) & 0x8080_8080_8080_8080 != 0 {
                        break;
                    }
                    i += 8;
                }
                let Some(&b) = data.get(i) else { break };
                match b {
                    0x00..=0x7F => {}
                    0xC2..=0xDF => self.expect(1, 0x80, 0xBF),
                    0xE0 => self.expect(2, 0xA0, 0xBF),
                    0xE1..=0xEC | 0xEE..=0xEF => self.expect(2, 0x80, 0xBF),
                    0xED => self.expect(2, 0x80, 0x9F),
                    0xF0 => self.expect(3, 0x90, 0xBF),
                    0xF1..=0xF3 => self.expect(3, 0x80, 0xBF),
                    0xF4 => self.expect(3, 0x80, 0x8F),
                    _ => return Err(i),
                }
            } else {
                let Some(&b) = data.get(i) else { break };
                if b < self._lo || b > self._hi {
                    return Err(i);
                }
                self.expect(self._need - 1, 0x80, 0xBF);
            }
            i += 1;
        }
        Ok(())
    }

    fn expect(&mut self, need: u8, lo: u8, hi: u8) {
        self._need = need;
        self._lo = lo;
        self._hi = hi;
    }

    /// Whether the text validated so far ends on a code point boundary (a message may not end
    /// inside a code point).
    pub fn is_complete(&self) -> bool {
        self._need == 0
    }
}
