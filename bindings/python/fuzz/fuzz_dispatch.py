"""Fuzzing the native dispatcher against the pure-Python dispatch (seeded, reproducible).

Each case builds an input from pieces of real messages with random mutations (bytes flipped,
inserted, cut; pieces repeated), splits it at random places, and feeds it to two parsers made
for the same protocol shape, one with each dispatch. The protocol objects have a random subset
of the callbacks; some raise (Exception or BaseException subclasses) on a random call, return
odd values, or are not callable at all. Both must report the same callbacks and arguments
(url, status and body pieces joined, as their cut may differ) and raise the same exception
class with the same message. The same is done for the WebSocket decoder (frames and messages
modes, masked and not). Any difference, or a crash of the interpreter, is a finding; the seed
and case number reproduce it:

    python fuzz_dispatch.py --seed 7 --cases 5000          # a run
    python fuzz_dispatch.py --seed 7 --case 1234 --verbose  # one case again

The smoke run in make test uses a fixed seed and a fixed number of cases.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path
from typing import Any, Callable, List, Optional, Tuple

# The installed package, not the source tree two directories up (it has no library).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import wireframe  # noqa: E402
from wireframe import _native, ws  # noqa: E402

SEEDS_HTTP_REQUEST = [
    b"GET /a?b=c#d HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n",
    b"POST /p HTTP/1.1\r\nContent-Length: 5\r\nX: y\r\n\r\nhello",
    b"PUT /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;e=f\r\nabc\r\n0\r\nT: 1\r\n\r\n",
    b"GET /ws HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n\x81\x00",
    b"CONNECT h:443 HTTP/1.1\r\n\r\ntls",
    b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
    b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n",
    b"OPTIONS * HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 0\r\n\r\n",
    b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
]
SEEDS_HTTP_RESPONSE = [
    b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc",
    b"HTTP/1.1 204 No Content\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n",
    b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
    b"HTTP/1.0 200 \r\n\r\nuntil eof",
    b"HTTP/1.1 304 Not Modified\r\nETag: x\r\n\r\n",
]
NAMES = (
    "on_message_begin", "on_url", "on_status", "on_header", "on_headers_complete",
    "on_body", "on_message_complete", "on_chunk_header", "on_chunk_complete",
)


class Stop(Exception):
    pass


class Interrupt(BaseException):
    pass


def mutate(rng: random.Random, data: bytes) -> bytes:
    b = bytearray(data)
    for _ in range(rng.choice((0, 0, 1, 2, 4))):
        op = rng.randrange(4)
        at = rng.randrange(len(b) + 1)
        if op == 0 and b:
            b[min(at, len(b) - 1)] = rng.randrange(256)
        elif op == 1:
            b[at:at] = bytes([rng.choice(b" \t\r\n:;,/\x00\x7f\x80aZ0-9")])
        elif op == 2 and b:
            del b[at : at + rng.randrange(1, 4)]
        else:
            b[at:at] = b[at : at + rng.randrange(1, 12)]
    return bytes(b)


def splits(rng: random.Random, data: bytes) -> List[bytes]:
    cuts = sorted(rng.randrange(len(data) + 1) for _ in range(rng.choice((0, 1, 2, 5))))
    if rng.random() < 0.05:
        cuts = list(range(len(data) + 1))  # byte by byte
    out, last = [], 0
    for c in cuts:
        out.append(data[last:c])
        last = c
    out.append(data[last:])
    return out


def make_protocol(rng: random.Random, events: list) -> Tuple[Callable[[], Any], int]:
    """A factory of protocol objects of one random shape (the same shape for both parsers),
    and a seed for the shape's choices."""
    present = [n for n in NAMES if rng.random() < 0.8]
    raising = rng.choice(present) if present and rng.random() < 0.4 else None
    raise_at = rng.randrange(4)
    raise_base = rng.random() < 0.2
    odd = rng.choice((None, 0, 1, -1, "x", 2**70, object()))
    not_callable = rng.choice(present) if present and rng.random() < 0.05 else None

    def factory() -> Any:
        log: list = []
        counts: dict = {}
        attrs: dict = {"log": log}
        for name in present:
            if name == not_callable:
                attrs[name] = 42
                continue

            def cb(*args: Any, _name: str = name) -> Any:
                log.append((_name, *args))
                counts[_name] = counts.get(_name, 0) + 1
                if _name == raising and counts[_name] == raise_at + 1:
                    raise (Interrupt if raise_base else Stop)(_name)
                return odd

            attrs[name] = cb
        return type("Proto", (), {})(), attrs

    return factory, 0


def joined(log: list) -> list:
    out: list = []
    for ev in log:
        if ev[0] in ("on_url", "on_status", "on_body") and out and out[-1][0] == ev[0]:
            out[-1] = (ev[0], out[-1][1] + ev[1])
        else:
            out.append(ev)
    return out


def run_http(cls: Any, factory: Callable[[], Any], chunks: List[bytes], native: bool) -> tuple:
    obj, attrs = factory()
    for k, v in attrs.items():
        setattr(obj, k, v)
    parser = _native.made_with(native, lambda: cls(obj))
    outcome: Optional[tuple] = None
    for chunk in chunks:
        try:
            parser.feed_data(chunk)
        except wireframe.HttpParserUpgrade as exc:
            outcome = ("upgrade", exc.args)
            break
        except BaseException as exc:  # noqa: BLE001 - compared
            cause = type(exc.__cause__).__name__ if exc.__cause__ is not None else None
            outcome = (type(exc).__name__, str(exc), cause)
            break
    state: Optional[tuple] = (
        parser.get_http_version(), parser.should_keep_alive(), parser.should_upgrade()
    )
    if outcome and outcome[0] == "HttpParserCallbackError":
        # After a callback error the getters describe where parsing stopped: the dispatcher
        # stops at the callback (as httptools), the fallback had parsed the whole buffer.
        state = None
    return joined(obj.log), outcome, state


def run_ws(chunks: List[bytes], role: int, messages: bool, native: bool) -> tuple:
    dec = _native.made_with(native, lambda: ws.Decoder(role, 0, 1 << 16, messages=messages, max_fragments=8))
    got: list = []
    for chunk in chunks:
        try:
            got += dec.feed(chunk)
        except ws.WebSocketError as exc:
            return got + exc.events, (exc.name, exc.code, exc.offset)
    return got, None


def ws_input(rng: random.Random) -> Tuple[bytes, int]:
    masked = rng.random() < 0.5
    key = bytes(rng.randrange(256) for _ in range(4)) if masked else None
    out = b""
    for _ in range(rng.randrange(1, 6)):
        op = rng.choice((ws.OP_TEXT, ws.OP_BINARY, ws.OP_PING, ws.OP_CLOSE, ws.OP_CONTINUATION))
        size = rng.choice((0, 1, 5, 125, 126, 300, 2048, 5000, 70000))
        payload = rng.choice((b"\xc3\xa9t\xc3\xa9", b"ascii", bytes(range(256)))) * (size // 5 + 1)
        if op in (ws.OP_PING, ws.OP_CLOSE):
            payload = payload[:20]
            if op == ws.OP_CLOSE:
                payload = b"\x03\xe8" + b"bye"
        try:
            out += ws.encode_frame(op, payload[:size], fin=rng.random() < 0.7 or op >= 8, mask_key=key)
        except ws.WebSocketError:
            pass
    return mutate(rng, out) if rng.random() < 0.5 else out, ws.ROLE_SERVER if masked else ws.ROLE_CLIENT


def one_case(seed: int, case: int, verbose: bool) -> Optional[str]:
    rng = random.Random(seed * 1_000_003 + case)
    if rng.random() < 0.2:
        data, role = ws_input(rng)
        chunks = splits(rng, data)
        messages = rng.random() < 0.5
        a = run_ws(chunks, role, messages, True)
        b = run_ws(chunks, role, messages, False)
        if verbose:
            print(chunks, a, sep="\n")
        return None if a == b else f"websocket: native {a!r}\n  python {b!r}"
    response = rng.random() < 0.35
    seeds = SEEDS_HTTP_RESPONSE if response else SEEDS_HTTP_REQUEST
    data = b"".join(mutate(rng, rng.choice(seeds)) for _ in range(rng.randrange(1, 4)))
    chunks = splits(rng, data)
    factory, _ = make_protocol(rng, [])
    cls = wireframe.HttpResponseParser if response else wireframe.HttpRequestParser
    a = run_http(cls, factory, chunks, True)
    b = run_http(cls, factory, chunks, False)
    if verbose:
        print(chunks, a, sep="\n")
    return None if a == b else f"http: {chunks!r}\n  native {a!r}\n  python {b!r}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cases", type=int, default=2000)
    ap.add_argument("--seconds", type=float, default=0.0, help="run until then instead")
    ap.add_argument("--case", type=int, help="run this case only")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    if not _native.ENABLED:
        print(f"fuzz_dispatch: the native dispatcher is not in use ({_native.REASON})")
        return 1
    cases = [args.case] if args.case is not None else range(sys.maxsize)
    deadline = time.monotonic() + args.seconds
    done = 0
    for case in cases:
        if args.case is None and (
            (args.seconds and time.monotonic() > deadline) or (not args.seconds and done >= args.cases)
        ):
            break
        finding = one_case(args.seed, case, args.verbose)
        done += 1
        if finding:
            print(f"fuzz_dispatch: difference at --seed {args.seed} --case {case}:\n  {finding}")
            return 1
    print(f"fuzz_dispatch: {done} cases, seed {args.seed}: native and Python dispatch agree")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
