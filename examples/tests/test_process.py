"""The process: --workers (SO_REUSEPORT, restart of a dead worker), graceful shutdown on
SIGTERM and SIGINT, and the sanitizer build the tests rely on for leak checks."""

import http.client
import os
import signal
import time

from helpers import ResponseReader, curl, recv_until_eof
from conftest import SERVER_BIN


def children(pid):
    """The pids of the live (not zombie) child processes of `pid`, from /proc."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            out.append(int(entry))
    return sorted(out)


def wait_for(predicate, timeout=20):
    """Polls `predicate` until it is true; asserts it became true within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("condition not reached")


def get_hello(srv):
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    conn.request("GET", "/")
    r = conn.getresponse()
    body = r.read()
    conn.close()
    return r.status, body


def test_sanitizers_are_built_in():
    """The leak checks of every test mean something only if the binary has ASan in it."""
    with open(SERVER_BIN, "rb") as f:
        data = f.read()
    assert b"__asan_init" in data and b"__ubsan_handle" in data


def test_workers_answer_and_a_dead_worker_is_restarted(start_server):
    srv = start_server("--workers", "2")
    workers = wait_for(lambda: (lambda c: c if len(c) == 2 else None)(children(srv.proc.pid)))
    for _ in range(20):
        assert get_hello(srv) == (200, b"hello world")
    # Each worker has its own SO_REUSEPORT listener: keep-alive connections land on both.
    os.kill(workers[0], signal.SIGKILL)
    restarted = wait_for(
        lambda: (lambda c: c if len(c) == 2 and workers[0] not in c else None)(children(srv.proc.pid))
    )
    assert workers[1] in restarted
    wait_for(lambda: "killed by signal 9; restarting it" in srv.stderr())
    for _ in range(20):
        assert get_hello(srv) == (200, b"hello world")
    r = curl("--data-binary", "via workers", srv.url("/echo"))
    assert r.stdout == b"via workers"
    srv.stop()  # SIGTERM to the master: every worker exits cleanly, status 0
    assert children(srv.proc.pid) == []


def test_workers_stop_on_sigint(start_server):
    srv = start_server("--workers", "3")
    assert get_hello(srv) == (200, b"hello world")
    srv.stop(signal.SIGINT)


def test_sigterm_with_idle_keep_alive_connection(start_server):
    srv = start_server("--idle-timeout", "60")
    s = srv.connect()
    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    reader = ResponseReader(s)
    assert reader.read().header("connection") == "keep-alive"
    srv.send_signal(signal.SIGTERM)
    reader.expect_eof()  # the idle connection is closed at once
    assert srv.wait() == 0
    srv.stop()


def test_request_in_flight_finishes_during_shutdown(start_server):
    srv = start_server("--idle-timeout", "60")
    s = srv.connect()
    s.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhalf-")
    time.sleep(0.2)  # let the server read the first half before the signal
    srv.send_signal(signal.SIGTERM)
    time.sleep(0.2)
    s.sendall(b"done!")
    reader = ResponseReader(s)
    r = reader.read("POST")
    assert (r.status, r.body, r.header("connection")) == (200, b"half-done!", "close")
    reader.expect_eof()
    assert srv.wait() == 0
    srv.stop()


def test_shutdown_timeout_bounds_a_stuck_client(start_server):
    srv = start_server("--idle-timeout", "60", "--shutdown-timeout", "0.5")
    s = srv.connect()
    s.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nnever-")
    time.sleep(0.2)
    srv.send_signal(signal.SIGTERM)
    assert recv_until_eof(s) == b""  # dropped when the shutdown timeout ran out
    assert srv.wait() == 0
    srv.stop()
    assert "shutdown timeout: closing 1 connection(s)" in srv.stderr()


def test_bad_options_are_refused():
    import subprocess

    for args in (["--port", "70000"], ["--workers", "-1"], ["--heartbeat", "0"], ["extra"]):
        r = subprocess.run([SERVER_BIN, *args], capture_output=True, timeout=20)
        assert r.returncode == 2, args
    r = subprocess.run([SERVER_BIN, "--help"], capture_output=True, timeout=20)
    assert r.returncode == 0 and b"--max-body" in r.stdout
