"""WebSocket (RFC 6455) over wireframe: a streaming decoder, frame encoders, masking, and the
opening handshake for servers and clients.

Everything is checked by the C core (``wf_ws_*``): this module only moves bytes in and out.
"""

from __future__ import annotations

import ctypes
from ctypes import addressof, byref, c_char, c_size_t, c_uint8
from typing import Iterable, List, NamedTuple, Optional, Sequence, Tuple, Union

from . import _lib
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


class Decoder:
    """A streaming decoder for one direction of one connection.

    ``role``: ``ROLE_SERVER`` (decode a client's masked frames) or ``ROLE_CLIENT``.
    ``max_frame_size``, ``max_message_size`` (bytes; 0 = no limit) and ``max_fragments``
    stop oversized input with close code 1009 before any of its payload is buffered.
    ``messages``: True to get whole ``Message``s (fragments joined; control messages
    interleaved as they come), False to get every ``Frame``. ``flags``: ``ALLOW_RSV1`` ...
    ``SKIP_UTF8``.

    ``deflate``: the connection's ``PerMessageDeflate`` when the handshake agreed on it. RSV1 is
    then accepted on a message's first frame, and compressed messages come out inflated
    (``Message.compressed`` is True), their inflated size limited by the ``PerMessageDeflate``
    (1009 past it), text validated as UTF-8 after inflating (1007); ``max_message_size`` still
    limits the compressed bytes. In frame mode (``messages=False``) payloads stay compressed.
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
        if deflate is not None:
            flags |= ALLOW_RSV1
        self._deflate = deflate
        self._decoder = _lib.WsDecoder()
        self._addr = addressof(self._decoder)
        _check(lib.wf_ws_decoder_init(self._addr, role), "role")
        _check(
            lib.wf_ws_decoder_set_limits(self._addr, max_frame_size, max_message_size, max_fragments),
            "limits",
        )
        _check(lib.wf_ws_decoder_set_flags(self._addr, flags), "flags")
        self._messages = messages
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

    def _on_header(self, _d: int, header: "ctypes._Pointer[_lib.WsFrameHeader]") -> int:
        h = header[0]
        self._rsv = (h.rsv1, h.rsv2, h.rsv3)
        return 0

    def _on_payload(self, _d: int, at: int, length: int) -> int:
        start = at - self._base
        self._pieces.append(self._view[start : start + length].tobytes())
        return 0

    def _on_end(self, _d: int, end_ptr: "ctypes._Pointer[_lib.WsFrameEnd]") -> int:
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
        buf = bytearray(data)  # unmasked in place: never the caller's buffer
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


def _key_array(key: Optional[Buffer]) -> Optional[ctypes.Array]:
    if key is None:
        return None
    if len(key) != 4:
        raise ValueError("a masking key has exactly 4 bytes")
    return (c_uint8 * 4).from_buffer_copy(bytes(key))


def _encode(fn, size: int, *args) -> bytes:  # type: ignore[no-untyped-def]
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
    data = bytes(payload)
    key = _key_array(mask_key)
    size = lib.wf_ws_frame_size(len(data), key is not None)
    flags = (_FIN if fin else 0) | (_RSV1 if rsv1 else 0)
    return _encode(lib.wf_ws_encode_frame, size, flags, opcode, key, data, len(data))


def encode_close(
    code: Optional[int] = 1000, reason: Union[str, bytes] = b"", *, mask_key: Optional[Buffer] = None
) -> bytes:
    """A close frame with status ``code`` and a UTF-8 ``reason`` (at most 123 bytes);
    ``code`` None (or 0) gives an empty close payload. Raises ``WebSocketError`` for a code
    that may not be sent or a reason too long or not UTF-8."""
    raw = reason.encode("utf-8") if isinstance(reason, str) else bytes(reason)
    key = _key_array(mask_key)
    size = lib.wf_ws_frame_size(2 + len(raw), key is not None)
    return _encode(lib.wf_ws_encode_close, size, code or 0, raw, len(raw), key)


def encode_ping(payload: Buffer = b"", *, mask_key: Optional[Buffer] = None) -> bytes:
    """A ping frame carrying at most 125 bytes of ``payload``."""
    data = bytes(payload)
    key = _key_array(mask_key)
    size = lib.wf_ws_frame_size(len(data), key is not None)
    return _encode(lib.wf_ws_encode_ping, size, data, len(data), key)


def encode_pong(payload: Buffer = b"", *, mask_key: Optional[Buffer] = None) -> bytes:
    """A pong frame carrying at most 125 bytes of ``payload`` (echo the ping's)."""
    data = bytes(payload)
    key = _key_array(mask_key)
    size = lib.wf_ws_frame_size(len(data), key is not None)
    return _encode(lib.wf_ws_encode_pong, size, data, len(data), key)


def mask_inplace(buffer: Union[bytearray, memoryview], key: Buffer, offset: int = 0) -> None:
    """XORs a writable ``buffer`` in place with the 4-byte ``key``, as if it started
    ``offset`` bytes into the payload (so a payload can be masked in pieces)."""
    k = _key_array(key)
    n = len(buffer)
    if n == 0:
        return
    view = (c_char * n).from_buffer(buffer)
    _check(lib.wf_ws_mask(view, n, k, offset), "mask")


def mask(data: Buffer, key: Buffer, offset: int = 0) -> bytes:
    """``data`` XORed with the 4-byte masking ``key`` (starting ``offset`` bytes into the
    payload), as new bytes."""
    buf = bytearray(data)
    mask_inplace(buf, key, offset)
    return bytes(buf)


#: Unmasking is the same XOR as masking.
unmask = mask


def accept_key(key: Union[str, bytes]) -> str:
    """The Sec-WebSocket-Accept value for a Sec-WebSocket-Key:
    base64(SHA-1(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))."""
    raw = key.encode("latin-1") if isinstance(key, str) else bytes(key)
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


def _headers_array(headers: Sequence[Tuple[Buffer, Buffer]]) -> Tuple[ctypes.Array, list]:
    keep = []
    arr = (_lib.WsHeader * max(len(headers), 1))()
    for i, (name, value) in enumerate(headers):
        n, v = bytes(name), bytes(value)
        keep += [n, v]
        arr[i] = _lib.WsHeader(n, len(n), v, len(v))
    return arr, keep


def _result(out: _lib.WsHandshake, protocols: bytes, protocols_addr: int, response: bytes) -> Handshake:
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
        return int(major), int(minor or 0)
    return int(http_version[0]), int(http_version[1])


def server_handshake(
    method: Union[str, bytes],
    http_version: Union[str, Tuple[int, int]],
    headers: Sequence[Tuple[Buffer, Buffer]],
    protocols: Iterable[str] = (),
    *,
    permessage_deflate: bool = False,
) -> Handshake:
    """Checks an upgrade request (its method, version such as ``"1.1"`` as
    ``get_http_version()`` gives it, and its (name, value) headers) and writes the answer.

    ``protocols``: the subprotocols this server speaks, in order of preference (the first
    one the client offered is chosen). ``permessage_deflate``: accept a deflate offer.
    Returns a ``Handshake`` whose ``response`` is what to send: the 101 when ``ok``, else a
    400/426 refusal (then close the connection).
    """
    m = method.encode("ascii") if isinstance(method, str) else bytes(method)
    major, minor = _version(http_version)
    arr, _keep = _headers_array(headers)
    plist = ",".join(protocols).encode("latin-1")
    pbuf = ctypes.create_string_buffer(plist, len(plist) + 1)
    out = _lib.WsHandshake()
    flags = _PERMESSAGE_DEFLATE if permessage_deflate else 0
    lib.wf_ws_server_handshake(
        m, len(m), major, minor, arr, len(headers), pbuf, len(plist), flags, byref(out)
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
        host: str,
        path: str = "/",
        nonce: Optional[bytes] = None,
        *,
        protocols: Iterable[str] = (),
        extensions: str = "",
        extra_headers: bytes = b"",
    ) -> None:
        if nonce is None:
            import os

            nonce = os.urandom(16)
        if len(nonce) != 16:
            raise ValueError("the nonce has exactly 16 bytes")
        strings = [
            host.encode("latin-1"),
            path.encode("latin-1"),
            ",".join(protocols).encode("latin-1"),
            extensions.encode("latin-1"),
            bytes(extra_headers),
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

    def validate(self, status: int, headers: Sequence[Tuple[Buffer, Buffer]]) -> Handshake:
        """Checks the server's response (its status code and (name, value) headers); the
        result's ``ok`` says whether the connection is open."""
        arr, _keep = _headers_array(headers)
        out = _lib.WsHandshake()
        lib.wf_ws_client_validate_response(byref(self._request), status, arr, len(headers), byref(out))
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
