//! [`Span`]: where a result lies in the caller's buffer.

/// A run of bytes in a buffer the caller passed: `offset` and `length` in bytes. Helpers return
/// spans instead of copies; `get` turns one back into a slice.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    /// Offset of the first byte.
    pub offset: usize,
    /// Number of bytes.
    pub length: usize,
}

impl Span {
    /// The span from index `start` to index `end` (exclusive).
    pub const fn new(start: usize, end: usize) -> Span {
        Span {
            offset: start,
            length: end.saturating_sub(start),
        }
    }

    /// Index just past the last byte.
    pub const fn end(&self) -> usize {
        self.offset + self.length
    }

    /// The bytes of `buf` the span covers (empty if it falls outside `buf`).
    pub fn get<'a>(&self, buf: &'a [u8]) -> &'a [u8] {
        buf.get(self.offset..self.end()).unwrap_or(&[])
    }
}
