"""Loads the native dispatcher, ``libwireframe_dispatch.so``, when it can be used.

The dispatcher runs the core parser and calls the protocol's methods through CPython's stable
ABI, so ``feed_data`` is one foreign call per buffer with no per-event Python code. It is loaded
with ``ctypes.PyDLL`` (the GIL stays held during its calls, and an exception a call sets is
raised when it returns). Once per parser, ``wfpy_bind`` returns a builtin function bound to the
parser's context, which becomes that parser's ``feed_data``: each buffer is then one direct
call into the dispatcher, without ctypes' argument conversion (which costs more than parsing a
small request).

It is not used (the pure-Python dispatch over the events entry point takes over, with the same
behaviour) when:

- the environment variable ``WIREFRAME_PURE_PYTHON`` is set to a non-empty value other than
  ``0`` when the package is imported;
- the interpreter is not CPython (PyPy), or is a free-threaded build (the stable ABI does not
  cover it);
- the library is missing or cannot be loaded, or was built for another interface or struct
  layout (``REASON`` then says why).

``ENABLED`` says which dispatch is in use.
"""

from __future__ import annotations

import ctypes
import os
import platform
import sysconfig
from ctypes import c_int, c_size_t, c_uint32, py_object
from pathlib import Path
from typing import Any, Callable, Optional, TypeVar

T = TypeVar("T")

__all__ = ["ENABLED", "REASON", "ENV_VAR", "LIBRARY_PATH", "bind_http", "bind_ws", "init", "made_with"]

#: The environment variable that forces the pure-Python dispatch.
ENV_VAR = "WIREFRAME_PURE_PYTHON"
#: Where the dispatcher lives: inside the installed package.
LIBRARY_PATH = Path(__file__).with_name("libwireframe_dispatch.so")
#: The interface version this package speaks (``WFPY_INTERFACE`` in the dispatcher).
INTERFACE = 1

http_state_size = 0
ws_state_size = 0
_init: Optional[Callable[[Any], int]] = None
_bind: Optional[Callable[[int, Any, Any], int]] = None


def _load() -> str:
    """Loads the dispatcher; returns "" or why it is not used."""
    global http_state_size, ws_state_size, _init, _bind
    if os.environ.get(ENV_VAR, "") not in ("", "0"):
        return f"{ENV_VAR} is set"
    if platform.python_implementation() != "CPython":
        return f"{platform.python_implementation()} is not CPython"
    if sysconfig.get_config_var("Py_GIL_DISABLED"):
        return "free-threaded CPython is outside the stable ABI"
    if not LIBRARY_PATH.is_file():
        return f"{LIBRARY_PATH} is missing"
    try:
        dll = ctypes.PyDLL(str(LIBRARY_PATH))
    except OSError as exc:
        return f"cannot load {LIBRARY_PATH}: {exc}"
    dll.wfpy_interface.restype = c_uint32
    dll.wfpy_interface.argtypes = []
    if dll.wfpy_interface() != INTERFACE:
        return f"{LIBRARY_PATH} speaks interface {dll.wfpy_interface()}, not {INTERFACE}"
    for name in ("wfpy_http_state_size", "wfpy_ws_state_size"):
        getattr(dll, name).restype = c_size_t
        getattr(dll, name).argtypes = []
    dll.wfpy_init.restype = c_int
    dll.wfpy_init.argtypes = [py_object]
    dll.wfpy_bind.restype = c_int
    dll.wfpy_bind.argtypes = [c_int, py_object, py_object]
    http_state_size = dll.wfpy_http_state_size()
    ws_state_size = dll.wfpy_ws_state_size()
    _init = dll.wfpy_init
    _bind = dll.wfpy_bind
    return ""


REASON = _load()
#: True when ``feed_data`` and ``Decoder.feed`` use the native dispatcher.
ENABLED = not REASON


def init(objects: tuple, http_size: int, ws_size: int) -> None:
    """Hands the dispatcher the exception classes and result types it raises and builds, after
    checking that its state structs have the sizes the package allocates; on a mismatch the
    pure-Python dispatch is used instead."""
    global ENABLED, REASON
    if not ENABLED:
        return
    if (http_state_size, ws_state_size) != (http_size, ws_size):
        ENABLED = False
        REASON = (
            f"{LIBRARY_PATH} has state sizes {http_state_size}/{ws_state_size}, the package "
            f"{http_size}/{ws_size}: reinstall with `pip install ./bindings/python`"
        )
        return
    assert _init is not None
    _init(objects)


def bind_http(ctx: tuple) -> Callable[[Any], None]:
    """A builtin function that is ``feed_data`` for the parser whose context tuple is
    ``ctx``: (state address, [carried name, carried value], [None] * 64 for the cache of
    recent header names and values, a (function, self) pair for
    each of the eight callbacks, the state object that owns the address). Each call is one
    direct call into the dispatcher."""
    out: list = []
    assert _bind is not None
    _bind(0, ctx, out)
    return out[0]  # type: ignore[no-any-return]


def bind_ws(ctx: tuple) -> Callable[[Any], list]:
    """A builtin function that is ``feed`` for the decoder whose context tuple is ``ctx``:
    (state address, [carried payload pieces])."""
    out: list = []
    assert _bind is not None
    _bind(1, ctx, out)
    return out[0]  # type: ignore[no-any-return]


def made_with(native: bool, make: Callable[[], T]) -> T:
    """``make()`` with the pure-Python dispatch (``native`` False) or with the native
    dispatcher when it is in use (True): the dispatch is chosen when a parser or decoder is
    made. For benchmarks and tests that compare the two in one process."""
    global ENABLED
    saved = ENABLED
    ENABLED = native and saved
    try:
        return make()
    finally:
        ENABLED = saved
