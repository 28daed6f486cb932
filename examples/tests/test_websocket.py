"""WebSocket on /ws, driven by the `websockets` package's client (and raw frames for what a
correct client will not send): echo, fragments, ping, close codes, bad frames, limits,
handshake refusals and the heartbeat."""

import os
import signal
import time

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from helpers import (FrameReader, ResponseReader, masked_frame, recv_until_eof, ws_key,
                     ws_raw_connect, ws_upgrade_request)


def ws_connect(srv, **kw):
    """A `websockets` client connection to the server's /ws (no proxy, bounded waits)."""
    kw.setdefault("ping_interval", None)
    return connect(f"ws://127.0.0.1:{srv.port}/ws", proxy=None, open_timeout=10,
                   close_timeout=10, **kw)


def test_text_and_binary_echo(server):
    with ws_connect(server) as ws:
        ws.send("hello")
        assert ws.recv(timeout=10) == "hello"
        ws.send("snowman \u2603 and emoji \U0001F600")
        assert ws.recv(timeout=10) == "snowman \u2603 and emoji \U0001F600"
        data = os.urandom(200_000)  # a 64-bit length, arriving over several reads
        ws.send(data)
        assert ws.recv(timeout=10) == data
        ws.send(b"")
        assert ws.recv(timeout=10) == b""
        ws.send("")
        assert ws.recv(timeout=10) == ""


def test_many_messages_in_flight(server):
    with ws_connect(server) as ws:
        for i in range(500):
            ws.send(f"m{i}")
        for i in range(500):
            assert ws.recv(timeout=10) == f"m{i}"


def test_fragmented_messages_are_reassembled(server):
    with ws_connect(server) as ws:
        ws.send(["frag", "ment", "ed \u00e9"])  # an iterable: one frame per item
        assert ws.recv(timeout=10) == "fragmented \u00e9"
        ws.send([b"\x00\x01", b"", b"\x02" * 70000])
        assert ws.recv(timeout=10) == b"\x00\x01" + b"\x02" * 70000


def test_utf8_split_across_fragments(server):
    """A code point split between two fragments is valid UTF-8 for the message."""
    s, frames = ws_raw_connect(server)
    euro = "\u20ac".encode()
    s.sendall(masked_frame(0x1, euro[:1], fin=False) + masked_frame(0x0, euro[1:], fin=True))
    assert frames.read() == (True, 0x1, euro)
    s.close()


def test_ping_answered_by_pong(server):
    with ws_connect(server) as ws:
        pong = ws.ping(b"are you there")
        assert pong.wait(timeout=10)
        # A ping between the fragments of a message is answered, and the message still echoes.
        s, frames = ws_raw_connect(server)
        s.sendall(masked_frame(0x1, b"ab", fin=False) + masked_frame(0x9, b"p1")
                  + masked_frame(0x0, b"cd", fin=True))
        assert frames.read() == (True, 0xA, b"p1")
        assert frames.read() == (True, 0x1, b"abcd")
        s.close()


def test_close_handshake_echoes_code(server):
    with ws_connect(server) as ws:
        ws.send("before close")
        assert ws.recv(timeout=10) == "before close"
        ws.close(code=4000, reason="bye")
        assert ws.close_code == 4000  # the server's close frame carried our code back
        with pytest.raises(ConnectionClosed) as info:
            ws.recv(timeout=10)
        assert (info.value.sent.code, info.value.rcvd.code) == (4000, 4000)


def test_close_without_code(server):
    s, frames = ws_raw_connect(server)
    s.sendall(masked_frame(0x8))
    assert frames.read() == (True, 0x8, b"")
    with pytest.raises(EOFError):
        frames.read()
    s.close()


def close_from_server(ws):
    """Waits for the server to close `ws`; returns (code, reason) of its close frame."""
    with pytest.raises(ConnectionClosed) as info:
        ws.recv(timeout=10)
    assert info.value.rcvd is not None, "no close frame from the server"
    return info.value.rcvd.code, info.value.rcvd.reason


def test_bad_frame_closes_with_1002(server):
    with ws_connect(server) as ws:
        ws.socket.sendall(masked_frame(0x3, b"reserved opcode"))
        assert close_from_server(ws) == (1002, "reserved opcode")


def test_unmasked_frame_closes_with_1002(server):
    with ws_connect(server) as ws:
        ws.socket.sendall(b"\x81\x02hi")
        assert close_from_server(ws) == (1002, "client frame is not masked")


def test_invalid_utf8_closes_with_1007(server):
    with ws_connect(server) as ws:
        ws.send(b"valid \xff not", text=True)  # bytes sent as a text frame, unchecked
        assert close_from_server(ws) == (1007, "invalid UTF-8 in a text message")


def test_message_too_big_closes_with_1009(start_server):
    srv = start_server("--max-message", "1000")
    with ws_connect(srv) as ws:
        ws.send(b"x" * 1000)
        assert ws.recv(timeout=10) == b"x" * 1000  # exactly the limit is fine
        try:
            ws.send([b"y" * 600, b"y" * 600])  # over the limit only once reassembled
        except ConnectionClosed:
            pass  # the server may close before the second fragment is written
        assert close_from_server(ws) == (1009, "message size exceeds the limit")


def test_handshake_refusals(server):
    # No Upgrade header at all: 426, with Sec-WebSocket-Version.
    s = server.connect()
    s.sendall(b"GET /ws HTTP/1.1\r\nHost: x\r\n\r\n")
    reader = ResponseReader(s)
    r = reader.read()
    assert (r.status, r.header("sec-websocket-version"), r.header("connection")) == (
        426, "13", "Upgrade, close")
    assert r.header("upgrade") == "websocket"
    reader.expect_eof()
    s.close()
    # A Sec-WebSocket-Key that is not base64 of 16 bytes: 400.
    s = server.connect()
    s.sendall(ws_upgrade_request(server.port, key="not-a-key"))
    reader = ResponseReader(s)
    r = reader.read()
    assert (r.status, r.header("sec-websocket-version"), r.header("connection")) == (
        400, "13", "close")
    r.header("date")
    reader.expect_eof()
    s.close()
    # Version 8: 426.
    s = server.connect()
    s.sendall(ws_upgrade_request(server.port).replace(b"Version: 13", b"Version: 8"))
    assert ResponseReader(s).read().status == 426
    s.close()


def test_handshake_accept_key_and_frames_in_the_same_packet(server):
    """Frames sent right behind the upgrade request, in one write, are not lost."""
    key = "dGhlIHNhbXBsZSBub25jZQ=="  # RFC 6455 1.3's example
    s = server.connect()
    s.sendall(ws_upgrade_request(server.port, key=key) + masked_frame(0x1, b"early"))
    data = b""
    while b"\r\n\r\n" not in data:
        data += s.recv(4096)
    head, rest = data.split(b"\r\n\r\n", 1)
    lines = head.decode().split("\r\n")
    assert lines[0] == "HTTP/1.1 101 Switching Protocols"
    assert "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" in lines
    assert any(l.startswith("Date: ") for l in lines)
    assert FrameReader(s, rest).read() == (True, 0x1, b"early")
    s.close()


def test_heartbeat_closes_a_peer_that_misses_three_pongs(start_server):
    srv = start_server("--heartbeat", "0.4")
    s, frames = ws_raw_connect(srv, timeout=10)
    for _ in range(3):  # answered pings keep the connection open
        fin, opcode, payload = frames.read()
        assert (fin, opcode) == (True, 0x9)
        s.sendall(masked_frame(0xA, payload))
    unanswered = 0
    with pytest.raises(EOFError):
        while True:
            assert frames.read()[1] == 0x9
            unanswered += 1
    assert unanswered == 3
    s.close()


def test_heartbeat_keeps_a_responsive_client(start_server):
    srv = start_server("--heartbeat", "0.2")
    with ws_connect(srv) as ws:  # the websockets client answers pings by itself
        time.sleep(1.5)  # more than 3 intervals
        ws.send("still here")
        assert ws.recv(timeout=10) == "still here"


def test_shutdown_closes_websockets_with_1001(start_server):
    srv = start_server()
    with ws_connect(srv) as ws:
        ws.send("x")
        assert ws.recv(timeout=10) == "x"
        srv.send_signal(signal.SIGTERM)
        assert close_from_server(ws) == (1001, "server shutting down")
    assert srv.wait() == 0
    srv.stop()  # checks the exit status and the sanitizer output


def test_peer_vanishing_is_handled(server):
    s, _ = ws_raw_connect(server)
    s.sendall(masked_frame(0x1, b"half", fin=False))
    s.close()  # no close frame
    with ws_connect(server) as ws:  # the server is still fine
        ws.send("ok")
        assert ws.recv(timeout=10) == "ok"
