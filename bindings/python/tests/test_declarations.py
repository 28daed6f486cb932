"""The ctypes declarations (wireframe/_lib.py) against include/wireframe.h: every function
the package calls exists with the same number and kind of arguments, and every struct has
the same fields with the same sizes, so ctypes lays it out exactly as C does."""

from __future__ import annotations

import ctypes
import re
from pathlib import Path

import pytest

from wireframe import _lib

HEADER = Path(__file__).resolve().parents[3] / "include" / "wireframe.h"

SCALARS = {
    "uint8_t": 1,
    "int8_t": 1,
    "bool": 1,
    "char": 1,
    "uint16_t": 2,
    "uint32_t": 4,
    "int": 4,
    "uint64_t": 8,
    "int32_t": 4,
    "int64_t": 8,
    "size_t": 8,
    # enums typedef'd to their repr type in C
    "wf_ws_err": 4,
    "wf_hpe": 4,
    "wf_ws_opcode": 1,
    "wf_ws_close_code": 2,
    "wf_form_err": 4,
}

STRUCTS = {
    "wf_http_parser": _lib.HttpParser,
    "wf_http_event": _lib.HttpEvent,
    "wf_http_url_span": _lib.HttpUrlSpan,
    "wf_http_url": _lib.HttpUrl,
    "wf_ws_header": _lib.WsHeader,
    "wf_ws_deflate_params": _lib.WsDeflateParams,
    "wf_ws_handshake": _lib.WsHandshake,
    "wf_ws_client_request": _lib.WsClientRequest,
    "wf_ws_utf8_state": _lib.WsUtf8State,
    "wf_ws_decoder_state": _lib.WsDecoderState,
    "wf_ws_decoder": _lib.WsDecoder,
    "wf_ws_frame_header": _lib.WsFrameHeader,
    "wf_ws_frame_end": _lib.WsFrameEnd,
    "wf_ws_callbacks": _lib.WsCallbacks,
    "wf_mp_state": _lib.MpState,
    "wf_mp_parser": _lib.MpParser,
    "wf_mp_event": _lib.MpEvent,
    "wf_span": _lib.Span,
    "wf_param_value": _lib.ParamValue,
    "wf_ext_value": _lib.ExtValue,
    "wf_content_disposition": _lib.ContentDisposition,
    "wf_cookie_pair": _lib.CookiePair,
    "wf_query_pair": _lib.QueryPair,
    "wf_basic_credentials": _lib.BasicCredentials,
    "wf_set_cookie": _lib.SetCookie,
}


def header_text() -> str:
    text = HEADER.read_text()
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def c_type(decl: str) -> tuple[str, int]:
    """('pointer', 8) for any pointer or function pointer, else ('scalar', size) or
    ('struct', name)."""
    decl = decl.replace("const ", "").replace("struct ", "").strip()
    if "*" in decl or decl.endswith("_cb"):
        return ("pointer", 8)
    if decl in SCALARS:
        return ("scalar", SCALARS[decl])
    return ("struct", decl)  # type: ignore[return-value]


def header_functions() -> dict[str, tuple[tuple, list[tuple]]]:
    out = {}
    for ret, name, params in re.findall(r"\n([\w ][\w \*]*?)\s*\b(wf_\w+)\(([^;{)]*)\);", header_text()):
        args = [] if params.strip() in ("", "void") else [
            c_type(re.sub(r"\b\w+$", "", p.strip())) for p in params.split(",")
        ]
        out[name] = (("void", 0) if ret.strip() == "void" else c_type(ret), args)
    return out


def header_structs() -> dict[str, list[tuple[str, tuple, int]]]:
    out = {}
    for body, name in re.findall(r"typedef struct \w+ \{(.*?)\} (\w+);", header_text(), flags=re.S):
        fields = []
        for decl in filter(None, (d.strip() for d in body.split(";"))):
            m = re.match(r"(.*?)\b(\w+)(?:\[(\d+)\])?$", decl, flags=re.S)
            assert m, decl
            fields.append((m.group(2), c_type(m.group(1)), int(m.group(3) or 1)))
        out[name] = fields
    return out


def ctypes_kind(t: object) -> tuple:
    if t is None:
        return ("void", 0)
    if t in (ctypes.c_void_p, ctypes.c_char_p) or (
        isinstance(t, type) and issubclass(t, (ctypes._Pointer, ctypes._CFuncPtr))  # type: ignore[attr-defined]
    ):
        return ("pointer", 8)
    return ("scalar", ctypes.sizeof(t))  # type: ignore[arg-type]


def test_header_is_found_and_parsed() -> None:
    functions = header_functions()
    assert len(functions) > 60
    assert functions["wf_http_execute_events"][1] == [
        ("pointer", 8), ("pointer", 8), ("scalar", 8), ("pointer", 8),
        ("scalar", 8), ("scalar", 4), ("pointer", 8),
    ]
    assert set(STRUCTS) <= set(header_structs())


@pytest.mark.parametrize("name", sorted(_lib.SIGNATURES))
def test_function_declaration_matches_header(name: str) -> None:
    restype, argtypes = _lib.SIGNATURES[name]
    functions = header_functions()
    assert name in functions, f"{name} is not in {HEADER}"
    ret, args = functions[name]
    assert len(argtypes) == len(args)
    assert [ctypes_kind(t) for t in argtypes] == list(args)
    assert ctypes_kind(restype) == ret
    fn = getattr(_lib.lib, name)
    assert fn.argtypes == argtypes and fn.restype == restype


@pytest.mark.parametrize("name", sorted(STRUCTS))
def test_struct_matches_header(name: str) -> None:
    struct = STRUCTS[name]
    fields = header_structs()[name]
    assert [f[0] for f in struct._fields_] == [f[0] for f in fields]
    for (fname, ftype), (_, kind, count) in zip(struct._fields_, fields):
        base = ftype._type_ if issubclass(ftype, ctypes.Array) else ftype
        got_count = ftype._length_ if issubclass(ftype, ctypes.Array) else 1
        assert got_count == count, fname
        if kind[0] == "struct":
            assert base is STRUCTS[kind[1]], fname
        else:
            assert ctypes_kind(base) == kind, fname


def test_parser_layout_of_the_fields_the_binding_reads() -> None:
    P = _lib.HttpParser
    assert (P.method.offset, P.http_major.offset, P.http_minor.offset) == (17, 18, 19)
    assert (P.status_code.offset, P.upgrade.offset) == (20, 24)
    assert ctypes.sizeof(P) == 120
    assert ctypes.sizeof(_lib.HttpEvent) == 24
    assert (_lib.HttpEvent.offset.offset, _lib.HttpEvent.length.offset) == (8, 16)


def test_parser_stays_inside_its_size_and_fields_match_accessors() -> None:
    """The library writes nothing past sizeof(HttpParser), and the struct fields read what
    the C accessors return."""
    lib = _lib.lib
    size = ctypes.sizeof(_lib.HttpParser)
    block = (ctypes.c_uint8 * (size + 64))(*([0xA5] * (size + 64)))
    parser = _lib.HttpParser.from_buffer(block)
    lib.wf_http_parser_init(ctypes.addressof(parser), 2)
    rows = (_lib.HttpEvent * 64)()
    count = ctypes.c_size_t()
    data = b"HTTP/1.0 404 Not Found\r\nConnection: keep-alive\r\nContent-Length: 3\r\n\r\nab"
    lib.wf_http_execute_events(
        ctypes.addressof(parser), data, len(data), rows, 64, 0, ctypes.byref(count)
    )
    assert bytes(block[size:]) == b"\xa5" * 64
    for field, ctype in [
        ("status_code", ctypes.c_uint16),
        ("http_major", ctypes.c_uint8),
        ("http_minor", ctypes.c_uint8),
        ("flags", ctypes.c_uint16),
        ("upgrade", ctypes.c_uint8),
        ("content_length", ctypes.c_uint64),
    ]:
        fn = getattr(lib, f"wf_http_get_{field}")
        fn.argtypes, fn.restype = [ctypes.c_void_p], ctype
        assert fn(ctypes.addressof(parser)) == getattr(parser, field), field
    assert (parser.status_code, parser.http_major, parser.http_minor) == (404, 1, 0)
    assert parser.content_length == 1  # one body byte still to come


def test_decoder_stays_inside_its_size() -> None:
    lib = _lib.lib
    size = ctypes.sizeof(_lib.WsDecoder)
    block = (ctypes.c_uint8 * (size + 64))(*([0x5A] * (size + 64)))
    addr = ctypes.addressof(block)
    assert lib.wf_ws_decoder_init(addr, 0) == 0
    frame = bytearray(b"\x81\x85abcd\x09\x07\x0f\x08\x0e")
    buf = (ctypes.c_char * len(frame)).from_buffer(frame)
    assert lib.wf_ws_decode(addr, None, ctypes.addressof(buf), len(frame)) == len(frame)
    assert bytes(frame[6:]) == b"hello"
    assert bytes(block[size:]) == b"\x5a" * 64
