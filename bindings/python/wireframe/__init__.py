"""wireframe: HTTP/1.x and WebSocket wire formats over the wireframe C library (ctypes).

The HTTP API is httptools': change ``import httptools`` to ``import wireframe as httptools``.
The WebSocket codec and handshake helpers are in ``wireframe.ws``.
"""

from ctypes import sizeof as _sizeof

from . import parser
from .errors import (
    HttpParserCallbackError,
    HttpParserError,
    HttpParserInvalidMethodError,
    HttpParserInvalidStatusError,
    HttpParserInvalidURLError,
    HttpParserUpgrade,
)
from .parser import URL, HTTPProtocol, HttpRequestParser, HttpResponseParser, parse_url
from . import _native, errors, ws

# The objects the native dispatcher raises and builds (the pure-Python dispatch is used when
# it is not available; ``wireframe._native.ENABLED`` says which).
_native.init(
    (
        errors.HttpParserError,
        errors.HttpParserCallbackError,
        errors.HttpParserInvalidStatusError,
        errors.HttpParserInvalidMethodError,
        errors.HttpParserInvalidURLError,
        errors.HttpParserUpgrade,
        ws.Frame,
        ws.Message,
        tuple.__new__,
        ws.WebSocketError,
    ),
    _sizeof(parser._State),
    _sizeof(ws._WsState),
)

__version__ = "0.1.0"

__all__ = (
    "parser",
    "HTTPProtocol",
    "HttpRequestParser",
    "HttpResponseParser",
    "HttpParserError",
    "HttpParserCallbackError",
    "HttpParserInvalidStatusError",
    "HttpParserInvalidMethodError",
    "HttpParserInvalidURLError",
    "HttpParserUpgrade",
    "parse_url",
    "URL",
    "__version__",
)
