"""The HTTP parser: exact callbacks, getters, splits, buffers, errors, leniencies, parse_url,
and a differential against httptools (which must agree wherever both accept the input)."""

from __future__ import annotations

import array
import gc
import os
import sys
from pathlib import Path

import httptools
import pytest

import wireframe
from conftest import Recorder, feed, merged

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

REQUESTS = {
    "bench": BENCH_REQUEST,
    "get": b"GET /index.html?x=1#f HTTP/1.1\r\nHost: example.com\r\n\r\n",
    "post": b"POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello",
    "chunked-trailers": (
        b"POST /up HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"3;name=value\r\nabc\r\n2\r\nde\r\n0\r\nX-Trailer: t\r\nX-Other: u\r\n\r\n"
    ),
    "pipelined": (
        b"GET /a HTTP/1.1\r\nHost: a\r\n\r\n"
        b"POST /b HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nhi"
        b"DELETE /c HTTP/1.1\r\nX-Empty:\r\nX-Spaces:   v  \r\n\r\n"
    ),
    "http10": b"GET / HTTP/1.0\r\nUser-Agent: x\r\n\r\n",
    "webdav": b"PROPFIND /dav HTTP/1.1\r\nDepth: 1\r\nContent-Length: 0\r\n\r\n",
    "expect": b"PUT /f HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc",
}

RESPONSES = {
    "ok": b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nServer: x\r\n\r\nhello",
    "chunked": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n0\r\n\r\n",
    "no-body": (
        b"HTTP/1.1 204 No Content\r\n\r\n"
        b"HTTP/1.1 304 Not Modified\r\nETag: x\r\n\r\n"
        b"HTTP/1.1 100 Continue\r\n\r\n"
        b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
    ),
    "empty-reason": b"HTTP/1.1 200 \r\nContent-Length: 1\r\n\r\nx",
    "until-eof": b"HTTP/1.1 200 OK\r\n\r\nbody that lasts until the connection closes",
}


def test_installed_package_is_tested() -> None:
    """The tests run against the installed package (with its bundled libraries)."""
    path = Path(wireframe.__file__).resolve()
    assert "site-packages" in path.parts, path
    assert (path.parent / "libwireframe.so").is_file()
    assert (path.parent / "libwireframe_dispatch.so").is_file()


def test_dispatch_in_use_is_the_one_asked_for() -> None:
    """The native dispatcher, unless WIREFRAME_PURE_PYTHON asks for the fallback (make test
    runs the suite both ways); a dispatcher that fails to load must not go unnoticed."""
    from wireframe import _native

    parser = wireframe.HttpRequestParser(Recorder())
    decoder = wireframe.ws.Decoder(wireframe.ws.ROLE_SERVER)
    if os.environ.get("WIREFRAME_PURE_PYTHON", "") not in ("", "0"):
        assert not _native.ENABLED and _native.REASON == "WIREFRAME_PURE_PYTHON is set"
        assert "feed_data" not in vars(parser) and "feed" not in vars(decoder)
    else:
        assert _native.ENABLED, _native.REASON
        assert type(parser.feed_data).__name__ == "builtin_function_or_method"
        assert type(decoder.feed).__name__ == "builtin_function_or_method"


def test_feed_outlives_its_parser_object() -> None:
    """feed_data / feed taken from a temporary object keep the state they parse with."""
    rec = Recorder()
    feed_data = wireframe.HttpRequestParser(rec).feed_data
    feed = wireframe.ws.Decoder(wireframe.ws.ROLE_CLIENT).feed
    gc.collect()
    junk = [bytearray(200) for _ in range(10000)]  # reuse freed memory if it was freed
    feed_data(REQUESTS["post"])
    assert rec.events[-1] == ("on_message_complete",) and len(rec.events) == 7
    assert feed(b"\x81\x02hi") == [wireframe.ws.Message(wireframe.ws.OP_TEXT, b"hi")]
    del junk


def test_exports_match_httptools() -> None:
    for name in httptools.__all__:
        if name != "__version__":
            assert hasattr(wireframe, name), name


def test_request_exact_events(recorder: Recorder) -> None:
    parser = wireframe.HttpRequestParser(recorder)
    parser.feed_data(REQUESTS["post"])
    assert recorder.events == [
        ("on_message_begin",),
        ("on_url", b"/echo"),
        ("on_header", b"Host", b"a"),
        ("on_header", b"Content-Length", b"5"),
        ("on_headers_complete",),
        ("on_body", b"hello"),
        ("on_message_complete",),
    ]
    assert parser.get_method() == b"POST"
    assert parser.get_http_version() == "1.1"
    assert parser.should_keep_alive() is True
    assert parser.should_upgrade() is False


def test_chunked_with_trailers_exact(recorder: Recorder) -> None:
    wireframe.HttpRequestParser(recorder).feed_data(REQUESTS["chunked-trailers"])
    assert recorder.events == [
        ("on_message_begin",),
        ("on_url", b"/up"),
        ("on_header", b"Transfer-Encoding", b"chunked"),
        ("on_headers_complete",),
        ("on_chunk_header",),
        ("on_body", b"abc"),
        ("on_chunk_complete",),
        ("on_chunk_header",),
        ("on_body", b"de"),
        ("on_chunk_complete",),
        ("on_chunk_header",),
        ("on_header", b"X-Trailer", b"t"),
        ("on_header", b"X-Other", b"u"),
        ("on_chunk_complete",),
        ("on_message_complete",),
    ]


def test_response_exact_events(recorder: Recorder) -> None:
    parser = wireframe.HttpResponseParser(recorder)
    parser.feed_data(RESPONSES["ok"])
    assert recorder.events == [
        ("on_message_begin",),
        ("on_status", b"OK"),
        ("on_header", b"Content-Length", b"5"),
        ("on_header", b"Server", b"x"),
        ("on_headers_complete",),
        ("on_body", b"hello"),
        ("on_message_complete",),
    ]
    assert parser.get_status_code() == 200
    assert parser.get_http_version() == "1.1"


def test_empty_header_value_and_spaces(recorder: Recorder) -> None:
    wireframe.HttpRequestParser(recorder).feed_data(REQUESTS["pipelined"])
    headers = [e[1:] for e in recorder.events if e[0] == "on_header"]
    assert headers[-2:] == [(b"X-Empty", b""), (b"X-Spaces", b"v  ")]  # trailing OWS kept, as llhttp


@pytest.mark.parametrize("name", sorted(REQUESTS))
def test_request_every_split_matches_whole(name: str) -> None:
    data = REQUESTS[name]
    whole, exc = feed(wireframe, "HttpRequestParser", [data])
    assert exc is None
    for cut in range(len(data) + 1):
        events, exc = feed(wireframe, "HttpRequestParser", [data[:cut], data[cut:]])
        assert exc is None, cut
        assert merged(events) == merged(whole), cut
    # Headers are whole even when every byte is a call of its own.
    events, exc = feed(wireframe, "HttpRequestParser", [data[i : i + 1] for i in range(len(data))])
    assert exc is None and merged(events) == merged(whole)


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_response_every_split_matches_whole(name: str) -> None:
    data = RESPONSES[name]
    whole, exc = feed(wireframe, "HttpResponseParser", [data])
    assert exc is None
    for cut in range(len(data) + 1):
        events, exc = feed(wireframe, "HttpResponseParser", [data[:cut], data[cut:]])
        assert exc is None, cut
        assert merged(events) == merged(whole), cut


@pytest.mark.parametrize(
    "cls,name,data",
    [("HttpRequestParser", k, v) for k, v in sorted(REQUESTS.items())]
    + [("HttpResponseParser", k, v) for k, v in sorted(RESPONSES.items())],
)
def test_differential_httptools_every_split(cls: str, name: str, data: bytes) -> None:
    """httptools and wireframe give the same callbacks for the whole input and for every
    two-way split (url/status/body pieces joined: their cut is the parser's business)."""
    for cut in [None, *range(len(data) + 1)]:
        chunks = [data] if cut is None else [data[:cut], data[cut:]]
        ours, our_exc = feed(wireframe, cls, chunks)
        theirs, their_exc = feed(httptools, cls, chunks)
        assert merged(ours) == merged(theirs), cut
        assert our_exc is None and their_exc is None


class Getters(Recorder):
    """Records the getters' answers at on_headers_complete and on_message_complete."""

    def __init__(self) -> None:
        super().__init__()
        self.parser = None

    def _state(self, where: str) -> None:
        p = self.parser
        state = [where, p.get_http_version(), p.should_keep_alive(), p.should_upgrade()]
        if hasattr(p, "get_method"):
            state.append(p.get_method())
        else:
            state.append(p.get_status_code())
        self.events.append(tuple(state))

    def on_headers_complete(self) -> None:
        self._state("headers")

    def on_message_complete(self) -> None:
        self._state("message")


@pytest.mark.parametrize(
    "cls,data",
    [
        ("HttpRequestParser", REQUESTS["pipelined"]),
        (
            "HttpRequestParser",
            b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n" + REQUESTS["webdav"],
        ),
        ("HttpResponseParser", RESPONSES["no-body"]),
        (
            "HttpRequestParser",
            b"GET /ws HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n",
        ),
    ],
)
def test_getters_inside_callbacks_match_httptools(cls: str, data: bytes) -> None:
    """Rows are dispatched after the whole buffer was parsed; the getters must still describe
    the message whose callback is running."""
    results = []
    for module in (wireframe, httptools):
        proto = Getters()
        parser = getattr(module, cls)(proto)
        proto.parser = parser
        try:
            parser.feed_data(data)
        except module.HttpParserUpgrade:
            pass
        results.append([e for e in proto.events if e[0] in ("headers", "message")])
    assert results[0] == results[1]
    assert len(results[0]) >= 2


def test_getters_after_feed() -> None:
    parser = wireframe.HttpRequestParser(object())
    parser.feed_data(b"PATCH /x HTTP/1.0\r\n\r\n")
    assert parser.get_method() == b"PATCH"
    assert parser.get_http_version() == "1.0"
    assert parser.should_keep_alive() is False
    response = wireframe.HttpResponseParser(object())
    response.feed_data(b"HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n")
    assert response.get_status_code() == 503
    assert response.should_keep_alive() is False


@pytest.mark.parametrize(
    "buffer",
    [
        bytes,
        bytearray,
        memoryview,
        lambda b: memoryview(b"xx" + b + b"yy")[2:-2],
        lambda b: array.array("B", b),
        lambda b: memoryview(bytearray(b)),
    ],
)
def test_buffer_types(buffer) -> None:  # type: ignore[no-untyped-def]
    data = REQUESTS["chunked-trailers"]
    want, _ = feed(wireframe, "HttpRequestParser", [data])
    got, exc = feed(wireframe, "HttpRequestParser", [buffer(data[:40]), buffer(data[40:])])
    assert exc is None
    assert merged(got) == merged(want)
    assert all(type(x) is bytes for e in got for x in e[1:])


def test_callbacks_called_only_if_present() -> None:
    class OnlyComplete:
        def __init__(self) -> None:
            self.count = 0

        def on_message_complete(self) -> None:
            self.count += 1

    proto = OnlyComplete()
    parser = wireframe.HttpRequestParser(proto)
    parser.feed_data(REQUESTS["pipelined"] + REQUESTS["chunked-trailers"])
    assert proto.count == 4
    wireframe.HttpResponseParser(object()).feed_data(RESPONSES["chunked"])


def test_many_messages_in_one_buffer_fill_the_row_array() -> None:
    """More rows than one call can record: the binding calls again with the rest."""
    data = REQUESTS["pipelined"] * 400 + REQUESTS["chunked-trailers"] * 50
    events, exc = feed(wireframe, "HttpRequestParser", [data])
    theirs, their_exc = feed(httptools, "HttpRequestParser", [data])
    assert exc is None and their_exc is None
    assert merged(events) == merged(theirs)
    assert sum(e[0] == "on_message_complete" for e in events) == 1250


def test_upgrade_raises_with_offset_and_parser_goes_on() -> None:
    head = b"GET /chat HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n"
    for module in (wireframe, httptools):
        rec = Recorder()
        parser = module.HttpRequestParser(rec)
        with pytest.raises(module.HttpParserUpgrade) as info:
            parser.feed_data(head + b"\x81\x00")
        assert info.value.args == (len(head),)
        assert parser.should_upgrade() is True
        assert rec.events[-1] == ("on_message_complete",)
        # Exactly at the end of the buffer too.
        parser = module.HttpRequestParser(Recorder())
        with pytest.raises(module.HttpParserUpgrade) as info:
            parser.feed_data(head)
        assert info.value.args == (len(head),)
        # As httptools: the parser parses HTTP again when fed again.
        parser.feed_data(b"GET /again HTTP/1.1\r\n\r\n")
    connect = b"CONNECT example.com:443 HTTP/1.1\r\n\r\n"
    with pytest.raises(wireframe.HttpParserUpgrade) as info:
        wireframe.HttpRequestParser(Recorder()).feed_data(connect + b"tls")
    assert info.value.args == (len(connect),)
    response = b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
    with pytest.raises(wireframe.HttpParserUpgrade) as info:
        wireframe.HttpResponseParser(Recorder()).feed_data(response + b"\x81")
    assert info.value.args == (len(response),)


def test_upgrade_with_body_reads_the_body_first() -> None:
    """A documented difference: httptools skips the body of an upgrade request; wireframe
    reads it (RFC 9110 7.8: the protocol changes after the whole request)."""
    head = b"POST /h2c HTTP/1.1\r\nConnection: upgrade\r\nUpgrade: h2c\r\nContent-Length: 5\r\n\r\n"
    rec = Recorder()
    with pytest.raises(wireframe.HttpParserUpgrade) as info:
        wireframe.HttpRequestParser(rec).feed_data(head + b"hello" + b"PRI")
    assert info.value.args == (len(head) + 5,)
    assert ("on_body", b"hello") in rec.events


def test_exception_hierarchy() -> None:
    for name in (
        "HttpParserCallbackError",
        "HttpParserInvalidStatusError",
        "HttpParserInvalidMethodError",
        "HttpParserInvalidURLError",
    ):
        assert issubclass(getattr(wireframe, name), wireframe.HttpParserError)
    assert issubclass(wireframe.HttpParserError, Exception)
    assert not issubclass(wireframe.HttpParserUpgrade, wireframe.HttpParserError)
    assert issubclass(wireframe.HttpParserUpgrade, Exception)


ERRORS = [
    ("HttpRequestParser", b"XYZ / HTTP/1.1\r\n\r\n", "HttpParserInvalidMethodError"),
    ("HttpRequestParser", b"GET /\x01 HTTP/1.1\r\n\r\n", "HttpParserInvalidURLError"),
    ("HttpResponseParser", b"HTTP/1.1 2000 OK\r\n\r\n", "HttpParserInvalidStatusError"),
    ("HttpRequestParser", b"GET / HTTP/1.1\r\nBad Header: x\r\n\r\n", "HttpParserError"),
    ("HttpRequestParser", b"GET / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n", "HttpParserError"),
    (
        "HttpRequestParser",
        b"POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
        "HttpParserError",
    ),  # llhttp calls on_headers_complete before failing; wireframe fails first
    (
        "HttpRequestParser",
        b"POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
        "HttpParserError",
    ),
    ("HttpRequestParser", b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "HttpParserError"),
    ("HttpRequestParser", b"GET /\xce\xb4 HTTP/1.1\r\n\r\n", "HttpParserInvalidURLError"),
    ("HttpRequestParser", b"GET / HTTP/1.1\r\nConnection: close\r\n\r\nGET /", "HttpParserError"),
]


@pytest.mark.parametrize("cls,data,error", ERRORS)
def test_errors_match_httptools_class_at_every_split(cls: str, data: bytes, error: str) -> None:
    for cut in [None, *range(len(data) + 1)]:
        chunks = [data] if cut is None else [data[:cut], data[cut:]]
        for module in (wireframe, httptools):
            events, exc = feed(module, cls, chunks)
            assert type(exc) is getattr(module, error), (module.__name__, cut, exc)
        ours, _ = feed(wireframe, cls, chunks)
        theirs, _ = feed(httptools, cls, chunks)
        # httptools reports a header only when the next one starts; compare the rest.
        keep = lambda evs: [e for e in merged(evs) if e[0] != "on_header"]  # noqa: E731
        if b"gzip" in data:
            theirs = [e for e in theirs if e[0] != "on_headers_complete"]
        assert keep(ours) == keep(theirs), cut


def test_error_is_sticky_and_has_reason() -> None:
    parser = wireframe.HttpRequestParser(Recorder())
    with pytest.raises(wireframe.HttpParserInvalidMethodError) as first:
        parser.feed_data(b"XYZ / HTTP/1.1\r\n\r\n")
    assert str(first.value)
    with pytest.raises(wireframe.HttpParserInvalidMethodError):
        parser.feed_data(b"GET / HTTP/1.1\r\n\r\n")


@pytest.mark.parametrize(
    "callback,cls,data",
    [
        ("on_message_begin", "HttpRequestParser", REQUESTS["post"]),
        ("on_url", "HttpRequestParser", REQUESTS["post"]),
        ("on_header", "HttpRequestParser", REQUESTS["post"]),
        ("on_header", "HttpRequestParser", REQUESTS["bench"]),
        ("on_headers_complete", "HttpRequestParser", REQUESTS["post"]),
        ("on_body", "HttpRequestParser", REQUESTS["post"]),
        ("on_message_complete", "HttpRequestParser", REQUESTS["post"]),
        ("on_chunk_header", "HttpRequestParser", REQUESTS["chunked-trailers"]),
        ("on_chunk_complete", "HttpRequestParser", REQUESTS["chunked-trailers"]),
        ("on_status", "HttpResponseParser", RESPONSES["ok"]),
    ],
)
def test_callback_exception_is_chained(callback: str, cls: str, data: bytes) -> None:
    class Boom(Exception):
        pass

    class Proto(Recorder):
        pass

    def fail(*args: object) -> None:
        raise Boom(callback)

    for module in (wireframe, httptools):
        proto = Proto()
        setattr(proto, callback, fail)
        parser = getattr(module, cls)(proto)
        with pytest.raises(module.HttpParserCallbackError) as info:
            parser.feed_data(data)
        assert isinstance(info.value.__context__, Boom)
        if module is wireframe:
            assert str(info.value) == f"`{callback}` callback error"
        # The parser stays failed.
        with pytest.raises(module.HttpParserCallbackError):
            parser.feed_data(data)
    assert isinstance(info.value.__cause__, Boom) or module is httptools


def test_callback_error_in_wireframe_sets_cause() -> None:
    class Proto:
        def on_url(self, url: bytes) -> None:
            raise KeyError(url)

    with pytest.raises(wireframe.HttpParserCallbackError) as info:
        wireframe.HttpRequestParser(Proto()).feed_data(REQUESTS["get"])
    assert isinstance(info.value.__cause__, KeyError)
    assert info.value.__cause__ is info.value.__context__


LENIENCY_CASES = {
    "lenient_headers": b"GET / HTTP/1.1\r\nX: a\x01b\r\n\r\n",
    "lenient_chunked_length": (
        b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n"
        b"1\r\na\r\n0\r\n\r\n"
    ),
    "lenient_keep_alive": b"GET / HTTP/1.1\r\nConnection: close\r\n\r\nGET / HTTP/1.1\r\n\r\n",
    "lenient_data_after_close": (
        b"GET / HTTP/1.1\r\nConnection: close\r\n\r\nGET / HTTP/1.1\r\n\r\n"
    ),
    "lenient_transfer_encoding": b"POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
    "lenient_version": b"GET / HTTP/1.5\r\n\r\n",
    "lenient_optional_lf_after_cr": b"GET / HTTP/1.1\r\nX: a\rY: b\r\n\r\n",
    "lenient_optional_cr_before_lf": b"GET / HTTP/1.1\nHost: a\n\n",
    "lenient_optional_crlf_after_chunk": (
        b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello0\r\n\r\n"
    ),
    "lenient_spaces_after_chunk_size": (
        b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5 \r\nhello\r\n0\r\n\r\n"
    ),
    "lenient_duplicate_content_length": (
        b"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx"
    ),
    "lenient_obs_fold": b"GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n",
    "lenient_space_before_colon": b"GET / HTTP/1.1\r\nX : a\r\n\r\n",
    "lenient_header_value_relaxed": b"GET / HTTP/1.1\r\nX: a\x0bb\r\n\r\n",
    "lenient_url_non_ascii": b"GET /\xce\xb4 HTTP/1.1\r\n\r\n",
}
# llhttp's flags of the same name that accept the same inputs (the others differ in scope).
AGREE_WITH_HTTPTOOLS = {
    "lenient_headers",
    "lenient_chunked_length",
    "lenient_keep_alive",
    "lenient_transfer_encoding",
    "lenient_version",
    "lenient_data_after_close",
    "lenient_optional_crlf_after_chunk",
    "lenient_spaces_after_chunk_size",
}


@pytest.mark.parametrize("flag", sorted(LENIENCY_CASES))
def test_leniency_flags(flag: str) -> None:
    data = LENIENCY_CASES[flag]
    modules = [wireframe] + ([httptools] if flag in AGREE_WITH_HTTPTOOLS else [])
    for module in modules:
        strict, exc = feed(module, "HttpRequestParser", [data])
        assert isinstance(exc, module.HttpParserError), (module.__name__, exc)

        rec = Recorder()
        parser = module.HttpRequestParser(rec)
        parser.set_dangerous_leniencies(**{flag: True})
        parser.feed_data(data)
        assert ("on_headers_complete",) in rec.events
        # None leaves the flag as it is; False turns it off again.
        parser = module.HttpRequestParser(Recorder())
        parser.set_dangerous_leniencies(**{flag: True})
        parser.set_dangerous_leniencies(**{flag: None})
        parser.feed_data(data)
        parser = module.HttpRequestParser(Recorder())
        parser.set_dangerous_leniencies(**{flag: True})
        parser.set_dangerous_leniencies(**{flag: False})
        with pytest.raises(module.HttpParserError):
            parser.feed_data(data)


def test_data_after_close_is_discarded_as_httptools_does() -> None:
    data = b"GET / HTTP/1.1\r\nConnection: close\r\n\r\nGET /smuggled HTTP/1.1\r\n\r\n"
    for module in (wireframe, httptools):
        rec = Recorder()
        parser = module.HttpRequestParser(rec)
        parser.set_dangerous_leniencies(lenient_data_after_close=True)
        parser.feed_data(data)
        parser.feed_data(b"POST /again HTTP/1.1\r\n\r\n")
        assert [e for e in rec.events if e[0] == "on_url"] == [("on_url", b"/")], module


def test_http2_preface_is_an_error_with_the_url_reported_first() -> None:
    data = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04"
    for module in (wireframe, httptools):
        rec = Recorder()
        with pytest.raises(module.HttpParserError) as info:
            module.HttpRequestParser(rec).feed_data(data)
        assert "PRI/Upgrade" in str(info.value), module
        assert [e for e in rec.events if e[0] == "on_url"] == [("on_url", b"*")], module


URLS = [
    b"http://user:pass@example.com:8080/path/to?q=1&r=2#frag",
    b"https://example.com/",
    b"/just/a/path?query",
    b"/p#only-fragment",
    b"*",
    b"http://[::1]:80/v6",
    b"http://example.com",
    b"ws://h:65535/x",
]


@pytest.mark.parametrize("url", URLS)
def test_parse_url_matches_httptools(url: bytes) -> None:
    ours = wireframe.parse_url(url)
    theirs = httptools.parse_url(url)
    for part in ("schema", "host", "port", "path", "query", "fragment", "userinfo"):
        assert getattr(ours, part) == getattr(theirs, part), part
    assert repr(ours) == repr(theirs)
    assert wireframe.parse_url(bytearray(url)).path == ours.path
    assert wireframe.parse_url(memoryview(url)).host == ours.host


def test_parse_url_exact_and_errors() -> None:
    url = wireframe.parse_url(b"http://u@h:1/p?q#f")
    assert (url.schema, url.userinfo, url.host, url.port, url.path, url.query, url.fragment) == (
        b"http", b"u", b"h", 1, b"/p", b"q", b"f",
    )
    for bad in (b"", b"http://", b"http://a b/", b"http://h:99999/"):
        with pytest.raises(wireframe.HttpParserInvalidURLError):
            wireframe.parse_url(bad)
        with pytest.raises(httptools.HttpParserInvalidURLError):
            httptools.parse_url(bad)
    with pytest.raises(TypeError):
        wireframe.parse_url("http://a/")  # type: ignore[arg-type]


def test_reentrant_feed_from_a_callback() -> None:
    """A callback may feed another parser (the row arrays are pooled, not shared)."""
    inner = Recorder()
    inner_parser = wireframe.HttpRequestParser(inner)

    class Outer(Recorder):
        def on_url(self, url: bytes) -> None:
            inner_parser.feed_data(REQUESTS["get"])
            self.events.append(("on_url", url))

    outer = Outer()
    wireframe.HttpRequestParser(outer).feed_data(REQUESTS["post"])
    assert outer.events[1] == ("on_url", b"/echo")
    assert inner.events[1] == ("on_url", b"/index.html?x=1#f")
    assert sys.getrefcount(inner_parser) >= 2


def test_feed_data_refuses_str_and_non_contiguous_views() -> None:
    for module in (wireframe, httptools):
        with pytest.raises(TypeError):
            module.HttpRequestParser(Recorder()).feed_data("GET / HTTP/1.1\r\n\r\n")
    # httptools reads a memoryview's memory without checking it is contiguous (it would parse
    # the wrong bytes); wireframe asks for a contiguous buffer and is refused.
    with pytest.raises(BufferError):
        wireframe.HttpRequestParser(Recorder()).feed_data(memoryview(b"GET / HTTP/1.1\r\n\r\n")[::2])


def test_missing_or_broken_library_is_a_clear_import_error(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from wireframe import _lib

    monkeypatch.setattr(_lib, "LIBRARY_PATH", tmp_path / "libwireframe.so")
    with pytest.raises(ImportError, match="is missing.*pip install ./bindings/python"):
        _lib._load()
    (tmp_path / "libwireframe.so").write_bytes(b"not a library")
    with pytest.raises(ImportError, match="cannot load the bundled library"):
        _lib._load()
