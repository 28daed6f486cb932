"""A generated corpus of valid multipart/form-data bodies for the differential tests: browser-,
curl- and random-style boundaries, text fields and files (names with UTF-8 and percent-encoded
quotes), binary data full of CR, LF and dashes, never containing the delimiter."""

from __future__ import annotations

import random
from typing import List, Tuple

Part = Tuple[List[Tuple[bytes, bytes]], bytes]
BCHARS = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=?"


def boundary(rng: random.Random) -> bytes:
    style = rng.randrange(4)
    alnum = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    pick = lambda chars, n: bytes(rng.choice(chars) for _ in range(n))  # noqa: E731
    if style == 0:
        return b"----WebKitFormBoundary" + pick(alnum, 16)
    if style == 1:
        return b"----geckoformboundary" + pick(b"0123456789abcdef", 32)
    if style == 2:
        return b"-" * 24 + pick(b"0123456789abcdef", 16)
    return pick(BCHARS, rng.randrange(1, 71))


def data(rng: random.Random, delim: bytes, size: int) -> bytes:
    alphabet = b"\r\n-ab\x00\xff" + delim[4:8]
    out = bytearray(rng.choice(alphabet) if rng.random() < 0.7 else rng.randrange(256) for _ in range(size))
    while delim in out:
        out = out.replace(delim, delim[:-1])
    # The data must not end with a prefix of the delimiter that the next delimiter completes
    # differently: "\r" at the end would make "\r\r\n--b" ambiguous for no parser, so it stays.
    return bytes(out)


def body(rng: random.Random, max_parts: int = 5, max_size: int = 300) -> Tuple[bytes, bytes, List[Part]]:
    b = boundary(rng)
    delim = b"\r\n--" + b
    parts: List[Part] = []
    for i in range(rng.randrange(1, max_parts + 1)):
        name = rng.choice([b"f", b"title", "n\u00e4me".encode(), b"field%d" % i])
        disp = b'form-data; name="' + name + b'"'
        headers = []
        if rng.random() < 0.5:
            fname = rng.choice([b"a.txt", "\u20ac rates.pdf".encode(), b"say %22hi%22.txt", b""])
            disp += b'; filename="' + fname + b'"'
            headers.append((b"Content-Disposition", disp))
            headers.append((b"Content-Type", rng.choice([b"text/plain", b"application/octet-stream"])))
        else:
            headers.append((b"Content-Disposition", disp))
        if rng.random() < 0.2:
            headers.append((b"X-Extra", b"v" * rng.randrange(1, 40)))
        parts.append((headers, data(rng, delim, rng.randrange(0, max_size))))
    out = bytearray()
    for headers, d in parts:
        out += b"--" + b + b"\r\n"
        for k, v in headers:
            out += k + b": " + v + b"\r\n"
        out += b"\r\n" + d + b"\r\n"
    out += b"--" + b + b"--\r\n"
    return b, bytes(out), parts


def chunks(rng: random.Random, body: bytes) -> List[bytes]:
    cuts = sorted(rng.randrange(len(body) + 1) for _ in range(rng.randrange(0, 6)))
    out, last = [], 0
    for c in cuts + [len(body)]:
        out.append(body[last:c])
        last = c
    return out
