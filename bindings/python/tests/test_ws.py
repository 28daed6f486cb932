"""wireframe.ws: decoder (frames and messages, every split, every error with its close
code, limits), encoders (exact bytes), masking, accept key, handshakes."""

from __future__ import annotations

import base64
import hashlib
import os

import pytest
from wsproto.frame_protocol import FrameProtocol  # a peer's encoder to decode

from wireframe import ws

KEY = b"\x37\xfa\x21\x3d"


def ref_mask(data: bytes, key: bytes, offset: int = 0) -> bytes:
    return bytes(b ^ key[(i + offset) % 4] for i, b in enumerate(data))


def client_frame(opcode: int, payload: bytes, fin: bool = True) -> bytes:
    return ws.encode_frame(opcode, payload, fin=fin, mask_key=KEY)


STREAM = (
    client_frame(ws.OP_TEXT, "héllo ".encode(), fin=False)
    + client_frame(ws.OP_PING, b"ping!")
    + client_frame(ws.OP_CONTINUATION, "wörld €".encode())
    + client_frame(ws.OP_BINARY, bytes(range(256)) * 2)
    + client_frame(ws.OP_BINARY, b"")
    + client_frame(ws.OP_PONG, b"")
    + ws.encode_close(1001, "going", mask_key=KEY)
)

WANT_MESSAGES = [
    ws.Message(ws.OP_PING, b"ping!"),
    ws.Message(ws.OP_TEXT, "héllo wörld €".encode()),
    ws.Message(ws.OP_BINARY, bytes(range(256)) * 2),
    ws.Message(ws.OP_BINARY, b""),
    ws.Message(ws.OP_PONG, b""),
    ws.Message(ws.OP_CLOSE, b"\x03\xe9going", 1001),
]

WANT_FRAMES = [
    ws.Frame(ws.OP_TEXT, "héllo ".encode(), False),
    ws.Frame(ws.OP_PING, b"ping!", True),
    ws.Frame(ws.OP_CONTINUATION, "wörld €".encode(), True),
    ws.Frame(ws.OP_BINARY, bytes(range(256)) * 2, True),
    ws.Frame(ws.OP_BINARY, b"", True),
    ws.Frame(ws.OP_PONG, b"", True),
    ws.Frame(ws.OP_CLOSE, b"\x03\xe9going", True, close_code=1001),
]


def test_messages_and_frames_whole() -> None:
    assert ws.Decoder(ws.ROLE_SERVER).feed(STREAM) == WANT_MESSAGES
    assert ws.Decoder(ws.ROLE_SERVER, messages=False).feed(STREAM) == WANT_FRAMES
    msgs = ws.Decoder(ws.ROLE_SERVER).feed(STREAM)
    assert msgs[1].text == "héllo wörld €"
    assert msgs[-1].close_reason == "going"


@pytest.mark.parametrize("messages", [True, False])
def test_every_split(messages: bool) -> None:
    want = WANT_MESSAGES if messages else WANT_FRAMES
    for cut in range(len(STREAM) + 1):
        dec = ws.Decoder(ws.ROLE_SERVER, messages=messages)
        got = dec.feed(STREAM[:cut]) + dec.feed(STREAM[cut:])
        if messages:
            assert got == want, cut
        else:
            # A frame split across feeds is still one Frame.
            assert got == want, cut


def test_byte_by_byte_and_input_untouched() -> None:
    dec = ws.Decoder(ws.ROLE_SERVER)
    data = bytearray(STREAM)
    got = []
    for i in range(len(data)):
        got += dec.feed(memoryview(data)[i : i + 1])
    assert got == WANT_MESSAGES
    assert bytes(data) == STREAM  # unmasking works on a copy


def test_client_role_decodes_unmasked_and_in_message() -> None:
    dec = ws.Decoder(ws.ROLE_CLIENT)
    assert dec.feed(ws.encode_frame(ws.OP_TEXT, b"a", fin=False)) == []
    assert dec.in_message is True
    assert dec.feed(ws.encode_frame(ws.OP_CONTINUATION, b"b")) == [ws.Message(ws.OP_TEXT, b"ab")]
    assert dec.in_message is False


def test_decodes_a_peers_frames() -> None:
    """Frames written by wsproto's encoder decode to the same messages."""
    proto = FrameProtocol(client=True, extensions=[])
    data = proto.send_data("text ✓", fin=True) + proto.send_data(b"\x00\x01", fin=True)
    data += proto.ping(b"p") + proto.close(1000, "done")
    assert ws.Decoder(ws.ROLE_SERVER).feed(data) == [
        ws.Message(ws.OP_TEXT, "text ✓".encode()),
        ws.Message(ws.OP_BINARY, b"\x00\x01"),
        ws.Message(ws.OP_PING, b"p"),
        ws.Message(ws.OP_CLOSE, b"\x03\xe8done", 1000),
    ]


ERRORS = [
    # (name, role, data, error, close code, offset)
    ("unmasked", ws.ROLE_SERVER, b"\x81\x01a", "WF_WS_ERR_UNMASKED_FRAME", 1002, 1),
    ("masked", ws.ROLE_CLIENT, client_frame(ws.OP_TEXT, b"a"), "WF_WS_ERR_MASKED_FRAME", 1002, 1),
    ("reserved-opcode", ws.ROLE_CLIENT, b"\x83\x00", "WF_WS_ERR_RESERVED_OPCODE", 1002, 0),
    ("rsv1", ws.ROLE_CLIENT, b"\xc1\x00", "WF_WS_ERR_RESERVED_BITS", 1002, 0),
    ("fragmented-ping", ws.ROLE_CLIENT, b"\x09\x00", "WF_WS_ERR_FRAGMENTED_CONTROL", 1002, 0),
    ("long-ping", ws.ROLE_CLIENT, b"\x89\x7e\x00\x7e" + b"x" * 126, "WF_WS_ERR_CONTROL_TOO_LONG", 1002, 1),
    ("continuation", ws.ROLE_CLIENT, b"\x80\x00", "WF_WS_ERR_UNEXPECTED_CONTINUATION", 1002, 0),
    ("no-continuation", ws.ROLE_CLIENT, b"\x01\x00\x81\x00", "WF_WS_ERR_EXPECTED_CONTINUATION", 1002, 2),
    ("invalid-utf8", ws.ROLE_CLIENT, b"\x81\x02a\xff", "WF_WS_ERR_INVALID_UTF8", 1007, 3),
    ("incomplete-utf8", ws.ROLE_CLIENT, b"\x81\x02a\xc3", "WF_WS_ERR_INCOMPLETE_UTF8", 1007, 4),
    ("close-1-byte", ws.ROLE_CLIENT, b"\x88\x01\x03", "WF_WS_ERR_CLOSE_TOO_SHORT", 1002, 1),
    ("close-code", ws.ROLE_CLIENT, b"\x88\x02\x03\xed", "WF_WS_ERR_INVALID_CLOSE_CODE", 1002, 3),
    ("non-minimal", ws.ROLE_CLIENT, b"\x82\x7e\x00\x05hello", "WF_WS_ERR_NON_MINIMAL_LENGTH", 1002, 3),
    ("top-bit", ws.ROLE_CLIENT, b"\x82\x7f\x80" + b"\x00" * 7, "WF_WS_ERR_LENGTH_TOP_BIT", 1002, 2),
]


@pytest.mark.parametrize("name,role,data,error,code,offset", ERRORS, ids=[e[0] for e in ERRORS])
def test_errors_carry_close_code_at_every_split(
    name: str, role: int, data: bytes, error: str, code: int, offset: int
) -> None:
    for cut in range(len(data) + 1):
        dec = ws.Decoder(role)
        with pytest.raises(ws.WebSocketError) as info:
            dec.feed(data[:cut])
            dec.feed(data[cut:])
        assert (info.value.name, info.value.code, info.value.offset) == (error, code, offset)
        assert error in str(info.value)
        with pytest.raises(ws.WebSocketError):  # sticky
            dec.feed(b"\x81\x00")


def test_error_keeps_messages_decoded_before_it() -> None:
    good = ws.encode_frame(ws.OP_TEXT, b"ok")
    with pytest.raises(ws.WebSocketError) as info:
        ws.Decoder(ws.ROLE_CLIENT).feed(good + b"\x83\x00")
    assert info.value.events == [ws.Message(ws.OP_TEXT, b"ok")]


def test_limits() -> None:
    dec = ws.Decoder(ws.ROLE_CLIENT, max_frame_size=10)
    assert dec.feed(ws.encode_frame(ws.OP_BINARY, b"x" * 10)) == [ws.Message(ws.OP_BINARY, b"x" * 10)]
    with pytest.raises(ws.WebSocketError) as info:
        dec.feed(ws.encode_frame(ws.OP_BINARY, b"x" * 11))
    assert (info.value.name, info.value.code) == ("WF_WS_ERR_FRAME_TOO_LARGE", 1009)
    dec = ws.Decoder(ws.ROLE_CLIENT, max_message_size=5)
    dec.feed(ws.encode_frame(ws.OP_TEXT, b"abc", fin=False))
    with pytest.raises(ws.WebSocketError) as info:
        # Refused from the header alone: no payload byte needed.
        dec.feed(ws.encode_frame(ws.OP_CONTINUATION, b"def")[:2])
    assert (info.value.name, info.value.code) == ("WF_WS_ERR_MESSAGE_TOO_LARGE", 1009)
    dec = ws.Decoder(ws.ROLE_CLIENT, max_fragments=2)
    with pytest.raises(ws.WebSocketError) as info:
        dec.feed(b"\x01\x00\x00\x00\x00\x00")
    assert info.value.name == "WF_WS_ERR_TOO_MANY_FRAGMENTS"


def test_flags_allow_rsv1_and_lenient_length() -> None:
    dec = ws.Decoder(ws.ROLE_CLIENT, messages=False, flags=ws.ALLOW_RSV1)
    assert dec.feed(b"\xc2\x01z") == [ws.Frame(ws.OP_BINARY, b"z", True, rsv1=True)]
    dec = ws.Decoder(ws.ROLE_CLIENT, flags=ws.ALLOW_RSV1)
    assert dec.feed(b"\xc1\x01z") == [ws.Message(ws.OP_TEXT, b"z", compressed=True)]
    dec = ws.Decoder(ws.ROLE_CLIENT, flags=ws.LENIENT_LENGTH)
    assert dec.feed(b"\x82\x7e\x00\x05hello") == [ws.Message(ws.OP_BINARY, b"hello")]
    dec = ws.Decoder(ws.ROLE_CLIENT, flags=ws.SKIP_UTF8)
    assert dec.feed(b"\x81\x01\xff") == [ws.Message(ws.OP_TEXT, b"\xff")]
    with pytest.raises(ws.WebSocketError) as info:
        ws.Decoder(ws.ROLE_CLIENT, flags=1 << 20)
    assert info.value.name == "WF_WS_ERR_INVALID_ARGUMENT"
    with pytest.raises(ValueError):
        ws.Decoder(7)


def test_encoders_exact_bytes() -> None:
    assert ws.encode_frame(ws.OP_TEXT, b"Hello") == b"\x81\x05Hello"
    # RFC 6455 5.7: a masked "Hello".
    assert ws.encode_frame(ws.OP_TEXT, b"Hello", mask_key=b"\x37\xfa\x21\x3d") == (
        b"\x81\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58"
    )
    assert ws.encode_frame(ws.OP_TEXT, b"Hel", fin=False) == b"\x01\x03Hel"
    assert ws.encode_frame(ws.OP_BINARY, b"x" * 256)[:4] == b"\x82\x7e\x01\x00"
    assert ws.encode_frame(ws.OP_BINARY, b"x" * 65536)[:10] == b"\x82\x7f" + (65536).to_bytes(8, "big")
    assert ws.encode_frame(ws.OP_BINARY, b"z", rsv1=True) == b"\xc2\x01z"
    assert ws.encode_close(1000, "bye") == b"\x88\x05\x03\xe8bye"
    assert ws.encode_close(None) == b"\x88\x00"
    assert ws.encode_ping(b"p") == b"\x89\x01p"
    assert ws.encode_pong(b"p") == b"\x8a\x01p"
    assert ws.encode_pong(b"p", mask_key=KEY) == b"\x8a\x81" + KEY + ref_mask(b"p", KEY)


@pytest.mark.parametrize(
    "call",
    [
        lambda: ws.encode_frame(3, b""),
        lambda: ws.encode_frame(ws.OP_PING, b"x" * 126),
        lambda: ws.encode_frame(ws.OP_PING, b"", fin=False),
        lambda: ws.encode_close(1005),
        lambda: ws.encode_close(1000, "x" * 124),
        lambda: ws.encode_close(None, "reason without a code"),
        lambda: ws.encode_close(1000, b"\xff"),
        lambda: ws.encode_ping(b"x" * 126),
    ],
)
def test_encoder_errors(call) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ws.WebSocketError) as info:
        call()
    assert info.value.name == "WF_WS_ERR_INVALID_ARGUMENT"


def test_mask_matches_reference_for_every_length_and_offset() -> None:
    data = os.urandom(300)
    for length in (0, 1, 3, 4, 5, 15, 16, 31, 32, 33, 63, 64, 65, 127, 300):
        for offset in range(8):
            assert ws.mask(data[:length], KEY, offset) == ref_mask(data[:length], KEY, offset)
    assert ws.unmask(ws.mask(data, KEY), KEY) == data
    buf = bytearray(data)
    ws.mask_inplace(buf, KEY, 2)
    assert bytes(buf) == ref_mask(data, KEY, 2)
    with pytest.raises(ValueError):
        ws.mask(b"x", b"abc")


def test_accept_key() -> None:
    # RFC 6455 1.3.
    assert ws.accept_key("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
    key = base64.b64encode(os.urandom(16))
    want = base64.b64encode(
        hashlib.sha1(key + b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest()
    ).decode()
    assert ws.accept_key(key) == want


def upgrade_headers(key: str = "dGhlIHNhbXBsZSBub25jZQ==", **extra: str) -> list:
    headers = [
        (b"Host", b"example.com"),
        (b"Upgrade", b"websocket"),
        (b"Connection", b"keep-alive, Upgrade"),
        (b"Sec-WebSocket-Key", key.encode()),
        (b"Sec-WebSocket-Version", b"13"),
    ]
    return headers + [(k.replace("_", "-").encode(), v.encode()) for k, v in extra.items()]


def test_server_handshake_ok_with_protocol_and_deflate() -> None:
    headers = upgrade_headers(
        Sec_WebSocket_Protocol="chat, superchat",
        Sec_WebSocket_Extensions="permessage-deflate; client_max_window_bits",
    )
    hs = ws.server_handshake(b"GET", "1.1", headers, ["superchat", "chat"], permessage_deflate=True)
    assert hs.ok and hs.error is None and hs.status == 101
    assert hs.accept_key == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
    assert hs.protocol == "superchat"
    assert hs.deflate is True
    assert hs.response.startswith(b"HTTP/1.1 101 Switching Protocols\r\n")
    assert b"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n" in hs.response
    assert b"Sec-WebSocket-Protocol: superchat\r\n" in hs.response
    assert b"permessage-deflate" in hs.response
    assert hs.response.endswith(b"\r\n\r\n")


@pytest.mark.parametrize(
    "method,version,headers,error,status",
    [
        (b"POST", "1.1", upgrade_headers(), "WF_WS_ERR_HANDSHAKE_METHOD", 400),
        (b"GET", "1.0", upgrade_headers(), "WF_WS_ERR_HANDSHAKE_HTTP_VERSION", 400),
        (b"GET", (1, 1), upgrade_headers()[:1] + upgrade_headers()[2:], "WF_WS_ERR_HANDSHAKE_UPGRADE", 426),
        (b"GET", "1.1", upgrade_headers(key="short"), "WF_WS_ERR_HANDSHAKE_KEY", 400),
        (b"GET", "1.1", upgrade_headers()[1:], "WF_WS_ERR_HANDSHAKE_HOST", 400),
    ],
)
def test_server_handshake_refusals(method, version, headers, error, status) -> None:  # type: ignore[no-untyped-def]
    hs = ws.server_handshake(method, version, headers)
    assert (hs.ok, hs.error, hs.status) == (False, error, status)
    assert hs.response.startswith(f"HTTP/1.1 {status} ".encode())
    assert b"Sec-WebSocket-Version: 13\r\n" in hs.response


def test_client_handshake_round_trip() -> None:
    nonce = bytes(range(16))
    client = ws.ClientHandshake("example.com:8080", "/chat?x=1", nonce, protocols=["a", "b"])
    assert client.key == base64.b64encode(nonce).decode()
    assert client.request.startswith(b"GET /chat?x=1 HTTP/1.1\r\n")
    assert f"Sec-WebSocket-Key: {client.key}\r\n".encode() in client.request
    assert b"Host: example.com:8080\r\n" in client.request
    server = ws.server_handshake(b"GET", "1.1", upgrade_headers(client.key, Sec_WebSocket_Protocol="a, b"), ["b"])
    answer = [
        (b"Upgrade", b"websocket"),
        (b"Connection", b"Upgrade"),
        (b"Sec-WebSocket-Accept", server.accept_key.encode()),
        (b"Sec-WebSocket-Protocol", b"b"),
    ]
    result = client.validate(101, answer)
    assert (result.ok, result.protocol, result.status) == (True, "b", 101)
    bad = client.validate(101, answer[:2] + [(b"Sec-WebSocket-Accept", b"x" * 28)] + answer[3:])
    assert (bad.ok, bad.error) == (False, "WF_WS_ERR_HANDSHAKE_ACCEPT")
    assert client.validate(200, answer).error == "WF_WS_ERR_HANDSHAKE_STATUS"
    assert client.validate(101, answer[:3] + [(b"Sec-WebSocket-Protocol", b"zzz")]).error == (
        "WF_WS_ERR_HANDSHAKE_PROTOCOL"
    )
    with pytest.raises(ws.WebSocketError):
        ws.ClientHandshake("example.com", "no-slash", nonce)
    with pytest.raises(ValueError):
        ws.ClientHandshake("example.com", "/", b"short")


@pytest.mark.parametrize(
    "call,error",
    [
        (lambda: ws.Decoder(ws.ROLE_SERVER, max_message_size=-1), ValueError),
        (lambda: ws.Decoder(ws.ROLE_SERVER, max_message_size=2**64), ValueError),
        (lambda: ws.Decoder(ws.ROLE_SERVER, max_message_size=2**64 + 10), ValueError),
        (lambda: ws.Decoder(ws.ROLE_SERVER, max_frame_size=-5), ValueError),
        (lambda: ws.Decoder(ws.ROLE_SERVER, max_fragments=2**32), ValueError),
        (lambda: ws.Decoder(ws.ROLE_SERVER, max_message_size=1.5), TypeError),
        (lambda: ws.Decoder(ws.ROLE_SERVER, max_message_size="10"), TypeError),
        (lambda: ws.Decoder(ws.ROLE_SERVER, flags=None), TypeError),
        (lambda: ws.Decoder("server"), TypeError),
        (lambda: ws.Decoder(ws.ROLE_SERVER).feed(123), TypeError),
        (lambda: ws.Decoder(ws.ROLE_SERVER).feed("text"), TypeError),
        (lambda: ws.encode_close(70000), ValueError),
        (lambda: ws.encode_close(-1), ValueError),
        (lambda: ws.encode_close("1000"), TypeError),
        (lambda: ws.encode_close(1000, 5), TypeError),
        (lambda: ws.encode_frame(ws.OP_TEXT, 5), TypeError),
        (lambda: ws.encode_frame(ws.OP_TEXT, "text"), TypeError),
        (lambda: ws.encode_frame(16, b""), ValueError),
        (lambda: ws.encode_ping(3), TypeError),
        (lambda: ws.accept_key(123), TypeError),
        (lambda: ws.mask(5, b"abcd"), TypeError),
        (lambda: ws.mask(b"data", 1234), TypeError),
        (lambda: ws.mask(b"data", b"abc"), ValueError),
        (lambda: ws.mask(b"data", b"abcd", -1), ValueError),
        (lambda: ws.mask_inplace(b"read-only", b"abcd"), TypeError),
        (lambda: ws.server_handshake(b"GET", "1.1", upgrade_headers(), "chat"), TypeError),
        (lambda: ws.server_handshake(b"GET", "1.1", upgrade_headers(), b"chat"), TypeError),
        (lambda: ws.server_handshake(b"GET", "1.1", b"Host: x"), TypeError),
        (lambda: ws.server_handshake(b"GET", "1.1", [(b"Host", 5)]), TypeError),
        (lambda: ws.server_handshake(b"GET", "x.y", upgrade_headers()), ValueError),
        (lambda: ws.ClientHandshake("h", "/", protocols="chat"), TypeError),
        (lambda: ws.ClientHandshake(5, "/"), TypeError),
    ],
)
def test_arguments_are_validated(call, error) -> None:  # type: ignore[no-untyped-def]
    """A wrong type is a TypeError and an out-of-range number a ValueError: nothing is
    wrapped, truncated or read as that many zero bytes."""
    with pytest.raises(error):
        call()


def test_limits_at_their_bounds() -> None:
    dec = ws.Decoder(ws.ROLE_CLIENT, max_frame_size=2**64 - 1, max_message_size=0, max_fragments=0)
    assert dec.feed(b"\x82\x02hi") == [ws.Message(ws.OP_BINARY, b"hi")]
    assert ws.encode_close(4999)[2:4] == (4999).to_bytes(2, "big")
    assert ws.mask(bytearray(b"ab"), memoryview(b"\x01\x02\x03\x04"), 2**64 - 1) == ws.mask(
        b"ab", b"\x01\x02\x03\x04", 3
    )


def test_handshake_takes_mappings_str_and_bytes() -> None:
    as_bytes = upgrade_headers(Sec_WebSocket_Protocol="chat, superchat")
    as_str = [(n.decode(), v.decode()) for n, v in as_bytes]
    as_mapping = dict(as_str)
    mixed = [(n.decode(), v) for n, v in as_bytes]
    results = [
        ws.server_handshake(m, "1.1", h, ("superchat", b"chat"))
        for m, h in (("GET", as_bytes), (b"GET", as_str), ("GET", as_mapping), ("GET", mixed))
    ]
    assert all(r.ok and r.protocol == "superchat" for r in results)
    assert len({r.response for r in results}) == 1


def test_subprotocol_is_the_servers_first_choice_the_client_offered() -> None:
    """As the docstring says: the server's order of preference, not the client's."""
    headers = upgrade_headers(Sec_WebSocket_Protocol="a, b, c")
    assert ws.server_handshake("GET", "1.1", headers, ["c", "a"]).protocol == "c"
    assert ws.server_handshake("GET", "1.1", headers, ["a", "c"]).protocol == "a"
    assert ws.server_handshake("GET", "1.1", headers, ["x", "b"]).protocol == "b"
    assert ws.server_handshake("GET", "1.1", headers, ["x"]).protocol is None


def test_close_message_has_code_and_reason() -> None:
    frame = ws.encode_close(4001, "bye ✓", mask_key=b"abcd")
    (msg,) = ws.Decoder(ws.ROLE_SERVER).feed(frame)
    assert (msg.opcode, msg.code, msg.reason) == (ws.OP_CLOSE, 4001, "bye ✓")
    assert (msg.close_code, msg.close_reason) == (4001, "bye ✓")
    (empty,) = ws.Decoder(ws.ROLE_CLIENT).feed(ws.encode_close(None))
    assert (empty.code, empty.reason) == (1005, "")


def big_stream() -> tuple:
    """Large masked frames (a fragmented text message with a ping between its fragments, a
    binary frame) around small ones, and the messages they make."""
    text = ("é" * 2000 + "x" * 1000).encode()
    binary = bytes(range(256)) * 40
    key = b"\x0a\x0b\x0c\x0d"
    stream = (
        ws.encode_frame(ws.OP_TEXT, text[:3001], fin=False, mask_key=key)
        + ws.encode_frame(ws.OP_PING, b"p", mask_key=key)
        + ws.encode_frame(ws.OP_CONTINUATION, text[3001:], mask_key=key)
        + ws.encode_frame(ws.OP_BINARY, binary, mask_key=key)
        + ws.encode_frame(ws.OP_BINARY, b"small", mask_key=key)
        + ws.encode_frame(ws.OP_BINARY, binary[:2048], mask_key=key)
    )
    want = [
        ws.Message(ws.OP_PING, b"p"),
        ws.Message(ws.OP_TEXT, text),
        ws.Message(ws.OP_BINARY, binary),
        ws.Message(ws.OP_BINARY, b"small"),
        ws.Message(ws.OP_BINARY, binary[:2048]),
    ]
    return stream, want


def test_large_frames_at_many_splits() -> None:
    stream, want = big_stream()
    for cut in [*range(0, len(stream), 97), *range(3000, 3020), len(stream) - 1]:
        dec = ws.Decoder(ws.ROLE_SERVER)
        assert dec.feed(stream[:cut]) + dec.feed(stream[cut:]) == want, cut
    frames = ws.Decoder(ws.ROLE_SERVER, messages=False).feed(stream)
    assert [len(f.payload) for f in frames] == [3001, 1, 1999, 10240, 5, 2048]
    assert frames[0].fin is False and frames[2].opcode == ws.OP_CONTINUATION


def test_large_frame_errors_keep_what_came_before() -> None:
    stream, want = big_stream()
    masked = ws.encode_frame(ws.OP_BINARY, b"\x00" * 3000, mask_key=b"abcd")
    text_bad = ws.encode_frame(ws.OP_TEXT, b"a" * 2999 + b"\xff", mask_key=b"abcd")
    with pytest.raises(ws.WebSocketError) as info:
        ws.Decoder(ws.ROLE_SERVER).feed(stream + text_bad)
    assert info.value.name == "WF_WS_ERR_INVALID_UTF8" and info.value.code == 1007
    assert info.value.offset == len(stream) + 4 + 4 + 2999
    assert info.value.events == want
    with pytest.raises(ws.WebSocketError) as info:
        ws.Decoder(ws.ROLE_SERVER, max_message_size=4096).feed(stream)
    assert info.value.name == "WF_WS_ERR_MESSAGE_TOO_LARGE" and info.value.code == 1009
    assert info.value.events == [ws.Message(ws.OP_PING, b"p")]
    with pytest.raises(ws.WebSocketError) as info:
        ws.Decoder(ws.ROLE_CLIENT).feed(masked)  # a client gets no masked frame
    assert info.value.name == "WF_WS_ERR_MASKED_FRAME" and info.value.offset == 1
