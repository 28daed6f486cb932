"""The native dispatcher against httptools and against the pure-Python dispatch: callbacks
that raise at every point of a corpus split at every byte, parse errors at every split, the
interpreters the stable-ABI build must serve, type hints, and no leaks over 200k feeds.

Every test here runs with both dispatches (make test runs the suite twice); those that measure
the native dispatcher itself are skipped under WIREFRAME_PURE_PYTHON."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import tracemalloc
from pathlib import Path

import httptools
import pytest

import wireframe
from conftest import CALLBACKS, Recorder, merged
from test_http import REQUESTS, RESPONSES
from wireframe import _native, ws

NATIVE_ONLY = pytest.mark.skipif(not _native.ENABLED, reason="the native dispatcher is not in use")


class Boom(Exception):
    pass


class RaiseAt(Recorder):
    """Records callbacks; the callback `name` raises Boom on its `nth` call (0-based)."""

    def __init__(self, name: str, nth: int) -> None:
        super().__init__()
        self.target = name
        self.nth = nth
        self.seen = 0

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        record = super().__getattr__(name)
        if name != self.target:
            return record

        def call(*args: object) -> None:
            record(*args)
            if self.seen == self.nth:
                self.seen += 1
                raise Boom(name)
            self.seen += 1

        return call


def run(module, cls: str, chunks, proto):  # type: ignore[no-untyped-def]
    parser = getattr(module, cls)(proto)
    for chunk in chunks:
        try:
            parser.feed_data(chunk)
        except Exception as exc:  # noqa: BLE001 - compared below
            return exc
    return None


CORPUS = [("HttpRequestParser", k, v) for k, v in sorted(REQUESTS.items())] + [
    ("HttpResponseParser", k, v) for k, v in sorted(RESPONSES.items())
]


@pytest.mark.parametrize("cls,name,data", CORPUS, ids=[c[1] for c in CORPUS])
def test_raising_callbacks_match_httptools_at_every_split(cls: str, name: str, data: bytes) -> None:
    """For every callback and every call of it in the message, a protocol whose callback
    raises there gets the same callbacks before the raise and an HttpParserCallbackError
    chained to the raise, from wireframe and httptools alike, whole and at every split."""
    whole = Recorder()
    assert run(httptools, cls, [data], whole) is None
    # (An empty piece httptools gives, e.g. an empty reason phrase, wireframe does not.)
    calls = [e for e in whole.events if not (len(e) == 2 and e[1] == b"")]
    counts = {n: sum(e[0] == n for e in calls) for n in CALLBACKS}
    cases = [(n, k) for n, c in counts.items() for k in range(c)]
    assert cases
    for target, nth in cases:
        # Body and url pieces depend on the split: raise on the first piece only there.
        if target in ("on_body", "on_url", "on_status") and nth > 0:
            continue
        for cut in [None, *range(len(data) + 1)]:
            chunks = [data] if cut is None else [data[:cut], data[cut:]]
            ours, theirs = RaiseAt(target, nth), RaiseAt(target, nth)
            our_exc = run(wireframe, cls, chunks, ours)
            their_exc = run(httptools, cls, chunks, theirs)
            where = (target, nth, cut)
            assert type(our_exc) is wireframe.HttpParserCallbackError, where
            assert type(their_exc) is httptools.HttpParserCallbackError, where
            assert isinstance(our_exc.__cause__, Boom) and our_exc.__cause__ is our_exc.__context__
            assert str(our_exc) == f"`{target}` callback error"
            assert merged(ours.events) == merged(theirs.events), where


BAD = [
    ("HttpRequestParser", b"GET /a\x7fb HTTP/1.1\r\n\r\n"),
    ("HttpRequestParser", b"GET / HTTP/1.1\r\nHost: a\r\nX\x01: y\r\n\r\n"),
    ("HttpRequestParser", b"POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcGARBAGE / HTTP/1.1\r\n\r\n"),
    ("HttpRequestParser", b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\nZ\r\n"),
    ("HttpResponseParser", b"HTTP/1.1 20x OK\r\n\r\n"),
    ("HttpResponseParser", b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTQ/1.1 200 OK\r\n\r\n"),
]


@pytest.mark.parametrize("cls,data", BAD)
def test_parse_errors_match_the_other_dispatch_and_httptools(cls: str, data: bytes) -> None:
    """Invalid input: the same exception class as httptools, and the same callbacks before it
    (header lines aside, which httptools delivers one step later), at every split."""
    for cut in [None, *range(len(data) + 1)]:
        chunks = [data] if cut is None else [data[:cut], data[cut:]]
        ours, theirs = Recorder(), Recorder()
        our_exc = run(wireframe, cls, chunks, ours)
        their_exc = run(httptools, cls, chunks, theirs)
        assert type(our_exc).__name__ == type(their_exc).__name__, (cut, our_exc, their_exc)
        keep = lambda evs: [e for e in merged(evs) if e[0] != "on_header"]  # noqa: E731
        assert keep(ours.events) == keep(theirs.events), cut


def test_repeated_and_look_alike_header_lines() -> None:
    """Header names and values that repeat, or that differ only inside (same length, same
    first, middle and last byte), arrive as they are on the wire, message after message."""
    lines = [b"Xa1z: vaaav", b"Xb1z: vabav", b"Xa1z: vaaav", b"Xa2z: vacav", b"x" * 60 + b": " + b"y" * 60]
    rec = Recorder()
    parser = wireframe.HttpRequestParser(rec)
    want = []
    for i in range(20):
        chosen = [lines[(i + k) % len(lines)] for k in range(4)]
        parser.feed_data(b"GET / HTTP/1.1\r\n" + b"\r\n".join(chosen) + b"\r\n\r\n")
        want += [tuple(line.split(b": ")) for line in chosen]
    assert [e[1:] for e in rec.events if e[0] == "on_header"] == want


def test_odd_callbacks_are_called_and_their_results_ignored() -> None:
    """Callbacks that are not methods (builtins, lambdas, callable objects, staticmethods)
    are called; what any callback returns is ignored, as httptools ignores it."""
    seen: list = []

    class Callable:
        def __call__(self, *args: object) -> object:
            seen.append(("call", *args))
            return 12345

    class Proto:
        on_message_begin = staticmethod(lambda: seen.append("begin") or "ignored")
        on_url = Callable()

        def __init__(self) -> None:
            self.on_header = lambda n, v: seen.append((n, v)) or object()
            # A builtin method: called without an argument, it raises TypeError.
            self.on_message_complete = seen.append

        def on_headers_complete(self) -> int:
            return -1

    p = wireframe.HttpRequestParser(Proto())
    with pytest.raises(wireframe.HttpParserCallbackError) as info:
        p.feed_data(REQUESTS["get"])
    assert isinstance(info.value.__cause__, TypeError)
    assert seen[:3] == ["begin", ("call", b"/index.html?x=1#f"), (b"Host", b"example.com")]


def test_feed_data_called_through_the_class() -> None:
    """HttpRequestParser.feed_data(parser, data) is the same as parser.feed_data(data)."""
    rec = Recorder()
    parser = wireframe.HttpRequestParser(rec)
    wireframe.HttpRequestParser.feed_data(parser, REQUESTS["post"][:20])
    parser.feed_data(REQUESTS["post"][20:])
    wireframe.HttpRequestParser.feed_data(parser, REQUESTS["get"])
    assert [e[0] for e in rec.events].count("on_message_complete") == 2
    assert ("on_header", b"Content-Length", b"5") in rec.events
    decoder = ws.Decoder(ws.ROLE_CLIENT)
    assert ws.Decoder.feed(decoder, b"\x81\x02h") == []
    assert decoder.feed(b"i") == [ws.Message(ws.OP_TEXT, b"hi")]


def test_feed_data_from_own_callback_is_refused() -> None:
    """A callback feeding its own parser is refused with RuntimeError, which the outer call
    wraps as a callback error."""
    holder: dict = {}

    class Proto:
        def on_url(self, url: bytes) -> None:
            holder["parser"].feed_data(b"GET /nested HTTP/1.1\r\n\r\n")

    holder["parser"] = wireframe.HttpRequestParser(Proto())
    with pytest.raises(wireframe.HttpParserCallbackError) as info:
        holder["parser"].feed_data(REQUESTS["get"])
    assert isinstance(info.value.__cause__, RuntimeError)
    assert "callback of the same parser" in str(info.value.__cause__)


def test_max_headers_and_max_header_size() -> None:
    head = b"GET / HTTP/1.1\r\n" + b"".join(b"X-%d: v\r\n" % i for i in range(5)) + b"\r\n"
    for limit, ok in ((5, True), (4, False), (0, True)):
        for cut in [None, *range(len(head) + 1)]:
            chunks = [head] if cut is None else [head[:cut], head[cut:]]
            rec = Recorder()
            parser = wireframe.HttpRequestParser(rec, max_headers=limit)
            exc = None
            for chunk in chunks:
                try:
                    parser.feed_data(chunk)
                except wireframe.HttpParserError as e:
                    exc = e
                    break
            headers = [e for e in rec.events if e[0] == "on_header"]
            if ok:
                assert exc is None and len(headers) == 5, (limit, cut)
            else:
                assert type(exc) is wireframe.HttpParserError and "too many header lines" in str(exc)
                assert len(headers) == 4 and ("on_headers_complete",) not in rec.events
                with pytest.raises(wireframe.HttpParserError, match="too many header lines"):
                    parser.feed_data(b"GET / HTTP/1.1\r\n\r\n")
    # The count starts again with each message (and with the trailers).
    parser = wireframe.HttpRequestParser(Recorder(), max_headers=1)
    parser.feed_data(b"GET / HTTP/1.1\r\nA: 1\r\n\r\n" * 3)
    parser.feed_data(b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nT: 1\r\n\r\n")
    # The size limit: constructor and setter.
    big = b"GET / HTTP/1.1\r\nX: " + b"a" * 2000 + b"\r\n\r\n"
    with pytest.raises(wireframe.HttpParserError):
        wireframe.HttpRequestParser(Recorder(), max_header_size=1000).feed_data(big)
    parser = wireframe.HttpRequestParser(Recorder(), max_header_size=1000)
    parser.set_max_header_size(4000)
    parser.feed_data(big)
    parser = wireframe.HttpRequestParser(Recorder())
    parser.set_max_headers(1)
    with pytest.raises(wireframe.HttpParserError):
        parser.feed_data(b"GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\n\r\n")
    for bad, error in ((-1, ValueError), (2**32, ValueError), ("10", TypeError), (1.0, TypeError),
                       (True, TypeError), (None, TypeError)):
        with pytest.raises(error):
            wireframe.HttpRequestParser(Recorder(), max_headers=bad)
        with pytest.raises(error):
            wireframe.HttpResponseParser(Recorder(), max_header_size=bad)
    with pytest.raises(ValueError):
        wireframe.HttpRequestParser(Recorder(), max_header_size=0)


@NATIVE_ONLY
def test_no_leak_over_200k_feeds() -> None:
    """200k feeds through the dispatcher (messages, pieces carried between calls, callbacks
    that raise, parse errors, upgrades, WebSocket frames and errors) leave neither traced
    memory nor live objects behind."""

    class Raising:
        def on_header(self, name: bytes, value: bytes) -> None:
            raise Boom(name)

    class Keep:
        def on_url(self, url: bytes) -> None:
            self.url = url

        def on_header(self, name: bytes, value: bytes) -> None:
            self.header = (name, value)

        def on_body(self, body: bytes) -> None:
            self.body = body

    keep = Keep()
    ok = wireframe.HttpRequestParser(keep)
    upgrading = wireframe.HttpRequestParser(keep)  # goes on with HTTP after each upgrade
    post = REQUESTS["post"]
    upgrade = b"GET /chat HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n"
    frames = ws.encode_frame(ws.OP_TEXT, b"hello", mask_key=b"abcd") * 4
    big = ws.encode_frame(ws.OP_BINARY, b"b" * 4096, mask_key=b"abcd")
    big_bad = ws.encode_frame(ws.OP_TEXT, b"t" * 4000 + b"\xff", mask_key=b"abcd")
    decoder = ws.Decoder(ws.ROLE_SERVER)

    def round_(i: int) -> int:
        """Five feeds; every fourth round five more, on new parsers that fail and with large
        WebSocket frames."""
        ok.feed_data(post[:30])  # a header name carried over
        ok.feed_data(bytearray(post[30:]))
        try:
            upgrading.feed_data(upgrade)
        except wireframe.HttpParserUpgrade:
            pass
        decoder.feed(frames[:7])
        decoder.feed(frames[7:])
        if i % 4:
            return 5
        try:
            wireframe.HttpRequestParser(Raising()).feed_data(post)
        except wireframe.HttpParserCallbackError:
            pass
        try:
            wireframe.HttpRequestParser(keep).feed_data(b"GET /a\x01 HTTP/1.1\r\n\r\n")
        except wireframe.HttpParserInvalidURLError:
            pass
        try:
            ws.Decoder(ws.ROLE_SERVER).feed(b"\x81\x05hello")  # unmasked: an error
        except ws.WebSocketError:
            pass
        decoder.feed(big)
        try:
            ws.Decoder(ws.ROLE_SERVER).feed(big_bad)  # invalid UTF-8 in a large frame
        except ws.WebSocketError:
            pass
        return 10

    for i in range(2000):  # warm up: caches, free lists, interned objects
        round_(i)
    gc.collect()
    tracemalloc.start()
    try:
        before_mem = tracemalloc.get_traced_memory()[0]
        before_blocks = sys.getallocatedblocks()
        feeds = i = 0
        while feeds < 200_000:
            feeds += round_(i)
            i += 1
        gc.collect()
        grown_mem = tracemalloc.get_traced_memory()[0] - before_mem
        grown_blocks = sys.getallocatedblocks() - before_blocks
    finally:
        tracemalloc.stop()
    assert grown_mem < 16 * 1024, grown_mem
    assert grown_blocks < 64, grown_blocks


PUBLIC = [
    (wireframe, n) for n in wireframe.__all__ if n not in ("__version__", "parser")
] + [(ws, n) for n in ws.__all__]


def test_type_hints_resolve_on_every_public_callable() -> None:
    """typing.get_type_hints on every public function, class and method (see also the
    older interpreters below, where `X | Y` would not evaluate)."""
    import typing

    checked = 0
    for module, name in PUBLIC:
        obj = getattr(module, name)
        if callable(obj):
            typing.get_type_hints(obj)
            checked += 1
        if isinstance(obj, type):
            for attr, member in vars(obj).items():
                if callable(member) and not attr.startswith("_") or attr == "__init__":
                    typing.get_type_hints(member)
                    checked += 1
    assert checked > 40


def interpreters() -> list:
    """Other CPythons on this machine (pyenv's), 3.9 and later."""
    found = []
    root = Path.home() / ".pyenv" / "versions"
    for d in sorted(root.glob("3.*")) if root.is_dir() else []:
        exe = d / "bin" / "python3"
        parts = d.name.split(".")
        if exe.is_file() and len(parts) >= 2 and parts[1].isdigit() and int(parts[1]) >= 9:
            if "t" not in d.name:  # free-threaded builds fall back by design
                found.append(exe)
    return found


CHECK = r"""
import json, sys, typing
sys.path.insert(0, sys.argv[1])
import wireframe
from wireframe import _native, ws
events = []
class P:
    def on_url(self, u): events.append(u)
    def on_header(self, n, v): events.append((n, v))
    def on_message_complete(self): events.append("done")
p = wireframe.HttpRequestParser(P())
p.feed_data(b"GET /x HTTP/1.1\r\nHost: a\r\n\r\n")
try:
    wireframe.HttpRequestParser(type("R", (), {"on_url": lambda s, u: 1 / 0})()).feed_data(b"GET / HTTP/1.1\r\n\r\n")
except wireframe.HttpParserCallbackError as e:
    assert isinstance(e.__cause__, ZeroDivisionError)
msgs = ws.Decoder(ws.ROLE_SERVER).feed(ws.encode_frame(ws.OP_TEXT, b"hi", mask_key=b"abcd"))
for mod in (wireframe, ws):
    for name in mod.__all__:
        obj = getattr(mod, name)
        if callable(obj):
            typing.get_type_hints(obj)
print(json.dumps({"native": _native.ENABLED, "reason": _native.REASON,
                  "events": repr(events), "msgs": repr(msgs)}))
"""


@pytest.mark.parametrize("exe", interpreters(), ids=lambda p: p.parent.parent.name)
def test_same_build_on_every_cpython(exe: Path) -> None:
    """The installed package (one build of the dispatcher) imports, dispatches natively and
    resolves its type hints on each CPython 3.9+ of the machine."""
    site = str(Path(wireframe.__file__).resolve().parent.parent)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run(
        [str(exe), "-I", "-c", CHECK, site], capture_output=True, text=True, timeout=60, env=env
    )
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["native"] is _native.ENABLED, result["reason"]
    assert result["events"] == repr([b"/x", (b"Host", b"a"), "done"])
    assert result["msgs"] == "[Message(opcode=1, data=b'hi', close_code=0, compressed=False)]"
