"""WebSocket (RFC 6455) over wireframe: a streaming decoder, frame encoders, masking, and the
opening handshake for servers and clients.

Everything is checked by the C core (``wf_ws_*``): this module only moves bytes in and out.
"""

from __future__ import annotations

import ctypes
from ctypes import Structure, addressof, byref, c_char, c_size_t, c_uint8, c_uint32
from typing import Any, Iterable, List, Mapping, NamedTuple, Optional, Sequence, Tuple, Union

from . import _lib, _native
from ._lib import lib

__all__ = (
    "ROLE_SERVER",
    "ROLE_CLIENT",
    "OP_CONTINUATION",
    "OP_TEXT",
    "OP_BINARY",
    "OP_CLOSE",
    "OP_PING",
    "OP_PONG",
    "ALLOW_RSV1",
    "ALLOW_RSV2",
    "ALLOW_RSV3",
    "LENIENT_LENGTH",
    "SKIP_UTF8",
    "WebSocketError",
    "Frame",
    "Message",
    "Decoder",
    "encode_frame",
    "encode_close",
    "encode_ping",
    "encode_pong",
    "mask",
    "unmask",
    "mask_inplace",
    "accept_key",
    "Handshake",
    "server_handshake",
    "ClientHandshake",
    "PerMessageDeflate",
    "PERMESSAGE_DEFLATE_OFFER",
)

Buffer = Union[bytes, bytearray, memoryview]
#: A header name or value: str (latin-1) or bytes-like.
HeaderPart = Union[str, bytes, bytearray, memoryview]
#: Headers: a sequence of (name, value) pairs or a mapping of name to value.
Headers = Union[Sequence[Tuple[HeaderPart, HeaderPart]], Mapping[Any, Any]]

_MAX_U64 = 2**64 - 1
_MAX_U32 = 2**32 - 1


def _int(value: object, name: str, low: int, high: int) -> int:
    """``value`` as an int in [low, high]: TypeError if it is not an int (bool is refused),
    ValueError if it is out of range."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be in [{low}, {high}], not {value}")
    return int(value)


def _bytes(value: object, name: str) -> bytes:
    """The bytes of a bytes-like ``value``; TypeError for anything else (int, str, ...)."""
    if type(value) is bytes:
        return value
    try:
        return memoryview(value).tobytes()  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(f"{name} must be a bytes-like object, not {type(value).__name__}") from None


def _text(value: object, name: str, encoding: str = "latin-1") -> bytes:
    """A str (encoded) or bytes-like ``value`` as bytes; TypeError for anything else."""
    if isinstance(value, str):
        return value.encode(encoding)
    try:
        return _bytes(value, name)
    except TypeError:
        raise TypeError(f"{name} must be str or bytes, not {type(value).__name__}") from None

#: Decoder role: decode what a client sends (every frame must be masked).
ROLE_SERVER = 0
#: Decoder role: decode what a server sends (no frame may be masked).
ROLE_CLIENT = 1

OP_CONTINUATION = 0x0
OP_TEXT = 0x1
OP_BINARY = 0x2
OP_CLOSE = 0x8
OP_PING = 0x9
OP_PONG = 0xA

#: Decoder flags (``WF_WS_*`` in the header).
ALLOW_RSV1 = 1
ALLOW_RSV2 = 2
ALLOW_RSV3 = 4
LENIENT_LENGTH = 8
SKIP_UTF8 = 16

_FIN = 1
_RSV1 = 2
_ERR_OK = 0
_ERR_BUFFER_TOO_SMALL = 31
_PERMESSAGE_DEFLATE = 1
_DEFAULT_MAX_MESSAGE = 100 * 1024 * 1024
_INFLATE_CHUNK = 64 * 1024

#: What a client offers to get permessage-deflate (``ClientHandshake(extensions=...)``).
PERMESSAGE_DEFLATE_OFFER = "permessage-deflate; client_max_window_bits"


def _err_name(err: int) -> str:
    return lib.wf_ws_err_name(err).decode()


class WebSocketError(Exception):
    """A wireframe WebSocket error.

    ``code`` is the close code to send (1002, 1007, 1009, 1011; 0 for errors that are not
    about received data), ``name`` the stable error name (``"WF_WS_ERR_INVALID_UTF8"``),
    ``errno`` its number, ``offset`` the stream offset of the offending byte (decoder
    errors), ``events`` what the same ``feed`` decoded before the error.
    """

    def __init__(
        self,
        errno: int,
        code: int = 0,
        offset: int = 0,
        events: Optional[list] = None,
        detail: str = "",
    ) -> None:
        self.errno = errno
        self.name = _err_name(errno)
        self.code = code
        self.offset = offset
        self.events = events if events is not None else []
        description = lib.wf_ws_err_description(errno).decode()
        super().__init__(f"{self.name}: {description}{detail}")


def _check(err: int, what: str) -> None:
    if err != _ERR_OK:
        raise WebSocketError(err, detail=f" ({what})")


class Frame(NamedTuple):
    """One decoded frame: its own opcode (``OP_CONTINUATION`` for later fragments), its
    unmasked payload, FIN and RSV bits, and for a close frame its status code (1005 when the
    payload is empty; 0 for other frames)."""

    opcode: int
    payload: bytes
    fin: bool
    rsv1: bool = False
    rsv2: bool = False
    rsv3: bool = False
    close_code: int = 0


class Message(NamedTuple):
    """One whole message: ``OP_TEXT``/``OP_BINARY`` with its fragments joined, or a control
    message (``OP_CLOSE``, ``OP_PING``, ``OP_PONG``). ``compressed`` is the RSV1 bit of the
    first frame (permessage-deflate); ``close_code`` as in ``Frame``."""

    opcode: int
    data: bytes
    close_code: int = 0
    compressed: bool = False

    @property
    def text(self) -> str:
        """The data as text (for ``OP_TEXT``, already validated as UTF-8 by the decoder)."""
        return self.data.decode("utf-8")

    @property
    def close_reason(self) -> str:
        """For ``OP_CLOSE``: the reason after the 2-byte code (validated UTF-8)."""
        return self.data[2:].decode("utf-8")

    @property
    def code(self) -> int:
        """For ``OP_CLOSE``: the status code (1005 when the close payload was empty), as
        ``close_code``."""
        return self.close_code

    @property
    def reason(self) -> str:
        """For ``OP_CLOSE``: the reason, as ``close_reason``."""
        return self.close_reason


class _WsState(Structure):
    """The per-decoder state both paths use (``WsState`` in the dispatcher): the core's
    decoder first, then what the native decoder carries between calls."""

    _fields_ = [
        ("decoder", _lib.WsDecoder),
        ("messages", c_uint8),
        ("rsv", c_uint8),
        ("compressed", c_uint8),
        ("busy", c_uint8),
        ("frame_start", c_uint32),
    ]


class Decoder:
    """A streaming decoder for one direction of one connection.

    ``role``: ``ROLE_SERVER`` (decode a client's masked frames) or ``ROLE_CLIENT``.
    ``max_frame_size``, ``max_message_size`` (bytes; 0 = no limit) and ``max_fragments``
    stop oversized input with close code 1009 before any of its payload is buffered.
    ``messages``: True to get whole ``Message``s (fragments joined; control messages
    interleaved as they come), False to get every ``Frame``. ``flags``: ``ALLOW_RSV1`` ...
    ``SKIP_UTF8``. Sizes are ints from 0 to 2**64-1 (``max_fragments`` 2**32-1): TypeError for
    another type, ValueError out of range.

    ``deflate``: the connection's ``PerMessageDeflate`` when the handshake agreed on it. RSV1 is
    then accepted on a message's first frame, and compressed messages come out inflated
    (``Message.compressed`` is True), their inflated size limited by the ``PerMessageDeflate``
    (1009 past it), text validated as UTF-8 after inflating (1007); ``max_message_size`` still
    limits the compressed bytes. In frame mode (``messages=False``) payloads stay compressed.
    A decoder with ``deflate`` decodes through the Python dispatch (it inflates each message
    through the ``PerMessageDeflate``); the others through the native dispatcher when it is in
    use.
    """

    def __init__(
        self,
        role: int,
        max_frame_size: int = 0,
        max_message_size: int = _DEFAULT_MAX_MESSAGE,
        *,
        messages: bool = True,
        max_fragments: int = 65536,
        flags: int = 0,
        deflate: Optional["PerMessageDeflate"] = None,
    ) -> None:
        if role not in (ROLE_SERVER, ROLE_CLIENT) or isinstance(role, bool):
            _int(role, "role", 0, 1)
            raise ValueError(f"role must be ROLE_SERVER or ROLE_CLIENT, not {role!r}")
        max_frame_size = _int(max_frame_size, "max_frame_size", 0, _MAX_U64)
        max_message_size = _int(max_message_size, "max_message_size", 0, _MAX_U64)
        max_fragments = _int(max_fragments, "max_fragments", 0, _MAX_U32)
        flags = _int(flags, "flags", 0, _MAX_U32)
        if deflate is not None:
            flags |= ALLOW_RSV1
        self._deflate = deflate
        self._state = _WsState()
        self._decoder = self._state.decoder
        self._addr = addressof(self._state)
        _check(lib.wf_ws_decoder_init(self._addr, role), "role")
        _check(
            lib.wf_ws_decoder_set_limits(self._addr, max_frame_size, max_message_size, max_fragments),
            "limits",
        )
        _check(lib.wf_ws_decoder_set_flags(self._addr, flags), "flags")
        self._messages = bool(messages)
        self._state.messages = 1 if messages else 0
        if _native.ENABLED and deflate is None:
            # The native decoder: the state's address, the payload pieces carried over, the
            # bytearray the input is unmasked in, and the state itself (so that a feed that
            # outlives the decoder object still has its memory); the builtin bound to them
            # shadows the feed method below.
            ctx = (self._addr, [], bytearray(), self._state)
            self.feed = _native.bind_ws(ctx)  # type: ignore[method-assign]
            return
        self._events: list = []
        self._base = 0  # address of the buffer being decoded
        self._view = memoryview(b"")
        self._pieces: List[bytes] = []  # payload pieces of the frame or message in progress
        self._frame_pieces = 0  # len(self._pieces) when the current frame began
        self._rsv = (False, False, False)
        self._compressed = False
        # The callbacks stay referenced by the decoder for as long as it lives.
        on_header = _lib.WsHeaderCb(self._on_header) if flags & 7 else _lib.WsHeaderCb()
        self._callbacks = _lib.WsCallbacks(
            on_header, _lib.WsDataCb(self._on_payload), _lib.WsEndCb(self._on_end)
        )
        self._callbacks_addr = addressof(self._callbacks)

    def _on_header(self, _d: int, header: Any) -> int:
        h = header[0]
        self._rsv = (h.rsv1, h.rsv2, h.rsv3)
        return 0

    def _on_payload(self, _d: int, at: int, length: int) -> int:
        start = at - self._base
        self._pieces.append(self._view[start : start + length].tobytes())
        return 0

    def _on_end(self, _d: int, end_ptr: Any) -> int:
        end = end_ptr[0]
        opcode = end.opcode
        pieces = self._pieces
        rsv = self._rsv
        self._rsv = (False, False, False)
        if not self._messages:
            payload = pieces[0] if len(pieces) == 1 else b"".join(pieces)
            pieces.clear()
            self._events.append(Frame(opcode, payload, end.fin, *rsv, end.close_code))
            return 0
        if opcode >= OP_CLOSE:
            # A control frame: a whole message, even between the fragments of another.
            own = pieces[self._frame_pieces :]
            del pieces[self._frame_pieces :]
            self._events.append(Message(opcode, b"".join(own), end.close_code, rsv[0]))
            return 0
        if opcode != OP_CONTINUATION:
            self._compressed = rsv[0]
        if end.message_end:
            data = pieces[0] if len(pieces) == 1 else b"".join(pieces)
            pieces.clear()
            if self._compressed and self._deflate is not None:
                try:
                    data = self._deflate.decompress(data, text=end.message_opcode == OP_TEXT)
                except WebSocketError as e:
                    self._inflate_error = e
                    return -1
            self._events.append(Message(end.message_opcode, data, 0, self._compressed))
        self._frame_pieces = len(pieces)
        return 0

    @property
    def in_message(self) -> bool:
        """True while a fragmented data message is in progress."""
        return bool(lib.wf_ws_decoder_in_message(self._addr))

    def feed(self, data: Buffer) -> List[Union[Frame, Message]]:
        """Decodes ``data`` (any split of the stream) and returns the frames or messages it
        completed, in order. Raises ``WebSocketError`` (with ``code``, the close code to send)
        on a protocol violation; the decoder then stays failed."""
        native = self.__dict__.get("feed")
        if native is not None:
            # Called through the class with the native decoder in use: its builtin.
            return native(data)  # type: ignore[no-any-return]
        # Unmasked in place: never the caller's buffer. (memoryview refuses what is not a
        # buffer: an int would otherwise make a buffer of that many zero bytes.)
        buf = bytearray(memoryview(data))
        n = len(buf)
        if n:
            self._base = addressof((c_char * n).from_buffer(buf))
        self._view = memoryview(buf)
        self._events = events = []
        self._inflate_error: Optional[WebSocketError] = None
        try:
            lib.wf_ws_decode(self._addr, self._callbacks_addr, self._base if n else None, n)
        finally:
            self._view.release()
        if self._inflate_error is not None:
            # The decoder stopped with CALLBACK_ERROR; the inflater's error says why.
            e = self._inflate_error
            e.offset = lib.wf_ws_decoder_error_offset(self._addr)
            e.events = events
            raise e
        # Checked after every call: an error may be found at the last byte (a text message
        # ending inside a code point), with every byte consumed.
        err = lib.wf_ws_decoder_error(self._addr)
        if err:
            if err != 21:
                raise WebSocketError(
                    err,
                    lib.wf_ws_decoder_close_code(self._addr),
                    lib.wf_ws_decoder_error_offset(self._addr),
                    events,
                )
        return events


def _key_array(key: Optional[Buffer]) -> Optional[Any]:
    if key is None:
        return None
    raw = _bytes(key, "the masking key")
    if len(raw) != 4:
        raise ValueError("a masking key has exactly 4 bytes")
    return (c_uint8 * 4).from_buffer_copy(raw)


def _encode(fn: Any, size: int, *args: Any) -> bytes:
    out = ctypes.create_string_buffer(size)
    written = c_size_t()
    err = fn(out, size, *args, byref(written))
    _check(err, fn.__name__)
    return out.raw[: written.value]


def encode_frame(
    opcode: int,
    payload: Buffer = b"",
    *,
    fin: bool = True,
    rsv1: bool = False,
    mask_key: Optional[Buffer] = None,
) -> bytes:
    """A whole frame: header, then ``payload`` (masked with the 4-byte ``mask_key`` when
    given; a client must mask). Raises ``WebSocketError`` (``WF_WS_ERR_INVALID_ARGUMENT``)
    for a reserved opcode, a fragmented or over-125-byte control frame."""
    opcode = _int(opcode, "opcode", 0, 15)
    data = _bytes(payload, "payload")
    key = _key_array(mask_key)
    size = lib.wf_ws_frame_size(len(data), key is not None)
    flags = (_FIN if fin else 0) | (_RSV1 if rsv1 else 0)
    return _encode(lib.wf_ws_encode_frame, size, flags, opcode, key, data, len(data))


def encode_close(
    code: Optional[int] = 1000, reason: Union[str, bytes] = b"", *, mask_key: Optional[Buffer] = None
) -> bytes:
    """A close frame with status ``code`` and a UTF-8 ``reason`` (at most 123 bytes);
    ``code`` None (or 0) gives an empty close payload. Raises TypeError for a code that is not
    an int, ValueError for one outside 0-65535, ``WebSocketError`` for a code that may not be
    sent or a reason too long or not UTF-8."""
    code = 0 if code is None else _int(code, "code", 0, 65535)
    raw = _text(reason, "reason", "utf-8")
    key = _key_array(mask_key)
    size = lib.wf_ws_frame_size(2 + len(raw), key is not None)
    return _encode(lib.wf_ws_encode_close, size, code, raw, len(raw), key)


def encode_ping(payload: Buffer = b"", *, mask_key: Optional[Buffer] = None) -> bytes:
    """A ping frame carrying at most 125 bytes of ``payload``."""
    data = _bytes(payload, "payload")
    key = _key_array(mask_key)
    size = lib.wf_ws_frame_size(len(data), key is not None)
    return _encode(lib.wf_ws_encode_ping, size, data, len(data), key)


def encode_pong(payload: Buffer = b"", *, mask_key: Optional[Buffer] = None) -> bytes:
    """A pong frame carrying at most 125 bytes of ``payload`` (echo the ping's)."""
    data = _bytes(payload, "payload")
    key = _key_array(mask_key)
    size = lib.wf_ws_frame_size(len(data), key is not None)
    return _encode(lib.wf_ws_encode_pong, size, data, len(data), key)


def mask_inplace(buffer: Union[bytearray, memoryview], key: Buffer, offset: int = 0) -> None:
    """XORs a writable ``buffer`` in place with the 4-byte ``key``, as if it started
    ``offset`` bytes into the payload (so a payload can be masked in pieces)."""
    k = _key_array(key)
    offset = _int(offset, "offset", 0, _MAX_U64)
    try:
        target = memoryview(buffer)
    except TypeError:
        raise TypeError(f"buffer must be a writable bytes-like object, not {type(buffer).__name__}") from None
    if target.readonly:
        raise TypeError("buffer must be writable")
    n = target.nbytes
    if n == 0:
        return
    view = (c_char * n).from_buffer(target)
    _check(lib.wf_ws_mask(view, n, k, offset), "mask")


def mask(data: Buffer, key: Buffer, offset: int = 0) -> bytes:
    """``data`` XORed with the 4-byte masking ``key`` (starting ``offset`` bytes into the
    payload), as new bytes."""
    buf = bytearray(_bytes(data, "data"))
    mask_inplace(buf, key, offset)
    return bytes(buf)


#: Unmasking is the same XOR as masking.
unmask = mask


def accept_key(key: Union[str, bytes]) -> str:
    """The Sec-WebSocket-Accept value for a Sec-WebSocket-Key:
    base64(SHA-1(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))."""
    raw = _text(key, "key")
    out = ctypes.create_string_buffer(28)
    _check(lib.wf_ws_accept_key(raw, len(raw), out), "accept_key")
    return out.raw.decode("ascii")


class Handshake(NamedTuple):
    """The outcome of a handshake check. ``ok`` with ``error`` None, or ``error`` the name
    of the first failed rule (``"WF_WS_ERR_HANDSHAKE_KEY"`` ...). ``status``: server, the
    status to answer (101, 400, 426); client, the status received. ``accept_key`` (server),
    ``protocol`` (the chosen subprotocol or None), ``deflate`` and ``deflate_params`` (a
    dict) for permessage-deflate. ``response``: server, the bytes to send (the 101 or the
    refusal); client, empty."""

    ok: bool
    error: Optional[str]
    status: int
    accept_key: str
    protocol: Optional[str]
    deflate: bool
    deflate_params: dict
    response: bytes


def _header_pairs(headers: Headers) -> List[Tuple[bytes, bytes]]:
    """(name, value) byte pairs from a mapping or a sequence of pairs of str or bytes."""
    if isinstance(headers, (str, bytes, bytearray, memoryview)):
        raise TypeError("headers must be a sequence of (name, value) pairs or a mapping")
    items = headers.items() if isinstance(headers, Mapping) else headers
    pairs = []
    for item in items:
        if isinstance(item, (str, bytes)) or len(item) != 2:
            raise TypeError(f"each header must be a (name, value) pair, not {item!r}")
        name, value = item
        pairs.append((_text(name, "a header name"), _text(value, "a header value")))
    return pairs


def _headers_array(headers: Headers) -> Tuple[Any, int, list]:
    pairs = _header_pairs(headers)
    keep: list = []
    arr = (_lib.WsHeader * max(len(pairs), 1))()
    for i, (n, v) in enumerate(pairs):
        keep += [n, v]
        arr[i] = _lib.WsHeader(n, len(n), v, len(v))
    return arr, len(pairs), keep


def _protocol_list(protocols: Iterable[str]) -> bytes:
    """A comma-separated list from a sequence of subprotocol names (str or bytes); a bare
    str or bytes is refused (it would be read one character at a time)."""
    if isinstance(protocols, (str, bytes, bytearray, memoryview)):
        raise TypeError("protocols must be a sequence of names, not a single str or bytes")
    names = [_text(p, "a subprotocol") for p in protocols]
    for name in names:
        if not name or b"," in name:
            raise ValueError(f"invalid subprotocol name {name!r}")
    return b",".join(names)


def _result(out: Any, protocols: bytes, protocols_addr: int, response: bytes) -> Handshake:
    protocol = None
    if out.protocol:
        start = out.protocol - protocols_addr
        protocol = protocols[start : start + out.protocol_len].decode("latin-1")
    p = out.deflate_params
    params = {
        "server_no_context_takeover": bool(p.server_no_context_takeover),
        "client_no_context_takeover": bool(p.client_no_context_takeover),
        "server_max_window_bits": int(p.server_max_window_bits) or None,
        "client_max_window_bits": (int(p.client_max_window_bits) or True)
        if p.client_max_window_bits_present
        else None,
    }
    return Handshake(
        out.error == _ERR_OK,
        None if out.error == _ERR_OK else _err_name(out.error),
        int(out.status),
        out.accept_key.decode("ascii"),
        protocol,
        bool(out.deflate),
        params,
        response,
    )


def _version(http_version: Union[str, Tuple[int, int]]) -> Tuple[int, int]:
    if isinstance(http_version, str):
        major, _, minor = http_version.partition(".")
        if not (major.isdigit() and (minor.isdigit() or not minor)):
            raise ValueError(f"invalid HTTP version {http_version!r}")
        return _int(int(major), "major version", 0, 255), _int(int(minor or 0), "minor version", 0, 255)
    if not isinstance(http_version, tuple) or len(http_version) != 2:
        raise TypeError("http_version must be a str such as '1.1' or a (major, minor) tuple")
    return (
        _int(http_version[0], "major version", 0, 255),
        _int(http_version[1], "minor version", 0, 255),
    )


def server_handshake(
    method: Union[str, bytes],
    http_version: Union[str, Tuple[int, int]],
    headers: Headers,
    protocols: Sequence[str] = (),
    *,
    permessage_deflate: bool = False,
) -> Handshake:
    """Checks an upgrade request (its method, version such as ``"1.1"`` as
    ``get_http_version()`` gives it, and its headers: (name, value) pairs or a mapping, str
    or bytes) and writes the answer.

    ``protocols``: the subprotocols this server speaks (a sequence of names; a bare str is a
    TypeError), in the server's order of preference: the first name of this list that the
    client offered is chosen, whatever the client's order. ``permessage_deflate``: accept a
    deflate offer. Returns a ``Handshake`` whose ``response`` is what to send: the 101 when
    ``ok``, else a 400/426 refusal (then close the connection).
    """
    m = _text(method, "method")
    major, minor = _version(http_version)
    arr, count, _keep = _headers_array(headers)
    plist = _protocol_list(protocols)
    pbuf = ctypes.create_string_buffer(plist, len(plist) + 1)
    out = _lib.WsHandshake()
    flags = _PERMESSAGE_DEFLATE if permessage_deflate else 0
    lib.wf_ws_server_handshake(
        m, len(m), major, minor, arr, count, pbuf, len(plist), flags, byref(out)
    )
    need = c_size_t()
    err = lib.wf_ws_server_write_response(byref(out), None, 0, byref(need))
    if err not in (_ERR_OK, _ERR_BUFFER_TOO_SMALL):
        raise WebSocketError(err, detail=" (server response)")
    buf = ctypes.create_string_buffer(need.value)
    _check(lib.wf_ws_server_write_response(byref(out), buf, need.value, byref(need)), "response")
    return _result(out, plist, addressof(pbuf), buf.raw[: need.value])


class ClientHandshake:
    """The client side: ``request`` is the upgrade request to send (made from a 16-byte
    ``nonce`` the caller draws from a good random source, e.g. ``os.urandom(16)``);
    ``validate(status, headers)`` checks the server's answer."""

    def __init__(
        self,
        host: Union[str, bytes],
        path: Union[str, bytes] = "/",
        nonce: Optional[bytes] = None,
        *,
        protocols: Sequence[str] = (),
        extensions: Union[str, bytes] = "",
        extra_headers: bytes = b"",
    ) -> None:
        if nonce is None:
            import os

            nonce = os.urandom(16)
        nonce = _bytes(nonce, "nonce")
        if len(nonce) != 16:
            raise ValueError("the nonce has exactly 16 bytes")
        strings = [
            _text(host, "host"),
            _text(path, "path"),
            _protocol_list(protocols),
            _text(extensions, "extensions"),
            _bytes(extra_headers, "extra_headers"),
        ]
        # NUL-terminated copies the request struct points to; kept as long as it lives.
        self._buffers = [ctypes.create_string_buffer(x, len(x) + 1) for x in strings]
        self._protocols = strings[2]
        args = []
        for raw, buf in zip(strings, self._buffers):
            args += [addressof(buf), len(raw)]
        self._request = _lib.WsClientRequest(*args, (c_uint8 * 16).from_buffer_copy(bytes(nonce)))
        need = c_size_t()
        err = lib.wf_ws_client_write_request(byref(self._request), None, 0, byref(need))
        if err not in (_ERR_OK, _ERR_BUFFER_TOO_SMALL):
            raise WebSocketError(err, detail=" (client request)")
        buf = ctypes.create_string_buffer(need.value)
        _check(lib.wf_ws_client_write_request(byref(self._request), buf, need.value, byref(need)), "request")
        #: The bytes of the upgrade request to send.
        self.request: bytes = buf.raw[: need.value]
        #: The Sec-WebSocket-Key sent (base64 of the nonce).
        self.key: str = __import__("base64").b64encode(bytes(nonce)).decode("ascii")

    def validate(self, status: int, headers: Headers) -> Handshake:
        """Checks the server's response (its status code and its headers: (name, value)
        pairs or a mapping, str or bytes); the result's ``ok`` says whether the connection
        is open."""
        status = _int(status, "status", 0, 999)
        arr, count, _keep = _headers_array(headers)
        out = _lib.WsHandshake()
        lib.wf_ws_client_validate_response(byref(self._request), status, arr, count, byref(out))
        return _result(out, self._protocols, addressof(self._buffers[2]), b"")


def _params_struct(params: dict) -> _lib.WsDeflateParams:
    """The ``deflate_params`` dict of a ``Handshake`` as ``wf_ws_deflate_params``."""
    p = _lib.WsDeflateParams()
    p.server_no_context_takeover = bool(params.get("server_no_context_takeover"))
    p.client_no_context_takeover = bool(params.get("client_no_context_takeover"))
    p.server_max_window_bits = int(params.get("server_max_window_bits") or 0)
    client = params.get("client_max_window_bits")
    p.client_max_window_bits_present = client is not None
    p.client_max_window_bits = 0 if client is None or client is True else int(client)
    return p


class PerMessageDeflate:
    """permessage-deflate (RFC 7692) for one connection: the compressor for the messages it
    sends and the decompressor for those it receives, configured in one step from the
    handshake's result.

    ``negotiated``: the ``Handshake`` (``ok`` and ``deflate`` true) or its ``deflate_params``
    dict. ``role``: ``ROLE_SERVER`` or ``ROLE_CLIENT``. ``level`` (0-9) and ``mem_level``
    (1-9) tune the compressor; ``max_message_size`` limits a received message's inflated size
    (0: none; one byte more raises ``WebSocketError`` with code 1009). The C object holds
    ``memory_size`` bytes until ``close()`` (also on ``with`` exit and garbage collection).
    """

    def __init__(
        self,
        negotiated: Union[Handshake, dict],
        role: int,
        *,
        level: int = 6,
        mem_level: int = 8,
        max_message_size: int = _DEFAULT_MAX_MESSAGE,
    ) -> None:
        params = negotiated.deflate_params if isinstance(negotiated, Handshake) else negotiated
        self._params = _params_struct(params)
        opts = _lib.WsDeflateOptions(level, mem_level, max_message_size)
        handle = ctypes.c_void_p()
        _check(lib.wf_ws_deflate_new(byref(self._params), role, byref(opts), byref(handle)), "deflate")
        self._handle: Optional[int] = handle.value
        self._out = ctypes.create_string_buffer(_INFLATE_CHUNK)

    def close(self) -> None:
        """Frees the C object; idempotent."""
        if self._handle is not None:
            lib.wf_ws_deflate_free(self._handle)
            self._handle = None

    def __enter__(self) -> "PerMessageDeflate":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()

    def _h(self) -> int:
        if self._handle is None:
            raise ValueError("PerMessageDeflate is closed")
        return self._handle

    @property
    def memory_size(self) -> int:
        """Heap bytes the C object holds (an upper bound, fixed at creation)."""
        return int(lib.wf_ws_deflate_size(self._h()))

    def compress(self, data: Buffer) -> bytes:
        """One whole message compressed (trailing ``00 00 ff ff`` removed): the payload of
        its frames, RSV1 on the first."""
        raw = bytes(data)
        cap = lib.wf_ws_deflate_compress_bound(len(raw))
        return _encode_deflate(lib.wf_ws_deflate_compress_message, self._h(), cap, raw, len(raw))

    def encode(self, opcode: int, payload: Buffer, *, mask_key: Optional[Buffer] = None) -> bytes:
        """A whole compressed message as one frame (FIN and RSV1 set), ``OP_TEXT`` or
        ``OP_BINARY`` (a str payload is encoded as UTF-8), masked with ``mask_key`` when given
        (a client must mask)."""
        raw = payload.encode("utf-8") if isinstance(payload, str) else bytes(payload)
        key = _key_array(mask_key)
        cap = lib.wf_ws_deflate_frame_bound(len(raw))
        out = ctypes.create_string_buffer(cap)
        written = c_size_t()
        err = lib.wf_ws_deflate_encode_message(self._h(), opcode, raw, len(raw), key, out, cap, byref(written))
        _check(err, "encode")
        return out.raw[: written.value]

    def decompress(self, data: Buffer, *, text: bool = False) -> bytes:
        """Inflates one whole message's compressed payload (its frames' payloads joined).
        ``text`` validates the result as UTF-8. Raises ``WebSocketError`` with ``code`` 1007
        (corrupt data, bad UTF-8) or 1009 (inflated size over the limit: inflating stops at
        the first byte past it)."""
        h = self._h()
        raw = bytes(data)
        _check(lib.wf_ws_deflate_begin_message(h, text), "begin")
        out = self._out
        cap = len(out)
        parts: List[bytes] = []
        consumed, written, done = c_size_t(), c_size_t(), ctypes.c_bool()
        base = ctypes.cast(ctypes.c_char_p(raw), ctypes.c_void_p).value or 0
        at = 0
        while True:
            err = lib.wf_ws_deflate_decompress(
                h, base + at if raw else None, len(raw) - at, out, cap,
                byref(consumed), byref(written), byref(done),
            )
            _raise_deflate(err)
            parts.append(out.raw[: written.value])
            at += consumed.value
            if done.value:
                break
        while True:
            err = lib.wf_ws_deflate_finish(h, out, cap, byref(written), byref(done))
            _raise_deflate(err)
            parts.append(out.raw[: written.value])
            if done.value:
                break
        return b"".join(parts)


def _raise_deflate(err: int) -> None:
    if err != _ERR_OK:
        raise WebSocketError(err, lib.wf_ws_err_close_code(err))


def _encode_deflate(fn, handle: int, cap: int, *args) -> bytes:  # type: ignore[no-untyped-def]
    out = ctypes.create_string_buffer(max(cap, 1))
    written = c_size_t()
    _check(fn(handle, *args, out, cap, byref(written)), fn.__name__)
    return out.raw[: written.value]
