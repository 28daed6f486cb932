"""permessage-deflate on /ws: accepted by default (the `websockets` client and Node's `ws`
client compress text and binary messages, whole and fragmented, and get them back
compressed), declined with --no-deflate, and its failures closed with the right codes: a
few KB that inflate past --max-message get 1009, corrupt DEFLATE data 1007."""

import json
import os
import subprocess
import zlib

from helpers import FrameReader, masked_frame, ws_upgrade_request
from test_websocket import ws_connect

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NODE_MODULES = os.path.join(ROOT, "bindings", "node", "node_modules")


def extensions(ws):
    return [type(e).__name__ for e in ws.protocol.extensions]


def test_websockets_client_compresses_by_default(server):
    with ws_connect(server) as ws:
        assert extensions(ws) == ["PerMessageDeflate"]
        text = "deflate me ✓ " * 5000
        ws.send(text)
        assert ws.recv(timeout=10) == text
        data = os.urandom(300_000)
        ws.send(data)
        assert ws.recv(timeout=10) == data
        ws.send(["frag", "ment", "ed é"])
        assert ws.recv(timeout=10) == "fragmented é"
        ws.send([b"\x00" * 70000, b"", b"\x01"])
        assert ws.recv(timeout=10) == b"\x00" * 70000 + b"\x01"
        ws.send("")
        assert ws.recv(timeout=10) == ""


def test_node_ws_client_with_per_message_deflate(server):
    env = dict(os.environ, NODE_PATH=NODE_MODULES)
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ws_deflate_client.js")
    out = subprocess.run(["node", script, str(server.port)], env=env, capture_output=True,
                         text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["extensions"].startswith("permessage-deflate")
    assert result["echoed"] == 5


def test_no_deflate_declines(start_server):
    srv = start_server("--no-deflate")
    with ws_connect(srv) as ws:
        assert extensions(ws) == []
        ws.send("plain")
        assert ws.recv(timeout=10) == "plain"


def raw_deflate_connect(srv):
    """A raw client that offers permessage-deflate; returns (socket, FrameReader, head)."""
    s = srv.connect(timeout=10)
    s.sendall(ws_upgrade_request(srv.port, extra="Sec-WebSocket-Extensions: permessage-deflate\r\n"))
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(4096)
        assert chunk, "closed during the handshake"
        data += chunk
    head, rest = data.split(b"\r\n\r\n", 1)
    assert head.startswith(b"HTTP/1.1 101 "), head
    assert b"Sec-WebSocket-Extensions: permessage-deflate\r\n" in head + b"\r\n"
    return s, FrameReader(s, rest)


def compress(data):
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    z = c.compress(data) + c.flush(zlib.Z_SYNC_FLUSH)
    assert z.endswith(b"\x00\x00\xff\xff")
    return z[:-4]


def test_bomb_closes_with_1009(start_server):
    srv = start_server("--max-message", "1000000")
    s, frames = raw_deflate_connect(srv)
    bomb = compress(bytes(50_000_000))  # 50 MB of zeros in about 50 KB
    assert len(bomb) < 100_000
    s.sendall(masked_frame(0x2, bomb, rsv=4))  # rsv=4: RSV1
    while True:
        fin, op, payload = frames.read()
        if op == 0x8:
            break
    assert int.from_bytes(payload[:2], "big") == 1009
    s.close()


def test_corrupt_deflate_closes_with_1007(server):
    s, frames = raw_deflate_connect(server)
    s.sendall(masked_frame(0x2, b"\xff\xff\xff", rsv=4))
    fin, op, payload = frames.read()
    assert (op, int.from_bytes(payload[:2], "big")) == (0x8, 1007)
    assert payload[2:] == b"compressed message is not valid DEFLATE data"
    s.close()


def test_rsv1_on_a_continuation_closes_with_1002(server):
    s, frames = raw_deflate_connect(server)
    z = compress(b"hello")
    s.sendall(masked_frame(0x1, z, fin=False, rsv=4) + masked_frame(0x0, b"", rsv=4))
    fin, op, payload = frames.read()
    assert (op, int.from_bytes(payload[:2], "big")) == (0x8, 1002)
    s.close()
