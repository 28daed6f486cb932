"""Client-side helpers for the example server's tests: curl, h11 response reading over raw
sockets, and raw WebSocket frames for the cases a well-behaved client library will not send."""

import base64
import email.utils
import os
import re
import socket
import struct
import subprocess
import time
from dataclasses import dataclass, field

import h11

DATE_RE = re.compile(r"[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT")


def check_date(value):
    """Asserts `value` is an IMF-fixdate (RFC 9110 5.6.7) within ten minutes of now."""
    assert DATE_RE.fullmatch(value), value
    when = email.utils.parsedate_to_datetime(value).timestamp()
    assert abs(when - time.time()) < 600, value


def curl(*args, timeout=30):
    """Runs curl (no proxy, bounded in time); returns the CompletedProcess (bytes)."""
    return subprocess.run(
        ["curl", "-sS", "--noproxy", "*", "--max-time", "20", *args],
        capture_output=True,
        timeout=timeout,
    )


def recv_until_eof(sock, limit=16 * 1024 * 1024):
    """Reads until the peer closes (the socket's timeout applies to each read)."""
    data = b""
    while len(data) < limit:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk
    raise AssertionError("no EOF after %d bytes" % limit)


@dataclass
class Response:
    """One parsed response: status, reason, headers (lowercase names, in order), body, and the
    1xx statuses that came before it."""

    status: int
    reason: bytes
    headers: list
    body: bytes
    informational: list = field(default_factory=list)

    def header(self, name):
        """The value of header `name` (str), asserting it appears exactly once."""
        values = [v for k, v in self.headers if k == name.lower()]
        assert len(values) == 1, (name, self.headers)
        return values[0]

    def names(self):
        """The header names in order."""
        return [k for k, _ in self.headers]


class ResponseReader:
    """Reads responses from a raw socket with h11 (a parser nobody here wrote). h11 needs to
    know each request's method (HEAD responses have no body), so `read(method)` tells it."""

    def __init__(self, sock):
        self.sock = sock
        self.conn = h11.Connection(h11.CLIENT)

    def read(self, method="GET"):
        """Reads the next response to a request made with `method`; returns a Response."""
        c = self.conn
        if c.our_state is h11.DONE and c.their_state is h11.DONE:
            c.start_next_cycle()
        c.send(h11.Request(method=method, target="/", headers=[("Host", "x"), ("Content-Length", "0")]))
        c.send(h11.EndOfMessage())
        informational, resp, body = [], None, b""
        while True:
            ev = c.next_event()
            if ev is h11.NEED_DATA:
                c.receive_data(self.sock.recv(65536))
            elif isinstance(ev, h11.InformationalResponse):
                informational.append(ev.status_code)
            elif isinstance(ev, h11.Response):
                resp = ev
            elif isinstance(ev, h11.Data):
                body += ev.data
            elif isinstance(ev, h11.EndOfMessage):
                headers = [(k.decode().lower(), v.decode()) for k, v in resp.headers]
                return Response(resp.status_code, resp.reason, headers, body, informational)
            else:
                raise AssertionError(f"unexpected h11 event {ev!r}")

    def expect_eof(self):
        """Asserts the server closes the connection with nothing more sent."""
        assert recv_until_eof(self.sock) == b""


def request_once(srv, data, method="GET"):
    """Sends raw `data` on a new connection, reads one response; returns (Response, socket)."""
    s = srv.connect()
    s.sendall(data)
    return ResponseReader(s).read(method), s


# --- WebSocket, raw ----------------------------------------------------------------------------


def ws_key():
    """A fresh Sec-WebSocket-Key."""
    return base64.b64encode(os.urandom(16)).decode()


def ws_upgrade_request(port, key=None, path="/ws", extra=""):
    """The bytes of an upgrade request."""
    key = key or ws_key()
    return (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
        f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
        f"{extra}\r\n"
    ).encode()


def masked_frame(opcode, payload=b"", fin=True, rsv=0, mask=b"\x11\x22\x33\x44"):
    """A client frame (masked, as RFC 6455 requires of clients)."""
    b0 = (0x80 if fin else 0) | (rsv << 4) | opcode
    n = len(payload)
    if n < 126:
        head = struct.pack("!BB", b0, 0x80 | n)
    elif n < 65536:
        head = struct.pack("!BBH", b0, 0x80 | 126, n)
    else:
        head = struct.pack("!BBQ", b0, 0x80 | 127, n)
    body = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return head + mask + body


class FrameReader:
    """Reads unmasked server frames from a raw socket."""

    def __init__(self, sock, pending=b""):
        self.sock = sock
        self.buf = pending

    def _need(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError
            self.buf += chunk

    def read(self):
        """Returns (fin, opcode, payload); raises EOFError when the server closed."""
        self._need(2)
        b0, b1 = self.buf[0], self.buf[1]
        assert not b1 & 0x80, "server frames are not masked"
        n, off = b1 & 0x7F, 2
        if n == 126:
            self._need(4)
            n, off = struct.unpack("!H", self.buf[2:4])[0], 4
        elif n == 127:
            self._need(10)
            n, off = struct.unpack("!Q", self.buf[2:10])[0], 10
        self._need(off + n)
        payload = self.buf[off : off + n]
        self.buf = self.buf[off + n :]
        return bool(b0 & 0x80), b0 & 0x0F, payload


def ws_raw_connect(srv, timeout=10):
    """Opens a WebSocket with a raw socket; returns (socket, FrameReader)."""
    s = srv.connect(timeout=timeout)
    s.sendall(ws_upgrade_request(srv.port))
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(4096)
        assert chunk, "closed during the handshake"
        data += chunk
    head, rest = data.split(b"\r\n\r\n", 1)
    assert head.startswith(b"HTTP/1.1 101 "), head
    return s, FrameReader(s, rest)
