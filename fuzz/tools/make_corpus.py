#!/usr/bin/env python3
"""Builds the seed corpora in fuzz/corpus/<target>/ from the project's test vectors.

HTTP messages, URLs and handshake headers are the byte-string literals of tests/*.rs;
WebSocket frames are the RFC 6455 examples and the decoder tests' frames, written here.
Each seed gets the configuration prefix its target expects (several prefixes per vector, so
the fuzzer starts from every parser type, split mode and callback plan). Files are named by
the SHA-1 of their contents, as libFuzzer names them. Rerun after adding test vectors:

    python3 fuzz/tools/make_corpus.py
"""
import hashlib
import os
import random
import re
import struct
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.join(ROOT, "fuzz", "corpus")

LIT = re.compile(rb'b"((?:[^"\\]|\\.)*)"', re.S)
STR = re.compile(rb'(?<![b\w])"((?:[^"\\]|\\.)*)"')


def unescape(raw):
    """Decodes a Rust (byte) string literal body."""
    out = bytearray()
    i = 0
    while i < len(raw):
        c = raw[i]
        if c != 0x5C:
            out.append(c)
            i += 1
            continue
        n = raw[i + 1:i + 2]
        i += 2
        if n == b"n":
            out += b"\n"
        elif n == b"r":
            out += b"\r"
        elif n == b"t":
            out += b"\t"
        elif n == b"0":
            out += b"\0"
        elif n == b"x":
            out.append(int(raw[i:i + 2], 16))
            i += 2
        elif n == b"u":
            end = raw.index(b"}", i)
            out += chr(int(raw[i + 1:end], 16)).encode()
            i = end + 1
        elif n == b"\n":
            while i < len(raw) and raw[i] in b" \t\n":
                i += 1
        else:
            out += n
    return bytes(out)


def literals(pattern, names):
    seen = []
    for name in names:
        with open(os.path.join(ROOT, "tests", name), "rb") as f:
            text = f.read()
        for m in pattern.finditer(text):
            v = unescape(m.group(1))
            if v not in seen:
                seen.append(v)
    return seen


def write(target, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)


def frame(b0, payload, key=None, ext=None):
    n = len(payload)
    out = bytearray([b0])
    m = 0x80 if key else 0
    if ext == 127 or n > 0xFFFF:
        out += bytes([m | 127]) + struct.pack(">Q", n)
    elif ext == 126 or n >= 126:
        out += bytes([m | 126]) + struct.pack(">H", n)
    else:
        out.append(m | n)
    if key:
        out += key
        payload = bytes(b ^ key[i % 4] for i, b in enumerate(payload))
    return bytes(out + payload)


def main():
    rnd = random.Random(6455)
    http_files = ["http_messages.rs", "http_errors.rs", "http_control.rs",
                  "http_differential.rs", "http_robustness.rs", "http_alloc.rs"]
    messages = [v for v in literals(LIT, http_files)
                if b"HTTP/" in v or b"RTSP/" in v or b"ICE/" in v or v.startswith(b"GET ")]
    for m in messages:
        resp = m.lstrip(b"\r\n").startswith((b"HTTP/", b"RTSP/", b"ICE/"))
        kind = 1 if resp else 0
        # c[0]: type, finish, cut mode, pauses, plan; c[1..3] leniency; c[3] max header/4;
        # c[4] max ext; c[5..8] seed.
        for c0 in (kind | 0x04, kind | 0x08 | 0x20, 2 | 0x10 | 0x20, kind | 0x18 | 0x20 | 0x80,
                   kind | 0x08 | 0x40 | 0x20):
            seed = bytes(rnd.randrange(256) for _ in range(3))
            write("http_split", bytes([c0, 0, 0, 0, 0]) + seed + m)
        write("http_split", bytes([kind | 0x08, 0xFF, 0x1F, 0, 0]) + b"\x01\x02\x03" + m)
        write("http_split", bytes([kind | 0x08, 0, 0, 8, 4]) + b"\x04\x05\x06" + m)
        # c_abi: c[0] % 5 mode (0 request, 1 response, 2 both), c[0] / 5 flags; lenient; seed;
        # cut mode.
        for flags in (0, 1, 2):
            write("c_abi", bytes([kind + 5 * flags, 0, rnd.randrange(256), 1 + flags]) + m)
        write("c_abi", bytes([2, 0, rnd.randrange(256), 2]) + m)
        head_end = m.find(b"\r\n\r\n")
        head = m if head_end < 0 else m[:head_end + 4]
        write("http_diff", bytes([kind]) + head)

    urls = [v for v in literals(STR, ["http_control.rs"]) if v and not v.startswith(b"{")]
    urls += [b"http://a.b:80/p?q#f", b"/x?y#z", b"*", b"h:1", b"ws://[::1]:9/x",
             b"https://user@host/", b"http://[fe80::1%25eth0]:8080/"]
    for u in urls:
        write("url", b"\x00" + u)
        write("url", b"\x01" + u)
        write("c_abi", bytes([4, 0, 0, 0]) + u)

    hs = literals(LIT, ["handshake.rs"])
    key = b"dGhlIHNhbXBsZSBub25jZQ=="
    raw_lines = [b"chat,superchat", b"superchat, chat;;permessage-deflate; client_max_window_bits",
                 b"Host: server.example.com", b"Upgrade: websocket", b"Connection: Upgrade",
                 b"Sec-WebSocket-Key: " + key, b"Sec-WebSocket-Version: 13",
                 b"Sec-WebSocket-Protocol: chat, superchat",
                 b"Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits",
                 b"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="]
    write("handshake", b"\x03" + b"\n".join(raw_lines))
    write("handshake", b"\x01" + b"\n".join(raw_lines[:2] + hs[:8]))
    for c in (0x00, 0x02, 0x06):
        write("handshake", bytes([c]) + b"\n".join([b"example.com:80", b"/chat?x=1", b"chat, superchat",
                                                     b"permessage-deflate; client_max_window_bits; server_no_context_takeover",
                                                     b"superchat,chat"]))
        write("handshake", bytes([c]) + b"\n".join([b"h", b"/", b"", b"permessage-deflate; server_max_window_bits=10", b""]))

    k = bytes([0x37, 0xFA, 0x21, 0x3D])
    frames_srv = [  # masked: decoded by a server
        frame(0x81, b"Hello", k),
        frame(0x01, b"Hel", k) + frame(0x89, b"ping", k) + frame(0x80, b"lo", k),
        frame(0x82, bytes(range(256)), k),
        frame(0x82, b"\xab" * 300, k, ext=127),
        frame(0x88, struct.pack(">H", 1000) + b"bye", k),
        frame(0x88, b"", k),
        frame(0x8A, b"pong", k),
        frame(0x81, "caf\u00e9 \U0001F600".encode(), k),
        frame(0x01, b"\xf0\x9f", k) + frame(0x80, b"\x98\x80", k),
        frame(0xC1, b"compressed", k),
        frame(0x81, b"\xed\xa0\x80", k),
        frame(0x83, b"x", k),
        frame(0x09, b"frag ping", k),
        frame(0x88, b"\x03", k),
        frame(0x82, b"ab", k, ext=126),
    ]
    for f in frames_srv:
        unmasked = f[:1] + bytes([f[1] & 0x7F]) + f[2:]
        for c0 in (0x00, 0x40, 0x80 | 0x40, 0x02 | 0x40, 0x10):
            write("ws_decode", bytes([c0, 0, 0, 0, 2]) + b"\x11\x22\x33" + f)
        write("ws_decode", bytes([0x01, 0, 0, 0, 2]) + b"\x44\x55\x66" + f)
        write("c_abi", bytes([3, 0, rnd.randrange(256), 2]) + f)
        write("ws_decode", bytes([0x41, 4, 2, 1, 3]) + b"\x77\x88\x99" + f)
        # The same frames unmasked, for a client (best effort: only 7-bit lengths are rewritten).
        if f[1] & 0x80 and (f[1] & 0x7F) < 126:
            plain = bytes([f[0], f[1] & 0x7F]) + bytes(b ^ f[2 + (i % 4)] for i, b in enumerate(f[6:]))
            write("ws_decode", bytes([0x41, 0, 0, 0, 2]) + b"\x12\x34\x56" + plain)
        del unmasked
    write("ws_decode", bytes([0x41, 0, 0, 0, 1]) + bytes([0x81, 0x05]) + b"Hello")

    scripts = [
        bytes([0x10, 5]) + b"Hello" + bytes([4, 4]) + b"ping" + bytes([6, 3, 232, 3]) + b"bye",
        bytes([0x92, 40]) + "h\u00e9llo w\u00f6rld, \u4e16\u754c".encode() * 3,
        bytes([0x41, 3]) + bytes(range(256)) * 4,
        bytes([0x20 | 0x80, 20]) + b"deflated-looking-bytes",
        bytes([5, 0, 7, 0, 0, 0]),
        bytes([6, 0x0B, 0xB8, 5]) + b"\xff\xfe" + b"abc",
    ]
    for s in scripts:
        for c0 in (0, 1):
            write("ws_roundtrip", bytes([c0, 2, 7]) + s)

    texts = [b"", b"Hello", "h\u00e9llo \u4e16\u754c \U0001F600".encode(), b"\xc0\x80", b"\xed\xa0\x80",
             b"\xf4\x90\x80\x80", b"\xe0\x80", b"\xf0\x9f\x98", b"\xff", b"abc\xce", b"\xef\xbb\xbf"]
    for t in texts:
        write("utf8", bytes([2, 1]) + t)
        write("utf8", bytes([1, 0]) + t)

    for n in (0, 1, 3, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 300):
        write("mask", bytes([0x37, 0xFA, 0x21, 0x3D, n % 4, n % 7, n % 256]) + bytes(range(n % 256)) * (1 + n // 256))

    deflate_seeds()


def deflate_seeds():
    """permessage-deflate: scripts of messages for the round trip, and compressed payloads
    (RFC 7692 7.2.3's examples and zlib's output, as the peers write it) for inflating."""
    import zlib

    messages = [b"Hello", "h\u00e9llo w\u00f6rld \u4e16\u754c ".encode() * 4, bytes(range(120)),
                b"a" * 120, b"", b"{\"id\": 42, \"name\": \"wireframe\"}"]
    assert all(len(m) < 128 for m in messages)  # a length byte with bit 7 clear
    script = b"".join(bytes([len(m)]) + m for m in messages)
    for c0 in (0, 7, 8 | 1, 16 | 4, 16 | 8 | 7):
        for c1 in (0x86, 0x01, 0x09, 0x40):
            write("deflate_roundtrip", bytes([c0, c1, 2, 5]) + script)
    write("deflate_roundtrip", bytes([16 | 7, 0x76, 1, 9]) + bytes([0x85]) + b"x" * 485)

    def raw(data, level=6, wbits=15):
        c = zlib.compressobj(level, zlib.DEFLATED, -wbits)
        z = c.compress(data) + c.flush(zlib.Z_SYNC_FLUSH)
        return z[:-4]

    rfc = [
        bytes([0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00]),  # 7.2.3.1 "Hello"
        bytes([0x00, 0x05, 0x00, 0xFA, 0xFF, 0x48, 0x65, 0x6C, 0x6C, 0x6F, 0x00]),  # 7.2.3.3 stored
        bytes([0xF3, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00, 0x00]),  # 7.2.3.4 BFINAL
        bytes([0xF2, 0x48, 0x05, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xCA, 0xC9, 0xC9, 0x07, 0x00]),  # 7.2.3.5
        bytes([0x00]),  # 7.2.3.6 empty
    ]
    sep = b"\xff\x00\xff"
    zl = [raw(m, level, wbits) for m in messages for (level, wbits) in ((6, 15), (1, 9), (9, 12))]
    for c0 in (0, 1, 2, 3, 4 * 1 + 1, 4 * 8):
        write("deflate_inflate", bytes([c0, 2, 3]) + sep.join(rfc))
        write("deflate_inflate", bytes([c0, 1, 4]) + sep.join(zl[:6]))
        write("deflate_inflate", bytes([c0, 3, 5]) + sep.join(zl[6:]))
    # Shared window: "Hello" twice as one zlib stream writes it.
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    a = c.compress(b"Hello") + c.flush(zlib.Z_SYNC_FLUSH)
    b = c.compress(b"Hello") + c.flush(zlib.Z_SYNC_FLUSH)
    write("deflate_inflate", bytes([1, 0, 1]) + a[:-4] + sep + b[:-4])
    # A bomb: 200 KB of zeros against limits of 256 B to 16 KB.
    for c0 in (4, 4 * 63):
        write("deflate_inflate", bytes([c0, 2, 6]) + raw(bytes(200_000), 9))


if __name__ == "__main__":
    sys.exit(main())
