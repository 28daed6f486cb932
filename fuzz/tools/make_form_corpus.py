#!/usr/bin/env python3
"""Builds the seed corpora of the form targets (fuzz/corpus/multipart, fuzz/corpus/form_helpers).

Multipart seeds are the bodies of tests/form_multipart.rs in spirit: RFC 2046 and RFC 7578
examples, Chrome-, Firefox- and curl-style bodies, and one of each rejection, each with several
configuration prefixes (boundary choice, limits, cut modes, pauses). Helper seeds are Content-Type,
Content-Disposition, query, Cookie, Authorization and Set-Cookie inputs. Files are named by the
SHA-1 of their contents. Rerun after changing the seeds:

    python3 fuzz/tools/make_form_corpus.py
"""
import hashlib
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.join(ROOT, "fuzz", "corpus")

B = [b"b", b"AaB03x", b"----WebKitFormBoundary7MA4YWxkTrZu0gW",
     b"0123456789'()+_,-./:=? ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstu"]


def body(bi, parts, close=b"--\r\n", pre=b""):
    d = b"--" + B[bi]
    out = pre + d
    for headers, data in parts:
        out += b"\r\n" + b"".join(h + b"\r\n" for h in headers) + b"\r\n" + data + b"\r\n" + d
    return out + close


MULTIPART = [
    (1, body(1, [([b'content-disposition: form-data; name="field1"',
                   b"content-type: text/plain;charset=UTF-8",
                   b"content-transfer-encoding: quoted-printable"], b"Joe owes =E2=82=AC100.")])),
    (2, body(2, [([b'Content-Disposition: form-data; name="title"'], "h\u00e9llo".encode()),
                 ([b'Content-Disposition: form-data; name="file"; filename="a%22b \xe2\x82\xac.txt"',
                   b"Content-Type: text/plain"], b"line1\r\n--\r\n------WebKitFormBoundary7MA4YWxkTrZu0g\r\n\r\r\n\x00\xff"),
                 ([b'Content-Disposition: form-data; name="empty"; filename=""',
                   b"Content-Type: application/octet-stream"], b"")])),
    (0, body(0, [([], b"x"), ([b"A: 1"], b"\r\n--b"), ([b"X-Empty:"], b"")], close=b"--")),
    (3, body(3, [([b"A:  v "], b"data")], pre=b"preamble\r\n")),
    (0, b"--b\nA: 1\r\n\r\nx\r\n--b--"),
    (0, b"--b\r\nA: 1\r\n 2\r\n\r\n\r\n--b--"),
    (0, b"--b\r\nA : 1\r\n\r\n\r\n--b--"),
    (0, b"--b\r\n\r\nx\r\n--bad\r\n--b--"),
    (0, b"--b \t\r\n\r\nx\r\n--b--epilogue"),
    (0, b"--b\r\n\r\nhalf a fi"),
]

HELPERS = [
    (0, b'multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW'),
    (0, b'Multipart/Mixed;BOUNDARY="simple boundary"; charset=utf-8'),
    (0, b'multipart/form-data; boundary=a; boundary=b'),
    (1, b'form-data; name="file"; filename="a%22b.txt"'),
    (1, b"attachment; filename*=UTF-8'en'%e2%82%ac%20rates.txt; filename=\"x\""),
    (1, b'form-data; name="f"; filename="say \\"hi\\".txt"'),
    (2, b"a=1&&b=%20c+d&e&=f&g=%zz"),
    (3, b'a=1; b=2;c= "3" ;; lone'),
    (3, b"a=1\r\nSet-Cookie: x"),
    (4, b"Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="),
    (4, b"basic  dGVzdDoxMjPCow== "),
    (5 | 0x10 | 0x80 | 0x08, b"sidvalue"),
    (5 | 0x20 | 0x40, b"__Host-x=y"),
]


def write(target, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)


def main():
    for bi, b in MULTIPART:
        for flags, limits, cut in [(0, b"\0\0\0\0", 0), (4, b"\0\0\0\0", 1), (8, b"\0\0\0\0", 2),
                                   (4, b"\x02\x08\x02\x04", 3)]:
            write("multipart", bytes([bi | flags]) + limits + bytes([cut, 7, 1]) + b)
    for sel, data in HELPERS:
        write("form_helpers", bytes([sel]) + data)


if __name__ == "__main__":
    main()
