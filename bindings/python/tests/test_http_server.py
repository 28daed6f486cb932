"""An asyncio HTTP/1.1 server built on HttpRequestParser, driven by http.client and by h11
over 127.0.0.1: keep-alive, pipelined and chunked requests."""

from __future__ import annotations

import asyncio
import http.client
import socket

import h11

import wireframe

TIMEOUT = 10


class HttpServer(asyncio.Protocol):
    """Answers every request with 200 and a body echoing method, target and request body;
    closes when the request does not keep the connection alive."""

    connections = 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        HttpServer.connections += 1
        self.transport: asyncio.Transport = transport  # type: ignore[assignment]
        self.parser = wireframe.HttpRequestParser(self)
        self.url = b""
        self.body: list[bytes] = []
        self.chunks = 0

    def on_message_begin(self) -> None:
        self.url = b""
        self.body = []
        self.chunks = 0

    def on_url(self, url: bytes) -> None:
        self.url += url

    def on_body(self, body: bytes) -> None:
        self.body.append(body)

    def on_chunk_header(self) -> None:
        self.chunks += 1

    def on_message_complete(self) -> None:
        keep = self.parser.should_keep_alive()
        body = b"%s %s chunks=%d body=%s" % (
            self.parser.get_method(), self.url, self.chunks, b"".join(self.body)
        )
        self.transport.write(
            b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: %s\r\n\r\n%s"
            % (len(body), b"keep-alive" if keep else b"close", body)
        )
        if not keep:
            self.transport.close()

    def data_received(self, data: bytes) -> None:
        try:
            self.parser.feed_data(data)
        except wireframe.HttpParserError:
            self.transport.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            self.transport.close()


async def serve(client) -> None:  # type: ignore[no-untyped-def]
    """Runs the server, and the blocking `client(port)` in a thread."""
    loop = asyncio.get_running_loop()
    server = await loop.create_server(HttpServer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        await asyncio.wait_for(asyncio.to_thread(client, port), TIMEOUT)
    finally:
        server.close()
        await server.wait_closed()


def test_keep_alive_and_chunked_with_http_client() -> None:
    def client(port: int) -> None:
        before = HttpServer.connections
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
        try:
            for i in range(5):
                conn.request("GET", f"/item/{i}?q=1")
                r = conn.getresponse()
                assert (r.status, r.read()) == (200, f"GET /item/{i}?q=1 chunks=0 body=".encode())
            conn.request("POST", "/form", body=b"a=1&b=2")
            r = conn.getresponse()
            assert r.read() == b"POST /form chunks=0 body=a=1&b=2"
            # A chunked request body: http.client writes Transfer-Encoding: chunked.
            conn.request("PUT", "/up", body=iter([b"hello ", b"chunked ", b"world"]), encode_chunked=True)
            r = conn.getresponse()
            assert r.read() == b"PUT /up chunks=4 body=hello chunked world"
            assert r.getheader("Connection") == "keep-alive"
        finally:
            conn.close()
        # All seven requests went over one connection.
        assert HttpServer.connections == before + 1

    asyncio.run(serve(client))


def test_pipelined_requests_with_h11() -> None:
    """Three requests in one write (the last chunked, asking to close); h11 reads the three
    responses."""
    requests = [
        (b"GET", b"/one", [("Host", "x")], b""),
        (b"GET", b"/two", [("Host", "x")], b""),
        (b"POST", b"/three", [("Host", "x"), ("Transfer-Encoding", "chunked"), ("Connection", "close")], b"abc"),
    ]

    def client(port: int) -> None:
        raw = (
            b"GET /one HTTP/1.1\r\nHost: x\r\n\r\n"
            b"GET /two HTTP/1.1\r\nHost: x\r\n\r\n"
            b"POST /three HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
            b"Connection: close\r\n\r\n1\r\na\r\n2\r\nbc\r\n0\r\n\r\n"
        )
        bodies = []
        with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as sock:
            sock.sendall(raw)
            reader = h11.Connection(h11.CLIENT)  # reads the responses
            for method, target, headers, body in requests:
                reader.send(h11.Request(method=method, target=target, headers=headers))
                if body:
                    reader.send(h11.Data(data=body))
                reader.send(h11.EndOfMessage())
                got = b""
                while True:
                    event = reader.next_event()
                    if event is h11.NEED_DATA:
                        reader.receive_data(sock.recv(65536))
                    elif isinstance(event, h11.Response):
                        assert event.status_code == 200
                    elif isinstance(event, h11.Data):
                        got += event.data
                    elif isinstance(event, h11.EndOfMessage):
                        break
                bodies.append(got)
                if target != b"/three":
                    reader.start_next_cycle()
            assert sock.recv(65536) == b""  # the server closed after the last one
        assert bodies == [
            b"GET /one chunks=0 body=",
            b"GET /two chunks=0 body=",
            b"POST /three chunks=3 body=abc",
        ]

    asyncio.run(serve(client))


def test_http10_closes_and_bad_request_gets_400() -> None:
    def client(port: int) -> None:
        with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as sock:
            sock.sendall(b"GET /old HTTP/1.0\r\n\r\n")
            answer = b""
            while chunk := sock.recv(65536):
                answer += chunk
        assert answer.endswith(b"Connection: close\r\n\r\nGET /old chunks=0 body=")
        with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as sock:
            sock.sendall(b"POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n")
            answer = b""
            while chunk := sock.recv(65536):
                answer += chunk
        assert answer.startswith(b"HTTP/1.1 400 Bad Request\r\n")

    asyncio.run(serve(client))
