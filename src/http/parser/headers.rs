//! Header and trailer lines: names, values, obs-fold, and the reading of the headers the parser
//! interprets (Content-Length, Transfer-Encoding, Connection, Upgrade).

use super::*;

/// Recognises the headers whose values the parser interprets.
#[inline(always)]
fn header_kind(name: &[u8]) -> u8 {
    // Most names have none of the lengths below: one test rejects them.
    const LENGTHS: u32 = 1 << 7 | 1 << 10 | 1 << 14 | 1 << 16 | 1 << 17;
    if name.len() > 17 || LENGTHS & (1 << name.len()) == 0 {
        return H_OTHER;
    }
    match name.len() {
        10 if name.eq_ignore_ascii_case(b"connection") => H_CONNECTION,
        14 if name.eq_ignore_ascii_case(b"content-length") => H_CONTENT_LENGTH,
        16 if name.eq_ignore_ascii_case(b"proxy-connection") => H_CONNECTION,
        17 if name.eq_ignore_ascii_case(b"transfer-encoding") => H_TRANSFER_ENCODING,
        7 if name.eq_ignore_ascii_case(b"upgrade") => H_UPGRADE,
        _ => H_OTHER,
    }
}

impl Parser {
    /// The start of a header line, or the blank line that ends the head (a whole strict header
    /// line in one step when it is in the buffer).
    #[inline(always)]
    pub(super) fn header_field_start<C: Callbacks>(
        &mut self,
        cb: &mut C,
        cur: &mut Cursor<'_>,
        mut state: State,
    ) -> Next {
        let data = cur.data;
        cur.need_head(self, state)?;
        match data[cur.pos] {
            b'\r' => {
                cur.pos += 1;
                state = State::HeadersLf;
            }
            b'\n' if self.allows(WF_LENIENT_OPTIONAL_CR_BEFORE_LF) => {
                cur.pos += 1;
                cur.end_head(self);
                state = self.end_of_head(cur.pos)?;
            }
            b'\n' => return self.fail(Errno::CrExpected, Reason::BareLf, cur.pos),
            b' ' | b'\t' => {
                return self.fail(Errno::UnexpectedSpace, Reason::SpaceAfterStartLine, cur.pos)
            }
            _ => {
                self._token_len = 0;
                self._header = H_OTHER;
                state = State::HeaderField;
                if let Some(next) = self.whole_header_line(cb, data, cur.pos, cur.hend)? {
                    // The line was handled whole; the general states below give
                    // the same events for every other case.
                    cur.pos = next;
                    state = State::HeaderFieldStart;
                }
            }
        }
        Ok(state)
    }

    /// A header name, up to its colon.
    #[inline(always)]
    pub(super) fn header_field<C: Callbacks>(
        &mut self,
        cb: &mut C,
        cur: &mut Cursor<'_>,
        mut state: State,
    ) -> Next {
        let data = cur.data;
        cur.need_head(self, state)?;
        let start = cur.pos;
        let mut i = scan::token_end(data, cur.pos, cur.hend);
        if self.allows(WF_LENIENT_HEADERS) {
            while i < cur.hend && !matches!(data[i], b':' | b'\r' | b'\n' | b' ' | b'\t') {
                i = scan::token_end(data, i + 1, cur.hend);
            }
        }
        let carried = self._token_len as usize;
        if i == cur.hend {
            self.keep_name_prefix(&data[start..i]);
            self.span(
                cb,
                Event::HeaderField,
                &data[start..i],
                State::HeaderField,
                i,
            )?;
            cur.pos = i;
            cur.need_head(self, state)?;
        }
        let b = data[i];
        if b == b':' || ((b == b' ' || b == b'\t') && self.allows(WF_LENIENT_SPACE_BEFORE_COLON)) {
            if carried == 0 && i == start {
                return self.fail(Errno::InvalidHeaderToken, Reason::HeaderNameEmpty, i);
            }
            if self.flags & WF_F_TRAILING == 0 {
                let kind = if carried == 0 {
                    header_kind(&data[start..i])
                } else {
                    self.keep_name_prefix(&data[start..i]);
                    let n = self._token_len as usize;
                    if n <= TOKEN_CAP {
                        let name = self._token;
                        header_kind(&name[..n])
                    } else {
                        H_OTHER
                    }
                };
                self.begin_special_header(kind);
            }
            let after = if b == b':' {
                cur.pos = i + 1;
                State::ValueOws
            } else {
                cur.pos = i;
                State::FieldWs
            };
            state = self.end_span(
                cb,
                Event::HeaderField,
                Event::HeaderFieldComplete,
                &data[start..i],
                after,
                cur.pos,
            )?;
        } else if b == b' ' || b == b'\t' {
            let reason = Reason::SpaceBeforeColon;
            return Err(self
                .fail_span(
                    cb,
                    Event::HeaderField,
                    &data[start..i],
                    Errno::InvalidHeaderToken,
                    reason,
                    i,
                )
                .into());
        } else {
            let reason = Reason::HeaderNameChar;
            return Err(self
                .fail_span(
                    cb,
                    Event::HeaderField,
                    &data[start..i],
                    Errno::InvalidHeaderToken,
                    reason,
                    i,
                )
                .into());
        }
        Ok(state)
    }

    /// Whitespace between a header name and its colon (lenient).
    #[inline(always)]
    pub(super) fn field_ws<C: Callbacks>(
        &mut self,
        _cb: &mut C,
        cur: &mut Cursor<'_>,
        state: State,
    ) -> Next {
        let data = cur.data;
        cur.need_head(self, state)?;
        while cur.pos < cur.hend && matches!(data[cur.pos], b' ' | b'\t') {
            cur.pos += 1;
        }
        cur.need_head(self, state)?;
        if data[cur.pos] != b':' {
            return self.fail(Errno::InvalidHeaderToken, Reason::SpaceBeforeColon, cur.pos);
        }
        cur.pos += 1;
        Ok(State::ValueOws)
    }

    /// Whitespace before a header value (also at the start of a continuation line while the
    /// value is empty).
    #[inline(always)]
    pub(super) fn value_ows<C: Callbacks>(
        &mut self,
        _cb: &mut C,
        cur: &mut Cursor<'_>,
        state: State,
    ) -> Next {
        let data = cur.data;
        // Leading whitespace, also at the start of a continuation line (obs-fold)
        // while the value is still empty: it is never part of the value.
        self._iflags &= !I_VALUE_STARTED;
        while cur.pos < cur.hend && matches!(data[cur.pos], b' ' | b'\t') {
            cur.pos += 1;
        }
        cur.need_head(self, state)?;
        Ok(State::Value)
    }

    /// A header value, up to its line end.
    #[inline(always)]
    pub(super) fn value<C: Callbacks>(
        &mut self,
        cb: &mut C,
        cur: &mut Cursor<'_>,
        mut state: State,
    ) -> Next {
        let data = cur.data;
        cur.need_head(self, state)?;
        let start = cur.pos;
        let mut i = scan::value_end(data, cur.pos, cur.hend);
        if self.allows(WF_LENIENT_HEADERS) {
            while i < cur.hend && !matches!(data[i], b'\r' | b'\n') {
                i = scan::value_end(data, i + 1, cur.hend);
            }
        } else if self.allows(WF_LENIENT_HEADER_VALUE_RELAXED) {
            while i < cur.hend && !matches!(data[i], b'\r' | b'\n' | 0) {
                i = scan::value_end(data, i + 1, cur.hend);
            }
        }
        if self._header != H_OTHER {
            if let Err((errno, reason, at)) = self.special_value(&data[start..i], start) {
                return Err(self
                    .fail_span(cb, Event::HeaderValue, &data[start..at], errno, reason, at)
                    .into());
            }
        }
        if i > start {
            self._iflags |= I_VALUE_STARTED;
        }
        if i == cur.hend {
            self.span(cb, Event::HeaderValue, &data[start..i], State::Value, i)?;
            cur.pos = i;
            cur.need_head(self, state)?;
        }
        // `next`: after the CR; a bare LF (lenient) is left for ValueLf to read.
        let (after, next) = match data[i] {
            b'\r' => (State::ValueLf, i + 1),
            b'\n' if self.allows(WF_LENIENT_OPTIONAL_CR_BEFORE_LF) => (State::ValueLf, i),
            b'\n' => {
                return Err(self
                    .fail_span(
                        cb,
                        Event::HeaderValue,
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
                        Event::HeaderValue,
                        &data[start..i],
                        Errno::InvalidHeaderToken,
                        Reason::HeaderValueChar,
                        i,
                    )
                    .into())
            }
        };
        cur.pos = next;
        self.span(cb, Event::HeaderValue, &data[start..i], after, cur.pos)?;
        state = after;
        Ok(state)
    }

    /// The LF after a header value; ends the value when no continuation line can follow.
    #[inline(always)]
    pub(super) fn value_lf<C: Callbacks>(
        &mut self,
        _cb: &mut C,
        cur: &mut Cursor<'_>,
        state: State,
    ) -> Next {
        cur.need_head(self, state)?;
        self.expect_lf(cur)?;
        // Without obs-fold no continuation line can follow: the value ends with
        // its line, and a framing conflict it causes is reported here, without
        // waiting for the next line.
        if self._header != H_OTHER && !self.allows(WF_LENIENT_OBS_FOLD) {
            self.end_special_value(cur.pos)?;
        }
        Ok(State::ValueEnd)
    }

    /// After a header line: a continuation line (obs-fold), or the end of the value.
    #[inline(always)]
    pub(super) fn value_end<C: Callbacks>(
        &mut self,
        cb: &mut C,
        cur: &mut Cursor<'_>,
        mut state: State,
    ) -> Next {
        let data = cur.data;
        // The value ends unless the next line is a continuation (obs-fold).
        cur.need_head(self, state)?;
        if matches!(data[cur.pos], b' ' | b'\t') {
            if !self.allows(WF_LENIENT_OBS_FOLD) {
                return self.fail(Errno::InvalidHeaderToken, Reason::ObsFold, cur.pos);
            }
            state = if self._iflags & I_VALUE_STARTED != 0 {
                State::Value
            } else {
                State::ValueOws
            };
            return Ok(state);
        }
        if self._header != H_OTHER {
            self.end_special_value(cur.pos)?;
        }
        Ok(self.notify(
            cb,
            Event::HeaderValueComplete,
            State::HeaderFieldStart,
            cur.pos,
        )?)
    }

    /// The LF of the blank line that ends the head.
    #[inline(always)]
    pub(super) fn headers_lf<C: Callbacks>(
        &mut self,
        _cb: &mut C,
        cur: &mut Cursor<'_>,
        state: State,
    ) -> Next {
        cur.need_head(self, state)?;
        self.expect_lf(cur)?;
        cur.end_head(self);
        Ok(self.end_of_head(cur.pos)?)
    }

    /// The fast path for the commonest header line: `name: value` CRLF, strict, entirely in
    /// the buffer together with the first byte of the next line. Fires exactly the events, with
    /// exactly the resume states, that the general states would; returns the offset of the
    /// next line, or `None` (having fired nothing and changed nothing) for any other line.
    #[inline(always)]
    pub(super) fn whole_header_line<C: Callbacks>(
        &mut self,
        cb: &mut C,
        data: &[u8],
        start: usize,
        hend: usize,
    ) -> Result<Option<usize>, usize> {
        // Indexing `line` (the head's window) lets one check serve as both the window test
        // and the bounds check.
        let line = &data[..hend.min(data.len())];
        let colon = scan::token_end(line, start, line.len());
        if colon == start || line.get(colon) != Some(&b':') {
            return Ok(None);
        }
        let mut value = colon + 1;
        // Almost always exactly one space.
        if line.get(value) == Some(&b' ') {
            value += 1;
        }
        while let Some(b' ' | b'\t') = line.get(value) {
            value += 1;
        }
        let cr = scan::value_end(line, value, line.len());
        match line.get(cr..cr + 3) {
            Some([b'\r', b'\n', next]) if !matches!(next, b' ' | b'\t') => {}
            _ => return Ok(None),
        }
        let name = &data[start..colon];
        if self.flags & WF_F_TRAILING == 0 {
            self.begin_special_header(header_kind(name));
        }
        self.end_span(
            cb,
            Event::HeaderField,
            Event::HeaderFieldComplete,
            name,
            State::ValueOws,
            colon + 1,
        )?;
        let piece = &data[value..cr];
        if self._header != H_OTHER {
            if let Err((errno, reason, at)) = self.special_value(piece, value) {
                return Err(self.fail_span(
                    cb,
                    Event::HeaderValue,
                    &data[value..at],
                    errno,
                    reason,
                    at,
                ));
            }
        }
        self.span(cb, Event::HeaderValue, piece, State::ValueLf, cr + 1)?;
        if self._header != H_OTHER {
            self.end_special_value(cr + 2)?;
        }
        self.notify(
            cb,
            Event::HeaderValueComplete,
            State::HeaderFieldStart,
            cr + 2,
        )?;
        Ok(Some(cr + 2))
    }

    /// Keeps the beginning of a header name split across calls, so it can be recognised when
    /// it ends; `_token_len` counts the whole name (saturating), `_token` keeps what fits.
    pub(super) fn keep_name_prefix(&mut self, bytes: &[u8]) {
        let n = self._token_len as usize;
        if n + bytes.len() <= TOKEN_CAP {
            self._token[n..n + bytes.len()].copy_from_slice(bytes);
            self._token_len = (n + bytes.len()) as u8;
        } else {
            self._token_len = u8::MAX;
        }
    }

    /// Starts interpreting a header's value if the header is one the parser must understand.
    pub(super) fn begin_special_header(&mut self, kind: u8) {
        match kind {
            // Most headers: nothing to set up (`_header` is already H_OTHER for a new line).
            H_OTHER => return,
            H_UPGRADE => {
                self.flags |= WF_F_UPGRADE;
                return;
            }
            H_TRANSFER_ENCODING => self.flags |= WF_F_TRANSFER_ENCODING,
            _ => {}
        }
        self._header = kind;
        self._vstate = 0;
        self._vtok_len = 0;
        self._scratch = 0;
    }

    /// Interprets a piece of a special header's value; `base` is the piece's offset in the
    /// input, for error offsets.
    pub(super) fn special_value(
        &mut self,
        piece: &[u8],
        base: usize,
    ) -> Result<(), (Errno, Reason, usize)> {
        if self._header == H_CONTENT_LENGTH {
            // `_vstate`: 0 before the digits, 1 in them, 2 in the whitespace after them.
            for (k, &b) in piece.iter().enumerate() {
                match b {
                    b'0'..=b'9' if self._vstate != 2 => {
                        let Some(v) = self
                            ._scratch
                            .checked_mul(10)
                            .and_then(|v| v.checked_add((b - b'0') as u64))
                        else {
                            return Err((
                                Errno::InvalidContentLength,
                                Reason::ContentLengthOverflow,
                                base + k,
                            ));
                        };
                        self._scratch = v;
                        self._vstate = 1;
                    }
                    b' ' | b'\t' if self._vstate != 0 => self._vstate = 2,
                    b' ' | b'\t' => {}
                    _ => {
                        return Err((
                            Errno::InvalidContentLength,
                            Reason::ContentLengthChar,
                            base + k,
                        ))
                    }
                }
            }
            return Ok(());
        }
        // A token list: runs of token bytes are taken whole; only delimiters go byte by byte.
        let mut k = 0;
        while k < piece.len() {
            if self._vstate & V_PARAMS != 0 {
                // Inside `;params`: skipped up to the next element.
                match piece[k..].iter().position(|&b| b == b',') {
                    Some(p) => k += p,
                    None => return Ok(()),
                }
            }
            let run = piece[k..]
                .iter()
                .position(|&b| matches!(b, b',' | b';' | b' ' | b'\t'))
                .unwrap_or(piece.len() - k);
            if run > 0 {
                self.push_list_token_bytes(&piece[k..k + run]);
                k += run;
                if k == piece.len() {
                    break;
                }
            }
            match piece[k] {
                b',' => {
                    self.end_list_token().map_err(|(e, r)| (e, r, base + k))?;
                    self._vstate = 0;
                }
                b';' => {
                    self.end_list_token().map_err(|(e, r)| (e, r, base + k))?;
                    self._vstate = V_PARAMS;
                }
                _ => {
                    if self._vtok_len > 0 {
                        self._vstate |= V_WS;
                    }
                }
            }
            k += 1;
        }
        Ok(())
    }

    /// Adds token bytes to the list element being read, lowercased; an element with inner
    /// whitespace ("chun ked") or longer than any the parser recognises is marked as unknown.
    pub(super) fn push_list_token_bytes(&mut self, bytes: &[u8]) {
        let n = self._vtok_len as usize;
        if self._vstate & V_WS != 0 || n + bytes.len() > VTOK_CAP {
            self._vtok_len = VTOK_CAP as u8 + 1;
            return;
        }
        for (slot, b) in self._vtok[n..n + bytes.len()].iter_mut().zip(bytes) {
            *slot = b.to_ascii_lowercase();
        }
        self._vtok_len = (n + bytes.len()) as u8;
    }

    /// Ends one element of a token list (Transfer-Encoding, Connection).
    pub(super) fn end_list_token(&mut self) -> Result<(), (Errno, Reason)> {
        let n = self._vtok_len as usize;
        self._vtok_len = 0;
        if n == 0 {
            return Ok(());
        }
        let token: &[u8] = if n <= VTOK_CAP { &self._vtok[..n] } else { b"" };
        if self._header == H_TRANSFER_ENCODING {
            if token == b"chunked" {
                if self.flags & WF_F_CHUNKED != 0 && !self.allows(WF_LENIENT_TRANSFER_ENCODING) {
                    return Err((Errno::InvalidTransferEncoding, Reason::TeChunkedTwice));
                }
                self.flags |= WF_F_CHUNKED;
            } else {
                // Any coding after chunked means chunked is not the last one.
                self.flags &= !WF_F_CHUNKED;
            }
        } else {
            match token {
                b"close" => self.flags |= WF_F_CONNECTION_CLOSE,
                b"keep-alive" => self.flags |= WF_F_CONNECTION_KEEP_ALIVE,
                b"upgrade" => self.flags |= WF_F_CONNECTION_UPGRADE,
                _ => {}
            }
        }
        Ok(())
    }

    /// Finishes interpreting a special header's value at the end of its line.
    pub(super) fn end_special_value(&mut self, at: usize) -> Step {
        if self._header == H_CONTENT_LENGTH {
            if self._vstate == 0 {
                return Err(self.stop(Errno::InvalidContentLength, Reason::ContentLengthEmpty, at));
            }
            if self.flags & WF_F_CONTENT_LENGTH != 0
                && !(self.allows(WF_LENIENT_DUPLICATE_CONTENT_LENGTH)
                    && self.content_length == self._scratch)
            {
                return Err(self.stop(
                    Errno::UnexpectedContentLength,
                    Reason::ContentLengthDuplicate,
                    at,
                ));
            }
            self.flags |= WF_F_CONTENT_LENGTH;
            self.content_length = self._scratch;
        } else if let Err((errno, reason)) = self.end_list_token() {
            return Err(self.stop(errno, reason, at));
        }
        // Content-Length with Transfer-Encoding, in either order: reported at the end of the
        // second of them.
        let both = WF_F_CONTENT_LENGTH | WF_F_TRANSFER_ENCODING;
        if self.flags & both == both && !self.allows(WF_LENIENT_CHUNKED_LENGTH) {
            return Err(self.stop(
                Errno::UnexpectedContentLength,
                Reason::ContentLengthWithTe,
                at,
            ));
        }
        self._header = H_OTHER;
        Ok(())
    }
}
