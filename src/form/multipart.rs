//! The streaming multipart/form-data parser (RFC 7578 over RFC 2046).
//!
//! [`MultipartParser::execute`] takes the body in pieces of any size and reports events to a
//! [`Handler`]: part begin, header name and value pieces, header end, headers complete, data
//! pieces, part end, and end (the close delimiter). Every span points into the caller's buffer,
//! except one case: when bytes that looked like the start of a delimiter at the end of one
//! piece turn out to be data, they are given from the parser's own copy of the delimiter. The
//! pieces of a span concatenate to the same bytes whatever the split, and every event and every
//! error offset is the same for every split of the input.
//!
//! The body grammar (RFC 2046 5.1.1), with the delimiter `CRLF "--" boundary`:
//!
//! ```text
//! body      = [preamble CRLF] "--" boundary padding CRLF part
//!             *(CRLF "--" boundary padding CRLF part) CRLF "--" boundary "--" epilogue
//! part      = *(header CRLF) CRLF data
//! padding   = *(SP / HTAB)
//! ```
//!
//! Strict: part header lines end in CRLF (a bare CR or LF is an error), names are tokens,
//! values have no control characters, no obsolete line folding, and a delimiter must be
//! followed by padding and CRLF or by `--`; anything else means the boundary occurs inside the
//! content, which RFC 2046 forbids and which parsers would otherwise read differently.
//! Limits ([`MultipartConfig`]) bound the preamble, each part's header section, each part's
//! data, the number of parts and the epilogue; each has its own error.

use super::chars::{scan, BCHAR, TOKEN, VALUE};
use super::error::FormError;
use super::search::{find, Found};

/// Longest boundary RFC 2046 allows.
pub const MAX_BOUNDARY_LEN: usize = 70;
/// Size of the stored delimiter: CR LF "--" and the boundary.
const DELIM_CAP: usize = MAX_BOUNDARY_LEN + 4;

/// What a [`Handler`] callback asks the parser to do next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Go on parsing.
    Continue,
    /// Stop after this event: `execute` returns the offset just past the event's bytes, and the
    /// next `execute` call, given the rest of the input, resumes.
    Pause,
    /// Stop with [`FormError::CallbackError`].
    Fail,
}

/// The kinds of event, numbered as in the C ABI (`wf_mp_event_kind`) and in event rows.
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MpEvent {
    /// A part starts (its delimiter line was read); its headers follow.
    PartBegin = 1,
    /// A piece of a part header's name.
    HeaderField = 2,
    /// A piece of a part header's value (leading whitespace skipped; trailing kept).
    HeaderValue = 3,
    /// A part header line ended.
    HeaderEnd = 4,
    /// The part's header section ended (the empty line); its data follows.
    HeadersComplete = 5,
    /// A piece of the part's data (in an event row: `offset`/`length` in the input).
    PartData = 6,
    /// The part ended (its closing delimiter was read).
    PartEnd = 7,
    /// The close delimiter was read: the body is complete (an epilogue may follow).
    End = 8,
    /// Event rows only: a piece of part data made of the first `length` bytes of the
    /// delimiter (`CR LF -- boundary`), which had looked like the start of a delimiter at the
    /// end of an earlier input. In callbacks this is a `PartData` piece.
    PartDataFromDelimiter = 9,
}

/// The parser's callbacks. Each has a default that does nothing and continues. Data pieces
/// are never empty and are valid only during the call.
pub trait Handler {
    /// A part starts.
    fn part_begin(&mut self) -> Action {
        Action::Continue
    }
    /// A piece of a header name.
    fn header_field(&mut self, data: &[u8]) -> Action {
        let _ = data;
        Action::Continue
    }
    /// A piece of a header value.
    fn header_value(&mut self, data: &[u8]) -> Action {
        let _ = data;
        Action::Continue
    }
    /// A header line ended.
    fn header_end(&mut self) -> Action {
        Action::Continue
    }
    /// The part's headers are complete.
    fn headers_complete(&mut self) -> Action {
        Action::Continue
    }
    /// A piece of part data. `from_delimiter` is true when `data` is the parser's copy of a
    /// delimiter prefix rather than a slice of the current input.
    fn part_data(&mut self, data: &[u8], from_delimiter: bool) -> Action {
        let _ = (data, from_delimiter);
        Action::Continue
    }
    /// The part ended.
    fn part_end(&mut self) -> Action {
        Action::Continue
    }
    /// The close delimiter was read.
    fn end(&mut self) -> Action {
        Action::Continue
    }
}

impl Handler for () {}

/// The parser's limits. 0 means "no limit" for `max_part_size` only; the others are always
/// enforced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MultipartConfig {
    /// Most parts in one body (default 1000). Stops a flood of tiny parts, each costing the
    /// application a record.
    pub max_parts: u32,
    /// Most bytes of one part's header section, from the end of its delimiter through the
    /// empty line (default 16 KiB). Stops unbounded header lines.
    pub max_header_size: u32,
    /// Most data bytes in one part; 0 = no limit (default). Lets a server cap an upload
    /// without counting itself.
    pub max_part_size: u64,
    /// Most bytes before the first delimiter (default 1024; browsers send none). Stops a
    /// client from making the server scan an endless preamble.
    pub max_preamble: u32,
    /// Most bytes after the close delimiter (default 1024). Stops a client from feeding an
    /// endless epilogue after the form is complete.
    pub max_epilogue: u32,
}

impl MultipartConfig {
    /// The defaults.
    pub const DEFAULT: MultipartConfig = MultipartConfig {
        max_parts: 1000,
        max_header_size: 16 * 1024,
        max_part_size: 0,
        max_preamble: 1024,
        max_epilogue: 1024,
    };
}

impl Default for MultipartConfig {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Checks a boundary against RFC 2046: 1 to 70 bytes of `bchars`, not ending with a space.
pub fn validate_boundary(boundary: &[u8]) -> Result<(), FormError> {
    let ok = !boundary.is_empty()
        && boundary.len() <= MAX_BOUNDARY_LEN
        && boundary.iter().all(|&b| BCHAR[b as usize])
        && boundary.last() != Some(&b' ');
    if ok {
        Ok(())
    } else {
        Err(FormError::InvalidBoundary)
    }
}

const MAGIC: u32 = 0x5746_4d50; // "WFMP"

const ST_PREAMBLE: u8 = 0;
const ST_DATA: u8 = 1;
const ST_AFTER_DELIM: u8 = 2;
const ST_CLOSE_DASH: u8 = 3;
const ST_PADDING: u8 = 4;
const ST_DELIM_LF: u8 = 5;
const ST_HEADER_START: u8 = 6;
const ST_FIELD: u8 = 7;
const ST_VALUE_START: u8 = 8;
const ST_VALUE: u8 = 9;
const ST_VALUE_LF: u8 = 10;
const ST_HEADERS_END_LF: u8 = 11;
const ST_EPILOGUE: u8 = 12;

/// `_flags`: the carried match began with the two virtual bytes CR LF that stand for the
/// start of the body (the first delimiter needs no CRLF before it).
const FLAG_VIRTUAL: u8 = 1;

type Step = Result<(), (FormError, u64)>;

/// The multipart parser's state: plain data that C embeds (inside `wf_mp_parser`) without an
/// allocation. Every field is private and an integer, so no bit pattern is invalid; a state
/// that was not initialised reports `WF_FORM_ERR_NOT_INITIALIZED`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct MultipartParser {
    _magic: u32,
    _error: u32,
    _error_offset: u64,
    _total: u64,
    _max_part_size: u64,
    _part_size: u64,
    _mark: u64,
    _max_parts: u32,
    _max_header_size: u32,
    _max_preamble: u32,
    _max_epilogue: u32,
    _parts: u32,
    _state: u8,
    _match: u8,
    _delim_len: u8,
    _flags: u8,
    _delim: [u8; 74],
}

const _: () = assert!(DELIM_CAP == 74);

impl MultipartParser {
    /// A parser for a body with `boundary` (the Content-Type parameter, without the leading
    /// dashes; see [`super::boundary_from_content_type`]) and `config`. Fails with
    /// [`FormError::InvalidBoundary`] when the boundary breaks RFC 2046's rules.
    pub fn new(boundary: &[u8], config: MultipartConfig) -> Result<Self, FormError> {
        validate_boundary(boundary)?;
        let mut delim = [0u8; DELIM_CAP];
        delim[..4].copy_from_slice(b"\r\n--");
        delim[4..4 + boundary.len()].copy_from_slice(boundary);
        Ok(MultipartParser {
            _magic: MAGIC,
            _error: FormError::Ok as u32,
            _error_offset: 0,
            _total: 0,
            _max_part_size: config.max_part_size,
            _part_size: 0,
            _mark: 0,
            _max_parts: config.max_parts,
            _max_header_size: config.max_header_size,
            _max_preamble: config.max_preamble,
            _max_epilogue: config.max_epilogue,
            _parts: 0,
            _state: ST_PREAMBLE,
            // The body may start with "--boundary": as if CR LF had been read already.
            _match: 2,
            _delim_len: (boundary.len() + 4) as u8,
            _flags: FLAG_VIRTUAL,
            _delim: delim,
        })
    }

    /// The limits in force.
    pub fn config(&self) -> MultipartConfig {
        MultipartConfig {
            max_parts: self._max_parts,
            max_header_size: self._max_header_size,
            max_part_size: self._max_part_size,
            max_preamble: self._max_preamble,
            max_epilogue: self._max_epilogue,
        }
    }

    /// Changes the limits; they apply from the next byte parsed.
    pub fn set_config(&mut self, config: MultipartConfig) {
        self._max_parts = config.max_parts;
        self._max_header_size = config.max_header_size;
        self._max_part_size = config.max_part_size;
        self._max_preamble = config.max_preamble;
        self._max_epilogue = config.max_epilogue;
    }

    /// The state: `Ok`, `Paused` (the last `execute` stopped at a pause), or the error that
    /// stopped parsing for good.
    pub fn error(&self) -> FormError {
        if self._magic != MAGIC || self._delim_len as usize > DELIM_CAP || self._delim_len < 5 {
            return FormError::NotInitialized;
        }
        FormError::from_u32(self._error).unwrap_or(FormError::NotInitialized)
    }

    /// Stream offset (bytes since the start of the body) of the byte at which the error was
    /// detected, or just past the event that paused; 0 in the `Ok` state. The same for every
    /// split of the input.
    pub fn error_offset(&self) -> u64 {
        self._error_offset
    }

    /// Bytes consumed since the start of the body.
    pub fn bytes_consumed(&self) -> u64 {
        self._total
    }

    /// Parts begun so far.
    pub fn parts(&self) -> u32 {
        self._parts
    }

    /// Whether the close delimiter has been read (only an epilogue may follow).
    pub fn is_done(&self) -> bool {
        self._state == ST_EPILOGUE
    }

    /// The delimiter, `CR LF "--" boundary`: a [`MpEvent::PartDataFromDelimiter`] row of
    /// length `n` stands for its first `n` bytes.
    pub fn delimiter(&self) -> &[u8] {
        &self._delim[..(self._delim_len as usize).min(DELIM_CAP)]
    }

    /// Parses `data`, the next bytes of the body, reporting events to `handler`.
    ///
    /// Returns the number of bytes consumed: `data.len()` when everything was parsed, or, when
    /// [`MultipartParser::error`] is not `Ok`, the offset in `data` of the byte at which the
    /// error was detected (0 if it was detected on bytes of an earlier call), or just past the
    /// event that paused. After a pause, call again with `&data[returned..]`. After an error
    /// nothing more is consumed (returns 0). Never panics.
    pub fn execute<H: Handler + ?Sized>(&mut self, data: &[u8], handler: &mut H) -> usize {
        match self.error() {
            FormError::Ok => {}
            FormError::Paused => {
                self._error = FormError::Ok as u32;
                self._error_offset = 0;
            }
            _ => return 0,
        }
        let base = self._total;
        let mut i = 0usize;
        let r = self.run(data, &mut i, handler);
        self._total = base.saturating_add(i as u64);
        if let Err((e, at)) = r {
            self._error = e as u32;
            self._error_offset = at;
        }
        i
    }

    /// Signals the end of the body. Returns `Ok` when the close delimiter was read; otherwise
    /// the parser enters and returns [`FormError::MissingFinalBoundary`] (at the stream offset
    /// of the end), or returns the error it already had.
    pub fn finish(&mut self) -> FormError {
        match self.error() {
            FormError::Ok | FormError::Paused => {}
            e => return e,
        }
        if self._state == ST_EPILOGUE {
            self._error = FormError::Ok as u32;
            return FormError::Ok;
        }
        self._error = FormError::MissingFinalBoundary as u32;
        self._error_offset = self._total;
        FormError::MissingFinalBoundary
    }

    fn act(a: Action, at: u64) -> Step {
        match a {
            Action::Continue => Ok(()),
            Action::Pause => Err((FormError::Paused, at)),
            Action::Fail => Err((FormError::CallbackError, at)),
        }
    }

    /// Gives a piece of part data to the handler, enforcing the part-size limit: the bytes up
    /// to the limit are delivered, then the error.
    fn data<H: Handler + ?Sized>(
        &mut self,
        h: &mut H,
        bytes: &[u8],
        stored: bool,
        at: u64,
    ) -> Step {
        if bytes.is_empty() {
            return Ok(());
        }
        let max = self._max_part_size;
        let n = bytes.len() as u64;
        if max != 0 && self._part_size.saturating_add(n) > max {
            let allowed = (max - self._part_size.min(max)) as usize;
            if allowed > 0 {
                let _ = h.part_data(&bytes[..allowed], stored);
            }
            self._part_size = max;
            return Err((FormError::PartTooLarge, self._mark.saturating_add(max)));
        }
        self._part_size += n;
        Self::act(h.part_data(bytes, stored), at)
    }

    /// The preamble may not extend past `self._max_preamble` bytes: `end` is a stream offset
    /// up to which every byte is known to be preamble.
    fn check_preamble(&self, end: u64) -> Step {
        let max = self._max_preamble as u64;
        if end > max {
            Err((FormError::PreambleTooLarge, max))
        } else {
            Ok(())
        }
    }

    fn run<H: Handler + ?Sized>(&mut self, data: &[u8], i: &mut usize, h: &mut H) -> Step {
        let base = self._total;
        let dlen = (self._delim_len as usize).min(DELIM_CAP);
        let mut delim_buf = [0u8; DELIM_CAP];
        delim_buf[..dlen].copy_from_slice(&self._delim[..dlen]);
        let delim = &delim_buf[..dlen];
        let len = data.len();
        let abs = |k: usize| base.saturating_add(k as u64);
        loop {
            let st = self._state;
            if st == ST_PREAMBLE || st == ST_DATA {
                let is_data = st == ST_DATA;
                if self._match > 0 {
                    // A delimiter prefix carried over from earlier input: go on matching it.
                    let m = (self._match as usize).min(dlen);
                    let need = &delim[m..];
                    let avail = &data[*i..];
                    let k = need.iter().zip(avail).take_while(|(a, b)| a == b).count();
                    if k == need.len() {
                        *i += k;
                        self._match = 0;
                        self._flags &= !FLAG_VIRTUAL;
                        self.delimiter_found(h, abs(*i))?;
                        continue;
                    }
                    if k == avail.len() {
                        self._match = (m + k) as u8;
                        *i = len;
                        return Ok(());
                    }
                    // Not a delimiter: the carried bytes were content; rescan from here.
                    self._match = 0;
                    self._flags &= !FLAG_VIRTUAL;
                    if is_data {
                        self.data(h, &delim[..m], true, abs(*i))?;
                    } else {
                        self.check_preamble(abs(*i))?;
                    }
                    continue;
                }
                if *i >= len {
                    return Ok(());
                }
                let start = *i;
                let found = find(data, start, delim);
                let (content_end, next) = match found {
                    Found::Full(j) => (j, j + dlen),
                    Found::Partial(j) => (j, len),
                    Found::Nothing => (len, len),
                };
                if is_data {
                    let piece = &data[start..content_end];
                    if let Err(e) = self.data(h, piece, false, abs(content_end)) {
                        *i = content_end;
                        return Err(e);
                    }
                } else {
                    self.check_preamble(abs(content_end))?;
                }
                *i = next;
                match found {
                    Found::Full(_) => self.delimiter_found(h, abs(next))?,
                    Found::Partial(j) => {
                        self._match = (len - j) as u8;
                        return Ok(());
                    }
                    Found::Nothing => return Ok(()),
                }
                continue;
            }
            if st == ST_EPILOGUE {
                let limit = self._mark.saturating_add(self._max_epilogue as u64);
                if abs(len) > limit {
                    *i = (limit.saturating_sub(base) as usize).min(len);
                    return Err((FormError::EpilogueTooLarge, limit));
                }
                *i = len;
                return Ok(());
            }
            // Delimiter line and header section: bounded by the header-size limit.
            let limit = self._mark.saturating_add(self._max_header_size as u64);
            let end = (limit.saturating_sub(base)).min(len as u64) as usize;
            if *i >= end {
                if *i < len {
                    return Err((FormError::HeadersTooLarge, limit));
                }
                return Ok(());
            }
            let b = data[*i];
            let here = abs(*i);
            match st {
                ST_AFTER_DELIM | ST_PADDING => {
                    self._state = match b {
                        b'-' if st == ST_AFTER_DELIM => ST_CLOSE_DASH,
                        b' ' | b'\t' => ST_PADDING,
                        b'\r' => ST_DELIM_LF,
                        b'\n' => return Err((FormError::BareLf, here)),
                        _ => return Err((FormError::InvalidDelimiter, here)),
                    };
                    *i += 1;
                }
                ST_CLOSE_DASH => {
                    if b != b'-' {
                        return Err((FormError::InvalidDelimiter, here));
                    }
                    *i += 1;
                    self._state = ST_EPILOGUE;
                    self._mark = abs(*i);
                    Self::act(h.end(), abs(*i))?;
                }
                ST_DELIM_LF => {
                    if b != b'\n' {
                        return Err((FormError::BareCr, here));
                    }
                    if self._parts >= self._max_parts {
                        return Err((FormError::TooManyParts, here));
                    }
                    *i += 1;
                    self._parts += 1;
                    self._state = ST_HEADER_START;
                    Self::act(h.part_begin(), abs(*i))?;
                }
                ST_HEADER_START => match b {
                    b'\r' => {
                        *i += 1;
                        self._state = ST_HEADERS_END_LF;
                    }
                    b'\n' => return Err((FormError::BareLf, here)),
                    b' ' | b'\t' => return Err((FormError::ObsoleteFold, here)),
                    _ if TOKEN[b as usize] => self._state = ST_FIELD,
                    _ => return Err((FormError::InvalidHeaderName, here)),
                },
                ST_FIELD => {
                    let e = scan(&TOKEN, data, *i, end);
                    let start = *i;
                    *i = e;
                    if e > start {
                        Self::act(h.header_field(&data[start..e]), abs(e))?;
                    }
                    if e < end {
                        if data[e] != b':' {
                            return Err((FormError::InvalidHeaderName, abs(e)));
                        }
                        *i = e + 1;
                        self._state = ST_VALUE_START;
                    }
                }
                ST_VALUE_START => {
                    if b == b' ' || b == b'\t' {
                        *i += 1;
                    } else {
                        self._state = ST_VALUE;
                    }
                }
                ST_VALUE => {
                    let e = scan(&VALUE, data, *i, end);
                    let start = *i;
                    *i = e;
                    if e > start {
                        Self::act(h.header_value(&data[start..e]), abs(e))?;
                    }
                    if e < end {
                        match data[e] {
                            b'\r' => {
                                *i = e + 1;
                                self._state = ST_VALUE_LF;
                            }
                            b'\n' => return Err((FormError::BareLf, abs(e))),
                            _ => return Err((FormError::InvalidHeaderValue, abs(e))),
                        }
                    }
                }
                ST_VALUE_LF => {
                    if b != b'\n' {
                        return Err((FormError::BareCr, here));
                    }
                    *i += 1;
                    self._state = ST_HEADER_START;
                    Self::act(h.header_end(), abs(*i))?;
                }
                ST_HEADERS_END_LF => {
                    if b != b'\n' {
                        return Err((FormError::BareCr, here));
                    }
                    *i += 1;
                    self._state = ST_DATA;
                    self._match = 0;
                    self._part_size = 0;
                    self._mark = abs(*i);
                    Self::act(h.headers_complete(), abs(*i))?;
                }
                _ => return Err((FormError::NotInitialized, here)),
            }
        }
    }

    /// A whole delimiter was read, ending at stream offset `at`.
    fn delimiter_found<H: Handler + ?Sized>(&mut self, h: &mut H, at: u64) -> Step {
        let was_data = self._state == ST_DATA;
        self._state = ST_AFTER_DELIM;
        self._mark = at;
        if was_data {
            Self::act(h.part_end(), at)?;
        }
        Ok(())
    }
}
