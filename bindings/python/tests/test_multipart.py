"""wireframe.multipart: python-multipart's MultipartParser interface (callbacks, write,
finalize) with exact events whole, split at every byte and byte by byte; strict errors with
offsets; the helpers; and a differential test against python-multipart on a generated corpus."""

from __future__ import annotations

import random

import pytest
import python_multipart

from form_corpus import body as gen_body
from form_corpus import chunks as gen_chunks
from wireframe import multipart as wm


def collect(parser_cls, boundary: bytes, pieces, **kw):
    """Parts as [(headers, data)] plus the callback trace, with python-multipart's callbacks."""
    trace: list = []
    parts: list = []
    cur: dict = {}

    def data_cb(name):
        def f(data, start, end):
            chunk = bytes(data[start:end])
            if trace and trace[-1][0] == name:
                trace[-1] = (name, trace[-1][1] + chunk)
            else:
                trace.append((name, chunk))
            if name == "field":
                cur["field"] = cur.get("field", b"") + chunk
            elif name == "value":
                cur["value"] = cur.get("value", b"") + chunk
            else:
                parts[-1][1].extend(chunk)
        return f

    def note(name):
        def f():
            trace.append((name,))
            if name == "begin":
                parts.append(([], bytearray()))
            elif name == "header_end":
                parts[-1][0].append((cur.pop("field", b""), cur.pop("value", b"")))
        return f

    callbacks = {
        "on_part_begin": note("begin"),
        "on_header_field": data_cb("field"),
        "on_header_value": data_cb("value"),
        "on_header_end": note("header_end"),
        "on_headers_finished": note("headers_finished"),
        "on_part_data": data_cb("data"),
        "on_part_end": note("part_end"),
        "on_end": note("end"),
    }
    p = parser_cls(boundary, callbacks, **kw)
    for piece in pieces:
        p.write(piece)
    p.finalize()
    return [(h, bytes(d)) for h, d in parts], trace


CHROME = (
    b"------WebKitFormBoundary7MA4YWxkTrZu0gW\r\n"
    b'Content-Disposition: form-data; name="title"\r\n\r\n'
    b"h\xc3\xa9llo\r\n"
    b"------WebKitFormBoundary7MA4YWxkTrZu0gW\r\n"
    b'Content-Disposition: form-data; name="file"; filename="a%22b \xe2\x82\xac.txt"\r\n'
    b"Content-Type: text/plain\r\n\r\n"
    b"line1\r\n--\r\n------WebKitFormBoundary7MA4YWxkTrZu0g\r\n\r\r\n"
    b"\r\n------WebKitFormBoundary7MA4YWxkTrZu0gW--\r\n"
)
CHROME_PARTS = [
    ([(b"Content-Disposition", b'form-data; name="title"')], "h\u00e9llo".encode()),
    (
        [
            (b"Content-Disposition", 'form-data; name="file"; filename="a%22b \u20ac.txt"'.encode()),
            (b"Content-Type", b"text/plain"),
        ],
        b"line1\r\n--\r\n------WebKitFormBoundary7MA4YWxkTrZu0g\r\n\r\r\n",
    ),
]
CHROME_B = b"----WebKitFormBoundary7MA4YWxkTrZu0gW"


def test_browser_body_whole_every_split_and_byte_by_byte() -> None:
    parts, trace = collect(wm.MultipartParser, CHROME_B, [CHROME])
    assert parts == CHROME_PARTS
    assert [t[0] for t in trace] == [
        "begin", "field", "value", "header_end", "headers_finished", "data", "part_end",
        "begin", "field", "value", "header_end", "field", "value", "header_end",
        "headers_finished", "data", "part_end", "end",
    ]
    for cut in range(len(CHROME) + 1):
        assert collect(wm.MultipartParser, CHROME_B, [CHROME[:cut], CHROME[cut:]])[1] == trace
    bytewise = [CHROME[i : i + 1] for i in range(len(CHROME))]
    assert collect(wm.MultipartParser, CHROME_B, bytewise)[1] == trace


def test_header_begin_and_str_boundary() -> None:
    seen = []
    p = wm.MultipartParser(
        "AaB03x",
        {"on_header_begin": lambda: seen.append("hb"), "on_end": lambda: seen.append("end")},
    )
    p.write(b"--AaB03x\r\nA: 1\r\nB: 2\r\n\r\nx\r\n--AaB03x--")
    p.finalize()
    assert seen == ["hb", "hb", "end"] and p.parts == 1


@pytest.mark.parametrize(
    "body, code, offset",
    [
        # Line-ending confusion lets a filter and the application read different headers.
        (b"--b\r\nA: 1\nB: 2\r\n\r\n", "WF_FORM_ERR_BARE_LF", 9),
        # The boundary inside the content: two parsers split the body differently.
        (b"--b\r\n\r\nx\r\n--bad\r\n--b--", "WF_FORM_ERR_INVALID_DELIMITER", 13),
        # Obsolete folding, whitespace before the colon.
        (b"--b\r\nA: 1\r\n 2\r\n\r\n", "WF_FORM_ERR_OBSOLETE_FOLD", 11),
        (b"--b\r\nA : 1\r\n\r\n", "WF_FORM_ERR_INVALID_HEADER_NAME", 6),
    ],
)
def test_strict_errors_with_offsets(body: bytes, code: str, offset: int) -> None:
    p = wm.MultipartParser(b"b")
    with pytest.raises(wm.MultipartParseError) as e:
        p.write(body)
        p.finalize()
    assert (e.value.code, e.value.offset) == (code, offset)
    assert isinstance(e.value, ValueError)


def test_truncated_upload_and_limits() -> None:
    p = wm.MultipartParser(b"b")
    p.write(b"--b\r\n\r\nhalf")
    with pytest.raises(wm.MultipartParseError) as e:
        p.finalize()
    assert (e.value.code, e.value.offset) == ("WF_FORM_ERR_MISSING_FINAL_BOUNDARY", 11)
    p = wm.MultipartParser(b"b", max_parts=1)
    with pytest.raises(wm.MultipartParseError) as e:
        p.write(b"--b\r\n\r\n\r\n--b\r\n\r\n\r\n--b--")
    assert e.value.code == "WF_FORM_ERR_TOO_MANY_PARTS"
    p = wm.MultipartParser(b"b", max_part_size=2)
    with pytest.raises(wm.MultipartParseError) as e:
        p.write(b"--b\r\n\r\nabc\r\n--b--")
    assert (e.value.code, e.value.offset) == ("WF_FORM_ERR_PART_TOO_LARGE", 9)
    # max_size as in python-multipart: write stops accepting bytes.
    p = wm.MultipartParser(b"b", max_size=5)
    assert p.write(b"--b\r\n\r\n") == 5
    with pytest.raises(wm.MultipartParseError):
        wm.MultipartParser(b"a b ")


def test_differential_against_python_multipart() -> None:
    """Same parts, same headers, same data as python-multipart on 300 generated bodies, each
    fed in random pieces (different pieces to each parser)."""
    rng = random.Random(19)
    for _ in range(300):
        b, body, want = gen_body(rng)
        ours, _ = collect(wm.MultipartParser, b, gen_chunks(rng, body))
        theirs, _ = collect(python_multipart.MultipartParser, b, gen_chunks(rng, body))
        assert ours == want
        assert theirs == want


def test_helpers() -> None:
    assert wm.parse_boundary('multipart/form-data; Boundary="a b"') == b"a b"
    with pytest.raises(wm.FormError) as e:
        wm.parse_boundary("multipart/form-data; boundary=a; boundary=b")
    assert (e.value.code, e.value.offset) == ("WF_FORM_ERR_INVALID_PARAMETER", 33)

    cd = wm.parse_content_disposition(
        b"form-data; name=\"f\"; filename=\"say \\\"hi\\\".txt\"; filename*=UTF-8''%e2%82%ac.txt"
    )
    assert cd == wm.ContentDisposition(
        kind=b"form-data", name=b"f", filename=b'say "hi".txt',
        filename_star="\u20ac.txt".encode(), charset=b"UTF-8",
    )

    assert wm.parse_qsl("a=1&&b=%20c+d&e&=f") == [("a", "1"), ("b", " c d"), ("e", ""), ("", "f")]
    assert wm.parse_qsl(b"x=%e2%82%ac", encoding=None) == [(b"x", "\u20ac".encode())]
    with pytest.raises(wm.FormError) as e:
        wm.parse_qsl("ok=1&bad=%zz")
    assert (e.value.code, e.value.offset) == ("WF_FORM_ERR_INVALID_PERCENT_ESCAPE", 9)
    assert wm.percent_decode(b"a+b", plus_as_space=False) == b"a+b"

    assert wm.parse_cookies("a=1; b=\"2\";c = 3 ;; lone") == [
        ("a", "1"), ("b", '"2"'), ("c", "3"), ("", "lone")
    ]
    with pytest.raises(wm.FormError) as e:
        wm.parse_cookies("a=1\r\nx")
    assert (e.value.code, e.value.offset) == ("WF_FORM_ERR_INVALID_COOKIE", 3)

    assert wm.decode_basic_auth("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==") == (b"Aladdin", b"open sesame")
    with pytest.raises(wm.FormError) as e:
        wm.decode_basic_auth("Basic dXNlcg==")
    assert e.value.code == "WF_FORM_ERR_INVALID_CREDENTIALS"

    assert (
        wm.set_cookie("sid", "x1", path="/", secure=True, httponly=True, samesite="Lax",
                      expires=784111777)
        == "sid=x1; Path=/; Expires=Sun, 06 Nov 1994 08:49:37 GMT; Secure; HttpOnly; SameSite=Lax"
    )
    assert wm.set_cookie("a", "") == "a="
    with pytest.raises(wm.FormError) as e:
        wm.set_cookie("a", "b", samesite="none")
    assert e.value.code == "WF_FORM_ERR_COOKIE_RULE"
    with pytest.raises(wm.FormError) as e:
        wm.set_cookie("a", "x; Domain=evil")
    assert (e.value.code, e.value.offset) == ("WF_FORM_ERR_INVALID_COOKIE_VALUE", 1)


def test_set_callback_changes_what_is_recorded() -> None:
    seen: list = []
    p = wm.MultipartParser(b"b")
    p.write(b"--b\r\nA: 1\r\n\r\nxy")
    p.set_callback("on_part_data", lambda d, s, e: seen.append(bytes(d[s:e])))
    p.set_callback("on_end", lambda: seen.append("end"))
    p.write(b"z\r\n--b--")
    p.set_callback("on_end", None)
    p.finalize()
    assert seen == [b"z", "end"]
