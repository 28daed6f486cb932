"""Fixtures for the example server's tests.

Every test starts its own server (the sanitizer build, `SERVER_BIN`) on 127.0.0.1 with
`--port 0`, reads the port from the first line it prints, and stops it with SIGTERM at the
end: the server must then exit with status 0 and print no AddressSanitizer, LeakSanitizer or
UBSan report. Every wait has a timeout, and faulthandler ends a test that hangs.
"""

import faulthandler
import os
import re
import resource
import select
import signal
import socket
import subprocess
import tempfile
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SERVER_BIN = os.environ.get("SERVER_BIN", os.path.join(ROOT, "build", "examples", "server-asan"))

# A test taking longer than this is stopped with a traceback (no test should come close).
TEST_TIMEOUT = 60
STARTUP_TIMEOUT = 20
STOP_TIMEOUT = 20
SANITIZER_MARKERS = ("Sanitizer", "runtime error:", "LeakSanitizer")


class Server:
    """A running server process: `port`, `proc` (the Popen), `stderr_path`, `stop()`."""

    def __init__(self, args, nofile=None):
        """Starts the server with `args` added to `--port 0` and waits for its first line.
        `nofile`, a (soft, hard) pair, is the descriptor limit the server starts with."""
        self.stderr_file = tempfile.NamedTemporaryFile(prefix="server-", suffix=".err", delete=False)
        self.stderr_path = self.stderr_file.name
        env = dict(os.environ)
        env["ASAN_OPTIONS"] = "detect_leaks=1:abort_on_error=0"
        env["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1"
        self.proc = subprocess.Popen(
            [SERVER_BIN, "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=self.stderr_file,
            start_new_session=True,
            env=env,
            preexec_fn=(lambda: resource.setrlimit(resource.RLIMIT_NOFILE, nofile)) if nofile else None,
        )
        self.first_line = self.read_line()
        m = re.fullmatch(r"listening on (\S+):(\d+)", self.first_line)
        assert m, f"unexpected first line {self.first_line!r}"
        self.host = m.group(1).strip("[]")
        self.port = int(m.group(2))
        assert self.port > 0
        self.stopped = False

    def read_line(self):
        """The next line the server prints on stdout (waits for it, bounded in time)."""
        deadline = time.monotonic() + STARTUP_TIMEOUT
        line = b""
        fd = self.proc.stdout.fileno()
        while not line.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0:
                self.kill()
                raise AssertionError("the server printed no first line in time: " + self.stderr())
            ready, _, _ = select.select([fd], [], [], left)
            if ready:
                chunk = os.read(fd, 1)
                if not chunk:
                    self.kill()
                    raise AssertionError("the server exited before listening: " + self.stderr())
                line += chunk
        return line.decode().rstrip("\n")

    def url(self, path="/"):
        """The http:// URL of `path` on this server."""
        return f"http://127.0.0.1:{self.port}{path}"

    def connect(self, timeout=10):
        """A new TCP connection to the server (blocking, with `timeout`)."""
        s = socket.create_connection(("127.0.0.1", self.port), timeout=timeout)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return s

    def stderr(self):
        """What the server wrote to stderr so far."""
        with open(self.stderr_path, "r", errors="replace") as f:
            return f.read()

    def send_signal(self, sig):
        """Sends `sig` to the server process."""
        self.proc.send_signal(sig)

    def wait(self, timeout=STOP_TIMEOUT):
        """Waits for the server to exit; returns its exit status."""
        return self.proc.wait(timeout=timeout)

    def stop(self, sig=signal.SIGTERM):
        """Stops the server with `sig` and checks a clean exit: status 0, no sanitizer report."""
        if self.stopped:
            return
        self.stopped = True
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError("the server did not stop after SIGTERM: " + self.stderr())
        err = self.stderr()
        for marker in SANITIZER_MARKERS:
            assert marker not in err, f"sanitizer report ({marker}):\n{err}"
        assert rc == 0, f"exit status {rc}:\n{err}"

    def kill(self):
        """Kills the server's process group (the master and its workers) without checks."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            pass

    def cleanup(self):
        """Kills whatever is left, closes files, removes the stderr file."""
        if self.proc.poll() is None:
            self.kill()
        else:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)  # workers left behind, if any
            except (ProcessLookupError, PermissionError):
                pass
        self.proc.stdout.close()
        self.stderr_file.close()
        os.unlink(self.stderr_path)


@pytest.fixture(autouse=True)
def _hang_guard():
    """Ends the whole run with tracebacks if one test hangs (no pytest-timeout needed)."""
    faulthandler.dump_traceback_later(TEST_TIMEOUT, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


@pytest.fixture
def start_server():
    """Factory: `start_server(*args)` starts a server with extra options. Every server is
    stopped with SIGTERM after the test and must exit cleanly (see Server.stop)."""
    servers = []

    def start(*args, nofile=None):
        srv = Server([str(a) for a in args], nofile=nofile)
        servers.append(srv)
        return srv

    yield start
    try:
        for srv in servers:
            srv.stop()
    finally:
        for srv in servers:
            srv.cleanup()


@pytest.fixture
def server(start_server):
    """A server with the default options."""
    return start_server()

