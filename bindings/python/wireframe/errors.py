"""The HTTP parser's exceptions, with the class hierarchy of httptools.

``HttpParserError`` is the base of every parse error; ``HttpParserUpgrade`` is not an error
(it derives from ``Exception`` only, as in httptools) and carries, as its only argument, the
offset in the buffer given to ``feed_data`` where the upgraded protocol's data starts.
"""

__all__ = (
    "HttpParserError",
    "HttpParserCallbackError",
    "HttpParserInvalidStatusError",
    "HttpParserInvalidMethodError",
    "HttpParserInvalidURLError",
    "HttpParserUpgrade",
)


class HttpParserError(Exception):
    """The input is not valid HTTP (or a callback failed): the parser stops for good."""


class HttpParserCallbackError(HttpParserError):
    """A protocol callback raised; the original exception is the ``__cause__``."""


class HttpParserInvalidStatusError(HttpParserError):
    """A response's status code is malformed."""


class HttpParserInvalidMethodError(HttpParserError):
    """A request's method is unknown or malformed."""


class HttpParserInvalidURLError(HttpParserError):
    """A request target (or a URL given to ``parse_url``) is malformed."""


class HttpParserUpgrade(Exception):
    """The message upgraded the connection; ``args[0]`` is the offset of the new protocol's
    first byte in the buffer given to ``feed_data``."""
