"""wireframe: HTTP/1.x and WebSocket wire formats over the wireframe C library (ctypes).

The HTTP API is httptools': change ``import httptools`` to ``import wireframe as httptools``.
The WebSocket codec and handshake helpers are in ``wireframe.ws``.
"""

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
