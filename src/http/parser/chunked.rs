//! The chunked body: chunk-size lines with their extensions, chunk data, and the CRLF after it
//! (the trailers are read as header lines).

use super::*;

#[inline(always)]
fn hex_value(b: u8) -> Option<u64> {
    match b {
        b'0'..=b'9' => Some((b - b'0') as u64),
        b'a'..=b'f' => Some((b - b'a' + 10) as u64),
        b'A'..=b'F' => Some((b - b'A' + 10) as u64),
        _ => None,
    }
}

impl Parser {
    /// The first hex digit of a chunk size.
    #[inline(always)]
    pub(super) fn chunk_size_start<C: Callbacks>(
        &mut self,
        _cb: &mut C,
        cur: &mut Cursor<'_>,
        state: State,
    ) -> Next {
        let data = cur.data;
        cur.need_body(state)?;
        if hex_value(data[cur.pos]).is_none() {
            return self.fail(Errno::InvalidChunkSize, Reason::ChunkSizeChar, cur.pos);
        }
        self.content_length = 0;
        self._token_len = 0;
        Ok(State::ChunkSize)
    }

    /// The hex digits of a chunk size, and what ends them.
    #[inline(always)]
    pub(super) fn chunk_size<C: Callbacks>(
        &mut self,
        _cb: &mut C,
        cur: &mut Cursor<'_>,
        mut state: State,
    ) -> Next {
        let data = cur.data;
        let len = cur.data.len();
        while cur.pos < len {
            let b = data[cur.pos];
            let Some(v) = hex_value(b) else { break };
            if self._token_len == 16 {
                return self.fail(Errno::InvalidChunkSize, Reason::ChunkSizeTooLong, cur.pos);
            }
            self.content_length = (self.content_length << 4) | v;
            self._token_len += 1;
            cur.pos += 1;
        }
        cur.need_body(state)?;
        match data[cur.pos] {
            b';' => {
                if self.count_ext(1, cur.pos).is_err() {
                    return self.fail(
                        Errno::ChunkExtensionsOverflow,
                        Reason::ChunkExtOverflow,
                        cur.pos,
                    );
                }
                cur.pos += 1;
                state = State::ChunkExtNameStart;
            }
            b'\r' => {
                cur.pos += 1;
                state = State::ChunkSizeLf;
            }
            b'\n' if self.allows(WF_LENIENT_OPTIONAL_CR_BEFORE_LF) => {
                cur.pos = self.bare_lf_in_chunk_size_line(cur.pos);
                state = State::ChunkSizeLf;
            }
            b'\n' => return self.fail(Errno::CrExpected, Reason::BareLf, cur.pos),
            b' ' | b'\t' if self.allows(WF_LENIENT_SPACES_AFTER_CHUNK_SIZE) => {
                state = State::ChunkSizeWs;
            }
            b' ' | b'\t' => {
                return self.fail(Errno::InvalidChunkSize, Reason::ChunkSizeSpace, cur.pos)
            }
            _ => return self.fail(Errno::InvalidChunkSize, Reason::ChunkSizeChar, cur.pos),
        }
        Ok(state)
    }

    /// Whitespace after a chunk size (lenient).
    #[inline(always)]
    pub(super) fn chunk_size_ws<C: Callbacks>(
        &mut self,
        _cb: &mut C,
        cur: &mut Cursor<'_>,
        state: State,
    ) -> Next {
        let data = cur.data;
        let len = cur.data.len();
        // Leniency: whitespace after the size; what follows it is read by the
        // ChunkSize state, but no more digits.
        while cur.pos < len && matches!(data[cur.pos], b' ' | b'\t') {
            cur.pos += 1;
        }
        cur.need_body(state)?;
        if hex_value(data[cur.pos]).is_some() {
            return self.fail(Errno::InvalidChunkSize, Reason::ChunkSizeChar, cur.pos);
        }
        Ok(State::ChunkSize)
    }

    /// The first byte of a chunk extension name.
    #[inline(always)]
    pub(super) fn chunk_ext_name_start<C: Callbacks>(
        &mut self,
        _cb: &mut C,
        cur: &mut Cursor<'_>,
        state: State,
    ) -> Next {
        let data = cur.data;
        cur.need_body(state)?;
        if !scan::TOKEN[data[cur.pos] as usize] {
            return self.fail(Errno::Strict, Reason::ChunkExtChar, cur.pos);
        }
        Ok(State::ChunkExtName)
    }

    /// A chunk extension name or unquoted value, and the delimiter after it.
    #[inline(always)]
    pub(super) fn chunk_ext_token<C: Callbacks>(
        &mut self,
        cb: &mut C,
        cur: &mut Cursor<'_>,
        state: State,
    ) -> Next {
        let data = cur.data;
        let len = cur.data.len();
        let name = state == State::ChunkExtName;
        let (event, complete, here) = if name {
            (
                Event::ChunkExtensionName,
                Event::ChunkExtensionNameComplete,
                State::ChunkExtName,
            )
        } else {
            (
                Event::ChunkExtensionValue,
                Event::ChunkExtensionValueComplete,
                State::ChunkExtValue,
            )
        };
        cur.need_body(state)?;
        let start = cur.pos;
        let i = scan::token_end(data, cur.pos, len);
        if let Err(at) = self.count_ext(i - start, start) {
            let (errno, reason) = (Errno::ChunkExtensionsOverflow, Reason::ChunkExtOverflow);
            return Err(self
                .fail_span(cb, event, &data[start..at], errno, reason, at)
                .into());
        }
        if i == len {
            self.span(cb, event, &data[start..i], here, i)?;
            return Err(Halt::Suspend(state));
        }
        // `next`: where the state after the delimiter goes on.
        let (after, next) = match data[i] {
            b'=' if name => (State::ChunkExtValueStart, i + 1),
            b';' => (State::ChunkExtNameStart, i + 1),
            b'\r' => (State::ChunkSizeLf, i + 1),
            b'\n' if self.allows(WF_LENIENT_OPTIONAL_CR_BEFORE_LF) => {
                (State::ChunkSizeLf, self.bare_lf_in_chunk_size_line(i))
            }
            b'\n' => {
                return Err(self
                    .fail_span(
                        cb,
                        event,
                        &data[start..i],
                        Errno::CrExpected,
                        Reason::BareLf,
                        i,
                    )
                    .into())
            }
            _ => {
                return Err(self
                    .fail_span(
                        cb,
                        event,
                        &data[start..i],
                        Errno::Strict,
                        Reason::ChunkExtChar,
                        i,
                    )
                    .into())
            }
        };
        if self.count_ext(1, i).is_err() {
            let (errno, reason) = (Errno::ChunkExtensionsOverflow, Reason::ChunkExtOverflow);
            return Err(self
                .fail_span(cb, event, &data[start..i], errno, reason, i)
                .into());
        }
        cur.pos = next;
        Ok(self.end_span(cb, event, complete, &data[start..i], after, cur.pos)?)
    }

    /// The first byte of a chunk extension value: a quote or a token byte.
    #[inline(always)]
    pub(super) fn chunk_ext_value_start<C: Callbacks>(
        &mut self,
        _cb: &mut C,
        cur: &mut Cursor<'_>,
        mut state: State,
    ) -> Next {
        let data = cur.data;
        cur.need_body(state)?;
        let b = data[cur.pos];
        if b == b'"' {
            self._vstate = 0;
            state = State::ChunkExtQuoted;
        } else if scan::TOKEN[b as usize] {
            state = State::ChunkExtValue;
        } else {
            return self.fail(Errno::Strict, Reason::ChunkExtChar, cur.pos);
        }
        Ok(state)
    }

    /// A quoted chunk extension value, quotes included.
    #[inline(always)]
    pub(super) fn chunk_ext_quoted<C: Callbacks>(
        &mut self,
        cb: &mut C,
        cur: &mut Cursor<'_>,
        state: State,
    ) -> Next {
        let data = cur.data;
        let len = cur.data.len();
        // The span includes the quotes; `_vstate` remembers an open quote
        // (V_PARAMS) and a pending backslash escape (V_ESCAPE).
        cur.need_body(state)?;
        let start = cur.pos;
        let mut i = cur.pos;
        let mut closed = false;
        while i < len {
            let b = data[i];
            if self._vstate & V_ESCAPE != 0 {
                if !scan::VALUE[b as usize] {
                    break;
                }
                self._vstate &= !V_ESCAPE;
            } else if self._vstate & V_PARAMS == 0 {
                // The opening quote.
                self._vstate |= V_PARAMS;
            } else if b == b'\\' {
                self._vstate |= V_ESCAPE;
            } else if b == b'"' {
                i += 1;
                closed = true;
                break;
            } else if !scan::VALUE[b as usize] {
                break;
            }
            i += 1;
        }
        let event = Event::ChunkExtensionValue;
        if let Err(at) = self.count_ext(i - start, start) {
            let (errno, reason) = (Errno::ChunkExtensionsOverflow, Reason::ChunkExtOverflow);
            return Err(self
                .fail_span(cb, event, &data[start..at], errno, reason, at)
                .into());
        }
        if !closed && i < len {
            // Stopped on a byte that may not appear in a quoted string.
            return Err(self
                .fail_span(
                    cb,
                    event,
                    &data[start..i],
                    Errno::Strict,
                    Reason::ChunkExtChar,
                    i,
                )
                .into());
        }
        cur.pos = i;
        if !closed {
            self.span(
                cb,
                Event::ChunkExtensionValue,
                &data[start..i],
                State::ChunkExtQuoted,
                i,
            )?;
            return Err(Halt::Suspend(state));
        }
        Ok(self.end_span(
            cb,
            Event::ChunkExtensionValue,
            Event::ChunkExtensionValueComplete,
            &data[start..i],
            State::ChunkExtAfterQuoted,
            cur.pos,
        )?)
    }

    /// The delimiter after a quoted chunk extension value.
    #[inline(always)]
    pub(super) fn chunk_ext_after_quoted<C: Callbacks>(
        &mut self,
        _cb: &mut C,
        cur: &mut Cursor<'_>,
        mut state: State,
    ) -> Next {
        let data = cur.data;
        cur.need_body(state)?;
        let (after, next) = match data[cur.pos] {
            b';' => (State::ChunkExtNameStart, cur.pos + 1),
            b'\r' => (State::ChunkSizeLf, cur.pos + 1),
            b'\n' if self.allows(WF_LENIENT_OPTIONAL_CR_BEFORE_LF) => {
                (State::ChunkSizeLf, self.bare_lf_in_chunk_size_line(cur.pos))
            }
            b'\n' => return self.fail(Errno::CrExpected, Reason::BareLf, cur.pos),
            _ => return self.fail(Errno::Strict, Reason::ChunkExtChar, cur.pos),
        };
        if self.count_ext(1, cur.pos).is_err() {
            return self.fail(
                Errno::ChunkExtensionsOverflow,
                Reason::ChunkExtOverflow,
                cur.pos,
            );
        }
        state = after;
        cur.pos = next;
        Ok(state)
    }

    /// The LF that ends a chunk-size line; fires `on_chunk_header`.
    #[inline(always)]
    pub(super) fn chunk_size_lf<C: Callbacks>(
        &mut self,
        cb: &mut C,
        cur: &mut Cursor<'_>,
        state: State,
    ) -> Next {
        cur.need_body(state)?;
        self.expect_lf(cur)?;
        if self.content_length == 0 {
            cur.start_head(self);
        }
        Ok(self.chunk_header(cb, cur.pos)?)
    }

    /// Chunk data.
    #[inline(always)]
    pub(super) fn chunk_data<C: Callbacks>(
        &mut self,
        cb: &mut C,
        cur: &mut Cursor<'_>,
        state: State,
    ) -> Next {
        cur.need_body(state)?;
        let piece = cur.take_counted(&mut self.content_length);
        let next = if self.content_length == 0 {
            State::ChunkDataCr
        } else {
            State::ChunkData
        };
        self.span(cb, Event::Body, piece, next, cur.pos)?;
        Ok(next)
    }

    /// The CR after chunk data.
    #[inline(always)]
    pub(super) fn chunk_data_cr<C: Callbacks>(
        &mut self,
        cb: &mut C,
        cur: &mut Cursor<'_>,
        mut state: State,
    ) -> Next {
        let data = cur.data;
        cur.need_body(state)?;
        match data[cur.pos] {
            b'\r' => {
                cur.pos += 1;
                state = State::ChunkDataLf;
            }
            b'\n' if self.allows(WF_LENIENT_OPTIONAL_CR_BEFORE_LF) => {
                cur.pos += 1;
                state = self.notify(cb, Event::ChunkComplete, State::ChunkSizeStart, cur.pos)?;
            }
            _ if self.allows(WF_LENIENT_OPTIONAL_CRLF_AFTER_CHUNK) => {
                state = self.notify(cb, Event::ChunkComplete, State::ChunkSizeStart, cur.pos)?;
            }
            b'\n' => return self.fail(Errno::CrExpected, Reason::BareLf, cur.pos),
            _ => return self.fail(Errno::CrExpected, Reason::ChunkDataCrlf, cur.pos),
        }
        Ok(state)
    }

    /// The LF after chunk data; fires `on_chunk_complete`.
    #[inline(always)]
    pub(super) fn chunk_data_lf<C: Callbacks>(
        &mut self,
        cb: &mut C,
        cur: &mut Cursor<'_>,
        state: State,
    ) -> Next {
        cur.need_body(state)?;
        self.expect_lf(cur)?;
        Ok(self.notify(cb, Event::ChunkComplete, State::ChunkSizeStart, cur.pos)?)
    }

    /// Where ChunkSizeLf goes on after a bare LF at `at` ends a chunk-size line (lenient):
    /// normally at the LF itself, which ChunkSizeLf then reads as the line end. With
    /// `WF_LENIENT_OPTIONAL_LF_AFTER_CR` as well, the LF stands for the CR, as in llhttp, and
    /// ChunkSizeLf takes one more LF if one follows: `0\n\n` then ends the size line only.
    pub(super) fn bare_lf_in_chunk_size_line(&self, at: usize) -> usize {
        if self.allows(WF_LENIENT_OPTIONAL_LF_AFTER_CR) {
            at + 1
        } else {
            at
        }
    }

    /// Counts `n` chunk-extension bytes starting at offset `at`; if they do not all fit in
    /// the limit, counts nothing and returns the offset of the first byte over it.
    pub(super) fn count_ext(&mut self, n: usize, at: usize) -> Result<(), usize> {
        let left = self._max_ext_size.saturating_sub(self._ext_bytes) as usize;
        if n > left {
            return Err(at + left);
        }
        self._ext_bytes += n as u32;
        Ok(())
    }

    /// Fires `on_chunk_header` after a chunk-size line; a size of 0 leads to the trailers.
    pub(super) fn chunk_header<C: Callbacks>(
        &mut self,
        cb: &mut C,
        pos: usize,
    ) -> Result<State, usize> {
        let next = if self.content_length == 0 {
            self.flags |= WF_F_TRAILING;
            State::HeaderFieldStart
        } else {
            State::ChunkData
        };
        self.notify(cb, Event::ChunkHeader, next, pos)
    }
}
