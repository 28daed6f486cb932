"""Benchmark of the Python binding against its peers, in one run (make bench-python).

HTTP: messages per second through feed_data for wireframe with its native dispatcher, wireframe
with the pure-Python dispatch (its fallback), httptools and h11, on (a) the classic http-parser
bench request, one request per call; (b) 100 pipelined small requests per call; (c) a mix of
realistic requests with bodies, one per call; (d) responses with Content-Length and chunked
bodies, one per call. WebSocket: frames per second decoded by wireframe.ws (both dispatches),
wsproto and websockets' own frame parser, for small masked frames and for 64 KiB masked frames.
Each runner is calibrated once, then the runners' repetitions are interleaved and the best of
each is kept; ratios are printed, since only ratios measured in the same run mean anything on a
shared machine.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any, Callable, Dict

# Measure the installed package, not the source tree this script sits in (it has no library).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import h11  # noqa: E402
import httptools
import websockets
from websockets.frames import Frame as WsFrame
from websockets.streams import StreamReader
from wsproto.frame_protocol import FrameProtocol

import wireframe
from wireframe import _native, ws

BENCH_REQUEST = (
    b"GET /joyent/http-parser HTTP/1.1\r\n"
    b"Host: github.com\r\n"
    b"DNT: 1\r\n"
    b"Accept-Encoding: gzip, deflate, sdch\r\n"
    b"Accept-Language: ru-RU,ru;q=0.8,en-US;q=0.6,en;q=0.4\r\n"
    b"User-Agent: Mozilla/5.0 (Macintosh; Intel Mac OS X 10_10_1) "
    b"AppleWebKit/537.36 (KHTML, like Gecko) Chrome/39.0.2171.65 Safari/537.36\r\n"
    b"Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/webp,*/*;q=0.8\r\n"
    b"Referer: https://github.com/joyent/http-parser\r\n"
    b"Connection: keep-alive\r\n"
    b"Transfer-Encoding: chunked\r\n"
    b"Cache-Control: max-age=0\r\n\r\nb\r\nhello world\r\n0\r\n\r\n"
)
SMALL = b"GET /plaintext HTTP/1.1\r\nHost: localhost\r\nAccept: */*\r\n\r\n"
PIPELINED = SMALL * 100


def with_body(head: bytes, body: bytes) -> bytes:
    """``head`` (header lines, without the blank line) with a Content-Length and ``body``."""
    return head + b"Content-Length: %d\r\n\r\n" % len(body) + body


# (c) realistic requests with bodies, one per call.
MIX = [
    with_body(
        b"POST /api/v1/orders HTTP/1.1\r\nHost: shop.example.com\r\n"
        b"User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36\r\n"
        b"Content-Type: application/json\r\nAccept: application/json\r\n"
        b"Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc\r\n"
        b"Cookie: session=3f2a9c0b7e; theme=dark; lang=en\r\n",
        b'{"items": [{"sku": "A-1001", "qty": 2}, {"sku": "B-2002", "qty": 1}], '
        b'"address": {"street": "1 Main St", "city": "Springfield", "zip": "12345"}}',
    ),
    b"POST /upload HTTP/1.1\r\nHost: files.example.com\r\nTransfer-Encoding: chunked\r\n"
    b"Content-Type: application/octet-stream\r\nExpect: 100-continue\r\n\r\n"
    b"400\r\n" + b"x" * 1024 + b"\r\n400\r\n" + b"y" * 1024 + b"\r\n0\r\n\r\n",
    with_body(
        b"POST /login HTTP/1.1\r\nHost: example.com\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        b"Origin: https://example.com\r\nReferer: https://example.com/login\r\n",
        b"username=alice&password=s3cret&remember=1",
    ),
    b"GET /search?q=wire+frame&page=2 HTTP/1.1\r\nHost: www.example.com\r\n"
    b"Accept: text/html,application/xhtml+xml\r\nAccept-Encoding: gzip, br\r\n"
    b"Accept-Language: en-US,en;q=0.9\r\nCookie: a=1; b=2; c=3\r\nConnection: keep-alive\r\n\r\n",
    with_body(
        b"PUT /docs/42 HTTP/1.1\r\nHost: api.example.com\r\nContent-Type: text/plain\r\n"
        b'If-Match: "v7"\r\n',
        b"z" * 4096,
    ),
]

# (d) responses, one per call.
RESPONSES = [
    b"HTTP/1.1 200 OK\r\nServer: nginx\r\nDate: Thu, 01 Jan 2026 00:00:00 GMT\r\n"
    b"Content-Type: application/json\r\nContent-Length: 512\r\nCache-Control: no-cache\r\n"
    b"Connection: keep-alive\r\n\r\n" + b"j" * 512,
    b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
    b"Transfer-Encoding: chunked\r\nVary: Accept-Encoding\r\n\r\n"
    b"800\r\n" + b"h" * 2048 + b"\r\n800\r\n" + b"t" * 2048 + b"\r\n100\r\n" + b"m" * 256
    + b"\r\n0\r\n\r\n",
    b"HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 9\r\n\r\nnot found",
    b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 16384\r\n"
    b"ETag: \"abc\"\r\n\r\n" + b"p" * 16384,
]

REPEATS = 7
SECONDS = 0.2  # per measurement


class Protocol:
    """What a server keeps: url, headers, body; counts messages."""

    def __init__(self) -> None:
        self.count = 0
        self.headers: list = []

    def on_url(self, url: bytes) -> None:
        self.url = url

    def on_status(self, status: bytes) -> None:
        self.status = status

    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers.append((name, value))

    def on_headers_complete(self) -> None:
        self.headers = []

    def on_body(self, body: bytes) -> None:
        self.body = body

    def on_message_complete(self) -> None:
        self.count += 1


Run = Callable[[int], int]


def parser_runner(cls_name: str, module: Any, inputs: list, native: bool = True) -> Run:
    """Feeds each input of ``inputs`` in its own call, n times over."""
    proto = Protocol()
    parser = _native.made_with(native, lambda: getattr(module, cls_name)(proto))

    def run(n: int) -> int:
        feed = parser.feed_data
        for _ in range(n):
            for data in inputs:
                feed(data)
        return proto.count

    return run


def h11_runner(role: Any, inputs: list) -> Run:
    """h11 on each input with a fresh connection (h11 wants the other side's message between
    two of this side's; a client connection first sends its request)."""
    count = [0]

    def connection() -> Any:
        conn = h11.Connection(role, max_incomplete_event_size=1 << 20)
        if role is h11.CLIENT:
            conn.send(h11.Request(method="GET", target="/", headers=[("Host", "x")]))
            conn.send(h11.EndOfMessage())
        return conn

    def run(n: int) -> int:
        for _ in range(n):
            for data in inputs:
                conn = connection()
                conn.receive_data(data)
                while True:
                    event = conn.next_event()
                    if event is h11.NEED_DATA:
                        break
                    if event is h11.PAUSED:
                        conn.send(h11.Response(status_code=200, headers=[("Content-Length", "0")]))
                        conn.send(h11.EndOfMessage())
                        conn.start_next_cycle()
                        continue
                    if isinstance(event, h11.EndOfMessage):
                        count[0] += 1
                        if role is h11.CLIENT:
                            break
        return count[0]

    return run


def ws_stream(payload: bytes, frames: int) -> bytes:
    return ws.encode_frame(ws.OP_BINARY, payload, mask_key=b"\x01\x02\x03\x04") * frames


def wireframe_ws_runner(stream: bytes, native: bool) -> Run:
    dec = _native.made_with(native, lambda: ws.Decoder(ws.ROLE_SERVER, messages=False))

    def run(n: int) -> int:
        total = 0
        feed = dec.feed
        for _ in range(n):
            total += len(feed(stream))
        return total

    return run


def wsproto_runner(stream: bytes) -> Run:
    proto = FrameProtocol(client=False, extensions=[])

    def run(n: int) -> int:
        total = 0
        for _ in range(n):
            proto.receive_bytes(stream)
            for _frame in proto.received_frames():
                total += 1
        return total

    return run


def websockets_runner(stream: bytes, frames: int) -> Run:
    def run(n: int) -> int:
        total = 0
        for _ in range(n):
            reader = StreamReader()
            reader.feed_data(stream)
            for _ in range(frames):
                parser = WsFrame.parse(reader.read_exact, mask=True, max_size=None, extensions=[])
                try:
                    next(parser)
                except StopIteration:
                    total += 1
        return total

    return run


def calibrate(run: Run) -> int:
    """The n for which run(n) takes about SECONDS."""
    n = 1
    while True:
        start = time.perf_counter()
        run(n)
        elapsed = time.perf_counter() - start
        if elapsed >= SECONDS / 4:
            return max(1, int(n * SECONDS / elapsed))
        n *= 2


def compare(title: str, unit: str, runners: Dict[str, Run], per_run: int) -> Dict[str, float]:
    """Items per second of each runner, best of REPEATS interleaved repetitions."""
    sizes = {name: calibrate(run) for name, run in runners.items()}
    best = {name: 0.0 for name in runners}
    for _ in range(REPEATS):
        for name, run in runners.items():
            n = sizes[name]
            start = time.perf_counter()
            assert run(n) > 0
            best[name] = max(best[name], n * per_run / (time.perf_counter() - start))
    print(f"\n{title}")
    for name, rate in best.items():
        print(f"  {name:<18} {rate:>14,.0f} {unit}/s")
    return best


def http_corpus(title: str, cls_name: str, inputs: list, per_run: int) -> Dict[str, float]:
    role = h11.SERVER if cls_name == "HttpRequestParser" else h11.CLIENT
    runners = {
        "wireframe": parser_runner(cls_name, wireframe, inputs),
        "wireframe (python)": parser_runner(cls_name, wireframe, inputs, native=False),
        "httptools": parser_runner(cls_name, httptools, inputs),
        "h11": h11_runner(role, inputs),
    }
    return compare(title, "msg", runners, per_run)


def ws_corpus(title: str, payload: bytes, frames: int) -> Dict[str, float]:
    stream = ws_stream(payload, frames)
    runners = {
        "wireframe": wireframe_ws_runner(stream, True),
        "wireframe (python)": wireframe_ws_runner(stream, False),
        "wsproto": wsproto_runner(stream),
        "websockets": websockets_runner(stream, frames),
    }
    return compare(title, "frames", runners, frames)


def main() -> int:
    print(
        f"Python {sys.version.split()[0]}, httptools {httptools.__version__}, "
        f"h11 {h11.__version__}, websockets {websockets.__version__}; "
        f"native dispatcher: {'yes' if _native.ENABLED else 'no (' + _native.REASON + ')'}"
    )
    results = {
        "(a) bench request, 1 per call": http_corpus(
            "(a) HTTP: the http-parser bench request, one feed_data per request",
            "HttpRequestParser", [BENCH_REQUEST], 1,
        ),
        "(b) 100 pipelined per call": http_corpus(
            "(b) HTTP: 100 pipelined small requests per feed_data",
            "HttpRequestParser", [PIPELINED], 100,
        ),
        "(c) requests with bodies": http_corpus(
            f"(c) HTTP: a mix of {len(MIX)} requests with bodies, one per feed_data",
            "HttpRequestParser", MIX, len(MIX),
        ),
        "(d) responses": http_corpus(
            f"(d) HTTP: {len(RESPONSES)} responses (Content-Length and chunked), one per feed_data",
            "HttpResponseParser", RESPONSES, len(RESPONSES),
        ),
    }
    ws_results = {
        "100 masked 32 B frames": ws_corpus(
            "WebSocket: 100 masked 32-byte frames per feed", b"a websocket binary frame of 32 b", 100
        ),
        "4 masked 64 KiB frames": ws_corpus(
            "WebSocket: 4 masked 64 KiB frames per feed", bytes(range(256)) * 256, 4
        ),
    }
    print("\nRatios (wireframe / peer; above 1 means wireframe is faster):")
    print(f"  {'corpus':<32} {'native/httptools':>17} {'python/httptools':>17} {'native/h11':>11}")
    for name, r in results.items():
        print(
            f"  {name:<32} {r['wireframe'] / r['httptools']:>17.2f} "
            f"{r['wireframe (python)'] / r['httptools']:>17.2f} {r['wireframe'] / r['h11']:>11.1f}"
        )
    print(f"  {'corpus':<32} {'native/websockets':>17} {'python/websockets':>17} {'native/wsproto':>15}")
    for name, r in ws_results.items():
        print(
            f"  {name:<32} {r['wireframe'] / r['websockets']:>17.2f} "
            f"{r['wireframe (python)'] / r['websockets']:>17.2f} {r['wireframe'] / r['wsproto']:>15.1f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
