//! The start line: a request line (method, target, version; HTTP/0.9; the HTTP/2 preface) or a
//! status line (version, status code, reason phrase).

use super::*;

#[inline(always)]
fn is_method_char(b: u8) -> bool {
    b.is_ascii_uppercase() || b == b'-' || b == b'_'
}

impl Parser {
    /// The first token of a message for a parser of type BOTH: a method or a protocol name.
    #[inline(always)]
    pub(super) fn start_token<C: Callbacks>(
        &mut self,
        cb: &mut C,
        cur: &mut Cursor<'_>,
        mut state: State,
    ) -> Next {
        let data = cur.data;
        cur.need_head(self, state)?;
        let start = cur.pos;
        let mut i = cur.pos;
        while i < cur.hend && is_method_char(data[i]) {
            i += 1;
        }
        if let Err(fit) = self.push_token(&data[start..i], MAX_METHOD_LEN) {
            return self.fail(Errno::InvalidMethod, Reason::MethodUnknown, start + fit);
        }
        if i == cur.hend {
            cur.pos = i;
            cur.need_head(self, state)?;
        }
        let b = data[i];
        let n = self._token_len as usize;
        if b == b'/' {
            let proto = match &self._token[..n] {
                b"HTTP" => PROTO_HTTP,
                b"RTSP" => PROTO_RTSP,
                b"ICE" => PROTO_ICE,
                _ => return self.fail(Errno::InvalidMethod, Reason::MethodChar, i),
            };
            self._msg_kind = ParserType::Response as u8;
            self._protocol = proto;
            self._token_len = 0;
            cur.pos = i + 1;
            state = State::Version;
        } else if b == b' ' {
            self._msg_kind = ParserType::Request as u8;
            let Some(method) = Method::from_token(&self._token[..n]) else {
                return self.fail(Errno::InvalidMethod, Reason::MethodUnknown, i);
            };
            self.method = method as u8;
            // The method's bytes: from the input if all of them are in this
            // buffer, else from the parser's copy.
            let copy = self._token;
            let piece = if i - start == n {
                &data[start..i]
            } else {
                &copy[..n]
            };
            cur.pos = i + 1;
            state = self.end_span(
                cb,
                Event::Method,
                Event::MethodComplete,
                piece,
                State::UrlStart,
                cur.pos,
            )?;
        } else {
            return self.fail(Errno::InvalidMethod, Reason::MethodChar, i);
        }
        Ok(state)
    }

    /// The request method (the whole request line in one step when it is in the buffer).
    #[inline(always)]
    pub(super) fn request_method<C: Callbacks>(
        &mut self,
        cb: &mut C,
        cur: &mut Cursor<'_>,
        mut state: State,
    ) -> Next {
        let data = cur.data;
        cur.need_head(self, state)?;
        if self._token_len == 0 {
            if let Some(next) = self.whole_request_line(cb, data, cur.pos, cur.hend)? {
                // Handled whole; the general states give the same events for
                // every other request line.
                cur.pos = next;
                state = State::HeaderFieldStart;
                return Ok(state);
            }
        }
        let start = cur.pos;
        let mut i = cur.pos;
        while i < cur.hend && is_method_char(data[i]) {
            i += 1;
        }
        if let Err(fit) = self.push_token(&data[start..i], MAX_METHOD_LEN) {
            let at = start + fit;
            return Err(self
                .fail_span(
                    cb,
                    Event::Method,
                    &data[start..at],
                    Errno::InvalidMethod,
                    Reason::MethodUnknown,
                    at,
                )
                .into());
        }
        if i == cur.hend {
            self.span(cb, Event::Method, &data[start..i], State::Method, i)?;
            cur.pos = i;
            cur.need_head(self, state)?;
        }
        if data[i] != b' ' {
            return Err(self
                .fail_span(
                    cb,
                    Event::Method,
                    &data[start..i],
                    Errno::InvalidMethod,
                    Reason::MethodChar,
                    i,
                )
                .into());
        }
        let n = self._token_len as usize;
        let Some(method) = Method::from_token(&self._token[..n]) else {
            return Err(self
                .fail_span(
                    cb,
                    Event::Method,
                    &data[start..i],
                    Errno::InvalidMethod,
                    Reason::MethodUnknown,
                    i,
                )
                .into());
        };
        self.method = method as u8;
        cur.pos = i + 1;
        Ok(self.end_span(
            cb,
            Event::Method,
            Event::MethodComplete,
            &data[start..i],
            State::UrlStart,
            cur.pos,
        )?)
    }

    /// The first byte of the request target.
    #[inline(always)]
    pub(super) fn url_start<C: Callbacks>(
        &mut self,
        _cb: &mut C,
        cur: &mut Cursor<'_>,
        state: State,
    ) -> Next {
        let data = cur.data;
        cur.need_head(self, state)?;
        let b = data[cur.pos];
        let allowed = scan::URL[b as usize] || (b >= 0x80 && self.allows(WF_LENIENT_URL_NON_ASCII));
        if !allowed {
            return self.fail(Errno::InvalidUrl, Reason::UrlStart, cur.pos);
        }
        Ok(State::Url)
    }

    /// The request target.
    #[inline(always)]
    pub(super) fn url<C: Callbacks>(
        &mut self,
        cb: &mut C,
        cur: &mut Cursor<'_>,
        state: State,
    ) -> Next {
        let data = cur.data;
        cur.need_head(self, state)?;
        let start = cur.pos;
        let mut i = scan::url_end(data, cur.pos, cur.hend);
        while i < cur.hend && data[i] >= 0x80 && self.allows(WF_LENIENT_URL_NON_ASCII) {
            i = scan::url_end(data, i + 1, cur.hend);
        }
        if i == cur.hend {
            self.span(cb, Event::Url, &data[start..i], State::Url, i)?;
            cur.pos = i;
            cur.need_head(self, state)?;
        }
        match data[i] {
            b' ' | b'\r' | b'\n' => {}
            _ => {
                return Err(self
                    .fail_span(
                        cb,
                        Event::Url,
                        &data[start..i],
                        Errno::InvalidUrl,
                        Reason::UrlChar,
                        i,
                    )
                    .into())
            }
        }
        cur.pos = i;
        Ok(self.end_span(
            cb,
            Event::Url,
            Event::UrlComplete,
            &data[start..i],
            State::AfterUrl,
            cur.pos,
        )?)
    }

    /// After the target: the version, or the line end of an HTTP/0.9 request.
    #[inline(always)]
    pub(super) fn after_url<C: Callbacks>(
        &mut self,
        _cb: &mut C,
        cur: &mut Cursor<'_>,
        mut state: State,
    ) -> Next {
        let data = cur.data;
        cur.need_head(self, state)?;
        match data[cur.pos] {
            b' ' => {
                cur.pos += 1;
                self._token_len = 0;
                state = State::Protocol;
            }
            b => {
                // HTTP/0.9: `GET /path` and the line end; GET only, no headers.
                if self.method != Method::Get as u8 {
                    return self.fail(Errno::InvalidMethod, Reason::MethodHttp09, cur.pos);
                }
                self.http_major = 0;
                self.http_minor = 9;
                if b == b'\r' {
                    cur.pos += 1;
                    state = State::Http09Lf;
                } else if self.allows(WF_LENIENT_OPTIONAL_CR_BEFORE_LF) {
                    cur.pos += 1;
                    cur.end_head(self);
                    state = State::HeadersComplete;
                } else {
                    return self.fail(Errno::CrExpected, Reason::BareLf, cur.pos);
                }
            }
        }
        Ok(state)
    }

    /// The LF that ends an HTTP/0.9 request line.
    #[inline(always)]
    pub(super) fn http09_lf<C: Callbacks>(
        &mut self,
        _cb: &mut C,
        cur: &mut Cursor<'_>,
        state: State,
    ) -> Next {
        cur.need_head(self, state)?;
        self.expect_lf(cur)?;
        cur.end_head(self);
        Ok(State::HeadersComplete)
    }

    /// The protocol name before the version (`HTTP`, `RTSP`, `ICE`).
    #[inline(always)]
    pub(super) fn protocol<C: Callbacks>(
        &mut self,
        _cb: &mut C,
        cur: &mut Cursor<'_>,
        state: State,
    ) -> Next {
        let data = cur.data;
        cur.need_head(self, state)?;
        let start = cur.pos;
        let mut i = cur.pos;
        while i < cur.hend && data[i].is_ascii_uppercase() {
            i += 1;
        }
        if let Err(fit) = self.push_token(&data[start..i], 4) {
            return self.fail(
                Errno::InvalidConstant,
                Reason::ExpectedProtocol,
                start + fit,
            );
        }
        if i == cur.hend {
            cur.pos = i;
            cur.need_head(self, state)?;
        }
        let proto = match (&self._token[..self._token_len as usize], data[i]) {
            (b"HTTP", b'/') => PROTO_HTTP,
            (b"RTSP", b'/') => PROTO_RTSP,
            (b"ICE", b'/') => PROTO_ICE,
            _ => return self.fail(Errno::InvalidConstant, Reason::ExpectedProtocol, i),
        };
        if self._msg_kind == ParserType::Request as u8 {
            let family = Method::from_u8(self.method).map(Method::family);
            let ok = match (proto, family) {
                (PROTO_HTTP, Some(Family::Http | Family::Both)) => true,
                (PROTO_RTSP, Some(Family::Rtsp | Family::Both)) => true,
                (PROTO_ICE, _) => self.method == Method::Source as u8,
                _ => false,
            };
            if !ok {
                return self.fail(Errno::InvalidConstant, Reason::MethodProtocol, i);
            }
        }
        self._protocol = proto;
        self._token_len = 0;
        cur.pos = i + 1;
        Ok(State::Version)
    }

    /// The version digits, `1.1`.
    #[inline(always)]
    pub(super) fn version<C: Callbacks>(
        &mut self,
        cb: &mut C,
        cur: &mut Cursor<'_>,
        state: State,
    ) -> Next {
        let data = cur.data;
        // `_token_len` counts the version bytes read: digit, dot, digit. With all
        // three read (a pause on the version's last piece), no byte is needed.
        if self._token_len < 3 {
            cur.need_head(self, state)?;
        }
        let start = cur.pos;
        let mut i = cur.pos;
        while i < cur.hend && self._token_len < 3 {
            let b = data[i];
            match self._token_len {
                0 | 2 if b.is_ascii_digit() => {
                    if self._token_len == 0 {
                        self.http_major = b - b'0';
                    } else {
                        self.http_minor = b - b'0';
                    }
                }
                1 if b == b'.' => {}
                _ => {
                    return Err(self
                        .fail_span(
                            cb,
                            Event::Version,
                            &data[start..i],
                            Errno::InvalidVersion,
                            Reason::VersionChar,
                            i,
                        )
                        .into())
                }
            }
            self._token_len += 1;
            i += 1;
        }
        if self._token_len < 3 {
            self.span(cb, Event::Version, &data[start..i], State::Version, i)?;
            cur.pos = i;
            cur.need_head(self, state)?;
            return Ok(state);
        }
        // The whole version is fired before it is checked; resuming a pause here
        // re-enters this state with all three bytes read.
        self.span(cb, Event::Version, &data[start..i], State::Version, i)?;
        self.check_version(i)?;
        let after = if self._msg_kind == ParserType::Request as u8 {
            State::AfterRequestVersion
        } else {
            State::AfterResponseVersion
        };
        cur.pos = i;
        Ok(self.notify(cb, Event::VersionComplete, after, cur.pos)?)
    }

    /// The CR (or lenient bare LF) after a request line's version.
    #[inline(always)]
    pub(super) fn after_request_version<C: Callbacks>(
        &mut self,
        _cb: &mut C,
        cur: &mut Cursor<'_>,
        mut state: State,
    ) -> Next {
        let data = cur.data;
        cur.need_head(self, state)?;
        match data[cur.pos] {
            b'\r' => {
                cur.pos += 1;
                state = State::RequestLineLf;
            }
            b'\n' if self.allows(WF_LENIENT_OPTIONAL_CR_BEFORE_LF) => {
                cur.pos += 1;
                state = self.after_request_line();
            }
            b'\n' => return self.fail(Errno::CrExpected, Reason::BareLf, cur.pos),
            _ => {
                return self.fail(
                    Errno::InvalidVersion,
                    Reason::ExpectedCrlfAfterVersion,
                    cur.pos,
                )
            }
        }
        Ok(state)
    }

    /// The LF that ends the request line.
    #[inline(always)]
    pub(super) fn request_line_lf<C: Callbacks>(
        &mut self,
        _cb: &mut C,
        cur: &mut Cursor<'_>,
        mut state: State,
    ) -> Next {
        cur.need_head(self, state)?;
        self.expect_lf(cur)?;
        state = self.after_request_line();
        Ok(state)
    }

    /// The space after a status line's version.
    #[inline(always)]
    pub(super) fn after_response_version<C: Callbacks>(
        &mut self,
        _cb: &mut C,
        cur: &mut Cursor<'_>,
        state: State,
    ) -> Next {
        let data = cur.data;
        cur.need_head(self, state)?;
        if data[cur.pos] != b' ' {
            return self.fail(
                Errno::InvalidVersion,
                Reason::ExpectedSpaceAfterVersion,
                cur.pos,
            );
        }
        cur.pos += 1;
        self._token_len = 0;
        self.status_code = 0;
        Ok(State::StatusCode)
    }

    /// The three digits of the status code.
    #[inline(always)]
    pub(super) fn status_code_digits<C: Callbacks>(
        &mut self,
        _cb: &mut C,
        cur: &mut Cursor<'_>,
        state: State,
    ) -> Next {
        let data = cur.data;
        cur.need_head(self, state)?;
        while cur.pos < cur.hend && self._token_len < 3 {
            let b = data[cur.pos];
            if !b.is_ascii_digit() || (self._token_len == 0 && b == b'0') {
                return self.fail(Errno::InvalidStatus, Reason::StatusChar, cur.pos);
            }
            self.status_code = self.status_code * 10 + (b - b'0') as u16;
            self._token_len += 1;
            cur.pos += 1;
        }
        if self._token_len < 3 {
            cur.need_head(self, state)?;
            return Ok(state);
        }
        Ok(State::AfterStatusCode)
    }

    /// After the status code: a space and a reason phrase, or the line end.
    #[inline(always)]
    pub(super) fn after_status_code<C: Callbacks>(
        &mut self,
        cb: &mut C,
        cur: &mut Cursor<'_>,
        mut state: State,
    ) -> Next {
        let data = cur.data;
        cur.need_head(self, state)?;
        match data[cur.pos] {
            b' ' => {
                cur.pos += 1;
                state = State::Status;
            }
            // No reason phrase: the status line ends after the code.
            b'\r' => {
                cur.pos += 1;
                state = self.notify(cb, Event::StatusComplete, State::StatusLf, cur.pos)?;
            }
            b'\n' if self.allows(WF_LENIENT_OPTIONAL_CR_BEFORE_LF) => {
                cur.pos += 1;
                state = self.notify(cb, Event::StatusComplete, State::HeaderFieldStart, cur.pos)?;
            }
            b'\n' => return self.fail(Errno::CrExpected, Reason::BareLf, cur.pos),
            _ => return self.fail(Errno::InvalidStatus, Reason::StatusCodeEnd, cur.pos),
        }
        Ok(state)
    }

    /// The reason phrase.
    #[inline(always)]
    pub(super) fn status<C: Callbacks>(
        &mut self,
        cb: &mut C,
        cur: &mut Cursor<'_>,
        mut state: State,
    ) -> Next {
        let data = cur.data;
        cur.need_head(self, state)?;
        let start = cur.pos;
        let i = scan::value_end(data, cur.pos, cur.hend);
        if i == cur.hend {
            self.span(cb, Event::Status, &data[start..i], State::Status, i)?;
            cur.pos = i;
            cur.need_head(self, state)?;
        }
        match data[i] {
            b'\r' => {
                cur.pos = i + 1;
                state = self.end_span(
                    cb,
                    Event::Status,
                    Event::StatusComplete,
                    &data[start..i],
                    State::StatusLf,
                    cur.pos,
                )?;
            }
            b'\n' if self.allows(WF_LENIENT_OPTIONAL_CR_BEFORE_LF) => {
                cur.pos = i + 1;
                state = self.end_span(
                    cb,
                    Event::Status,
                    Event::StatusComplete,
                    &data[start..i],
                    State::HeaderFieldStart,
                    cur.pos,
                )?;
            }
            b'\n' => {
                return Err(self
                    .fail_span(
                        cb,
                        Event::Status,
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
                        Event::Status,
                        &data[start..i],
                        Errno::InvalidStatus,
                        Reason::StatusReasonChar,
                        i,
                    )
                    .into())
            }
        }
        Ok(state)
    }

    /// The LF that ends the status line.
    #[inline(always)]
    pub(super) fn status_lf<C: Callbacks>(
        &mut self,
        _cb: &mut C,
        cur: &mut Cursor<'_>,
        state: State,
    ) -> Next {
        cur.need_head(self, state)?;
        self.expect_lf(cur)?;
        Ok(State::HeaderFieldStart)
    }

    /// The rest of the HTTP/2 connection preface after `PRI * HTTP/2.0` CRLF.
    #[inline(always)]
    pub(super) fn h2_preface<C: Callbacks>(
        &mut self,
        _cb: &mut C,
        cur: &mut Cursor<'_>,
        state: State,
    ) -> Next {
        let data = cur.data;
        // The rest of the HTTP/2 connection preface after its request line;
        // `_token_len` counts the bytes of it already read. HTTP/2 frames start
        // right after it: the parser stops there for good.
        while (self._token_len as usize) < H2_PREFACE_REST.len() {
            cur.need_head(self, state)?;
            if data[cur.pos] != H2_PREFACE_REST[self._token_len as usize] {
                return self.fail(Errno::InvalidConstant, Reason::H2Preface, cur.pos);
            }
            self._token_len += 1;
            cur.pos += 1;
        }
        self.set_state(State::H2Preface);
        Err(self
            .stop(Errno::PausedH2Upgrade, Reason::PausedH2, cur.pos)
            .into())
    }

    /// The fast path for the commonest request line: `METHOD target HTTP/1.x` CRLF, entirely
    /// in the buffer, with a method of the HTTP family. Fires exactly the events, with exactly
    /// the resume states, that the general states would; returns the offset of the first
    /// header line, or `None` (having fired nothing and changed nothing) for any other line.
    #[inline(always)]
    pub(super) fn whole_request_line<C: Callbacks>(
        &mut self,
        cb: &mut C,
        data: &[u8],
        start: usize,
        hend: usize,
    ) -> Result<Option<usize>, usize> {
        let mut sp = start;
        while sp < hend && is_method_char(data[sp]) {
            sp += 1;
        }
        if sp >= hend || data[sp] != b' ' {
            return Ok(None);
        }
        let method = match Method::from_token(&data[start..sp]) {
            Some(m) if matches!(m.family(), Family::Http | Family::Both) && m != Method::Pri => m,
            _ => return Ok(None),
        };
        let url = sp + 1;
        if url >= hend || !scan::URL[data[url] as usize] {
            return Ok(None);
        }
        let url_end = scan::url_end(data, url, hend);
        let version = url_end + 1;
        // ` HTTP/1.x\r\n`
        if version + 10 > hend || data[url_end] != b' ' {
            return Ok(None);
        }
        let line = &data[version..version + 10];
        if &line[..7] != b"HTTP/1." || !matches!(line[7], b'0' | b'1') || &line[8..] != b"\r\n" {
            return Ok(None);
        }
        self.method = method as u8;
        let method_piece = &data[start..sp];
        self.end_span(
            cb,
            Event::Method,
            Event::MethodComplete,
            method_piece,
            State::UrlStart,
            url,
        )?;
        let target = &data[url..url_end];
        self.end_span(
            cb,
            Event::Url,
            Event::UrlComplete,
            target,
            State::AfterUrl,
            url_end,
        )?;
        // As the Version state leaves things after reading `1.x`.
        self._protocol = PROTO_HTTP;
        self._token_len = 3;
        self.http_major = 1;
        self.http_minor = line[7] - b'0';
        let digits = version + 5..version + 8;
        self.span(
            cb,
            Event::Version,
            &data[digits.clone()],
            State::Version,
            digits.end,
        )?;
        let after = State::AfterRequestVersion;
        self.notify(cb, Event::VersionComplete, after, digits.end)?;
        Ok(Some(version + 10))
    }

    /// Appends `bytes` to the token being collected in `_token` (a method or a protocol name).
    /// If the token would exceed `max` bytes, appends nothing and returns how many of `bytes`
    /// still fit (the offset of the first byte too many).
    pub(super) fn push_token(&mut self, bytes: &[u8], max: usize) -> Result<(), usize> {
        let n = self._token_len as usize;
        if n + bytes.len() > max {
            return Err(max - n);
        }
        self._token[n..n + bytes.len()].copy_from_slice(bytes);
        self._token_len = (n + bytes.len()) as u8;
        Ok(())
    }

    /// Checks the version just read: HTTP/1.0 and HTTP/1.1 (any one-digit version under
    /// leniency); HTTP/2.0 only in the HTTP/2 preface, whose method is PRI.
    pub(super) fn check_version(&mut self, at: usize) -> Step {
        let (major, minor) = (self.http_major, self.http_minor);
        let is_pri =
            self._msg_kind == ParserType::Request as u8 && self.method == Method::Pri as u8;
        let ok = if is_pri {
            major == 2 && minor == 0
        } else {
            (major == 1 && minor <= 1) || self.allows(WF_LENIENT_VERSION)
        };
        if !ok {
            return Err(self.stop(Errno::InvalidVersion, Reason::VersionUnsupported, at));
        }
        Ok(())
    }

    /// After the request line's CRLF: `PRI * HTTP/2.0` goes on with the rest of the HTTP/2
    /// connection preface, anything else reads headers.
    pub(super) fn after_request_line(&mut self) -> State {
        if self.method == Method::Pri as u8 {
            self._token_len = 0;
            return State::H2Preface;
        }
        State::HeaderFieldStart
    }
}
