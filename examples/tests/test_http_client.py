"""HTTP with Python's http.client (keep-alive, HTTP/1.0) and pipelined raw requests read back
with h11."""

import http.client
import socket

from helpers import ResponseReader, check_date, recv_until_eof


def test_keep_alive_reuses_one_connection(server):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request("GET", "/")
    sock = conn.sock
    r = conn.getresponse()
    assert (r.status, r.read()) == (200, b"hello world")
    assert r.getheader("Connection") == "keep-alive"
    check_date(r.getheader("Date"))
    for i in range(20):
        body = f"message {i}".encode() * (i + 1)
        conn.request("POST", "/echo", body=body)
        r = conn.getresponse()
        assert (r.status, r.read()) == (200, body)
    conn.request("HEAD", "/")
    r = conn.getresponse()
    assert (r.status, r.getheader("Content-Length"), r.read()) == (200, "11", b"")
    conn.request("GET", "/missing")
    r = conn.getresponse()
    assert (r.status, r.read()) == (404, b"Not Found\n")
    assert conn.sock is sock  # every request went over the first connection
    conn.close()


def test_chunked_request_from_http_client(server):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    parts = [b"alpha-", b"", b"beta-", b"gamma" * 1000]
    conn.request("POST", "/echo", body=iter(parts), encode_chunked=True)
    r = conn.getresponse()
    assert (r.status, r.read()) == (200, b"".join(parts))
    conn.close()


def test_connection_close_request(server):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request("GET", "/", headers={"Connection": "close"})
    r = conn.getresponse()
    assert r.getheader("Connection") == "close"
    assert r.read() == b"hello world"
    assert r.will_close


class HTTP10Connection(http.client.HTTPConnection):
    """http.client speaking HTTP/1.0."""

    _http_vsn = 10
    _http_vsn_str = "HTTP/1.0"


def test_http10_closes_by_default(server):
    conn = HTTP10Connection("127.0.0.1", server.port, timeout=10)
    conn.request("GET", "/")
    r = conn.getresponse()
    assert r.status == 200 and r.getheader("Connection") == "close"
    assert r.read() == b"hello world"
    conn.close()


def test_http10_keep_alive(server):
    s = server.connect()
    reader = ResponseReader(s)
    s.sendall(b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
    r = reader.read()
    assert (r.status, r.header("connection"), r.body) == (200, "keep-alive", b"hello world")
    s.sendall(b"POST /echo HTTP/1.0\r\nContent-Length: 3\r\n\r\nabc")  # no keep-alive asked
    raw = recv_until_eof(s)
    assert raw.startswith(b"HTTP/1.1 200 OK\r\n")
    assert b"\r\nConnection: close\r\n\r\nabc" in raw and raw.endswith(b"abc")
    s.close()


def test_http10_ignores_expect(server):
    s = server.connect()
    s.sendall(b"POST /echo HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi")
    raw = recv_until_eof(s)
    assert raw.startswith(b"HTTP/1.1 200 OK\r\n") and raw.endswith(b"\r\n\r\nhi")
    s.close()


PIPELINE = [
    ("GET", b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", 200, b"hello world"),
    ("POST", b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nfirst", 200, b"first"),
    ("HEAD", b"HEAD / HTTP/1.1\r\nHost: x\r\n\r\n", 200, b""),
    ("POST",
     b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
     b"3;ext=1\r\nsec\r\n3\r\nond\r\n0\r\nTrailer: t\r\n\r\n", 200, b"second"),
    ("GET", b"GET /nothing-here HTTP/1.1\r\nHost: x\r\n\r\n", 404, b"Not Found\n"),
    ("POST", b"POST /echo?x=y HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", 200, b""),
    ("GET", b"GET / HTTP/1.1\r\nHost: x\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n", 200,
     b"hello world"),
    ("GET", b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 200, b"hello world"),
]


def check_pipeline(sock):
    reader = ResponseReader(sock)
    for i, (method, _, status, body) in enumerate(PIPELINE):
        r = reader.read(method)
        assert (r.status, r.body) == (status, body), i
        expected = "close" if i == len(PIPELINE) - 1 else "keep-alive"
        assert r.header("connection") == expected
    reader.expect_eof()


def test_pipelined_requests_answered_in_order(server):
    s = server.connect()
    s.sendall(b"".join(req for _, req, _, _ in PIPELINE))
    check_pipeline(s)
    s.close()


def test_pipelined_requests_split_byte_by_byte(server):
    s = server.connect()
    stream = b"".join(req for _, req, _, _ in PIPELINE)
    for i in range(len(stream)):
        s.send(stream[i : i + 1])
    check_pipeline(s)
    s.close()


def test_many_pipelined_requests_while_not_reading(server):
    """Thousands of pipelined requests sent before reading any answer: the server stops
    reading while its output is not taken, and every answer still comes, in order."""
    s = server.connect()
    n = 20000
    req = b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 8\r\n\r\n"
    stream = b"".join(req + b"%08d" % i for i in range(n))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
    import threading

    sender = threading.Thread(target=s.sendall, args=(stream,))
    sender.start()
    reader = ResponseReader(s)
    for i in range(n):
        r = reader.read("POST")
        assert r.body == b"%08d" % i
    sender.join(timeout=30)
    s.close()


def test_missing_host_is_400(server):
    s = server.connect()
    s.sendall(b"GET / HTTP/1.1\r\n\r\n")
    reader = ResponseReader(s)
    r = reader.read()
    assert (r.status, r.body) == (400, b"a request needs exactly one Host header\n")
    assert r.header("connection") == "close"
    reader.expect_eof()
    s.close()


def test_many_concurrent_connections(server):
    """300 connections open at once, each with its own body, answered on the right socket."""
    socks = [server.connect() for _ in range(300)]
    for round_ in range(3):
        for i, s in enumerate(socks):
            body = b"conn %d round %d" % (i, round_)
            s.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
        readers = [ResponseReader(s) for s in socks] if round_ == 0 else readers
        for i, r in enumerate(readers):
            assert r.read("POST").body == b"conn %d round %d" % (i, round_)
    for s in socks:
        s.close()
