"""HTTP with curl: GET, HEAD, POST echo (Content-Length and chunked), 100-continue, limits."""

import os

from helpers import check_date, curl


def head_lines(out):
    """Splits curl -i output into (header lines, body)."""
    head, _, body = out.partition(b"\r\n\r\n")
    return head.decode().split("\r\n"), body


def test_get_hello(server):
    r = curl("-i", server.url("/"))
    assert r.returncode == 0, r.stderr
    lines, body = head_lines(r.stdout)
    assert lines[:3] == ["HTTP/1.1 200 OK", "Content-Type: text/plain", "Content-Length: 11"]
    assert lines[3].startswith("Date: ")
    check_date(lines[3][6:])
    assert lines[4:] == ["Connection: keep-alive"]
    assert body == b"hello world"


def test_get_with_query_and_absolute_form(server):
    assert curl(server.url("/?a=1#x")).stdout == b"hello world"
    # Absolute-form target (what a client sends to a proxy): the path decides the route.
    r = curl("--request-target", f"http://127.0.0.1:{server.port}/echo", "--data-binary", "abs",
             server.url("/"))
    assert r.stdout == b"abs"


def test_head(server):
    r = curl("-I", "-w", "%{size_download}", server.url("/"))
    assert r.returncode == 0, r.stderr
    lines, body = head_lines(r.stdout)
    assert lines[:3] == ["HTTP/1.1 200 OK", "Content-Type: text/plain", "Content-Length: 11"]
    assert lines[4] == "Connection: keep-alive"
    assert body == b"0"  # -w: no body bytes were received


def test_post_echo_every_byte_value(server, tmp_path):
    payload = bytes(range(256)) * 64
    f = tmp_path / "body"
    f.write_bytes(payload)
    r = curl("-i", "--data-binary", f"@{f}", server.url("/echo"))
    assert r.returncode == 0, r.stderr
    lines, body = head_lines(r.stdout)
    assert lines[:3] == [
        "HTTP/1.1 200 OK",
        "Content-Type: application/octet-stream",
        f"Content-Length: {len(payload)}",
    ]
    assert body == payload


def test_post_echo_empty(server):
    r = curl("-i", "--data-binary", "", server.url("/echo"))
    lines, body = head_lines(r.stdout)
    assert "Content-Length: 0" in lines and body == b""


def test_chunked_upload(server, tmp_path):
    payload = os.urandom(300_000)
    f = tmp_path / "body"
    f.write_bytes(payload)
    r = curl("-v", "-H", "Transfer-Encoding: chunked", "-H", "Expect:", "--data-binary", f"@{f}",
             server.url("/echo"))
    assert r.returncode == 0, r.stderr
    assert b"> Transfer-Encoding: chunked" in r.stderr  # curl did send it chunked
    assert r.stdout == payload


def test_expect_100_continue(server, tmp_path):
    payload = os.urandom(5000)
    f = tmp_path / "body"
    f.write_bytes(payload)
    r = curl("-v", "-H", "Expect: 100-continue", "--data-binary", f"@{f}", server.url("/echo"))
    assert r.returncode == 0, r.stderr
    received = [l for l in r.stderr.decode().splitlines() if l.startswith("< HTTP/")]
    assert received == ["< HTTP/1.1 100 Continue", "< HTTP/1.1 200 OK"]
    assert r.stdout == payload


def test_expect_100_continue_chunked(server):
    r = curl("-v", "-H", "Expect: 100-continue", "-H", "Transfer-Encoding: chunked",
             "--data-binary", "chunky", server.url("/echo"))
    received = [l for l in r.stderr.decode().splitlines() if l.startswith("< HTTP/")]
    assert received == ["< HTTP/1.1 100 Continue", "< HTTP/1.1 200 OK"]
    assert r.stdout == b"chunky"


def test_expect_over_limit_is_417(start_server, tmp_path):
    srv = start_server("--max-body", "1000")
    f = tmp_path / "body"
    f.write_bytes(b"x" * 1001)
    r = curl("-v", "-H", "Expect: 100-continue", "--data-binary", f"@{f}", srv.url("/echo"))
    received = [l for l in r.stderr.decode().splitlines() if l.startswith("< HTTP/")]
    assert received == ["< HTTP/1.1 417 Expectation Failed"]
    assert b"< Connection: close" in r.stderr
    assert r.stdout == b"the body is larger than 1000 bytes\n"


def test_body_over_limit_is_413(start_server, tmp_path):
    srv = start_server("--max-body", "1000")
    f = tmp_path / "body"
    f.write_bytes(b"x" * 1000)
    r = curl("-H", "Expect:", "--data-binary", f"@{f}", srv.url("/echo"))
    assert r.stdout == b"x" * 1000  # exactly the limit is fine
    f.write_bytes(b"x" * 200_000)
    r = curl("-i", "-H", "Expect:", "--data-binary", f"@{f}", srv.url("/echo"))
    lines, body = head_lines(r.stdout)
    assert lines[0] == "HTTP/1.1 413 Content Too Large"
    assert "Connection: close" in lines
    assert body == b"the body is larger than 1000 bytes\n"


def test_chunked_body_over_limit_is_413(start_server, tmp_path):
    srv = start_server("--max-body", "1000")
    f = tmp_path / "body"
    f.write_bytes(b"y" * 5000)
    r = curl("-i", "-H", "Expect:", "-H", "Transfer-Encoding: chunked", "--data-binary", f"@{f}",
             srv.url("/echo"))
    lines, body = head_lines(r.stdout)
    assert lines[0] == "HTTP/1.1 413 Content Too Large"
    assert body == b"the body is larger than 1000 bytes\n"


def test_not_found_and_method_not_allowed(server):
    r = curl("-i", server.url("/nope"))
    lines, body = head_lines(r.stdout)
    assert lines[0] == "HTTP/1.1 404 Not Found" and body == b"Not Found\n"
    assert "Connection: keep-alive" in lines
    r = curl("-i", "-X", "DELETE", server.url("/"))
    lines, body = head_lines(r.stdout)
    assert lines[0] == "HTTP/1.1 405 Method Not Allowed"
    assert "Allow: GET, HEAD" in lines
    r = curl("-i", server.url("/echo"))
    lines, _ = head_lines(r.stdout)
    assert lines[0] == "HTTP/1.1 405 Method Not Allowed" and "Allow: POST" in lines
