"""An asyncio WebSocket echo server built only on this binding (HttpRequestParser for the
upgrade request, the handshake helper, the Decoder and the encoders), driven by the
`websockets` package's client over 127.0.0.1."""

from __future__ import annotations

import asyncio
import os

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

import wireframe
from wireframe import ws

TIMEOUT = 10


class EchoServer(asyncio.Protocol):
    """Answers the upgrade, then echoes text and binary messages, answers pings, and
    echoes the close frame (code and reason) before closing."""

    connections = 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        EchoServer.connections += 1
        self.transport: asyncio.Transport = transport  # type: ignore[assignment]
        self.headers: list[tuple[bytes, bytes]] = []
        self.parser = wireframe.HttpRequestParser(self)
        self.decoder: ws.Decoder | None = None

    # HTTP callbacks
    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers.append((name, value))

    def on_message_complete(self) -> None:
        if not self.parser.should_upgrade():
            # Not a WebSocket request: the helper writes the 426 refusal.
            self._handshake()

    def _handshake(self) -> bool:
        hs = ws.server_handshake(self.parser.get_method(), self.parser.get_http_version(), self.headers)
        self.transport.write(hs.response)
        if not hs.ok:
            self.transport.close()
        return hs.ok

    def data_received(self, data: bytes) -> None:
        if self.decoder is None:
            try:
                self.parser.feed_data(data)
                return
            except wireframe.HttpParserUpgrade as upgrade:
                if not self._handshake():
                    return
                self.decoder = ws.Decoder(ws.ROLE_SERVER, max_message_size=4 << 20)
                data = data[upgrade.args[0] :]
            except wireframe.HttpParserError:
                self.transport.write(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n")
                self.transport.close()
                return
        try:
            messages = self.decoder.feed(data)
        except ws.WebSocketError as error:
            self.transport.write(ws.encode_close(error.code))
            self.transport.close()
            return
        for m in messages:
            if m.opcode in (ws.OP_TEXT, ws.OP_BINARY):
                self.transport.write(ws.encode_frame(m.opcode, m.data))
            elif m.opcode == ws.OP_PING:
                self.transport.write(ws.encode_pong(m.data))
            elif m.opcode == ws.OP_CLOSE:
                code = None if m.close_code == 1005 else m.close_code
                self.transport.write(ws.encode_close(code, m.data[2:]))
                self.transport.close()
                return


async def start() -> tuple[asyncio.AbstractServer, int]:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(EchoServer, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1]


def run(coro) -> None:  # type: ignore[no-untyped-def]
    asyncio.run(asyncio.wait_for(coro, TIMEOUT))


def test_echo_with_websockets_client() -> None:
    async def main() -> None:
        server, port = await start()
        try:
            async with connect(f"ws://127.0.0.1:{port}/chat", max_size=2 << 20) as client:
                await client.send("hello ✓")
                assert await client.recv() == "hello ✓"
                await client.send(b"\x00\x01\x02")
                assert await client.recv() == b"\x00\x01\x02"
                # Fragmented: websockets sends an iterable as one message in several frames.
                await client.send(["frag", "men", "ted ✓"])
                assert await client.recv() == "fragmented ✓"
                await client.send([b"\x01", b"\x02"])
                assert await client.recv() == b"\x01\x02"
                big = os.urandom(1 << 20)
                await client.send(big)
                assert await client.recv() == big
                text = "é" * (1 << 19)  # 1 MiB of UTF-8
                await client.send(text)
                assert await client.recv() == text
                pong = await client.ping(b"are you there")
                await asyncio.wait_for(pong, TIMEOUT)
                await client.close(code=4001, reason="bye now")
            assert client.close_code == 4001
            assert client.close_reason == "bye now"
            assert client.protocol.close_rcvd is not None
            assert client.protocol.close_rcvd.code == 4001
        finally:
            server.close()
            await server.wait_closed()

    run(main())


def test_invalid_utf8_from_a_raw_client_gets_1007() -> None:
    async def main() -> None:
        server, port = await start()
        try:
            client = ws.ClientHandshake(f"127.0.0.1:{port}", "/")
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(client.request)
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), TIMEOUT)
            assert head.startswith(b"HTTP/1.1 101 ")
            writer.write(ws.encode_frame(ws.OP_TEXT, b"\xff\xfe", mask_key=b"abcd"))
            frames = ws.Decoder(ws.ROLE_CLIENT).feed(await asyncio.wait_for(reader.read(), TIMEOUT))
            assert frames == [ws.Message(ws.OP_CLOSE, b"\x03\xef", 1007)]
            writer.close()
        finally:
            server.close()
            await server.wait_closed()

    run(main())


def test_plain_http_request_gets_426() -> None:
    async def main() -> None:
        server, port = await start()
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            answer = await asyncio.wait_for(reader.read(), TIMEOUT)
            assert answer.startswith(b"HTTP/1.1 426 ")
            assert b"Sec-WebSocket-Version: 13\r\n" in answer
            writer.close()
        finally:
            server.close()
            await server.wait_closed()

    run(main())


def test_subprotocol_offer_to_a_server_without_protocols() -> None:
    """The client's subprotocol offer with a server that speaks none: no protocol chosen."""

    async def main() -> None:
        server, port = await start()
        try:
            async with connect(f"ws://127.0.0.1:{port}/", subprotocols=["chat"]) as client:
                assert client.subprotocol is None
                await client.send("x")
                assert await client.recv() == "x"
            with pytest.raises(ConnectionClosed):
                await client.recv()
        finally:
            server.close()
            await server.wait_closed()

    run(main())
