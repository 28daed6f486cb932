//! Framing: where messages begin and end, the body that follows the head (Content-Length,
//! chunked, until EOF, none), keep-alive, upgrades, and data after a closing message.

use super::*;

impl Parser {
    /// Between messages: skips empty lines, refuses (or discards) data after a closing
    /// message, and begins the next message.
    #[inline(always)]
    pub(super) fn message_start<C: Callbacks>(
        &mut self,
        cb: &mut C,
        cur: &mut Cursor<'_>,
        mut state: State,
    ) -> Next {
        let data = cur.data;
        cur.need_body(state)?;
        if self._iflags & I_CLOSED != 0
            && self._lenient & (WF_LENIENT_KEEP_ALIVE | WF_LENIENT_DATA_AFTER_CLOSE)
                == WF_LENIENT_DATA_AFTER_CLOSE
        {
            // After a message that closes the connection: discarded, whatever it
            // is, and so is everything after it.
            return Err(Halt::Suspend(state));
        }
        let b = data[cur.pos];
        if b == b'\r' {
            cur.pos += 1;
            state = State::MessageStartLf;
            return Ok(state);
        }
        if b == b'\n' {
            if !self.allows(WF_LENIENT_OPTIONAL_CR_BEFORE_LF) {
                return self.fail(Errno::CrExpected, Reason::BareLf, cur.pos);
            }
            cur.pos += 1;
            return Ok(state);
        }
        if self._iflags & I_CLOSED != 0 && !self.allows(WF_LENIENT_KEEP_ALIVE) {
            return self.fail(Errno::ClosedConnection, Reason::DataAfterClose, cur.pos);
        }
        self.begin_message();
        cur.start_head(self);
        let next = match self.parser_type() {
            ParserType::Request => State::Method,
            ParserType::Response => State::Protocol,
            ParserType::Both => State::StartToken,
        };
        if self._iflags & I_HAD_MESSAGE != 0 {
            // on_reset, then on_message_begin through `State::Notify`.
            self._pending = Event::MessageBegin as u8;
            self._after = next as u8;
            state = self.notify(cb, Event::Reset, State::Notify, cur.pos)?;
        } else {
            state = self.notify(cb, Event::MessageBegin, next, cur.pos)?;
        }
        Ok(state)
    }

    /// The LF of an empty line between messages.
    #[inline(always)]
    pub(super) fn message_start_lf<C: Callbacks>(
        &mut self,
        _cb: &mut C,
        cur: &mut Cursor<'_>,
        state: State,
    ) -> Next {
        cur.need_body(state)?;
        self.expect_lf(cur)?;
        Ok(State::MessageStart)
    }

    /// Fires `on_headers_complete` and applies its answer (skip the body, upgrade).
    #[inline(always)]
    pub(super) fn headers_complete<C: Callbacks>(
        &mut self,
        cb: &mut C,
        cur: &mut Cursor<'_>,
        _state: State,
    ) -> Next {
        let state = State::AfterHeaders;
        self.set_state(state);
        let r = cb.on_notify(self, Event::HeadersComplete);
        match r {
            Action::Continue => {}
            Action::SkipBody => self.skip_body(false),
            Action::SkipBodyUpgrade => self.skip_body(true),
            _ => {
                return Err(self
                    .callback_stop(r, Event::HeadersComplete, cur.pos)
                    .into())
            }
        }
        Ok(state)
    }

    /// Chooses how the body is framed.
    #[inline(always)]
    pub(super) fn after_headers<C: Callbacks>(
        &mut self,
        _cb: &mut C,
        _cur: &mut Cursor<'_>,
        _state: State,
    ) -> Next {
        Ok(self.body_state())
    }

    /// A body of known length (Content-Length).
    #[inline(always)]
    pub(super) fn body_identity<C: Callbacks>(
        &mut self,
        cb: &mut C,
        cur: &mut Cursor<'_>,
        state: State,
    ) -> Next {
        cur.need_body(state)?;
        let piece = cur.take_counted(&mut self.content_length);
        let next = if self.content_length == 0 {
            self._iflags |= I_BODY_FINAL;
            State::MessageComplete
        } else {
            State::BodyIdentity
        };
        let r = self.span(cb, Event::Body, piece, next, cur.pos);
        self._iflags &= !I_BODY_FINAL;
        r?;
        Ok(next)
    }

    /// A body that lasts until the connection closes.
    #[inline(always)]
    pub(super) fn body_eof<C: Callbacks>(
        &mut self,
        cb: &mut C,
        cur: &mut Cursor<'_>,
        state: State,
    ) -> Next {
        let data = cur.data;
        let len = cur.data.len();
        cur.need_body(state)?;
        let start = cur.pos;
        cur.pos = len;
        self.span(
            cb,
            Event::Body,
            &data[start..cur.pos],
            State::BodyEof,
            cur.pos,
        )?;
        Ok(state)
    }

    /// Fires `on_message_complete`; then the next message, or the upgrade pause.
    #[inline(always)]
    pub(super) fn message_complete<C: Callbacks>(
        &mut self,
        cb: &mut C,
        cur: &mut Cursor<'_>,
        _state: State,
    ) -> Next {
        let upgrading = self._iflags & I_UPGRADING != 0;
        self._iflags |= I_HAD_MESSAGE;
        if !self.should_keep_alive() {
            self._iflags |= I_CLOSED;
        }
        let next = if upgrading {
            State::Upgrade
        } else {
            State::MessageStart
        };
        Ok(self.notify(cb, Event::MessageComplete, next, cur.pos)?)
    }

    /// Stops at the first byte after a message that upgrades the connection.
    #[inline(always)]
    pub(super) fn upgrade_pause<C: Callbacks>(
        &mut self,
        _cb: &mut C,
        cur: &mut Cursor<'_>,
        _state: State,
    ) -> Next {
        self._iflags &= !(I_UPGRADING | I_CLOSED);
        self.set_state(State::MessageStart);
        Err(self
            .stop(Errno::PausedUpgrade, Reason::PausedUpgrade, cur.pos)
            .into())
    }

    /// True if the message is a response whose body lasts until the connection closes.
    pub fn message_needs_eof(&self) -> bool {
        if self._msg_kind != ParserType::Response as u8 {
            return false;
        }
        let status = self.status_code;
        if status / 100 == 1 || status == 204 || status == 304 || self.flags & WF_F_SKIPBODY != 0 {
            return false;
        }
        if self.flags & WF_F_TRANSFER_ENCODING != 0 && self.flags & WF_F_CHUNKED == 0 {
            return true;
        }
        self.flags & (WF_F_CHUNKED | WF_F_CONTENT_LENGTH) == 0
    }

    /// True if the connection may carry another message after this one: HTTP/1.1 without
    /// `Connection: close`, or HTTP/1.0 with `Connection: keep-alive`; never when the body lasts
    /// until EOF, nor when the framing was suspicious (Transfer-Encoding in HTTP/1.0, or with a
    /// Content-Length under leniency).
    pub fn should_keep_alive(&self) -> bool {
        let v11 = self.http_major > 1 || (self.http_major == 1 && self.http_minor >= 1);
        if v11 {
            if self.flags & WF_F_CONNECTION_CLOSE != 0 {
                return false;
            }
        } else if self.flags & WF_F_CONNECTION_KEEP_ALIVE == 0 {
            return false;
        }
        if self.flags & WF_F_TRANSFER_ENCODING != 0
            && (!v11 || self.flags & WF_F_CONTENT_LENGTH != 0)
        {
            return false;
        }
        !self.message_needs_eof()
    }

    /// Resets the per-message fields when a message starts.
    pub(super) fn begin_message(&mut self) {
        self.flags = 0;
        self.content_length = 0;
        self.upgrade = 0;
        self.method = 0;
        self.status_code = 0;
        self.http_major = 0;
        self.http_minor = 0;
        self._token_len = 0;
        self._header = H_OTHER;
        self._ext_bytes = 0;
        self._iflags &= !(I_CLOSED | I_BODY_FINAL | I_TE_ERROR | I_UPGRADING);
        self._msg_kind = match self.parser_type() {
            ParserType::Response => ParserType::Response as u8,
            _ => ParserType::Request as u8,
        };
    }

    /// After the blank line that ends the headers (or the trailers).
    pub(super) fn end_of_head(&mut self, pos: usize) -> Result<State, usize> {
        if self.flags & WF_F_TRAILING != 0 {
            return Ok(self.notify_pending(Event::ChunkComplete, State::MessageComplete));
        }
        // Content-Length with Transfer-Encoding was refused at the line that made the pair.
        let flags = self.flags;
        if flags & WF_F_TRANSFER_ENCODING != 0
            && self._msg_kind == ParserType::Request as u8
            && flags & WF_F_CHUNKED == 0
            && !self.allows(WF_LENIENT_TRANSFER_ENCODING)
        {
            return Err(self.stop(
                Errno::InvalidTransferEncoding,
                Reason::TeChunkedNotLast,
                pos,
            ));
        }
        self.upgrade = if self._msg_kind == ParserType::Request as u8 {
            let wants = flags & WF_F_UPGRADE != 0 && flags & WF_F_CONNECTION_UPGRADE != 0;
            (wants || self.method == Method::Connect as u8) as u8
        } else {
            (self.status_code == 101) as u8
        };
        Ok(State::HeadersComplete)
    }

    /// Decides how the body is framed, after `on_headers_complete`.
    pub(super) fn body_state(&mut self) -> State {
        let flags = self.flags;
        let response = self._msg_kind == ParserType::Response as u8;
        let has_body = flags & WF_F_CHUNKED != 0
            || (flags & WF_F_CONTENT_LENGTH != 0 && self.content_length > 0);
        let connect = !response && self.method == Method::Connect as u8;
        if (self.upgrade != 0 && (connect || flags & WF_F_SKIPBODY != 0 || !has_body))
            || (response && self.status_code == 101)
        {
            self._iflags |= I_UPGRADING;
            return State::MessageComplete;
        }
        if self.upgrade != 0 {
            // An upgrade request with a body: the body first, then the upgrade pause.
            self._iflags |= I_UPGRADING;
        }
        if flags & WF_F_SKIPBODY != 0
            || (response
                && (self.status_code / 100 == 1
                    || self.status_code == 204
                    || self.status_code == 304))
        {
            return State::MessageComplete;
        }
        if flags & WF_F_CHUNKED != 0 {
            self.content_length = 0;
            return State::ChunkSizeStart;
        }
        if flags & WF_F_TRANSFER_ENCODING != 0 {
            // Not chunked: requests got here only under leniency; both read until EOF.
            return State::BodyEof;
        }
        if flags & WF_F_CONTENT_LENGTH != 0 {
            return if self.content_length == 0 {
                State::MessageComplete
            } else {
                State::BodyIdentity
            };
        }
        if self.message_needs_eof() {
            State::BodyEof
        } else {
            State::MessageComplete
        }
    }
}
