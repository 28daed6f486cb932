"""Malformed requests (400 with the parser's reason), header overflow (431), bodies over the
limit (413, 417), unsupported expectations, and the idle timeout, over raw sockets."""

import socket

import pytest

from helpers import ResponseReader, recv_until_eof

# (request bytes, the parser's errno name and reason the 400 body must carry)
MALFORMED = [
    (b"G@T / HTTP/1.1\r\nHost: x\r\n\r\n", "HPE_INVALID_METHOD: Invalid character in method"),
    (b"GET / HTTP/1.1\r\nHost : x\r\n\r\n",
     "HPE_INVALID_HEADER_TOKEN: Whitespace between header name and colon"),
    (b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
     "HPE_UNEXPECTED_CONTENT_LENGTH: Content-Length can't be present with Transfer-Encoding"),
    (b"GET / HTTP/1.1\nHost: x\n\n", "HPE_CR_EXPECTED: Bare LF where CRLF is required"),
    (b"GET / HTTP/2.0\r\nHost: x\r\n\r\n", "HPE_INVALID_VERSION: Unsupported HTTP version"),
    (b"GET /caf\xc3\xa9 HTTP/1.1\r\nHost: x\r\n\r\n", "HPE_INVALID_URL: Invalid character in URL"),
]


@pytest.mark.parametrize("request_bytes,reason", MALFORMED)
def test_malformed_request_is_400_with_reason(server, request_bytes, reason):
    s = server.connect()
    # A valid request first: its answer comes first, then the 400, then the connection closes.
    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n" + request_bytes + b"GET / HTTP/1.1\r\n\r\n")
    reader = ResponseReader(s)
    assert reader.read().body == b"hello world"
    r = reader.read()
    assert r.status == 400 and r.reason == b"Bad Request"
    assert r.header("connection") == "close"
    assert r.header("content-type") == "text/plain"
    assert r.body == (reason + "\n").encode()
    reader.expect_eof()
    s.close()


def test_header_overflow_is_431(server):
    s = server.connect()
    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20000 + b"\r\n\r\n")
    reader = ResponseReader(s)
    r = reader.read()
    assert (r.status, r.reason) == (431, b"Request Header Fields Too Large")
    assert r.body == b"HPE_HEADER_OVERFLOW: Header section exceeds the maximum header size\n"
    reader.expect_eof()
    s.close()


def test_max_header_option(start_server):
    srv = start_server("--max-header", "200")
    s = srv.connect()
    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-A: " + b"a" * 150 + b"\r\n\r\n")
    assert ResponseReader(s).read().status == 200
    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-A: " + b"a" * 200 + b"\r\n\r\n")
    assert ResponseReader(s).read().status == 431
    s.close()


def test_413_answered_before_the_body(start_server):
    srv = start_server("--max-body", "1000")
    s = srv.connect()
    s.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1001\r\n\r\n")
    reader = ResponseReader(s)
    r = reader.read("POST")
    assert (r.status, r.body) == (413, b"the body is larger than 1000 bytes\n")
    assert r.header("connection") == "close"
    reader.expect_eof()
    s.close()


def test_417_for_100_continue_over_limit(start_server):
    srv = start_server("--max-body", "1000")
    s = srv.connect()
    s.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
              b"Content-Length: 5000\r\n\r\n")
    reader = ResponseReader(s)
    r = reader.read("POST")
    assert r.informational == []  # no 100 Continue
    assert (r.status, r.body) == (417, b"the body is larger than 1000 bytes\n")
    reader.expect_eof()
    s.close()


def test_100_continue_then_body(server):
    s = server.connect()
    s.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-Continue\r\nContent-Length: 4\r\n\r\n")
    s.settimeout(10)
    assert s.recv(100) == b"HTTP/1.1 100 Continue\r\n\r\n"  # sent before any body byte
    s.sendall(b"body")
    r = ResponseReader(s).read("POST")
    assert (r.status, r.body) == (200, b"body")
    s.close()


def test_unknown_expectation_is_417(server):
    s = server.connect()
    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nExpect: the-unexpected\r\n\r\n")
    r = ResponseReader(s).read()
    assert (r.status, r.body) == (417, b"the only expectation supported is 100-continue\n")
    s.close()


def test_two_host_headers_is_400(server):
    s = server.connect()
    s.sendall(b"GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n")
    r = ResponseReader(s).read()
    assert (r.status, r.body) == (400, b"a request needs exactly one Host header\n")
    s.close()


def test_http2_preface_is_505(server):
    s = server.connect()
    # The preface and a first HTTP/2 frame (SETTINGS), as a client with prior knowledge sends.
    s.sendall(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00")
    raw = recv_until_eof(s)
    assert raw.startswith(b"HTTP/1.1 505 HTTP Version Not Supported\r\n")
    assert raw.endswith(b"\r\n\r\nHPE_PAUSED_H2_UPGRADE: Pause on PRI/Upgrade (HTTP/2 connection preface)\n")
    s.close()


def test_idle_connection_is_closed(start_server):
    srv = start_server("--idle-timeout", "0.3")
    s = srv.connect(timeout=10)
    assert recv_until_eof(s) == b""  # never sent anything: closed without a response
    s.close()
    # Idle after a complete request on a keep-alive connection: closed after the answer.
    s = srv.connect(timeout=10)
    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    reader = ResponseReader(s)
    assert reader.read().body == b"hello world"
    reader.expect_eof()
    s.close()


def test_partial_request_times_out_with_408(start_server):
    srv = start_server("--idle-timeout", "0.3")
    s = srv.connect(timeout=10)
    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
    reader = ResponseReader(s)
    r = reader.read()
    assert (r.status, r.body) == (408, b"no complete request within the idle timeout\n")
    assert r.header("connection") == "close"
    reader.expect_eof()
    s.close()


def test_busy_connection_is_not_idle(start_server):
    """A client that keeps sending requests, each within the idle timeout, stays connected."""
    srv = start_server("--idle-timeout", "0.5")
    s = srv.connect()
    reader = ResponseReader(s)
    import time

    for _ in range(8):
        s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        assert reader.read().status == 200
        time.sleep(0.1)
    s.close()


def test_peer_half_close_still_gets_answers(server):
    s = server.connect()
    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\nPOST /echo HTTP/1.1\r\nHost: x\r\n"
              b"Content-Length: 2\r\n\r\nok")
    s.shutdown(socket.SHUT_WR)
    reader = ResponseReader(s)
    assert reader.read().body == b"hello world"
    assert reader.read("POST").body == b"ok"
    reader.expect_eof()
    s.close()


def test_random_garbage_is_survived(server):
    """Random bytes (fixed seed) on many connections, HTTP and upgraded: each is answered or
    closed, and the server (under ASan/UBSan) stays healthy and exits cleanly."""
    import random

    from helpers import ws_raw_connect

    rng = random.Random(7)
    for i in range(60):
        if i % 3 == 2:
            s, _ = ws_raw_connect(server)
        else:
            s = server.connect()
            if i % 3 == 1:  # a valid start, then garbage
                s.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        try:
            s.sendall(bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 3000))))
            s.shutdown(socket.SHUT_WR)
            recv_until_eof(s)
        except (ConnectionResetError, BrokenPipeError):
            pass
        s.close()
    s = server.connect()
    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    assert ResponseReader(s).read().body == b"hello world"
    s.close()


def test_error_answer_to_head_has_no_body(start_server):
    srv = start_server("--max-body", "10")
    s = srv.connect()
    s.sendall(b"HEAD / HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n")
    reader = ResponseReader(s)
    r = reader.read("HEAD")
    assert (r.status, r.header("content-length"), r.body) == (413, "33", b"")
    reader.expect_eof()
    s.close()
    # After a HEAD, a request that fails before its method is known gets a body.
    s = srv.connect()
    s.sendall(b"HEAD / HTTP/1.1\r\nHost: x\r\n\r\nG@T")
    reader = ResponseReader(s)
    assert reader.read("HEAD").status == 200
    r = reader.read("GET")
    assert (r.status, r.body) == (400, b"HPE_INVALID_METHOD: Invalid character in method\n")
    s.close()


def test_request_pipelined_after_connection_close_is_never_answered(server):
    # The client asked to close, then sent another request in the same packet: the server
    # answers the first, closes, and the second (a smuggling attempt) is never answered.
    s = server.connect()
    s.sendall(
        b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        b"GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n"
    )
    reader = ResponseReader(s)
    r = reader.read()
    assert r.status == 200 and r.header("connection") == "close"
    reader.expect_eof()
    s.close()
