"""The limits that let the server survive hostile clients: the head and request deadlines
(408), the WebSocket message deadline (close 1008), the connection cap (503), the buffer
budget (503, close 1013), the fragment cap (close 1009), Host validation, HTTP/0.9, the
descriptor limit and the start-up line that states them all.

Deadlines are set to fractions of a second here so that the slow clients (one byte per
interval) meet them quickly; every wait is bounded."""

import select
import socket
import struct
import time

import pytest

from helpers import ResponseReader, masked_frame, recv_until_eof, ws_raw_connect

GET = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"


def trickle(sock, data, interval):
    """Sends `data` one byte every `interval` seconds until the server answers (the socket
    turns readable). Returns how many bytes were sent; fails if all were sent unanswered."""
    for i, byte in enumerate(data):
        if select.select([sock], [], [], interval)[0]:
            return i
        sock.sendall(bytes([byte]))
    raise AssertionError("every byte was sent and the server never answered")


def hello(srv):
    """One GET / on a new connection; returns the status."""
    s = srv.connect()
    s.sendall(GET)
    status = ResponseReader(s).read().status
    s.close()
    return status


def close_frame(code, reason):
    """The (fin, opcode, payload) of a server close frame."""
    return (True, 0x8, struct.pack("!H", code) + reason)


def expect_refusal(sock, status, body, method="GET"):
    """Reads one error response with `status` and `body`, `Connection: close`, then EOF."""
    reader = ResponseReader(sock)
    r = reader.read(method)
    assert (r.status, r.body) == (status, body)
    assert r.header("connection") == "close"
    reader.expect_eof()
    return r


# --- deadlines ---------------------------------------------------------------------------------


def test_slow_head_hits_the_head_deadline(start_server):
    """One byte every 20 ms keeps the idle timer happy but not the head deadline."""
    srv = start_server("--head-timeout", "0.5", "--idle-timeout", "5")
    s = srv.connect()
    start = time.monotonic()
    head = b"GET / HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"p" * 1000 + b"\r\n\r\n"
    sent = trickle(s, head, 0.02)
    assert time.monotonic() - start >= 0.5 and sent < len(head)
    expect_refusal(s, 408, b"the request head was not complete within 0.5 s\n")
    s.close()


def test_slow_body_hits_the_request_deadline(start_server):
    """The head arrives at once; the body one byte at a time outlasts the request deadline
    (and the head deadline, which no longer applies once the head is complete)."""
    srv = start_server("--head-timeout", "0.3", "--request-timeout", "0.8", "--idle-timeout", "5")
    s = srv.connect()
    s.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n")
    start = time.monotonic()
    sent = trickle(s, b"b" * 1000, 0.02)
    assert time.monotonic() - start >= 0.8 and sent < 1000
    expect_refusal(s, 408, b"the request was not complete within 0.8 s\n", "POST")
    s.close()


def test_deadlines_are_per_request(start_server):
    """A keep-alive connection outlives the request deadline as long as each request meets
    it; blank lines before a request count as part of it."""
    srv = start_server("--head-timeout", "0.2", "--request-timeout", "0.3", "--idle-timeout", "5")
    s = srv.connect()
    reader = ResponseReader(s)
    for _ in range(6):
        s.sendall(GET)
        assert reader.read().status == 200
        time.sleep(0.1)
    trickle(s, b"\r\n" * 1000, 0.02)  # blank lines forever: the head deadline still runs
    expect_refusal(s, 408, b"the request head was not complete within 0.2 s\n")
    s.close()


def test_websocket_message_deadline(start_server):
    """Messages that complete in time are echoed; one kept open by a stream of empty
    fragments is closed with 1008 when its deadline passes."""
    srv = start_server("--message-timeout", "0.5")
    s, frames = ws_raw_connect(srv)
    for i in range(4):  # the connection lives longer than the deadline, each message does not
        s.sendall(masked_frame(0x1, b"m", fin=False) + masked_frame(0x0, b"%d" % i))
        assert frames.read() == (True, 0x1, b"m%d" % i)
        time.sleep(0.15)
    s.sendall(masked_frame(0x2, b"x", fin=False))
    start = time.monotonic()
    for _ in range(1000):
        if select.select([s], [], [], 0.02)[0]:
            break
        s.sendall(masked_frame(0x0, b"", fin=False))
    assert time.monotonic() - start >= 0.5
    assert frames.read() == close_frame(1008, b"message not complete within 0.5 s")
    assert recv_until_eof(s) == b""
    s.close()


# --- the connection cap ------------------------------------------------------------------------


def test_connections_over_the_cap_get_503(start_server):
    srv = start_server("--max-connections", "4", "--idle-timeout", "30")
    hostile = [srv.connect() for _ in range(3)]
    for h in hostile:
        h.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")  # a head that never ends
    ordinary = srv.connect()
    reader = ResponseReader(ordinary)
    ordinary.sendall(GET)
    assert reader.read().body == b"hello world"
    for _ in range(5):
        s = srv.connect()
        s.sendall(GET)
        r = expect_refusal(s, 503, b"too many connections; try again later\n")
        assert r.header("retry-after") == "1"
        s.close()
    ordinary.sendall(GET)  # the connections within the cap are still served
    assert reader.read().body == b"hello world"
    hostile[0].close()  # a slot frees: the next client is served
    assert hello(srv) == 200
    for h in hostile[1:]:
        h.close()
    ordinary.close()


def test_accepting_pauses_while_too_many_refusals_are_pending(start_server):
    """At most 32 connections over the cap are being answered 503 at a time; the next ones
    wait in the kernel's backlog and are answered as the earlier ones close."""
    srv = start_server("--max-connections", "1", "--idle-timeout", "30")
    held = srv.connect()
    held.sendall(b"GET / HTTP/1.1\r\n")
    refused = [srv.connect() for _ in range(40)]
    for s in refused[:32]:
        assert recv_until_eof(s).startswith(b"HTTP/1.1 503 Service Unavailable\r\n")
    waiting = refused[32:]
    assert select.select(waiting, [], [], 0.3)[0] == []  # not accepted yet
    for s in refused[:32]:
        s.close()  # their connections end: the server accepts the waiting ones
    for s in waiting:
        assert recv_until_eof(s).startswith(b"HTTP/1.1 503 Service Unavailable\r\n")
        s.close()
    held.close()


# --- the buffer budget -------------------------------------------------------------------------


def test_buffer_budget_with_many_partial_bodies(start_server):
    """Each connection holds an unfinished 250 kB body (256 KiB of buffer). Under a budget of
    1 MB three fit; the others are refused with 503 before their body is read, while
    requests without a body are still served. Finished bodies are echoed whole, and the
    budget they held is free again afterwards."""
    srv = start_server("--max-buffered", "1000000", "--max-body", "300000", "--idle-timeout", "30")
    head = b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 250000\r\n\r\n"
    bodies = [bytes([65 + i]) * 250000 for i in range(12)]
    conns = []
    for body in bodies:
        s = srv.connect()
        s.sendall(head + body[:200000])
        conns.append(s)
        # Read after this connection's bytes (epoll reports in arrival order): once it is
        # answered, the server has taken in the partial body above.
        assert hello(srv) == 200
    answered = [s for s in conns if select.select([s], [], [], 0)[0]]
    assert answered == conns[3:]
    for s in answered:
        r = expect_refusal(s, 503, b"the server's buffer budget is used up; try again later\n", "POST")
        assert r.header("retry-after") == "1"
        s.close()
    # A chunked body grows until the budget stops it, in the middle of the body.
    s = srv.connect()
    s.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
              + b"30d40\r\n" + b"c" * 200000 + b"\r\n")
    expect_refusal(s, 503, b"the server's buffer budget is used up; try again later\n", "POST")
    s.close()
    for s, body in zip(conns[:3], bodies):
        s.sendall(body[200000:])
        r = ResponseReader(s).read("POST")
        assert (r.status, r.body) == (200, body)
        s.close()
    s = srv.connect()  # the budget is free again
    s.sendall(head + bodies[11])
    assert ResponseReader(s).read("POST").body == bodies[11]
    s.close()


def test_buffer_budget_for_websocket_messages(start_server):
    srv = start_server("--max-buffered", "400000", "--max-message", "300000")
    a, fa = ws_raw_connect(srv)
    a.sendall(masked_frame(0x2, b"a" * 200000, fin=False) + masked_frame(0x9, b"sync"))
    assert fa.read() == (True, 0xA, b"sync")  # the first fragment is buffered
    b, fb = ws_raw_connect(srv)
    b.sendall(masked_frame(0x2, b"b" * 150000))
    assert fb.read() == close_frame(1013, b"the server's buffer budget is used up; try again later")
    assert recv_until_eof(b) == b""
    b.close()
    a.sendall(masked_frame(0x0, b"a" * 1000))
    assert fa.read() == (True, 0x2, b"a" * 201000)
    c, fc = ws_raw_connect(srv)  # A's message is sent: the budget has room again
    c.sendall(masked_frame(0x2, b"c" * 150000))
    assert fc.read() == (True, 0x2, b"c" * 150000)
    a.close()
    c.close()


# --- WebSocket fragments -----------------------------------------------------------------------


def fragments(count, fin=True, payload=b"f"):
    """A text message in `count` frames of `payload` each (the last one with FIN if `fin`)."""
    return b"".join(masked_frame(0x1 if i == 0 else 0x0, payload, fin=fin and i == count - 1)
                    for i in range(count))


def test_fragment_cap(start_server):
    srv = start_server("--max-fragments", "100")
    s, frames = ws_raw_connect(srv)
    s.sendall(fragments(100))  # at the cap: echoed
    assert frames.read() == (True, 0x1, b"f" * 100)
    s.sendall(fragments(101, fin=False))  # one frame more: refused at that frame
    assert frames.read() == close_frame(1009, b"message has more fragments than the limit")
    assert recv_until_eof(s) == b""
    s.close()


def test_default_fragment_cap_takes_65537_fragments(server):
    """Autobahn's cases 9.3.1 and 9.4.1 send messages of 65,537 frames."""
    s, frames = ws_raw_connect(server)
    s.sendall(fragments(65537))
    assert frames.read() == (True, 0x1, b"f" * 65537)
    s.close()


# --- Host and HTTP/0.9 -------------------------------------------------------------------------

INVALID_HOSTS = [b"a, b", b"a b", b"a/b", b"a@b", b"x:80:90", b"x:8a", b"[::1", b"[::1]x",
                 b"[zz::1]", b"%zz", b"a%4", b"[v1]", b"\xc3\xa9.example"]
VALID_HOSTS = [b"", b"example.com", b"example.com:8080", b"127.0.0.1:80", b"[::1]", b"[::1]:80",
               b"[v1.fe]", b"a,b", b"%41.example", b"x:", b"xn--bcher-kva.example  "]


@pytest.mark.parametrize("value", INVALID_HOSTS)
def test_invalid_host_is_400(server, value):
    for version in (b"1.1", b"1.0"):  # RFC 9112 3.2 applies to any request with a Host
        s = server.connect()
        s.sendall(b"GET / HTTP/" + version + b"\r\nHost: " + value + b"\r\n\r\n")
        expect_refusal(s, 400, b"the Host header is not a valid host[:port]\n")
        s.close()


@pytest.mark.parametrize("value", VALID_HOSTS)
def test_valid_host_is_served(server, value):
    s = server.connect()
    s.sendall(b"GET / HTTP/1.1\r\nHost: " + value + b"\r\n\r\n")
    assert ResponseReader(s).read().body == b"hello world"
    s.close()


def test_host_count(server):
    for request in (b"GET / HTTP/1.1\r\n\r\n", b"GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n",
                    b"GET / HTTP/1.0\r\nHost: a\r\nhost: b\r\n\r\n"):
        s = server.connect()
        s.sendall(request)
        expect_refusal(s, 400, b"a request needs exactly one Host header\n")
        s.close()
    s = server.connect()  # HTTP/1.0 needs none
    s.sendall(b"GET / HTTP/1.0\r\n\r\n")
    assert ResponseReader(s).read().body == b"hello world"
    s.close()


@pytest.mark.parametrize("target,answer", [(b"/", b"hello world"), (b"/?q", b"hello world"),
                                           (b"/nowhere", b"Not Found\n"),
                                           (b"/ws", b"a WebSocket handshake needs HTTP/1.1\n")])
def test_http09_is_answered_with_the_body_alone(server, target, answer):
    s = server.connect()
    s.sendall(b"GET " + target + b"\r\n")
    assert recv_until_eof(s) == answer
    s.close()


# --- descriptors -------------------------------------------------------------------------------


def cpu_seconds(pid):
    """User + system CPU time of process `pid`, in seconds (from /proc)."""
    import os

    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_start_up_line_and_raised_descriptor_limit(start_server):
    """The soft descriptor limit is raised to the hard one, the cap derived from it (512 less
    64 + 512/16), and every limit printed on the second line."""
    srv = start_server(nofile=(100, 512))
    assert srv.read_line() == (
        "limits: --max-connections 416 (descriptor limit 512) --head-timeout 60 "
        "--request-timeout 300 --idle-timeout 5 --message-timeout 300 --heartbeat 30 "
        "--max-header 16384 --max-body 1048576 --max-message 1048576 --max-fragments 131072 "
        "--max-buffered 268435456")
    with open(f"/proc/{srv.proc.pid}/limits") as f:
        line = next(ln for ln in f if ln.startswith("Max open files"))
    assert line.split()[3:5] == ["512", "512"]


def test_descriptor_exhaustion_does_not_spin(start_server):
    """With 64 descriptors and a cap above them, accept fails with EMFILE: the server logs it
    once, pauses accepting instead of retrying in a loop, and serves again once
    descriptors free up."""
    srv = start_server("--max-connections", "1000", "--idle-timeout", "30", nofile=(64, 64))
    held = [srv.connect() for _ in range(80)]
    deadline = time.monotonic() + 10
    while "Too many open files" not in srv.stderr():
        assert time.monotonic() < deadline, srv.stderr()
        time.sleep(0.05)
    cpu = cpu_seconds(srv.proc.pid)
    time.sleep(1.5)  # a spinning accept loop would burn about this much CPU time
    assert cpu_seconds(srv.proc.pid) - cpu < 0.5
    log = [ln for ln in srv.stderr().splitlines() if "accept:" in ln]
    assert len(log) == 1 and "(1 time(s) since the last report)" in log[0], log
    for s in held:
        s.close()
    assert hello(srv) == 200


def test_limits_turned_off(start_server):
    """0 turns a limit off; the start-up line says so, and the server serves as usual."""
    srv = start_server("--head-timeout", "0", "--request-timeout", "0", "--message-timeout", "0",
                       "--max-connections", "0", "--max-buffered", "0", "--max-fragments", "0")
    line = srv.read_line()
    for option in ("--max-connections", "--head-timeout", "--request-timeout",
                   "--message-timeout", "--max-fragments", "--max-buffered"):
        assert f"{option} 0 " in line + " ", line
    assert hello(srv) == 200
    s, frames = ws_raw_connect(srv)
    s.sendall(fragments(200))
    assert frames.read() == (True, 0x1, b"f" * 200)
    s.close()


def test_bad_limit_values_are_refused():
    import subprocess

    from conftest import SERVER_BIN

    for args in (["--head-timeout", "-1"], ["--request-timeout", "x"], ["--max-connections", "-3"],
                 ["--max-buffered", "1e6"], ["--max-fragments", "4294967296"],
                 ["--message-timeout", "90000"]):
        r = subprocess.run([SERVER_BIN, *args], capture_output=True, timeout=20)
        assert r.returncode == 2 and b"wants" in r.stderr, (args, r.stderr)
