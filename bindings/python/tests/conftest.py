"""Shared helpers: a protocol that records every callback, and feeding in pieces."""

from __future__ import annotations

import pytest

CALLBACKS = (
    "on_message_begin",
    "on_url",
    "on_status",
    "on_header",
    "on_headers_complete",
    "on_body",
    "on_message_complete",
    "on_chunk_header",
    "on_chunk_complete",
)


class Recorder:
    """Has every callback; records (name, *args) tuples."""

    def __init__(self) -> None:
        self.events: list[tuple] = []

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        if name in CALLBACKS:
            return lambda *args: self.events.append((name, *args))
        raise AttributeError(name)


def merged(events: list[tuple]) -> list[tuple]:
    """Joins consecutive pieces of on_url / on_status / on_body (delivered piece by piece,
    so their cut depends on how the input was split) and drops empty pieces."""
    out: list[tuple] = []
    for ev in events:
        if ev[0] in ("on_url", "on_status", "on_body"):
            if not ev[1]:
                continue
            if out and out[-1][0] == ev[0]:
                out[-1] = (ev[0], out[-1][1] + ev[1])
                continue
        out.append(ev)
    return out


def feed(module, parser_cls: str, chunks, protocol=None):  # type: ignore[no-untyped-def]
    """Feeds `chunks` to a new parser of `module`; returns (events, exception or None)."""
    rec = protocol or Recorder()
    parser = getattr(module, parser_cls)(rec)
    for chunk in chunks:
        try:
            parser.feed_data(chunk)
        except Exception as exc:  # noqa: BLE001 - the test compares what was raised
            return rec.events, exc
    return rec.events, None


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()
