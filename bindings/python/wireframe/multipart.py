"""multipart/form-data and the small wire formats of web apps, over wireframe's C library.

``MultipartParser`` has the API of python-multipart's ``MultipartParser``: the same
constructor, ``write``/``finalize``, and the same callbacks (``on_part_begin``,
``on_part_data``, ``on_part_end``, ``on_header_begin``, ``on_header_field``,
``on_header_value``, ``on_header_end``, ``on_headers_finished``, ``on_end``). Data callbacks
get ``(data, start, end)``: the bytes are ``data[start:end]``, where ``data`` is the buffer
given to ``write`` (no copy). Code written for python-multipart runs by changing the import.

Differences, on purpose: the parser is strict (bare CR or LF, malformed header lines,
obsolete folding and a boundary inside the content are errors), it enforces limits (parts,
header bytes, preamble, epilogue) with their own errors, and ``finalize`` raises when the body
ended before the close delimiter (a truncated upload is never taken for a complete one).

The helpers are plain functions: ``parse_boundary``, ``parse_content_disposition``,
``parse_cookies``, ``parse_qsl``, ``percent_decode``, ``decode_basic_auth``, ``set_cookie``.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Tuple, Union

from . import _lib

__all__ = [
    "FormError",
    "MultipartParseError",
    "MultipartParser",
    "ContentDisposition",
    "parse_boundary",
    "parse_content_disposition",
    "parse_cookies",
    "parse_qsl",
    "percent_decode",
    "decode_basic_auth",
    "set_cookie",
]

_lib_ = _lib.lib
BytesLike = Union[bytes, bytearray, memoryview, str]

# Row kinds (wf_mp_event_kind).
_PART_BEGIN, _FIELD, _VALUE, _HEADER_END, _HEADERS_DONE = 1, 2, 3, 4, 5
_DATA, _PART_END, _END, _DATA_FROM_DELIMITER = 6, 7, 8, 9
_ROWS = 256
_PAUSED = 21  # WF_FORM_ERR_PAUSED
_NOTIFY = (
    (_PART_BEGIN, "on_part_begin"),
    (_HEADER_END, "on_header_end"),
    (_HEADERS_DONE, "on_headers_finished"),
    (_PART_END, "on_part_end"),
    (_END, "on_end"),
)
# Which callbacks want each row kind (the others are not recorded at all).
_KIND_CALLBACKS = (
    (_PART_BEGIN, ("on_part_begin",)),
    (_FIELD, ("on_header_field", "on_header_begin")),
    (_VALUE, ("on_header_value",)),
    (_HEADER_END, ("on_header_end", "on_header_begin")),
    (_HEADERS_DONE, ("on_headers_finished",)),
    (_DATA, ("on_part_data",)),
    (_PART_END, ("on_part_end",)),
    (_END, ("on_end",)),
)


class FormError(ValueError):
    """Bad input to the parser or a helper: ``code`` is the error's name (e.g.
    ``"WF_FORM_ERR_BARE_LF"``) and ``offset`` the offset of the offending byte (a stream
    offset for the multipart parser)."""

    def __init__(self, code: int, offset: int) -> None:
        self.errno = code
        self.code = _lib_.wf_form_err_name(code).decode()
        self.offset = offset
        reason = _lib_.wf_form_err_description(code).decode()
        super().__init__(f"{reason} ({self.code}) at byte {offset}")


class MultipartParseError(FormError):
    """Raised by ``MultipartParser`` (python-multipart's exception name)."""


def _as_bytes(data: BytesLike) -> bytes:
    if isinstance(data, str):
        return data.encode("latin-1")
    return data if isinstance(data, bytes) else bytes(data)


def _addr(data: bytes) -> int:
    """The address of a bytes object's contents (valid while the object is alive)."""
    return ctypes.cast(ctypes.c_char_p(data), ctypes.c_void_p).value or 0


Callbacks = Dict[str, Callable[..., object]]


class MultipartParser:
    """A streaming multipart/form-data parser with python-multipart's interface.

    ``boundary`` is the Content-Type's boundary parameter (bytes or str). ``callbacks`` maps
    callback names to functions. ``max_size`` caps the bytes ``write`` accepts in total, as in
    python-multipart. Keyword limits: ``max_parts``, ``max_header_size`` (per part),
    ``max_part_size`` (0: none), ``max_preamble``, ``max_epilogue``.
    """

    def __init__(
        self,
        boundary: Union[bytes, str],
        callbacks: Optional[Callbacks] = None,
        max_size: float = float("inf"),
        *,
        max_parts: int = 1000,
        max_header_size: int = 16 * 1024,
        max_part_size: int = 0,
        max_preamble: int = 1024,
        max_epilogue: int = 1024,
    ) -> None:
        b = _as_bytes(boundary)
        self.callbacks: Callbacks = dict(callbacks or {})
        self.max_size = max_size
        self._written = 0
        self._parser = _lib.MpParser()
        self._p = ctypes.addressof(self._parser)
        rc = _lib_.wf_mp_parser_init(self._p, b, len(b))
        if rc:
            raise MultipartParseError(rc, 0)
        _lib_.wf_mp_parser_set_limits(
            self._p, max_parts, max_header_size, max_part_size, max_preamble, max_epilogue
        )
        self._delimiter = b"\r\n--" + b
        self._rows = (_lib.MpEvent * _ROWS)()
        self._flat = memoryview(self._rows).cast("B").cast("Q")
        self._count = ctypes.byref(ctypes.c_size_t())
        self._count_obj = self._count._obj
        self._in_header = False
        self._plan = (self._skip(), self._notes())

    def _cb(self, name: str) -> Optional[Callable[..., object]]:
        return self.callbacks.get(name)

    def set_callback(self, name: str, new_func: Optional[Callable[..., object]]) -> None:
        """Sets (or with None removes) one callback, as python-multipart's ``set_callback``.
        The callbacks are read when the parser is created and here: change them this way."""
        if new_func is None:
            self.callbacks.pop(name, None)
        else:
            self.callbacks[name] = new_func
        self._plan = (self._skip(), self._notes())

    def _skip(self) -> int:
        """The event kinds without a callback, as the core's skip mask."""
        cb = self.callbacks
        skip = 0
        for kind, names in _KIND_CALLBACKS:
            if not any(cb.get(n) is not None for n in names):
                skip |= 1 << kind
        return skip

    def _notes(self) -> Optional[Dict[int, Callable[..., object]]]:
        """The notification callbacks by row kind, for the fast path; None when
        ``on_header_begin`` needs the header rows in order (the general path)."""
        cb = self.callbacks
        if cb.get("on_header_begin") is not None:
            return None
        out = {}
        for kind, name in _NOTIFY:
            f = cb.get(name)
            if f is not None:
                out[kind] = f
        return out

    def write(self, data: BytesLike) -> int:
        """Parses the next piece of the body; returns the number of bytes processed (fewer
        than given only when ``max_size`` is reached). Raises ``MultipartParseError``."""
        data = _as_bytes(data)
        if self._written + len(data) > self.max_size:
            data = data[: max(0, int(self.max_size - self._written))]
        self._written += len(data)
        n = len(data)
        pos = 0
        rows, count, flat = self._rows, self._count, self._flat  # count: byref(size_t)
        on_data = self.callbacks.get("on_part_data")
        skip, notes = self._plan
        execute = _lib_.wf_mp_execute_events
        p = self._p
        base = None
        while True:
            if pos == 0:
                used = execute(p, data, n, rows, _ROWS, skip, count)
            else:
                if base is None:
                    base = _addr(data)
                used = execute(p, base + pos, n - pos, rows, _ROWS, skip, count)
            c = self._count_obj.value
            if c:
                # Rows are (kind, offset, length) as three 64-bit words; the kind is the low
                # byte of the first (the rest of that word is padding).
                vals = flat[: 3 * c].tolist()
                for i in range(0, 3 * c, 3):
                    kind = vals[i] & 0xFF
                    if kind == _DATA:
                        start = pos + vals[i + 1]
                        on_data(data, start, start + vals[i + 2])  # type: ignore[misc]
                    elif kind == _DATA_FROM_DELIMITER:
                        on_data(self._delimiter, 0, vals[i + 2])  # type: ignore[misc]
                    elif notes is not None and kind in notes:
                        notes[kind]()
                    else:
                        self._dispatch(kind, data, pos + vals[i + 1], vals[i + 2])
            pos += used
            err = _lib_.wf_mp_errno(p)
            if err == 0:
                return n
            if err != _PAUSED:
                raise MultipartParseError(err, _lib_.wf_mp_error_offset(p))

    def _dispatch(self, kind: int, data: bytes, start: int, length: int) -> None:
        cb = self.callbacks
        if kind == _FIELD:
            if not self._in_header:
                self._in_header = True
                f = cb.get("on_header_begin")
                if f is not None:
                    f()
            f = cb.get("on_header_field")
            if f is not None:
                f(data, start, start + length)
            return
        if kind == _VALUE:
            f = cb.get("on_header_value")
            if f is not None:
                f(data, start, start + length)
            return
        name = dict(_NOTIFY)[kind]
        if kind == _HEADER_END:
            self._in_header = False
        f = cb.get(name)
        if f is not None:
            f()

    def finalize(self) -> None:
        """Signals the end of the body; raises ``MultipartParseError`` when it ended before
        the close delimiter (or after an error)."""
        rc = _lib_.wf_mp_finish(self._p)
        if rc:
            raise MultipartParseError(rc, _lib_.wf_mp_error_offset(self._p))

    @property
    def parts(self) -> int:
        """Parts begun so far."""
        return int(_lib_.wf_mp_parts(self._p))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(boundary={self._delimiter[4:]!r})"


def _span(data: bytes, s: "_lib.Span") -> bytes:
    return data[s.offset : s.offset + s.length]


def parse_boundary(content_type: BytesLike) -> bytes:
    """The boundary of a ``multipart/...`` Content-Type value (quotes removed). Raises
    ``FormError`` (not multipart, no or repeated boundary, invalid boundary)."""
    v = _as_bytes(content_type)
    out = _lib.Span()
    at = ctypes.c_size_t()
    rc = _lib_.wf_form_boundary_from_content_type(v, len(v), ctypes.byref(out), ctypes.byref(at))
    if rc:
        raise FormError(rc, at.value)
    return _span(v, out)


@dataclass(frozen=True)
class ContentDisposition:
    """A part's Content-Disposition: ``kind`` (``b"form-data"``), ``name``, ``filename``
    (quoted-pairs removed; ``None`` when absent) and ``filename_star`` (the RFC 8187 value
    percent-decoded, with its ``charset``), all bytes as sent."""

    kind: bytes
    name: Optional[bytes]
    filename: Optional[bytes]
    filename_star: Optional[bytes]
    charset: Optional[bytes]


def _param(v: bytes, p: "_lib.ParamValue") -> bytes:
    raw = bytearray(_span(v, p.span))
    if p.escaped:
        buf = (ctypes.c_char * len(raw)).from_buffer(raw)
        n = _lib_.wf_form_unescape_quoted(ctypes.addressof(buf), len(raw))
        del buf
        del raw[n:]
    return bytes(raw)


def parse_content_disposition(value: BytesLike) -> ContentDisposition:
    """Parses a Content-Disposition value. Raises ``FormError`` (malformed list, repeated
    name/filename, malformed ``filename*``)."""
    v = _as_bytes(value)
    out = _lib.ContentDisposition()
    at = ctypes.c_size_t()
    rc = _lib_.wf_form_content_disposition(v, len(v), ctypes.byref(out), ctypes.byref(at))
    if rc:
        raise FormError(rc, at.value)
    star = charset = None
    if out.has_filename_ext:
        star = percent_decode(_span(v, out.filename_ext.value), plus_as_space=False)
        charset = _span(v, out.filename_ext.charset)
    return ContentDisposition(
        kind=_span(v, out.kind),
        name=_param(v, out.name) if out.has_name else None,
        filename=_param(v, out.filename) if out.has_filename else None,
        filename_star=star,
        charset=charset,
    )


def percent_decode(data: BytesLike, plus_as_space: bool = True) -> bytes:
    """Decodes ``%XX`` escapes (and ``+`` as a space unless ``plus_as_space`` is false).
    Raises ``FormError`` at a ``%`` not followed by two hex digits."""
    buf = bytearray(_as_bytes(data))
    if not buf:
        return b""
    c = (ctypes.c_char * len(buf)).from_buffer(buf)
    n = ctypes.c_size_t()
    at = ctypes.c_size_t()
    rc = _lib_.wf_form_percent_decode(
        ctypes.addressof(c), len(buf), plus_as_space, ctypes.byref(n), ctypes.byref(at)
    )
    del c
    if rc:
        raise FormError(rc, at.value)
    return bytes(buf[: n.value])


def _decode_at(v: bytes, s: "_lib.Span") -> bytes:
    """Percent-decodes one span of ``v``; an error's offset is given in ``v``."""
    try:
        return percent_decode(_span(v, s))
    except FormError as e:
        raise FormError(e.errno, s.offset + e.offset) from None


def parse_qsl(
    qs: BytesLike, encoding: Optional[str] = "utf-8", errors: str = "replace"
) -> List[Tuple]:
    """The pairs of a query string or urlencoded body, decoded (``+`` is a space), like
    ``urllib.parse.parse_qsl(qs, keep_blank_values=True)`` but raising ``FormError`` on an
    invalid escape. With ``encoding=None`` names and values stay bytes."""
    v = _as_bytes(qs)
    pos = ctypes.c_size_t(0)
    pair = _lib.QueryPair()
    out: List[Tuple] = []
    while _lib_.wf_form_query_next(v, len(v), ctypes.byref(pos), ctypes.byref(pair)) == 1:
        name, value = _decode_at(v, pair.name), _decode_at(v, pair.value)
        if encoding is None:
            out.append((name, value))
        else:
            out.append((name.decode(encoding, errors), value.decode(encoding, errors)))
    return out


def parse_cookies(header: BytesLike) -> List[Tuple[str, str]]:
    """The cookies of a Cookie header value as (name, value) pairs, in order (values as sent,
    quotes included; str input gives str pairs decoded as Latin-1, bytes input bytes pairs).
    Raises ``FormError`` on a control character or an empty name with ``=``."""
    as_str = isinstance(header, str)
    v = _as_bytes(header)
    pos = ctypes.c_size_t(0)
    pair = _lib.CookiePair()
    err = ctypes.c_uint32()
    at = ctypes.c_size_t()
    out: list = []
    while True:
        r = _lib_.wf_form_cookie_next(
            v, len(v), ctypes.byref(pos), ctypes.byref(pair), ctypes.byref(err), ctypes.byref(at)
        )
        if r == 0:
            return out
        if r < 0:
            raise FormError(err.value, at.value)
        name, value = _span(v, pair.name), _span(v, pair.value)
        out.append((name.decode("latin-1"), value.decode("latin-1")) if as_str else (name, value))


def decode_basic_auth(value: BytesLike) -> Tuple[bytes, bytes]:
    """(user, password) from an ``Authorization: Basic`` value, as bytes (RFC 7617 suggests
    UTF-8). Raises ``FormError`` (another scheme, bad base64, no colon, control characters)."""
    v = _as_bytes(value)
    out = ctypes.create_string_buffer(len(v) // 4 * 3 + 3)
    creds = _lib.BasicCredentials()
    at = ctypes.c_size_t()
    rc = _lib_.wf_form_basic_auth_decode(
        v, len(v), out, len(out), ctypes.byref(creds), ctypes.byref(at)
    )
    if rc:
        raise FormError(rc, at.value)
    raw = out.raw
    return _span(raw, creds.user), _span(raw, creds.password)


_SAME_SITE = {None: 0, "strict": 1, "lax": 2, "none": 3}


def set_cookie(
    name: BytesLike,
    value: BytesLike,
    *,
    domain: Optional[BytesLike] = None,
    path: Optional[BytesLike] = None,
    max_age: Optional[int] = None,
    expires: Optional[int] = None,
    secure: bool = False,
    httponly: bool = False,
    partitioned: bool = False,
    samesite: Optional[str] = None,
) -> str:
    """The value of a Set-Cookie header, after checking every part: ``expires`` is seconds
    since the epoch, ``samesite`` one of ``"strict"``, ``"lax"``, ``"none"``. Raises
    ``FormError`` (invalid name, value or attribute; SameSite=None or Partitioned without
    Secure; a broken ``__Secure-``/``__Host-`` prefix rule)."""
    keep = [_as_bytes(x) if x is not None else None for x in (name, value, domain, path)]
    c = _lib.SetCookie()
    for field, b in zip(("name", "value", "domain", "path"), keep):
        if b is not None:
            setattr(c, field, _addr(b) if b else _addr(b"\0"))
            setattr(c, field + "_len", len(b))
    if max_age is not None:
        c.has_max_age, c.max_age = True, max_age
    if expires is not None:
        c.has_expires, c.expires = True, expires
    c.secure, c.http_only, c.partitioned = secure, httponly, partitioned
    key = samesite.lower() if samesite is not None else None
    if key not in _SAME_SITE:
        raise ValueError(f"samesite must be 'strict', 'lax' or 'none', not {samesite!r}")
    c.same_site = _SAME_SITE[key]
    size = 256 + sum(len(b) for b in keep if b is not None)
    out = ctypes.create_string_buffer(size)
    n = ctypes.c_size_t()
    at = ctypes.c_size_t()
    rc = _lib_.wf_form_set_cookie(ctypes.byref(c), out, size, ctypes.byref(n), ctypes.byref(at))
    if rc:
        raise FormError(rc, at.value)
    return out.raw[: n.value].decode("latin-1")
