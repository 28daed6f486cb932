"""permessage-deflate in ``wireframe.ws``: RFC 7692's "Hello" byte for byte, round trips
between a server's and a client's ``PerMessageDeflate`` through the ``Decoder``, the errors'
close codes (1007, 1009), and an asyncio echo server built on the binding that the
`websockets` client (compression on by default) talks to over 127.0.0.1."""

from __future__ import annotations

import asyncio
import ctypes
import os

import pytest
from websockets.asyncio.client import connect

import wireframe
from wireframe import _lib, ws

TIMEOUT = 20
HELLO = bytes([0xC1, 0x07, 0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00])
HELLO_AGAIN = bytes([0xC1, 0x05, 0xF2, 0x00, 0x11, 0x00, 0x00])


def test_options_struct_matches_the_library() -> None:
    opts = _lib.WsDeflateOptions()
    _lib.lib.wf_ws_deflate_options_init(ctypes.byref(opts))
    assert (opts.level, opts.mem_level, opts.max_message_size) == (6, 8, 100 << 20)
    assert ctypes.sizeof(_lib.WsDeflateOptions) == 16


def test_rfc7692_hello_twice_with_shared_window() -> None:
    with ws.PerMessageDeflate({}, ws.ROLE_SERVER) as server, ws.PerMessageDeflate({}, ws.ROLE_CLIENT) as client:
        assert server.encode(ws.OP_TEXT, "Hello") == HELLO
        assert server.encode(ws.OP_TEXT, "Hello") == HELLO_AGAIN
        decoder = ws.Decoder(ws.ROLE_CLIENT, deflate=client)
        wire = HELLO + HELLO_AGAIN
        got = [m for b in range(len(wire)) for m in decoder.feed(wire[b : b + 1])]
        assert got == [ws.Message(ws.OP_TEXT, b"Hello", 0, True)] * 2


@pytest.mark.parametrize("params", [{}, {"server_no_context_takeover": True, "client_no_context_takeover": True, "server_max_window_bits": 9, "client_max_window_bits": 8}])
def test_round_trip_through_the_decoder(params: dict) -> None:
    server = ws.PerMessageDeflate(params, ws.ROLE_SERVER)
    client = ws.PerMessageDeflate(params, ws.ROLE_CLIENT)
    assert 40_000 < client.memory_size < 600_000
    messages = [b"", b"x", os.urandom(70_000), ("wireframe ✓ " * 20_000).encode()]
    wire = b""
    for m in messages:
        op = ws.OP_BINARY if m[:1] != b"w" else ws.OP_TEXT
        # Whole, and in three frames (RSV1 on the first only).
        wire += client.encode(op, m, mask_key=b"abcd")
        z = client.compress(m)
        third = max(1, len(z) // 3)
        parts = [z[:third], z[third : 2 * third], z[2 * third :]]
        wire += ws.encode_frame(op, parts[0], fin=False, rsv1=True, mask_key=b"abcd")
        wire += ws.encode_frame(ws.OP_CONTINUATION, parts[1], fin=False, mask_key=b"abcd")
        wire += ws.encode_frame(ws.OP_CONTINUATION, parts[2], mask_key=b"abcd")
    decoder = ws.Decoder(ws.ROLE_SERVER, deflate=server)
    got = []
    for at in range(0, len(wire), 997):
        got += decoder.feed(wire[at : at + 997])
    assert [m.data for m in got] == [m for m in messages for _ in range(2)]
    assert all(m.compressed for m in got)
    server.close()
    server.close()  # idempotent
    client.close()


def test_errors_carry_close_codes() -> None:
    client = ws.PerMessageDeflate({}, ws.ROLE_CLIENT, max_message_size=10_000)
    server = ws.PerMessageDeflate({}, ws.ROLE_SERVER)
    bomb = server.encode(ws.OP_BINARY, bytes(20_000))
    with pytest.raises(ws.WebSocketError) as e:
        ws.Decoder(ws.ROLE_CLIENT, deflate=client).feed(bomb)
    assert (e.value.name, e.value.code) == ("WF_WS_ERR_MESSAGE_TOO_LARGE", 1009)
    with pytest.raises(ws.WebSocketError) as e:
        ws.Decoder(ws.ROLE_CLIENT, deflate=client).feed(bytes([0xC2, 0x03, 0xFF, 0xFF, 0xFF]))
    assert (e.value.name, e.value.code) == ("WF_WS_ERR_INVALID_COMPRESSED_DATA", 1007)
    with pytest.raises(ws.WebSocketError) as e:
        ws.Decoder(ws.ROLE_CLIENT, deflate=client).feed(server.encode(ws.OP_TEXT, b"\xff"))
    assert (e.value.name, e.value.code) == ("WF_WS_ERR_INVALID_UTF8", 1007)
    # Without the extension RSV1 is a protocol error.
    with pytest.raises(ws.WebSocketError) as e:
        ws.Decoder(ws.ROLE_CLIENT).feed(HELLO)
    assert e.value.code == 1002


class DeflateEchoServer(asyncio.Protocol):
    """Accepts permessage-deflate and echoes text and binary messages compressed; counts the
    compressed messages it received."""

    compressed_in = 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport: asyncio.Transport = transport  # type: ignore[assignment]
        self.headers: list[tuple[bytes, bytes]] = []
        self.parser = wireframe.HttpRequestParser(self)
        self.decoder: ws.Decoder | None = None
        self.deflate: ws.PerMessageDeflate | None = None

    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers.append((name, value))

    def data_received(self, data: bytes) -> None:
        if self.decoder is None:
            try:
                self.parser.feed_data(data)
                return
            except wireframe.HttpParserUpgrade as upgrade:
                hs = ws.server_handshake(
                    self.parser.get_method(), self.parser.get_http_version(), self.headers, permessage_deflate=True
                )
                self.transport.write(hs.response)
                if not hs.ok:
                    self.transport.close()
                    return
                if hs.deflate:
                    self.deflate = ws.PerMessageDeflate(hs, ws.ROLE_SERVER, max_message_size=4 << 20)
                self.decoder = ws.Decoder(ws.ROLE_SERVER, max_message_size=4 << 20, deflate=self.deflate)
                data = data[upgrade.args[0] :]
        try:
            messages = self.decoder.feed(data)
        except ws.WebSocketError as error:
            self.transport.write(ws.encode_close(error.code))
            self.transport.close()
            return
        for m in messages:
            if m.opcode in (ws.OP_TEXT, ws.OP_BINARY):
                DeflateEchoServer.compressed_in += m.compressed
                if self.deflate is not None:
                    self.transport.write(self.deflate.encode(m.opcode, m.data))
                else:
                    self.transport.write(ws.encode_frame(m.opcode, m.data))
            elif m.opcode == ws.OP_CLOSE:
                self.transport.write(ws.encode_close(None if m.close_code == 1005 else m.close_code))
                self.transport.close()
                return

    def connection_lost(self, exc: Exception | None) -> None:
        if self.deflate is not None:
            self.deflate.close()


def test_websockets_client_with_compression_against_a_binding_server() -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        server = await loop.create_server(DeflateEchoServer, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        DeflateEchoServer.compressed_in = 0
        try:
            async with connect(f"ws://127.0.0.1:{port}/", max_size=4 << 20) as client:
                # websockets offers permessage-deflate by default and agreed to it.
                names = [type(e).__name__ for e in client.protocol.extensions]
                assert names == ["PerMessageDeflate"]
                await client.send("hello ✓ " * 100)
                assert await client.recv() == "hello ✓ " * 100
                await client.send(b"\x00\x01\x02" * 1000)
                assert await client.recv() == b"\x00\x01\x02" * 1000
                await client.send(["frag", "men", "ted ✓"])
                assert await client.recv() == "fragmented ✓"
                await client.send([b"\x01" * 500, b"\x02" * 500])
                assert await client.recv() == b"\x01" * 500 + b"\x02" * 500
                big = os.urandom(1 << 20)
                await client.send(big)
                assert await client.recv() == big
                await client.send("")
                assert await client.recv() == ""
                await client.close()
            # Every message arrived compressed (RSV1).
            assert DeflateEchoServer.compressed_in == 6
        finally:
            server.close()
            await server.wait_closed()

    asyncio.run(asyncio.wait_for(main(), TIMEOUT))
