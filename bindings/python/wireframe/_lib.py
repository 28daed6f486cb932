"""The one place where wireframe's shared library is loaded and every C function is declared.

The library, ``libwireframe.so``, is built by ``pip install`` (cargo, release profile) and
copied next to this file; it is loaded from there and from nowhere else. Every function the
package calls is declared here with its ``argtypes`` and ``restype`` (checked against
``include/wireframe.h`` by the tests), and so is every C struct the package reads or writes.
"""

from __future__ import annotations

import ctypes
from ctypes import (
    POINTER,
    Structure,
    c_bool,
    c_char,
    c_char_p,
    c_int,
    c_size_t,
    c_ssize_t,
    c_uint8,
    c_uint16,
    c_uint32,
    c_uint64,
    c_void_p,
    py_object,
)
from pathlib import Path

__all__ = ["lib", "LIBRARY_PATH", "SIGNATURES"]

#: Where the bundled shared library lives: inside the installed package.
LIBRARY_PATH = Path(__file__).with_name("libwireframe.so")


def _load() -> ctypes.CDLL:
    """Loads the bundled library, or raises ImportError saying why and what to do."""
    if not LIBRARY_PATH.is_file():
        raise ImportError(
            f"wireframe: the bundled library {LIBRARY_PATH} is missing; this package must be "
            "installed with `pip install ./bindings/python` from a wireframe checkout (the "
            "build runs `cargo build --release` and copies libwireframe.so into the package)"
        )
    try:
        return ctypes.CDLL(str(LIBRARY_PATH))
    except OSError as exc:
        raise ImportError(
            f"wireframe: cannot load the bundled library {LIBRARY_PATH}: {exc}; reinstall "
            "with `pip install ./bindings/python` on this machine"
        ) from exc


# ---------------------------------------------------------------------------------------
# Structs (field for field as in include/wireframe.h; ctypes applies the C layout rules).


class HttpParser(Structure):
    """``wf_http_parser``: the parser state, owned by the binding (a complete C type)."""

    _fields_ = [
        ("data", c_void_p),
        ("content_length", c_uint64),
        ("kind", c_uint8),
        ("method", c_uint8),
        ("http_major", c_uint8),
        ("http_minor", c_uint8),
        ("status_code", c_uint16),
        ("flags", c_uint16),
        ("upgrade", c_uint8),
        ("_state", c_uint8),
        ("_after", c_uint8),
        ("_pending", c_uint8),
        ("_msg_kind", c_uint8),
        ("_protocol", c_uint8),
        ("_header", c_uint8),
        ("_iflags", c_uint8),
        ("_token_len", c_uint8),
        ("_vtok_len", c_uint8),
        ("_vstate", c_uint8),
        ("_reason", c_uint16),
        ("_errno", c_uint32),
        ("_lenient", c_uint32),
        ("_max_header_size", c_uint32),
        ("_max_ext_size", c_uint32),
        ("_head_bytes", c_uint32),
        ("_ext_bytes", c_uint32),
        ("_error_offset", c_size_t),
        ("_scratch", c_uint64),
        ("_token", c_uint8 * 24),
        ("_vtok", c_uint8 * 12),
    ]


class HttpEvent(Structure):
    """``wf_http_event``: one row recorded by ``wf_http_execute_events``."""

    _fields_ = [
        ("kind", c_uint8),
        ("method", c_uint8),
        ("http_major", c_uint8),
        ("http_minor", c_uint8),
        ("status_code", c_uint16),
        ("upgrade", c_uint8),
        ("should_keep_alive", c_uint8),
        ("offset", c_size_t),
        ("length", c_size_t),
    ]


class HttpUrlSpan(Structure):
    """``wf_http_url_span``: where one part lies in a URL."""

    _fields_ = [("offset", c_size_t), ("length", c_size_t)]


class HttpUrl(Structure):
    """``wf_http_url``: the parts of a parsed URL."""

    _fields_ = [("field_set", c_uint16), ("port", c_uint16), ("fields", HttpUrlSpan * 7)]


class WsHeader(Structure):
    """``wf_ws_header``: one HTTP header as pointer/length pairs."""

    _fields_ = [
        ("name", c_char_p),
        ("name_len", c_size_t),
        ("value", c_char_p),
        ("value_len", c_size_t),
    ]


class WsDeflateParams(Structure):
    """``wf_ws_deflate_params``: permessage-deflate parameters."""

    _fields_ = [
        ("server_no_context_takeover", c_bool),
        ("client_no_context_takeover", c_bool),
        ("server_max_window_bits", c_uint8),
        ("client_max_window_bits_present", c_bool),
        ("client_max_window_bits", c_uint8),
    ]


class WsDeflateOptions(Structure):
    """``wf_ws_deflate_options``: compression level, memory level, inflated-size limit."""

    _fields_ = [
        ("level", c_uint8),
        ("mem_level", c_uint8),
        ("max_message_size", c_uint64),
    ]


class WsHandshake(Structure):
    """``wf_ws_handshake``: the outcome of a server or client handshake check."""

    _fields_ = [
        ("error", c_uint32),
        ("status", c_uint16),
        ("accept_key", c_char * 29),
        ("protocol", c_void_p),
        ("protocol_len", c_size_t),
        ("deflate", c_bool),
        ("deflate_params", WsDeflateParams),
    ]


class WsClientRequest(Structure):
    """``wf_ws_client_request``: what a client sends in its upgrade request (the strings
    are addresses of buffers the binding keeps alive)."""

    _fields_ = [
        ("host", c_void_p),
        ("host_len", c_size_t),
        ("path", c_void_p),
        ("path_len", c_size_t),
        ("protocols", c_void_p),
        ("protocols_len", c_size_t),
        ("extensions", c_void_p),
        ("extensions_len", c_size_t),
        ("extra_headers", c_void_p),
        ("extra_headers_len", c_size_t),
        ("nonce", c_uint8 * 16),
    ]


class WsUtf8State(Structure):
    """``wf_ws_utf8_state``: private validator state inside the decoder."""

    _fields_ = [("_need", c_uint8), ("_lo", c_uint8), ("_hi", c_uint8)]


class WsDecoderState(Structure):
    """``wf_ws_decoder_state``: the decoder's private state."""

    _fields_ = [
        ("_magic", c_uint32),
        ("_flags", c_uint32),
        ("_max_frame", c_uint64),
        ("_max_message", c_uint64),
        ("_max_fragments", c_uint32),
        ("_error", c_uint32),
        ("_error_offset", c_uint64),
        ("_total", c_uint64),
        ("_len", c_uint64),
        ("_pos", c_uint64),
        ("_msg_size", c_uint64),
        ("_msg_fragments", c_uint32),
        ("_role", c_uint8),
        ("_state", c_uint8),
        ("_b0", c_uint8),
        ("_b1", c_uint8),
        ("_ext_left", c_uint8),
        ("_mask_left", c_uint8),
        ("_mask", c_uint8 * 4),
        ("_msg_opcode", c_uint8),
        ("_msg_validate", c_uint8),
        ("_close_b0", c_uint8),
        ("_close_code", c_uint16),
        ("_utf8", WsUtf8State),
        ("_close_utf8", WsUtf8State),
    ]


class WsDecoder(Structure):
    """``wf_ws_decoder``: the streaming frame decoder (a complete C type)."""

    _fields_ = [("data", c_void_p), ("_state", WsDecoderState)]


class WsFrameHeader(Structure):
    """``wf_ws_frame_header``: a decoded frame header, given to ``on_frame_header``."""

    _fields_ = [
        ("fin", c_bool),
        ("rsv1", c_bool),
        ("rsv2", c_bool),
        ("rsv3", c_bool),
        ("opcode", c_uint8),
        ("masked", c_bool),
        ("mask_key", c_uint8 * 4),
        ("payload_len", c_uint64),
    ]


class WsFrameEnd(Structure):
    """``wf_ws_frame_end``: what ``on_frame_complete`` learns about the frame that ended."""

    _fields_ = [
        ("opcode", c_uint8),
        ("message_opcode", c_uint8),
        ("fin", c_bool),
        ("message_end", c_bool),
        ("close_code", c_uint16),
    ]


#: ``wf_ws_header_cb``, ``wf_ws_data_cb``, ``wf_ws_end_cb``. Pointers arrive as plain
#: integers (c_size_t) so that a callback does no ctypes object work it does not need.
WsHeaderCb = ctypes.CFUNCTYPE(c_int, c_void_p, POINTER(WsFrameHeader))
WsDataCb = ctypes.CFUNCTYPE(c_int, c_void_p, c_size_t, c_size_t)
WsEndCb = ctypes.CFUNCTYPE(c_int, c_void_p, POINTER(WsFrameEnd))


class WsCallbacks(Structure):
    """``wf_ws_callbacks``: the decoder's three callbacks (any may be NULL)."""

    _fields_ = [
        ("on_frame_header", WsHeaderCb),
        ("on_payload", WsDataCb),
        ("on_frame_complete", WsEndCb),
    ]


class PyBuffer(Structure):
    """CPython's ``Py_buffer``, to get the address of a read-only buffer (memoryview)."""

    _fields_ = [
        ("buf", c_void_p),
        ("obj", c_void_p),
        ("len", c_ssize_t),
        ("itemsize", c_ssize_t),
        ("readonly", c_int),
        ("ndim", c_int),
        ("format", c_char_p),
        ("shape", c_void_p),
        ("strides", c_void_p),
        ("suboffsets", c_void_p),
        ("internal", c_void_p),
    ]


# ---------------------------------------------------------------------------------------
# Functions: name -> (restype, argtypes). The tests compare this table with the header.

_P = c_void_p  # every pointer to a wireframe struct or to a byte buffer
SIGNATURES: dict[str, tuple[object, list[object]]] = {
    # HTTP parser
    "wf_http_parser_size": (c_size_t, []),
    "wf_http_parser_init": (None, [_P, c_uint8]),
    "wf_http_execute_events": (
        c_size_t,
        [_P, _P, c_size_t, _P, c_size_t, c_uint32, _P],
    ),
    "wf_http_errno": (c_uint32, [_P]),
    "wf_http_error_reason": (c_char_p, [_P]),
    "wf_http_error_offset": (c_size_t, [_P]),
    "wf_http_errno_name": (c_char_p, [c_uint32]),
    "wf_http_method_str": (c_char_p, [c_uint32]),
    "wf_http_should_keep_alive": (c_int, [_P]),
    "wf_http_resume_after_upgrade": (None, [_P]),
    "wf_http_set_lenient_flags": (None, [_P, c_uint32]),
    "wf_http_set_max_header_size": (None, [_P, c_uint32]),
    "wf_http_parse_url": (c_int, [_P, c_size_t, c_int, _P]),
    # WebSocket decoder
    "wf_ws_decoder_size": (c_size_t, []),
    "wf_ws_decoder_init": (c_uint32, [_P, c_uint32]),
    "wf_ws_decoder_set_limits": (c_uint32, [_P, c_uint64, c_uint64, c_uint32]),
    "wf_ws_decoder_set_flags": (c_uint32, [_P, c_uint32]),
    "wf_ws_decode": (c_size_t, [_P, _P, _P, c_size_t]),
    "wf_ws_decoder_error": (c_uint32, [_P]),
    "wf_ws_decoder_error_reason": (c_char_p, [_P]),
    "wf_ws_decoder_error_offset": (c_uint64, [_P]),
    "wf_ws_decoder_close_code": (c_uint16, [_P]),
    "wf_ws_decoder_in_message": (c_bool, [_P]),
    "wf_ws_err_name": (c_char_p, [c_uint32]),
    "wf_ws_err_description": (c_char_p, [c_uint32]),
    "wf_ws_close_code_may_be_sent": (c_bool, [c_uint16]),
    # WebSocket encoder and masking
    "wf_ws_mask": (c_uint32, [_P, c_size_t, _P, c_uint64]),
    "wf_ws_frame_size": (c_size_t, [c_uint64, c_bool]),
    "wf_ws_encode_header": (
        c_uint32,
        [_P, c_size_t, c_uint32, c_uint8, _P, c_uint64, _P],
    ),
    "wf_ws_encode_frame": (
        c_uint32,
        [_P, c_size_t, c_uint32, c_uint8, _P, _P, c_size_t, _P],
    ),
    "wf_ws_encode_close": (
        c_uint32,
        [_P, c_size_t, c_uint16, _P, c_size_t, _P, _P],
    ),
    "wf_ws_encode_ping": (c_uint32, [_P, c_size_t, _P, c_size_t, _P, _P]),
    "wf_ws_encode_pong": (c_uint32, [_P, c_size_t, _P, c_size_t, _P, _P]),
    # Handshake
    "wf_ws_accept_key": (c_uint32, [_P, c_size_t, _P]),
    "wf_ws_server_handshake": (
        c_uint32,
        [_P, c_size_t, c_uint16, c_uint16, _P, c_size_t, _P, c_size_t, c_uint32, _P],
    ),
    "wf_ws_server_write_response": (c_uint32, [_P, _P, c_size_t, _P]),
    "wf_ws_client_write_request": (c_uint32, [_P, _P, c_size_t, _P]),
    "wf_ws_client_validate_response": (c_uint32, [_P, c_uint16, _P, c_size_t, _P]),
    "wf_ws_err_close_code": (c_uint16, [c_uint32]),
    # permessage-deflate
    "wf_ws_deflate_options_init": (None, [_P]),
    "wf_ws_deflate_memory_size": (c_size_t, [_P, c_uint32, _P]),
    "wf_ws_deflate_new": (c_uint32, [_P, c_uint32, _P, _P]),
    "wf_ws_deflate_free": (None, [_P]),
    "wf_ws_deflate_size": (c_size_t, [_P]),
    "wf_ws_deflate_compress_bound": (c_size_t, [c_size_t]),
    "wf_ws_deflate_frame_bound": (c_size_t, [c_size_t]),
    "wf_ws_deflate_compress_message": (c_uint32, [_P, _P, c_size_t, _P, c_size_t, _P]),
    "wf_ws_deflate_encode_message": (
        c_uint32,
        [_P, c_uint8, _P, c_size_t, _P, _P, c_size_t, _P],
    ),
    "wf_ws_deflate_begin_message": (c_uint32, [_P, c_bool]),
    "wf_ws_deflate_decompress": (
        c_uint32,
        [_P, _P, c_size_t, _P, c_size_t, _P, _P, _P],
    ),
    "wf_ws_deflate_finish": (c_uint32, [_P, _P, c_size_t, _P, _P]),
    "wf_ws_deflate_reset": (c_uint32, [_P]),
    "wf_ws_deflate_set_max_message_size": (c_uint32, [_P, c_uint64]),
    "wf_ws_deflate_message_size": (c_uint64, [_P]),
}

lib = _load()
for _name, (_restype, _argtypes) in SIGNATURES.items():
    _fn = getattr(lib, _name)
    _fn.restype = _restype
    _fn.argtypes = _argtypes

# The structs the package allocates must have the library's sizes, or calls would write past
# them: a library built from other sources than this package is refused at import.
for _struct, _size_fn in ((HttpParser, lib.wf_http_parser_size), (WsDecoder, lib.wf_ws_decoder_size)):
    if ctypes.sizeof(_struct) != _size_fn():
        raise ImportError(
            f"wireframe: {_struct.__name__} is {ctypes.sizeof(_struct)} bytes here but "
            f"{_size_fn()} in the bundled library; reinstall with `pip install ./bindings/python`"
        )

# CPython's buffer protocol, for inputs that are neither bytes nor writable.
PyObject_GetBuffer = ctypes.pythonapi.PyObject_GetBuffer
PyObject_GetBuffer.argtypes = [py_object, POINTER(PyBuffer), c_int]
PyObject_GetBuffer.restype = c_int
PyBuffer_Release = ctypes.pythonapi.PyBuffer_Release
PyBuffer_Release.argtypes = [POINTER(PyBuffer)]
PyBuffer_Release.restype = None


# ---------------------------------------------------------------------------------------
# Form formats (wireframe.multipart): the multipart parser and the span-returning helpers.


class MpState(Structure):
    """``wf_mp_state``: the multipart parser's private state."""

    _fields_ = [
        ("_magic", c_uint32),
        ("_error", c_uint32),
        ("_error_offset", c_uint64),
        ("_total", c_uint64),
        ("_max_part_size", c_uint64),
        ("_part_size", c_uint64),
        ("_mark", c_uint64),
        ("_max_parts", c_uint32),
        ("_max_header_size", c_uint32),
        ("_max_preamble", c_uint32),
        ("_max_epilogue", c_uint32),
        ("_parts", c_uint32),
        ("_state", c_uint8),
        ("_match", c_uint8),
        ("_delim_len", c_uint8),
        ("_flags", c_uint8),
        ("_delim", c_uint8 * 74),
    ]


class MpParser(Structure):
    """``wf_mp_parser``: the multipart parser (a complete C type)."""

    _fields_ = [("data", c_void_p), ("_state", MpState)]


class MpEvent(Structure):
    """``wf_mp_event``: one row recorded by ``wf_mp_execute_events``."""

    _fields_ = [("kind", c_uint8), ("offset", c_size_t), ("length", c_size_t)]


class Span(Structure):
    """``wf_span``: offset and length of a result in the caller's buffer."""

    _fields_ = [("offset", c_size_t), ("length", c_size_t)]


class ParamValue(Structure):
    """``wf_param_value``: a header parameter's value."""

    _fields_ = [("span", Span), ("quoted", c_bool), ("escaped", c_bool)]


class ExtValue(Structure):
    """``wf_ext_value``: an RFC 8187 ext-value (charset, language, encoded value)."""

    _fields_ = [("charset", Span), ("language", Span), ("value", Span)]


class ContentDisposition(Structure):
    """``wf_content_disposition``: a part's Content-Disposition as spans."""

    _fields_ = [
        ("kind", Span),
        ("name", ParamValue),
        ("filename", ParamValue),
        ("filename_ext", ExtValue),
        ("has_name", c_bool),
        ("has_filename", c_bool),
        ("has_filename_ext", c_bool),
    ]


class CookiePair(Structure):
    """``wf_cookie_pair``: one cookie of a Cookie header."""

    _fields_ = [("name", Span), ("value", Span)]


class QueryPair(Structure):
    """``wf_query_pair``: one pair of a query string."""

    _fields_ = [("name", Span), ("value", Span), ("has_value", c_bool)]


class BasicCredentials(Structure):
    """``wf_basic_credentials``: user and password spans of the decoded buffer."""

    _fields_ = [("user", Span), ("password", Span)]


class SetCookie(Structure):
    """``wf_set_cookie``: a cookie to write (the byte strings are addresses the caller keeps
    alive for the call)."""

    _fields_ = [
        ("name", c_void_p),
        ("name_len", c_size_t),
        ("value", c_void_p),
        ("value_len", c_size_t),
        ("domain", c_void_p),
        ("domain_len", c_size_t),
        ("path", c_void_p),
        ("path_len", c_size_t),
        ("max_age", ctypes.c_int64),
        ("expires", ctypes.c_int64),
        ("has_max_age", c_bool),
        ("has_expires", c_bool),
        ("secure", c_bool),
        ("http_only", c_bool),
        ("partitioned", c_bool),
        ("same_site", c_uint8),
    ]


FORM_SIGNATURES: dict[str, tuple[object, list[object]]] = {
    "wf_mp_parser_size": (c_size_t, []),
    "wf_mp_parser_init": (c_uint32, [_P, _P, c_size_t]),
    "wf_mp_parser_set_limits": (c_uint32, [_P, c_uint32, c_uint32, c_uint64, c_uint32, c_uint32]),
    "wf_mp_execute_events": (c_size_t, [_P, _P, c_size_t, _P, c_size_t, c_uint32, _P]),
    "wf_mp_finish": (c_uint32, [_P]),
    "wf_mp_errno": (c_uint32, [_P]),
    "wf_mp_error_offset": (c_uint64, [_P]),
    "wf_mp_parts": (c_uint32, [_P]),
    "wf_form_err_name": (c_char_p, [c_uint32]),
    "wf_form_err_description": (c_char_p, [c_uint32]),
    "wf_form_boundary_from_content_type": (c_uint32, [_P, c_size_t, _P, _P]),
    "wf_form_content_disposition": (c_uint32, [_P, c_size_t, _P, _P]),
    "wf_form_unescape_quoted": (c_size_t, [_P, c_size_t]),
    "wf_form_percent_decode": (c_uint32, [_P, c_size_t, c_bool, _P, _P]),
    "wf_form_query_next": (ctypes.c_int32, [_P, c_size_t, _P, _P]),
    "wf_form_cookie_next": (ctypes.c_int32, [_P, c_size_t, _P, _P, _P, _P]),
    "wf_form_basic_auth_decode": (c_uint32, [_P, c_size_t, _P, c_size_t, _P, _P]),
    "wf_form_set_cookie": (c_uint32, [_P, _P, c_size_t, _P, _P]),
}
for _name, (_restype, _argtypes) in FORM_SIGNATURES.items():
    _fn = getattr(lib, _name)
    _fn.restype = _restype
    _fn.argtypes = _argtypes
SIGNATURES.update(FORM_SIGNATURES)
if ctypes.sizeof(MpParser) != lib.wf_mp_parser_size():
    raise ImportError(
        f"wireframe: MpParser is {ctypes.sizeof(MpParser)} bytes here but "
        f"{lib.wf_mp_parser_size()} in the bundled library; reinstall with "
        "`pip install ./bindings/python`"
    )
