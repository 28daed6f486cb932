//! `feed_data` for `HttpRequestParser` and `HttpResponseParser`: one call parses a buffer with
//! the core's [`Parser`] and calls the protocol's methods from the parser's callbacks, as
//! httptools does from llhttp's.

use core::ffi::c_int;
use core::ptr::null_mut;

use wireframe::http::{Action, Callbacks, Errno, Event, Parser, ParserType};

use crate::capi::*;
use crate::globals;

/// The per-parser state, in memory the Python object owns (a ctypes array of
/// `wfpy_http_state_size()` bytes). The parser comes first, so the binding reads its public
/// fields and calls `wf_http_*` on the same address. Plain data: nothing to free.
#[repr(C)]
pub struct HttpState {
    /// The core's parser.
    pub parser: Parser,
    /// Why the parser failed for good outside the core: 0 (it did not), `FAILED_CALLBACK + i`
    /// (callback `i` raised), or `FAILED_TOO_MANY_HEADERS`.
    pub failed: u32,
    /// 1 during `feed_data` (a callback feeding its own parser is refused).
    pub busy: u32,
    /// Header lines of the head (or trailers) being read.
    pub headers: u32,
    /// Most header lines in one head or one trailer section; 0: no limit.
    pub max_headers: u32,
}

const FAILED_CALLBACK: u32 = 1;
const FAILED_TOO_MANY_HEADERS: u32 = 100;

/// Positions in the context tuple `feed_data` gets: the state's address, the list holding
/// the header name and value carried over from the previous call, the list of the header
/// cache (`CACHE_SLOTS` items, None at first), then for each callback a
/// (function, self) pair: a bound method of a Python function comes unbound, so that it is
/// called as `function(self, ...)` without the bound method's own call layer; any other
/// callable comes as (callable, None); a missing callback as (None, None).
const CTX_ADDR: isize = 0;
const CTX_PENDING: isize = 1;
const CTX_CACHE: isize = 2;
const CTX_CALLBACKS: isize = 3;

const CB_SPAN: usize = 0; // on_url (requests) or on_status (responses)
const CB_HEADER: usize = 1;
const CB_BODY: usize = 2;
const CB_MESSAGE_BEGIN: usize = 3;
const CB_HEADERS_COMPLETE: usize = 4;
const CB_MESSAGE_COMPLETE: usize = 5;
const CB_CHUNK_HEADER: usize = 6;
const CB_CHUNK_COMPLETE: usize = 7;
const CALLBACKS: usize = 8;

/// The callback names used in `HttpParserCallbackError`'s message, by callback index.
fn callback_name(index: usize, response: bool) -> &'static str {
    match index {
        CB_SPAN if response => "on_status",
        CB_SPAN => "on_url",
        CB_HEADER => "on_header",
        CB_BODY => "on_body",
        CB_MESSAGE_BEGIN => "on_message_begin",
        CB_HEADERS_COMPLETE => "on_headers_complete",
        CB_MESSAGE_COMPLETE => "on_message_complete",
        CB_CHUNK_HEADER => "on_chunk_header",
        _ => "on_chunk_complete",
    }
}

/// A header name or value being gathered: the first piece stays a slice of the input; later
/// pieces (a line split across calls) are joined into a bytes object.
struct Gather {
    slice: Option<(*const u8, usize)>,
    /// A bytes object the gatherer owns, or NULL.
    obj: *mut PyObject,
}

impl Gather {
    /// Starts from the bytes object carried over from the previous call (None: nothing).
    ///
    /// # Safety
    /// GIL held; `carried` is a live object.
    unsafe fn new(carried: *mut PyObject) -> Gather {
        let obj = if carried == none() {
            null_mut()
        } else {
            // SAFETY: as the caller guarantees.
            unsafe { Py_IncRef(carried) };
            carried
        };
        Gather { slice: None, obj }
    }

    /// Adds a piece; false if Python failed (out of memory).
    fn push(&mut self, data: &[u8]) -> bool {
        if self.slice.is_none() && self.obj.is_null() {
            self.slice = Some((data.as_ptr(), data.len()));
            return true;
        }
        self.spill() && self.append(data)
    }

    /// Moves the slice, if any, into the bytes object.
    fn spill(&mut self) -> bool {
        match self.slice.take() {
            // SAFETY: the slice points into the input of the running call, which is alive.
            Some((p, n)) => self.append(unsafe { core::slice::from_raw_parts(p, n) }),
            None => true,
        }
    }

    fn append(&mut self, data: &[u8]) -> bool {
        let joined = if self.obj.is_null() {
            bytes(data)
        } else {
            // SAFETY: GIL held; `obj` is a bytes object this gatherer owns.
            unsafe { concat(self.obj, data) }
        };
        if joined.is_null() {
            return false;
        }
        // SAFETY: as above.
        unsafe { xdecref(self.obj) };
        self.obj = joined;
        true
    }

    /// The gathered bytes as a new reference (b"" when nothing was gathered), leaving the
    /// gatherer empty; NULL with an exception set on failure. One piece is made into bytes
    /// through `cache`.
    fn take(&mut self, cache: &mut Cache) -> *mut PyObject {
        if self.obj.is_null() {
            return match self.slice.take() {
                // SAFETY: the slice points into the live input.
                Some((p, n)) => cache.bytes(unsafe { core::slice::from_raw_parts(p, n) }),
                None => bytes(b""),
            };
        }
        if !self.spill() {
            return null_mut();
        }
        core::mem::replace(&mut self.obj, null_mut())
    }

    /// Forgets what was gathered.
    fn clear(&mut self) {
        self.slice = None;
        // SAFETY: GIL held; `obj` is NULL or owned.
        unsafe { xdecref(core::mem::replace(&mut self.obj, null_mut())) };
    }

    /// What to carry over to the next call (a new reference: bytes or None).
    fn carry(&mut self) -> *mut PyObject {
        if self.slice.is_none() && self.obj.is_null() {
            let n = none();
            // SAFETY: GIL held.
            unsafe { Py_IncRef(n) };
            return n;
        }
        self.take(&mut Cache(null_mut()))
    }
}

impl Drop for Gather {
    fn drop(&mut self) {
        self.clear();
    }
}

/// Recently made header names and values, reused when the same bytes come again (a
/// connection repeats most of its header lines from request to request, and a bytes object
/// is immutable, so giving the same one again is indistinguishable from a copy, and spares an
/// allocation and a free). A direct-mapped table of `CACHE_SLOTS` bytes objects, held in a
/// list in the parser's context tuple; pieces longer than `CACHE_MAX` bytes are not cached.
struct Cache(*mut PyObject);

const CACHE_SLOTS: usize = 64;
const CACHE_MAX: usize = 48;

impl Cache {
    /// `data` as bytes (a new reference), from the table when it holds the same bytes.
    #[inline(always)]
    fn bytes(&mut self, data: &[u8]) -> *mut PyObject {
        let n = data.len();
        if self.0.is_null() || n == 0 || n > CACHE_MAX {
            return bytes(data);
        }
        let h = (n as u32)
            .wrapping_mul(31)
            .wrapping_add(data[0] as u32)
            .wrapping_mul(31)
            .wrapping_add(data[n - 1] as u32)
            .wrapping_mul(31)
            .wrapping_add(data[n / 2] as u32);
        let slot = (h as usize).wrapping_mul(0x9E37_79B9) >> 8 & (CACHE_SLOTS - 1);
        // SAFETY: GIL held; the list has CACHE_SLOTS items, each None or a bytes object this
        // cache put there; PyList_SetItem takes over the reference given to it.
        unsafe {
            let item = PyList_GetItem(self.0, slot as isize);
            if !item.is_null() && item != none() && PyBytes_Size(item) as usize == n {
                let have = core::slice::from_raw_parts(PyBytes_AsString(item).cast::<u8>(), n);
                if have == data {
                    Py_IncRef(item);
                    return item;
                }
            }
            let fresh = bytes(data);
            if !fresh.is_null() && !item.is_null() {
                Py_IncRef(fresh);
                PyList_SetItem(self.0, slot as isize, fresh);
            }
            fresh
        }
    }
}

/// `a + data` as a new bytes object (`a` a bytes object).
///
/// # Safety
/// GIL held; `a` is a live bytes object.
unsafe fn concat(a: *mut PyObject, data: &[u8]) -> *mut PyObject {
    // SAFETY: `a` is bytes, so its buffer is valid for its size; the new object is written
    // before anyone else sees it.
    unsafe {
        let an = PyBytes_Size(a) as usize;
        let out = PyBytes_FromStringAndSize(core::ptr::null(), (an + data.len()) as Py_ssize_t);
        if out.is_null() {
            return out;
        }
        let dst = PyBytes_AsString(out).cast::<u8>();
        core::ptr::copy_nonoverlapping(PyBytes_AsString(a).cast::<u8>(), dst, an);
        core::ptr::copy_nonoverlapping(data.as_ptr(), dst.add(an), data.len());
        out
    }
}

/// The parser's callbacks for one `feed_data` call.
/// A callback: the callable (NULL: none) and the `self` to pass first (NULL: none).
#[derive(Clone, Copy)]
struct Callback {
    f: *mut PyObject,
    this: *mut PyObject,
}

impl Callback {
    /// Calls the callback with `args` after its `self`.
    ///
    /// # Safety
    /// GIL held; the objects are live.
    #[inline(always)]
    unsafe fn call(self, args: &[*mut PyObject]) -> bool {
        // SAFETY: as the caller guarantees.
        unsafe {
            if self.this.is_null() {
                return call(self.f, args);
            }
            match *args {
                [] => call(self.f, &[self.this]),
                [a] => call(self.f, &[self.this, a]),
                [a, b, ..] => call(self.f, &[self.this, a, b]),
            }
        }
    }
}

struct Dispatch {
    cbs: [Callback; CALLBACKS],
    /// `Url` for requests, `Status` for responses.
    span_event: Event,
    /// The last url/status piece, delivered when the next event comes (a piece cut short by
    /// an error is not delivered, as with llhttp).
    span: Option<(*const u8, usize)>,
    name: Gather,
    value: Gather,
    cache: Cache,
    headers: u32,
    max_headers: u32,
    /// Set when the dispatch failed: `FAILED_CALLBACK + i` or `FAILED_TOO_MANY_HEADERS`.
    failed: u32,
}

impl Dispatch {
    /// Calls callback `index` with no argument; false (and `failed` set) if it raised.
    #[inline(always)]
    fn notify(&mut self, index: usize) -> bool {
        let f = self.cbs[index];
        // SAFETY: GIL held; the callback's objects are borrowed from the context tuple.
        if f.f.is_null() || unsafe { f.call(&[]) } {
            return true;
        }
        self.failed = FAILED_CALLBACK + index as u32;
        false
    }

    /// Calls callback `index` with a new bytes object made from `data`.
    #[inline(always)]
    fn data(&mut self, index: usize, data: &[u8]) -> bool {
        let f = self.cbs[index];
        if f.f.is_null() {
            return true;
        }
        let b = bytes(data);
        // SAFETY: GIL held; `f` is live; `b` is a new reference or NULL.
        let ok = !b.is_null() && unsafe { f.call(&[b]) };
        // SAFETY: as above.
        unsafe { xdecref(b) };
        if !ok {
            self.failed = FAILED_CALLBACK + index as u32;
        }
        ok
    }

    /// Delivers the pending url/status piece, if any.
    #[inline(always)]
    fn flush_span(&mut self) -> bool {
        match self.span.take() {
            // SAFETY: the piece points into the live input.
            Some((p, n)) => self.data(CB_SPAN, unsafe { core::slice::from_raw_parts(p, n) }),
            None => true,
        }
    }

    fn header(&mut self) -> bool {
        self.headers += 1;
        if self.max_headers != 0 && self.headers > self.max_headers {
            self.failed = FAILED_TOO_MANY_HEADERS;
            return false;
        }
        let f = self.cbs[CB_HEADER];
        if f.f.is_null() {
            return true;
        }
        let name = self.name.take(&mut self.cache);
        let value = if name.is_null() {
            null_mut()
        } else {
            self.value.take(&mut self.cache)
        };
        // SAFETY: GIL held; `f` is live; `name` and `value` are new references or NULL.
        let ok = !value.is_null() && unsafe { f.call(&[name, value]) };
        // SAFETY: as above.
        unsafe {
            xdecref(name);
            xdecref(value);
        }
        if !ok {
            self.failed = FAILED_CALLBACK + CB_HEADER as u32;
        }
        ok
    }
}

/// What a callback returns to the core: go on, or stop with a callback error.
#[inline(always)]
fn go(ok: bool) -> Action {
    if ok {
        Action::Continue
    } else {
        Action::Fail
    }
}

impl Callbacks for Dispatch {
    #[inline(always)]
    fn on_data(&mut self, _: &mut Parser, event: Event, data: &[u8]) -> Action {
        match event {
            Event::HeaderField => {
                if self.cbs[CB_HEADER].f.is_null() {
                    return Action::Continue;
                }
                go(self.name.push(data))
            }
            Event::HeaderValue => {
                if self.cbs[CB_HEADER].f.is_null() {
                    return Action::Continue;
                }
                go(self.value.push(data))
            }
            Event::Body => go(self.data(CB_BODY, data)),
            e if e == self.span_event => {
                if self.cbs[CB_SPAN].f.is_null() {
                    return Action::Continue;
                }
                let ok = self.flush_span();
                self.span = Some((data.as_ptr(), data.len()));
                go(ok)
            }
            _ => Action::Continue,
        }
    }

    #[inline(always)]
    fn on_notify(&mut self, _: &mut Parser, event: Event) -> Action {
        if self.span.is_some() && !self.flush_span() {
            return Action::Fail;
        }
        let ok = match event {
            Event::HeaderValueComplete => self.header(),
            Event::MessageBegin => {
                self.headers = 0;
                self.notify(CB_MESSAGE_BEGIN)
            }
            Event::HeadersComplete => {
                self.headers = 0;
                self.notify(CB_HEADERS_COMPLETE)
            }
            Event::MessageComplete => self.notify(CB_MESSAGE_COMPLETE),
            Event::ChunkHeader => self.notify(CB_CHUNK_HEADER),
            Event::ChunkComplete => self.notify(CB_CHUNK_COMPLETE),
            _ => true,
        };
        go(ok)
    }
}

/// Raises `cls(message)`.
///
/// # Safety
/// GIL held.
unsafe fn raise_message(cls: *mut PyObject, message: &[u8]) {
    // SAFETY: GIL held; the objects made here are owned and released.
    unsafe {
        let text =
            PyUnicode_DecodeLatin1(message.as_ptr().cast(), message.len() as isize, null_mut());
        if text.is_null() {
            return;
        }
        PyErr_SetObject(cls, text);
        Py_DecRef(text);
    }
}

/// Replaces the exception a callback raised with `HttpParserCallbackError("`name` callback
/// error")` whose `__cause__` and `__context__` are the original (as `raise ... from`).
///
/// # Safety
/// GIL held; an exception is set.
unsafe fn raise_callback_error(name: &str) {
    // SAFETY: GIL held; every reference fetched or made here is released or handed on.
    unsafe {
        let (mut t, mut v, mut tb) = (null_mut(), null_mut(), null_mut());
        PyErr_Fetch(&mut t, &mut v, &mut tb);
        if t.is_null() {
            PyErr_SetString(
                PyExc_SystemError,
                c"a callback failed without an exception".as_ptr(),
            );
            return;
        }
        PyErr_NormalizeException(&mut t, &mut v, &mut tb);
        if !tb.is_null() && !v.is_null() {
            PyException_SetTraceback(v, tb);
        }
        let cls = globals::get(globals::HTTP_CALLBACK_ERROR);
        let message = format!("`{name}` callback error");
        let text =
            PyUnicode_DecodeLatin1(message.as_ptr().cast(), message.len() as isize, null_mut());
        let err = if text.is_null() {
            null_mut()
        } else {
            PyObject_CallFunctionObjArgs(cls, text, null_mut::<PyObject>())
        };
        xdecref(text);
        xdecref(t);
        xdecref(tb);
        if err.is_null() {
            xdecref(v);
            return;
        }
        if !v.is_null() {
            Py_IncRef(v);
            PyException_SetCause(err, v);
            PyException_SetContext(err, v);
        }
        Py_IncRef(cls);
        PyErr_Restore(cls, err, null_mut());
    }
}

/// Raises the exception of a parser that failed for good in an earlier call.
///
/// # Safety
/// GIL held.
unsafe fn raise_sticky(failed: u32, response: bool, max_headers: u32) {
    // SAFETY: GIL held.
    unsafe {
        if failed == FAILED_TOO_MANY_HEADERS {
            let message = format!("too many header lines (the limit is {max_headers})");
            raise_message(globals::get(globals::HTTP_ERROR), message.as_bytes());
        } else {
            let name = callback_name((failed - FAILED_CALLBACK) as usize, response);
            let message = format!("`{name}` callback error");
            raise_message(
                globals::get(globals::HTTP_CALLBACK_ERROR),
                message.as_bytes(),
            );
        }
    }
}

/// Raises what httptools raises when the core stops with `errno` at `offset`.
///
/// # Safety
/// GIL held.
unsafe fn raise_stop(parser: &mut Parser, errno: Errno, offset: usize) {
    // SAFETY: GIL held; references made here are released.
    unsafe {
        if errno == Errno::PausedUpgrade && parser.upgrade() {
            // As httptools: the parser goes on with HTTP if fed again.
            parser.resume_after_upgrade();
            let cls = globals::get(globals::HTTP_UPGRADE);
            let at = PyLong_FromSize_t(offset);
            if at.is_null() {
                return;
            }
            let exc = PyObject_CallFunctionObjArgs(cls, at, null_mut::<PyObject>());
            Py_DecRef(at);
            if !exc.is_null() {
                PyErr_SetObject(cls, exc);
                Py_DecRef(exc);
            }
            return;
        }
        let cls = globals::get(match errno {
            Errno::InvalidStatus => globals::HTTP_INVALID_STATUS,
            Errno::InvalidMethod => globals::HTTP_INVALID_METHOD,
            Errno::InvalidUrl => globals::HTTP_INVALID_URL,
            _ => globals::HTTP_ERROR,
        });
        raise_message(cls, parser.error_reason().to_bytes());
    }
}

/// `feed_data(data)`: parses `data` with the parser whose context tuple is `ctx`; 0, or -1 with
/// an exception set.
///
/// # Safety
/// GIL held; `ctx` is the context tuple the binding made for this parser.
pub unsafe fn feed(ctx: *mut PyObject, data: *mut PyObject) -> c_int {
    // SAFETY: GIL held; the context tuple keeps its items alive for the call; the state's
    // address is that of the live ctypes array the parser object owns (it holds the tuple).
    unsafe {
        let state = PyLong_AsVoidPtr(PyTuple_GetItem(ctx, CTX_ADDR)).cast::<HttpState>();
        if state.is_null() {
            return -1;
        }
        let state = &mut *state;
        let response = state.parser.parser_type() == ParserType::Response;
        if state.failed != 0 {
            raise_sticky(state.failed, response, state.max_headers);
            return -1;
        }
        if state.busy != 0 {
            PyErr_SetString(
                PyExc_RuntimeError,
                c"feed_data called from a callback of the same parser".as_ptr(),
            );
            return -1;
        }
        let Some((owner, input)) = input(data) else {
            return -1;
        };
        let pending = PyTuple_GetItem(ctx, CTX_PENDING);
        let mut cbs = [Callback {
            f: null_mut(),
            this: null_mut(),
        }; CALLBACKS];
        for (i, cb) in cbs.iter_mut().enumerate() {
            let f = PyTuple_GetItem(ctx, CTX_CALLBACKS + 2 * i as isize);
            let this = PyTuple_GetItem(ctx, CTX_CALLBACKS + 2 * i as isize + 1);
            if f.is_null() || this.is_null() {
                return -1;
            }
            if f != none() {
                cb.f = f;
                if this != none() {
                    cb.this = this;
                }
            }
        }
        let mut d = Dispatch {
            cbs,
            span_event: if response { Event::Status } else { Event::Url },
            span: None,
            name: Gather::new(PyList_GetItem(pending, 0)),
            value: Gather::new(PyList_GetItem(pending, 1)),
            cache: Cache(PyTuple_GetItem(ctx, CTX_CACHE)),
            headers: state.headers,
            max_headers: state.max_headers,
            failed: 0,
        };
        state.busy = 1;
        // The bytes consumed: all, or up to the pause or the error.
        let consumed = match state.parser.execute(&mut d, input) {
            Ok(n) => n,
            Err(e) => e.offset(),
        };
        state.busy = 0;
        let errno = state.parser.errno();
        if d.failed == 0 {
            if let Some((p, n)) = d.span {
                let cut = errno.is_error() && p as usize + n == input.as_ptr() as usize + consumed;
                if cut {
                    d.span = None;
                } else {
                    d.flush_span();
                }
            }
        }
        state.headers = d.headers;
        if d.failed != 0 {
            // The parser has failed for good: nothing is carried over. The callback's
            // exception is set aside while the gatherers are dropped.
            let (mut t, mut v, mut tb) = (null_mut(), null_mut(), null_mut());
            PyErr_Fetch(&mut t, &mut v, &mut tb);
            drop(d.name);
            drop(d.value);
            Py_DecRef(owner);
            PyErr_Restore(t, v, tb);
            state.failed = d.failed;
            if d.failed == FAILED_TOO_MANY_HEADERS {
                raise_sticky(d.failed, response, state.max_headers);
            } else {
                raise_callback_error(callback_name(
                    (d.failed - FAILED_CALLBACK) as usize,
                    response,
                ));
            }
            return -1;
        }
        let name = d.name.carry();
        let value = d.value.carry();
        drop(d.name);
        drop(d.value);
        Py_DecRef(owner);
        if name.is_null() || value.is_null() {
            xdecref(name);
            xdecref(value);
            return -1;
        }
        // PyList_SetItem takes over the references.
        PyList_SetItem(pending, 0, name);
        PyList_SetItem(pending, 1, value);
        if errno != Errno::Ok {
            raise_stop(&mut state.parser, errno, consumed);
            return -1;
        }
        0
    }
}
