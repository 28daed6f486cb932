"""Benchmark of the Python binding against its peers, in one run (make bench-python).

HTTP: requests per second through feed_data for wireframe, httptools and h11, on the classic
http-parser bench request (one request per call) and on 100 pipelined small requests (one
call per 100 requests). WebSocket: frames per second decoded by wireframe.ws, wsproto and
websockets' own frame parser, for a stream of small masked text frames. Repetitions of the
peers are interleaved and the best of each is kept; ratios are printed, since only ratios
measured in the same run mean anything on a shared machine.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

# Measure the installed package, not the source tree this script sits in (it has no library).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import h11  # noqa: E402
import httptools
from websockets.frames import Frame as WsFrame
from websockets.streams import StreamReader
from wsproto.frame_protocol import FrameProtocol

import wireframe
from wireframe import ws

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

REPEATS = 5
SECONDS = 0.3  # per measurement


class Protocol:
    """What a server keeps: url, headers, body; counts messages."""

    def __init__(self) -> None:
        self.count = 0
        self.headers: list = []

    def on_url(self, url: bytes) -> None:
        self.url = url

    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers.append((name, value))

    def on_headers_complete(self) -> None:
        self.headers = []

    def on_body(self, body: bytes) -> None:
        self.body = body

    def on_message_complete(self) -> None:
        self.count += 1


def http_parser_runner(module, data: bytes):  # type: ignore[no-untyped-def]
    proto = Protocol()
    parser = module.HttpRequestParser(proto)

    def run(n: int) -> int:
        feed = parser.feed_data
        for _ in range(n):
            feed(data)
        return proto.count

    return run


def h11_runner(data: bytes):  # type: ignore[no-untyped-def]
    conn = h11.Connection(h11.SERVER, max_incomplete_event_size=1 << 20)
    count = [0]

    def run(n: int) -> int:
        nonlocal conn  # noqa: F824
        for _ in range(n):
            conn.receive_data(data)
            while True:
                event = conn.next_event()
                if event is h11.NEED_DATA:
                    break
                if isinstance(event, h11.EndOfMessage):
                    count[0] += 1
                    # h11 wants a response before the next request: reset instead.
                    conn = h11.Connection(h11.SERVER, max_incomplete_event_size=1 << 20)
                    break
        return count[0]

    return run


def h11_pipelined_runner(data: bytes):  # type: ignore[no-untyped-def]
    count = [0]

    def run(n: int) -> int:
        for _ in range(n):
            conn = h11.Connection(h11.SERVER)
            conn.receive_data(data)
            while True:
                event = conn.next_event()
                if event is h11.NEED_DATA or event is h11.PAUSED:
                    if event is h11.PAUSED:
                        conn.send(h11.Response(status_code=200, headers=[("Content-Length", "0")]))
                        conn.send(h11.EndOfMessage())
                        conn.start_next_cycle()
                        continue
                    break
                if isinstance(event, h11.EndOfMessage):
                    count[0] += 1
        return count[0]

    return run


FRAME_PAYLOAD = b"a websocket text message of 32 b"
FRAMES = 100
WS_STREAM = ws.encode_frame(ws.OP_TEXT, FRAME_PAYLOAD, mask_key=b"\x01\x02\x03\x04") * FRAMES


def wireframe_ws_runner():  # type: ignore[no-untyped-def]
    dec = ws.Decoder(ws.ROLE_SERVER, messages=False)

    def run(n: int) -> int:
        total = 0
        for _ in range(n):
            total += len(dec.feed(WS_STREAM))
        return total

    return run


def wsproto_runner():  # type: ignore[no-untyped-def]
    proto = FrameProtocol(client=False, extensions=[])

    def run(n: int) -> int:
        total = 0
        for _ in range(n):
            proto.receive_bytes(WS_STREAM)
            for _frame in proto.received_frames():
                total += 1
        return total

    return run


def websockets_runner():  # type: ignore[no-untyped-def]
    def run(n: int) -> int:
        total = 0
        for _ in range(n):
            reader = StreamReader()
            reader.feed_data(WS_STREAM)
            for _ in range(FRAMES):
                parser = WsFrame.parse(reader.read_exact, mask=True, max_size=None, extensions=[])
                try:
                    next(parser)
                except StopIteration as done:
                    assert done.value.data == FRAME_PAYLOAD
                    total += 1
        return total

    return run


def measure(run, per_call: int) -> float:  # type: ignore[no-untyped-def]
    """Items per second: calls run(n) for about SECONDS."""
    n = 1
    while True:
        start = time.perf_counter()
        done = run(n)
        elapsed = time.perf_counter() - start
        if elapsed >= SECONDS:
            assert done > 0
            return n * per_call / elapsed
        n *= 2


def compare(title: str, unit: str, runners: dict, per_call: int) -> dict:
    best = {name: 0.0 for name in runners}
    for _ in range(REPEATS):
        for name, run in runners.items():
            best[name] = max(best[name], measure(run, per_call))
    print(f"\n{title}")
    first = next(iter(best))
    for name, rate in best.items():
        print(f"  {name:<12} {rate:>12,.0f} {unit}/s   {first}/{name} = {best[first] / rate:.2f}")
    return best


def main() -> int:
    print(f"Python {sys.version.split()[0]}, httptools {httptools.__version__}, h11 {h11.__version__}")
    single = compare(
        "HTTP: the http-parser bench request, one feed_data per request",
        "req",
        {
            "wireframe": http_parser_runner(wireframe, BENCH_REQUEST),
            "httptools": http_parser_runner(httptools, BENCH_REQUEST),
            "h11": h11_runner(BENCH_REQUEST),
        },
        1,
    )
    pipelined = compare(
        "HTTP: 100 pipelined small requests per feed_data",
        "req",
        {
            "wireframe": http_parser_runner(wireframe, PIPELINED),
            "httptools": http_parser_runner(httptools, PIPELINED),
            "h11": h11_pipelined_runner(PIPELINED),
        },
        100,
    )
    frames = compare(
        f"WebSocket: {FRAMES} masked {len(FRAME_PAYLOAD)}-byte text frames per feed",
        "frames",
        {
            "wireframe": wireframe_ws_runner(),
            "wsproto": wsproto_runner(),
            "websockets": websockets_runner(),
        },
        FRAMES,
    )
    print("\nRatios (wireframe / peer; above 1 means wireframe is faster):")
    print(f"  bench request:   httptools {single['wireframe'] / single['httptools']:.2f}, "
          f"h11 {single['wireframe'] / single['h11']:.2f}")
    print(f"  pipelined:       httptools {pipelined['wireframe'] / pipelined['httptools']:.2f}, "
          f"h11 {pipelined['wireframe'] / pipelined['h11']:.2f}")
    print(f"  websocket frames: wsproto {frames['wireframe'] / frames['wsproto']:.2f}, "
          f"websockets {frames['wireframe'] / frames['websockets']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
