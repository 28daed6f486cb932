"""HTTP/1.x parsing with the API of httptools.

``feed_data`` makes one foreign call per buffer. With the native dispatcher (see
``wireframe._native``) that call parses and calls the protocol's methods itself. Without it
(PyPy, or ``WIREFRAME_PURE_PYTHON=1``) the call is ``wf_http_execute_events``, and the
callbacks are then called from the recorded rows by the Python code below, slicing each span
out of the caller's buffer; both give the same callbacks, getters and exceptions. See
``docs/python.md`` for where behaviour differs from httptools and why.
"""

from __future__ import annotations

import re
import struct
from ctypes import Structure, addressof, byref, c_size_t, c_uint32, cast, c_void_p, sizeof
from types import MethodType
from typing import Any, Dict, List, Optional, Protocol, Tuple, Union

from . import _lib, _native
from ._lib import lib
from .errors import (
    HttpParserCallbackError,
    HttpParserError,
    HttpParserInvalidMethodError,
    HttpParserInvalidStatusError,
    HttpParserInvalidURLError,
    HttpParserUpgrade,
)

__all__ = (
    "HTTPProtocol",
    "HttpRequestParser",
    "HttpResponseParser",
    "parse_url",
    "URL",
)

Buffer = Union[bytes, bytearray, memoryview, Any]

_execute = lib.wf_http_execute_events
_errno = lib.wf_http_errno
_error_reason = lib.wf_http_error_reason
_keep_alive = lib.wf_http_should_keep_alive

# wf_hpe values the binding treats specially.
_HPE_OK = 0
_HPE_INVALID_METHOD = 6
_HPE_INVALID_URL = 7
_HPE_INVALID_STATUS = 13
_HPE_PAUSED_UPGRADE = 22


# The first word of a row holds kind (byte 0), method, major, minor, status (bytes 4-5),
# upgrade (byte 6) and keep-alive (byte 7): this mask keeps kind and upgrade.
_LAST_ROW_MASK = 0x00FF_0000_0000_00FF

_TYPE_REQUEST = 1
_TYPE_RESPONSE = 2

# wf_http_event_kind values.
_K_MESSAGE_BEGIN = 0
_K_URL = 3
_K_STATUS = 7
_K_HEADER_FIELD = 9
_K_HEADER_VALUE = 11
_K_HEADER_VALUE_COMPLETE = 12
_K_HEADERS_COMPLETE = 13
_K_CHUNK_HEADER = 14
_K_BODY = 19
_K_CHUNK_COMPLETE = 20
_K_MESSAGE_COMPLETE = 21

# What the dispatch loop does with a row: each kind is translated to one of these (0 for the
# rows that need nothing: *_COMPLETE notifications, method and version spans, reset, chunk
# extensions, and the rows of callbacks the protocol lacks).
_A_SKIP = 0
_A_FIELD = 1
_A_VALUE_DONE = 2
_A_VALUE = 3
_A_BODY = 4
_A_SPAN = 5  # on_url (requests) or on_status (responses), one call per piece as in httptools
_A_BEGIN = 6
_A_HEADERS_DONE = 7
_A_MESSAGE_DONE = 8
_A_CHUNK_HEADER = 9
_A_CHUNK_DONE = 10
_A_BLOCK = 11  # not a row's action: a run of complete headers in a plan

_CALLBACK_NAMES = {
    _A_BLOCK: "on_header",
    _A_FIELD: "on_header",
    _A_VALUE_DONE: "on_header",
    _A_VALUE: "on_header",
    _A_BODY: "on_body",
    _A_BEGIN: "on_message_begin",
    _A_HEADERS_DONE: "on_headers_complete",
    _A_MESSAGE_DONE: "on_message_complete",
    _A_CHUNK_HEADER: "on_chunk_header",
    _A_CHUNK_DONE: "on_chunk_complete",
}

# A run of complete one-piece headers, as actions: (field, skipped field complete, value,
# value complete)+.
_HEADER_BLOCK = re.compile(rb"(?:\x01\x00\x03\x02)+").match

# Dispatch plans by row actions (see _make_plan); cleared when full.
_PLANS: Dict[bytes, Tuple[Any, List[Tuple[int, int, int]]]] = {}
_MAX_PLANS = 512

# Rows per call. The arrays are pooled (not per parser), so they can be large.
_CAPACITY = 4096
_ROW_SIZE = 24


class _Rows:
    """A row array for ``wf_http_execute_events`` with views to read it fast."""

    __slots__ = ("array", "addr", "words", "raw", "count", "count_addr")

    def __init__(self) -> None:
        self.array = (_lib.HttpEvent * _CAPACITY)()
        self.addr = addressof(self.array)
        self.raw = memoryview(self.array).cast("B")
        self.words = self.raw.cast("Q")
        self.count = c_size_t()
        self.count_addr = addressof(self.count)


_POOL: List[_Rows] = []

assert _lib.HttpEvent.__dict__["kind"].offset == 0 and _ROW_SIZE == _lib.ctypes.sizeof(
    _lib.HttpEvent
)

METHOD_NAMES: Tuple[bytes, ...] = tuple(lib.wf_http_method_str(i) for i in range(256))
"""Method numbers (llhttp's) to their wire names; unknown numbers give b'<unknown>'."""


#: Default of ``max_header_size``: the start line plus headers (and the trailers) may not exceed
#: 80 KiB, as in http-parser.
DEFAULT_MAX_HEADER_SIZE = 80 * 1024
#: Default of ``max_headers``: 0, no limit on the number of header lines beyond the size limit
#: (as httptools).
DEFAULT_MAX_HEADERS = 0
_MAX_U32 = 2**32 - 1


class _State(Structure):
    """The per-parser state both dispatch paths use (``HttpState`` in the dispatcher): the
    core's parser first, then what the binding adds."""

    _fields_ = [
        ("parser", _lib.HttpParser),
        ("failed", c_uint32),  # the dispatcher's: why the parser failed outside the core
        ("busy", c_uint32),  # the dispatcher's: 1 during feed_data
        ("headers", c_uint32),  # header lines of the head being read
        ("max_headers", c_uint32),  # most header lines per head; 0: no limit
    ]


def _unbound(callbacks: Tuple[Any, ...]) -> List[Any]:
    """(function, self) for each callback: a bound method of a Python function comes apart,
    so the dispatcher calls ``function(self, ...)`` without the bound method's call layer;
    any other callable comes as (callable, None)."""
    out: List[Any] = []
    for cb in callbacks:
        if type(cb) is MethodType:
            out += [cb.__func__, cb.__self__]
        else:
            out += [cb, None]
    return out


def _limit(value: object, name: str, low: int, high: int) -> int:
    """``value`` as an int in [low, high]: TypeError if it is not an int (bool included),
    ValueError if it is out of range."""
    if type(value) is not int and not (isinstance(value, int) and not isinstance(value, bool)):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    if not low <= value <= high:  # type: ignore[operator]
        raise ValueError(f"{name} must be in [{low}, {high}], not {value}")
    return int(value)  # type: ignore[call-overload]


class _ByteView:
    """Slices a buffer that is not ``bytes`` into ``bytes`` (callbacks always get bytes)."""

    __slots__ = ("view",)

    def __init__(self, view: memoryview) -> None:
        self.view = view

    def __getitem__(self, s: slice) -> bytes:
        return self.view[s].tobytes()


class HTTPProtocol(Protocol):
    """The callbacks a parser may call (all optional: only those present are called)."""

    def on_message_begin(self) -> None: ...
    def on_url(self, url: bytes) -> None: ...
    def on_header(self, name: bytes, value: bytes) -> None: ...
    def on_headers_complete(self) -> None: ...
    def on_body(self, body: bytes) -> None: ...
    def on_message_complete(self) -> None: ...
    def on_chunk_header(self) -> None: ...
    def on_chunk_complete(self) -> None: ...
    def on_status(self, status: bytes) -> None: ...


_LENIENCIES = {
    "lenient_headers": 1,
    "lenient_chunked_length": 2,
    "lenient_keep_alive": 4,
    "lenient_transfer_encoding": 8,
    "lenient_version": 16,
    "lenient_data_after_close": 32,
    "lenient_optional_lf_after_cr": 64,
    "lenient_optional_crlf_after_chunk": 128,
    "lenient_optional_cr_before_lf": 256,
    "lenient_spaces_after_chunk_size": 512,
    "lenient_duplicate_content_length": 1024,
    "lenient_obs_fold": 2048,
    "lenient_space_before_colon": 4096,
    "lenient_header_value_relaxed": 8192,
    "lenient_url_non_ascii": 16384,
}


class _HttpParser:
    """What requests and responses share: feeding, dispatch, state getters, leniencies."""

    __slots__ = (
        "_state",
        "_ctx",
        "_parser",
        "_addr",
        "_table",
        "_callbacks",
        "_lenient",
        "_hname",
        "_hvalue",
        "_failed",
        "_batch",
        "_begin",
        "_snap",
        "_span_name",
        "__weakref__",
    )

    _TYPE = 0
    _SPAN_NAME = ""

    def __init__(
        self,
        protocol: Union[HTTPProtocol, object],
        *,
        max_header_size: int = DEFAULT_MAX_HEADER_SIZE,
        max_headers: int = DEFAULT_MAX_HEADERS,
    ) -> None:
        """A parser calling ``protocol``'s callbacks; see the class docs of the request and
        response parsers for the keywords."""
        parser_type = self._TYPE
        span_name = self._SPAN_NAME
        self._state = _State()
        self._parser = self._state.parser
        self._addr = addressof(self._state)
        lib.wf_http_parser_init(self._addr, parser_type)
        self.set_max_header_size(max_header_size)
        self.set_max_headers(max_headers)
        self._lenient = 0
        self._hname: Optional[bytes] = None
        self._hvalue: Optional[bytes] = None
        self._failed: Optional[HttpParserError] = None
        self._batch: Optional[Tuple[bytes, Any]] = None
        self._begin = 0
        self._snap: Optional[int] = None
        self._span_name = span_name

        def cb(name: str) -> Any:
            return getattr(protocol, name, None)

        on_span = cb(span_name)
        on_header = cb("on_header")
        on_body = cb("on_body")
        on_message_begin = cb("on_message_begin")
        on_headers_complete = cb("on_headers_complete")
        on_message_complete = cb("on_message_complete")
        on_chunk_header = cb("on_chunk_header")
        on_chunk_complete = cb("on_chunk_complete")
        self._callbacks = (
            on_span,
            on_header,
            on_body,
            on_message_begin,
            on_headers_complete,
            on_message_complete,
            on_chunk_header,
            on_chunk_complete,
        )
        actions = bytearray(256)
        if on_header is not None:
            actions[_K_HEADER_FIELD] = _A_FIELD
            actions[_K_HEADER_VALUE] = _A_VALUE
            actions[_K_HEADER_VALUE_COMPLETE] = _A_VALUE_DONE
        if on_body is not None:
            actions[_K_BODY] = _A_BODY
        if on_span is not None:
            actions[_K_URL if parser_type == _TYPE_REQUEST else _K_STATUS] = _A_SPAN
        # Message boundaries are always needed (they carry the getters' snapshots).
        actions[_K_MESSAGE_BEGIN] = _A_BEGIN
        actions[_K_HEADERS_COMPLETE] = _A_HEADERS_DONE
        actions[_K_MESSAGE_COMPLETE] = _A_MESSAGE_DONE
        if on_chunk_header is not None:
            actions[_K_CHUNK_HEADER] = _A_CHUNK_HEADER
        if on_chunk_complete is not None:
            actions[_K_CHUNK_COMPLETE] = _A_CHUNK_DONE
        self._table = bytes(actions)
        self._ctx: Optional[tuple] = None
        if _native.ENABLED:
            # What the dispatcher needs on each call: the state's address, the header name and
            # value carried over between calls, its header cache, the callbacks, and the state
            # itself (so that a feed_data that outlives the parser object still has its
            # memory). The builtin bound to it shadows the feed_data method below.
            self._ctx = (
                self._addr,
                [None, None],
                [None] * 64,  # the dispatcher's cache of recent header names and values
                *_unbound(self._callbacks),
                self._state,
            )
            self.feed_data = _native.bind_http(self._ctx)  # type: ignore[method-assign]

    # -- public API ------------------------------------------------------------------------

    def set_dangerous_leniencies(
        self,
        lenient_headers: Optional[bool] = None,
        lenient_chunked_length: Optional[bool] = None,
        lenient_keep_alive: Optional[bool] = None,
        lenient_transfer_encoding: Optional[bool] = None,
        lenient_version: Optional[bool] = None,
        lenient_data_after_close: Optional[bool] = None,
        lenient_optional_lf_after_cr: Optional[bool] = None,
        lenient_optional_cr_before_lf: Optional[bool] = None,
        lenient_optional_crlf_after_chunk: Optional[bool] = None,
        lenient_spaces_after_chunk_size: Optional[bool] = None,
        *,
        lenient_duplicate_content_length: Optional[bool] = None,
        lenient_obs_fold: Optional[bool] = None,
        lenient_space_before_colon: Optional[bool] = None,
        lenient_header_value_relaxed: Optional[bool] = None,
        lenient_url_non_ascii: Optional[bool] = None,
    ) -> None:
        """Turns leniency flags on (True) or off (False); None leaves a flag as it is.

        Each flag relaxes a check that stops an attack (request smuggling, response
        splitting, header injection): see ``WF_LENIENT_*`` in ``include/wireframe.h``. The
        first ten are httptools' (llhttp's); the keyword-only last five are wireframe's.
        """
        values = locals()
        mask = self._lenient
        for name, bit in _LENIENCIES.items():
            value = values[name]
            if value is None:
                continue
            mask = mask | bit if value else mask & ~bit
        self._lenient = mask
        lib.wf_http_set_lenient_flags(self._addr, mask)

    def set_max_header_size(self, size: int) -> None:
        """Sets the most bytes the start line plus headers (and, separately, the trailers) may
        take, 1 to 2**32-1 (default 80 KiB); more stops with ``HttpParserError``. TypeError for
        a non-int, ValueError out of range."""
        lib.wf_http_set_max_header_size(self._addr, _limit(size, "max_header_size", 1, _MAX_U32))

    def set_max_headers(self, count: int) -> None:
        """Sets the most header lines one head (or one trailer section) may have, 0 for no
        limit (the default) to 2**32-1; more stops with ``HttpParserError``. TypeError for a
        non-int, ValueError out of range."""
        self._state.max_headers = _limit(count, "max_headers", 0, _MAX_U32)

    def get_http_version(self) -> str:
        """The message's protocol version, e.g. ``"1.1"``."""
        snap = self._snapshot()
        if snap is None:
            return f"{self._parser.http_major}.{self._parser.http_minor}"
        return f"{(snap >> 16) & 0xFF}.{(snap >> 24) & 0xFF}"

    def should_keep_alive(self) -> bool:
        """True if the connection may carry another message after this one."""
        snap = self._snapshot()
        if snap is None:
            return bool(_keep_alive(self._addr))
        return bool((snap >> 56) & 0xFF)

    def should_upgrade(self) -> bool:
        """True if the message upgrades the connection (Upgrade, CONNECT or 101); known
        from ``on_headers_complete`` on."""
        snap = self._snapshot()
        if snap is None:
            return bool(self._parser.upgrade)
        return bool((snap >> 48) & 0xFF)

    def feed_data(self, data: Buffer) -> None:
        """Parses ``data`` (bytes, bytearray, memoryview or any contiguous buffer), calling
        the protocol's callbacks.

        Raises ``HttpParserUpgrade(offset)`` after a message that upgrades the connection
        (``offset``: the first byte of the new protocol in ``data``), a subclass of
        ``HttpParserError`` on invalid input, and ``HttpParserCallbackError`` (chained to
        the original) when a callback raises; after an error the parser stays failed.
        """
        if self._ctx is not None:
            # Called through the class with the native dispatcher in use: its builtin.
            return self.__dict__["feed_data"](data)  # type: ignore[no-any-return]
        if self._failed is not None:
            raise type(self._failed)(*self._failed.args)
        if self._batch is not None:
            raise RuntimeError("feed_data called from a callback of the same parser")
        view = None
        if type(data) is bytes:
            src: Any = data
            ptr: Any = data
            length = len(data)
        else:
            view = _lib.PyBuffer()
            _lib.PyObject_GetBuffer(data, view, 0)  # PyBUF_SIMPLE: contiguous bytes
            ptr = view.buf
            length = view.len
            src = _ByteView(memoryview(data).cast("B"))
        rows = _POOL.pop() if _POOL else _Rows()
        try:
            addr = self._addr
            base = 0
            while True:
                consumed = _execute(
                    addr, ptr, length - base, rows.addr, _CAPACITY, 0, rows.count_addr
                )
                n = rows.count.value
                # The stop code: an error may be found at the last byte (e.g. a request whose
                # Transfer-Encoding does not end in chunked) with every byte consumed, so it is
                # read unless the input ended right after a message that does not upgrade.
                if (
                    consumed == length - base
                    and n
                    and rows.words[3 * n - 3] & _LAST_ROW_MASK == _K_MESSAGE_COMPLETE
                ):
                    stop = 0
                else:
                    stop = _errno(addr)
                if stop and stop != _HPE_PAUSED_UPGRADE and n:
                    # A url or status piece cut short by the error is not delivered (llhttp
                    # does not deliver it either).
                    last = rows.array[n - 1]
                    if last.kind in (_K_URL, _K_STATUS) and last.offset + last.length == consumed:
                        n -= 1
                over = -1
                if self._state.max_headers and n:
                    over = self._count_headers(rows, n)
                    if over >= 0:
                        n = over
                if n:
                    self._dispatch(src, rows, n)
                if over >= 0:
                    self._failed = HttpParserError(
                        f"too many header lines (the limit is {self._state.max_headers})"
                    )
                    raise type(self._failed)(*self._failed.args)
                if n < _CAPACITY or stop:
                    break
                # The row array filled up: go on with the rest of the input.
                base += consumed
                if type(ptr) is bytes:
                    ptr = cast(ptr, c_void_p).value
                    src = _ByteView(memoryview(data))
                ptr += consumed
                src = _ByteView(src.view[consumed:])
        finally:
            _POOL.append(rows)
            if view is not None:
                _lib.PyBuffer_Release(view)
        if stop:
            self._stopped(stop, base + consumed)

    # -- internals -------------------------------------------------------------------------

    def _stopped(self, errno: int, offset: int) -> None:
        """Raises what httptools raises for the parser's stop code ``errno``."""
        if errno == _HPE_PAUSED_UPGRADE and self._parser.upgrade == 1:
            # As httptools: the parser goes on with HTTP if fed again.
            lib.wf_http_resume_after_upgrade(self._addr)
            raise HttpParserUpgrade(offset)
        reason = _error_reason(self._addr).decode("latin-1")
        if errno == _HPE_INVALID_STATUS:
            raise HttpParserInvalidStatusError(reason)
        if errno == _HPE_INVALID_METHOD:
            raise HttpParserInvalidMethodError(reason)
        if errno == _HPE_INVALID_URL:
            raise HttpParserInvalidURLError(reason)
        raise HttpParserError(reason)

    def _count_headers(self, rows: _Rows, n: int) -> int:
        """Counts the header lines of each head in the first ``n`` rows, from the count
        carried over from the previous call; returns the index of the row that exceeds
        ``max_headers`` (the header line it ends is not delivered), or -1."""
        kinds = rows.raw[: _ROW_SIZE * n].tobytes()[::_ROW_SIZE]
        limit = self._state.max_headers
        carried = self._state.headers
        total = kinds.count(b"\x0c")
        if carried + total > limit:
            count = carried
            for i, kind in enumerate(kinds):
                if kind == _K_MESSAGE_BEGIN or kind == _K_HEADERS_COMPLETE:
                    count = 0
                elif kind == _K_HEADER_VALUE_COMPLETE:
                    count += 1
                    if count > limit:
                        return i
        last = max(kinds.rfind(b"\x00"), kinds.rfind(b"\x0d"))
        self._state.headers = carried + total if last < 0 else kinds.count(b"\x0c", last)
        return -1

    def _snapshot(self) -> Optional[int]:
        """During a dispatch, the first word of the current message's snapshot row (None:
        read the live parser). Rows are dispatched after the whole buffer was parsed, so the
        live parser may already be on a later message."""
        if self._batch is None:
            return None
        if self._snap is not None:
            return self._snap
        kinds, rows = self._batch
        # The current message's HEADERS_COMPLETE row, if this batch has it; else the message
        # is still being parsed and the live parser describes it.
        at = kinds.find(b"\x0d", self._begin)
        return None if at < 0 else int(rows.words[3 * at])

    def _dispatch(self, src: Any, rows: _Rows, n: int) -> None:
        """Calls the protocol for the first ``n`` rows of ``rows``, spans sliced from
        ``src``, following the plan made (once per shape) for these rows' actions."""
        (
            on_span,
            on_header,
            on_body,
            on_message_begin,
            on_headers_complete,
            on_message_complete,
            on_chunk_header,
            on_chunk_complete,
        ) = self._callbacks
        kinds = rows.raw[: _ROW_SIZE * n].tobytes()[::_ROW_SIZE]
        acts = kinds.translate(self._table)
        plan = _PLANS.get(acts)
        if plan is None:
            plan = _make_plan(acts)
        unpack, steps = plan
        t = unpack(rows.array)
        hname = self._hname
        hvalue = self._hvalue
        self._batch = (kinds, rows)
        self._begin = 0
        self._snap = None
        a = 0
        try:
            for a, x, y in steps:
                if a == _A_BLOCK:
                    # Complete one-piece headers in a row: (name offset, name length, value
                    # offset, value length) for each, from t[x:y].
                    for no, nl, vo, vl in zip(t[x:y:4], t[x + 1 : y : 4], t[x + 2 : y : 4], t[x + 3 : y : 4]):
                        on_header(src[no : no + nl], src[vo : vo + vl])
                elif a == _A_SPAN:
                    o = t[x]
                    on_span(src[o : o + t[x + 1]])
                elif a == _A_BODY:
                    o = t[x]
                    on_body(src[o : o + t[x + 1]])
                elif a == _A_BEGIN:
                    self._begin = x
                    self._snap = None
                    if on_message_begin is not None:
                        on_message_begin()
                elif a == _A_HEADERS_DONE:
                    self._snap = t[x]
                    if on_headers_complete is not None:
                        on_headers_complete()
                elif a == _A_MESSAGE_DONE:
                    self._snap = t[x]
                    if on_message_complete is not None:
                        on_message_complete()
                elif a == _A_FIELD:
                    o = t[x]
                    if hname is None:
                        hname = src[o : o + t[x + 1]]
                    else:
                        hname += src[o : o + t[x + 1]]
                elif a == _A_VALUE:
                    o = t[x]
                    if hvalue is None:
                        hvalue = src[o : o + t[x + 1]]
                    else:
                        hvalue += src[o : o + t[x + 1]]
                elif a == _A_VALUE_DONE:
                    name = hname
                    value = b"" if hvalue is None else hvalue
                    hname = hvalue = None
                    on_header(name, value)
                elif a == _A_CHUNK_HEADER:
                    on_chunk_header()
                elif a == _A_CHUNK_DONE:
                    on_chunk_complete()
        except BaseException as exc:
            # As httptools: any exception (BaseException included) becomes a callback error
            # that leaves the parser failed, chained to the original.
            name = _CALLBACK_NAMES.get(a) or self._span_name
            error = HttpParserCallbackError(f"`{name}` callback error")
            self._failed = error
            raise error from exc
        finally:
            self._batch = None
            self._snap = None
        self._hname = hname
        self._hvalue = hvalue


def _make_plan(acts: bytes) -> Tuple[Any, List[Tuple[int, int, int]]]:
    """The plan for rows whose actions are ``acts``: a Struct unpacker that reads, in one
    call, only the words the steps need (span offset and length, snapshot word), and the
    steps (action, x, y): x is a position in the unpacked tuple (a row index for
    _A_BEGIN), y the end of a header block. Cached by ``acts``, which repeat from message
    to message on a connection."""
    fmt = ["<"]
    steps: List[Tuple[int, int, int]] = []
    pos = 0
    i = 0
    n = len(acts)
    while i < n:
        a = acts[i]
        if a == _A_FIELD and i > 0:
            # (Not at row 0: a header name may be pending from the previous call.)
            m = _HEADER_BLOCK(acts, i)
            if m is not None:
                count = (m.end() - i) // 4
                # field: offset, length; field complete: skip; value: offset, length;
                # value complete: skip.
                fmt.append("8xQQ24x8xQQ24x" * count)
                steps.append((_A_BLOCK, pos, pos + 4 * count))
                pos += 4 * count
                i = m.end()
                continue
        if a in (_A_FIELD, _A_VALUE, _A_BODY, _A_SPAN):
            fmt.append("8xQQ")
            steps.append((a, pos, 0))
            pos += 2
        elif a in (_A_HEADERS_DONE, _A_MESSAGE_DONE):
            fmt.append("Q16x")
            steps.append((a, pos, 0))
            pos += 1
        else:
            fmt.append("24x")
            if a == _A_BEGIN:
                steps.append((a, i, 0))
            elif a != _A_SKIP:
                steps.append((a, 0, 0))
        i += 1
    plan = (struct.Struct("".join(fmt)).unpack_from, steps)
    if len(_PLANS) >= _MAX_PLANS:
        _PLANS.clear()
    _PLANS[acts] = plan
    return plan


class HttpRequestParser(_HttpParser):
    """Parses requests (the server side), calling ``protocol``'s callbacks: on_message_begin,
    on_url, on_header, on_headers_complete, on_body, on_message_complete, on_chunk_header,
    on_chunk_complete; each only if the protocol has it when the parser is made.

    ``max_header_size``: most bytes of the start line plus headers (and of the trailers);
    ``max_headers``: most header lines per head, 0 for no limit. Both stop an oversized head
    with ``HttpParserError``; see ``set_max_header_size`` and ``set_max_headers``."""

    _TYPE = _TYPE_REQUEST
    _SPAN_NAME = "on_url"

    def get_method(self) -> bytes:
        """The request method, e.g. ``b"GET"``."""
        snap = self._snapshot()
        if snap is None:
            return METHOD_NAMES[self._parser.method]
        return METHOD_NAMES[(snap >> 8) & 0xFF]


class HttpResponseParser(_HttpParser):
    """Parses responses (the client side), calling ``protocol``'s callbacks: as
    ``HttpRequestParser`` but ``on_status(reason)`` instead of ``on_url``."""

    _TYPE = _TYPE_RESPONSE
    _SPAN_NAME = "on_status"

    def get_status_code(self) -> int:
        """The response's status code, e.g. ``200``."""
        snap = self._snapshot()
        if snap is None:
            return int(self._parser.status_code)
        return (snap >> 32) & 0xFFFF


class URL:
    """The parts of a URL, as ``parse_url`` returns them: bytes (or None when absent) for
    schema, host, path, query, fragment, userinfo; an int (or None) for port."""

    __slots__ = ("schema", "host", "port", "path", "query", "fragment", "userinfo")

    def __init__(
        self,
        schema: Optional[bytes],
        host: Optional[bytes],
        port: Optional[int],
        path: Optional[bytes],
        query: Optional[bytes],
        fragment: Optional[bytes],
        userinfo: Optional[bytes],
    ) -> None:
        self.schema = schema
        self.host = host
        self.port = port
        self.path = path
        self.query = query
        self.fragment = fragment
        self.userinfo = userinfo

    def __repr__(self) -> str:
        return (
            f"<URL schema: {self.schema!r}, host: {self.host!r}, port: {self.port!r}, "
            f"path: {self.path!r}, query: {self.query!r}, fragment: {self.fragment!r}, "
            f"userinfo: {self.userinfo!r}>"
        )


def parse_url(url: Buffer) -> URL:
    """Splits ``url`` (a bytes-like object: a request target, absolute or origin form) into
    its parts, as http-parser's ``http_parser_parse_url`` does.

    Returns a ``URL``; raises ``HttpParserInvalidURLError`` for a malformed URL and
    ``TypeError`` for an argument that is not bytes-like.
    """
    data = url if type(url) is bytes else memoryview(url).cast("B").tobytes()
    out = _lib.HttpUrl()
    if lib.wf_http_parse_url(data, len(data), 0, byref(out)) != 0:
        raise HttpParserInvalidURLError(f"invalid url {url!r}")
    parts: List[Optional[bytes]] = []
    fields = out.field_set
    for part in range(7):
        if fields & (1 << part):
            span = out.fields[part]
            parts.append(data[span.offset : span.offset + span.length])
        else:
            parts.append(None)
    port = int(out.port) if fields & (1 << 2) else None
    return URL(parts[0], parts[1], port, parts[3], parts[4], parts[5], parts[6])
