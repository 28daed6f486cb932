"""uvicorn serving with wireframe installed under httptools' import name, driven over
127.0.0.1 by http.client, httpx, the websockets client and raw sockets: keep-alive,
pipelining, a chunked upload, Expect: 100-continue, a WebSocket upgrade answered by uvicorn's
websockets protocol, and malformed requests answered 400.

The server runs in a child process whose sys.path starts with a directory holding a package
named ``httptools`` that re-exports wireframe, so uvicorn's ``import httptools`` gets
wireframe (the app checks it and says which dispatch ran). The listening socket is made here
and handed down, so no port is guessed; every wait is bounded."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from websockets.sync.client import connect as ws_connect

import wireframe
from wireframe import _native

TIMEOUT = 10

SHIM = '''"""wireframe under httptools' import name (for the uvicorn test)."""
from wireframe import *  # noqa: F401,F403
from wireframe import __all__, __version__, parser  # noqa: F401
'''

SERVER = r'''
import hashlib, json, socket, sys
import httptools, uvicorn, wireframe
from wireframe import _native
assert httptools.HttpRequestParser is wireframe.HttpRequestParser, httptools.__file__

async def app(scope, receive, send):
    if scope["type"] == "http":
        digest, size, chunks = hashlib.sha256(), 0, 0
        while True:
            message = await receive()
            body = message.get("body", b"")
            digest.update(body)
            size += len(body)
            chunks += 1
            if not message.get("more_body"):
                break
        answer = json.dumps({
            "method": scope["method"], "path": scope["path"],
            "query": scope["query_string"].decode(), "size": size,
            "sha256": digest.hexdigest(), "parser": httptools.HttpRequestParser.__module__,
            "native": _native.ENABLED,
            "headers": [[n.decode(), v.decode()] for n, v in scope["headers"]],
        }).encode()
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(answer)).encode())]})
        await send({"type": "http.response.body", "body": answer})
    elif scope["type"] == "websocket":
        assert (await receive())["type"] == "websocket.connect"
        await send({"type": "websocket.accept", "subprotocol": None})
        while True:
            message = await receive()
            if message["type"] == "websocket.disconnect":
                break
            await send({"type": "websocket.send", "text": message.get("text"),
                        "bytes": message.get("bytes")})

sock = socket.socket(fileno=int(sys.argv[1]))
config = uvicorn.Config(app, http="httptools", ws="websockets", lifespan="off",
                        log_level="error", timeout_keep_alive=TIMEOUT)
uvicorn.Server(config).run(sockets=[sock])
'''.replace("TIMEOUT", str(TIMEOUT))


@pytest.fixture(scope="module")
def server(tmp_path_factory):  # type: ignore[no-untyped-def]
    shim = tmp_path_factory.mktemp("shim")
    (shim / "httptools").mkdir()
    (shim / "httptools" / "__init__.py").write_text(SHIM)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    port = listener.getsockname()[1]
    env = dict(os.environ, PYTHONPATH=str(shim))
    child = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(listener.fileno())],
        pass_fds=[listener.fileno()],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    listener.close()
    try:
        yield port
    finally:
        child.terminate()
        try:
            _, err = child.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            child.kill()
            _, err = child.communicate()
        assert "Traceback" not in err, err


def raw(port: int, data: bytes, until: bytes | None = None) -> bytes:
    """Sends ``data`` on a new connection and reads until ``until`` is seen or the server
    closes (bounded by TIMEOUT)."""
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as s:
        s.sendall(data)
        out = b""
        deadline = time.monotonic() + TIMEOUT
        while until is None or until not in out:
            if time.monotonic() > deadline:
                break
            chunk = s.recv(65536)
            if not chunk:
                break
            out += chunk
        return out


def responses(data: bytes) -> list:
    """The (status, body) of each response in ``data``, parsed with wireframe."""
    found: list = []

    class Proto:
        def on_message_begin(self) -> None:
            found.append([0, b""])

        def on_body(self, body: bytes) -> None:
            found[-1][1] += body

        def on_headers_complete(self) -> None:
            found[-1][0] = parser.get_status_code()

    parser = wireframe.HttpResponseParser(Proto())
    parser.feed_data(data)
    return [(status, json.loads(body) if body.startswith(b"{") else body) for status, body in found]


def test_keep_alive_with_http_client(server: int) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server, timeout=TIMEOUT)
    try:
        socks = set()
        for i in range(3):
            conn.request("POST", f"/echo/{i}?n={i}", body=b"x" * (1000 * i))
            answer = json.loads(conn.getresponse().read())
            socks.add(conn.sock.getsockname())
            assert answer["path"] == f"/echo/{i}" and answer["query"] == f"n={i}"
            assert answer["size"] == 1000 * i
            assert answer["parser"].startswith("wireframe")
            assert answer["native"] is _native.ENABLED
        assert len(socks) == 1  # one connection for the three requests
    finally:
        conn.close()


def test_pipelined_requests(server: int) -> None:
    reqs = b"".join(
        b"GET /p%d HTTP/1.1\r\nHost: a\r\n\r\n" % i for i in range(5)
    ) + b"POST /last HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc"
    got = responses(raw(server, reqs))
    assert [r[0] for r in got] == [200] * 6
    assert [r[1]["path"] for r in got] == [f"/p{i}" for i in range(5)] + ["/last"]
    assert got[-1][1]["size"] == 3


def test_chunked_upload_with_httpx(server: int) -> None:
    pieces = [os.urandom(n) for n in (1, 1000, 70000, 5)]

    def upload():  # type: ignore[no-untyped-def]
        yield from pieces

    with httpx.Client(timeout=TIMEOUT) as client:
        r = client.post(f"http://127.0.0.1:{server}/up", content=upload())
    answer = r.json()
    assert r.status_code == 200
    assert ["transfer-encoding", "chunked"] in answer["headers"]
    import hashlib

    assert answer["size"] == sum(map(len, pieces))
    assert answer["sha256"] == hashlib.sha256(b"".join(pieces)).hexdigest()


def test_expect_100_continue(server: int) -> None:
    with socket.create_connection(("127.0.0.1", server), timeout=TIMEOUT) as s:
        s.sendall(
            b"PUT /f HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n"
            b"Connection: close\r\n\r\n"
        )
        first = s.recv(4096)
        assert first.startswith(b"HTTP/1.1 100 Continue\r\n"), first
        s.sendall(b"hello")
        rest = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            rest += chunk
    got = responses(first.split(b"\r\n\r\n", 1)[1] + rest)
    assert got[-1][0] == 200 and got[-1][1]["size"] == 5


def test_websocket_upgrade_answered_by_uvicorn(server: int) -> None:
    with ws_connect(f"ws://127.0.0.1:{server}/ws", open_timeout=TIMEOUT, close_timeout=TIMEOUT) as c:
        c.send("hello ✓")
        assert c.recv(timeout=TIMEOUT) == "hello ✓"
        c.send(b"\x00\x01" * 40000)
        assert c.recv(timeout=TIMEOUT) == b"\x00\x01" * 40000


@pytest.mark.parametrize(
    "request_",
    [
        b"GET / HTTP/1.1\r\nBad Header: x\r\n\r\n",
        b"GET /\x01 HTTP/1.1\r\n\r\n",
        b"XYZ\x00 / HTTP/1.1\r\n\r\n",
        b"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
        b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    ],
)
def test_malformed_requests_get_400(server: int, request_: bytes) -> None:
    answer = raw(server, request_)
    assert answer.startswith(b"HTTP/1.1 400 "), answer
