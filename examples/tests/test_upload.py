"""POST /upload: multipart/form-data from real clients (curl -F, httpx) streamed to a count and
a CRC-32 per part, answered with a JSON summary; 0 B, 1 B and 50 MB files with the server's
peak RSS bounded (the upload is never held in memory); limits answered with 413, other
refusals with 415 and 400."""

import json
import os
import zlib

import httpx

from helpers import curl


def peak_rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise AssertionError("no VmHWM")


def summary(r):
    assert r.returncode == 0, r.stderr
    out = r.stdout
    if out.startswith(b"HTTP/1.1 100 Continue\r\n\r\n"):  # curl sends Expect for big bodies
        out = out[len(b"HTTP/1.1 100 Continue\r\n\r\n"):]
    head, _, body = out.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 OK"), head
    assert b"Content-Type: application/json" in head
    return json.loads(body)


def test_curl_files_of_0_1_and_50_megabytes_with_bounded_rss(start_server, tmp_path):
    server = start_server("--max-body", str(64 * 1024 * 1024))
    files = {"empty.bin": b"", "one.bin": b"\xff", "big.bin": os.urandom(50 * 1024 * 1024)}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    before = peak_rss_kib(server.proc.pid)
    r = curl(
        "-i", "-F", "title=h\u00e9llo", "-F", f"a=@{tmp_path / 'empty.bin'}",
        "-F", f"b=@{tmp_path / 'one.bin'}", "-F", f"c=@{tmp_path / 'big.bin'}",
        server.url("/upload"), timeout=120,
    )
    got = summary(r)
    grown = peak_rss_kib(server.proc.pid) - before
    assert got["count"] == 4
    assert got["parts"][0] == {
        "name": "title", "filename": None, "size": 6, "crc32": zlib.crc32("h\u00e9llo".encode())
    }
    for part, (fname, data) in zip(got["parts"][1:], files.items()):
        assert part == {
            "name": part["name"], "filename": fname, "size": len(data), "crc32": zlib.crc32(data)
        }
    assert [p["name"] for p in got["parts"][1:]] == ["a", "b", "c"]
    # Streamed, not buffered: 50 MB went through with the peak RSS growing by a few MB at most.
    assert grown < 8 * 1024, f"peak RSS grew by {grown} KiB"


def test_httpx_multipart_post(server):
    files = {"doc": ("say \"hi\" \u20ac.txt", b"x" * 1000 + b"\r\n--not-the-boundary\r\n", "text/plain")}
    with httpx.Client(timeout=20) as client:
        r = client.post(server.url("/upload"), data={"k": "v", "empty": ""}, files=files)
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["count"] == 3
    by_name = {p["name"]: p for p in got["parts"]}
    assert by_name["k"]["size"] == 1 and by_name["empty"]["size"] == 0
    doc = by_name["doc"]
    # httpx percent-encodes the quote as browsers do; UTF-8 passes through.
    assert doc["filename"] == "say %22hi%22 \u20ac.txt"
    assert doc["size"] == len(files["doc"][1]) and doc["crc32"] == zlib.crc32(files["doc"][1])


def test_limits_are_413(start_server):
    server = start_server("--max-body", "100000")
    with httpx.Client(timeout=20) as client:
        # 65 parts: over the 64 parts a summary holds.
        r = client.post(server.url("/upload"), data={f"f{i}": "x" for i in range(65)}, files={"z": b""})
        assert r.status_code == 413 and "WF_FORM_ERR_TOO_MANY_PARTS" in r.text
    # A body over --max-body, streamed with chunked encoding (no Content-Length up front).
    big = b"--b\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\n" + b"y" * 200000 + b"\r\n--b--\r\n"
    with httpx.Client(timeout=20) as client:
        r = client.post(server.url("/upload"), content=iter([big[:70000], big[70000:]]),
                        headers={"Content-Type": "multipart/form-data; boundary=b"})
    assert r.status_code == 413


def test_refusals_415_and_400(server):
    with httpx.Client(timeout=20) as client:
        r = client.post(server.url("/upload"), content=b"a=1", headers={"Content-Type": "text/plain"})
        assert r.status_code == 415
        # A bare LF in a part's headers: 400 with the parser's error and offset.
        r = client.post(server.url("/upload"), content=b"--b\r\nA: 1\nB: 2\r\n\r\n--b--",
                        headers={"Content-Type": "multipart/form-data; boundary=b"})
        assert r.status_code == 400 and "WF_FORM_ERR_BARE_LF" in r.text and "byte 9" in r.text
        # A truncated body (Content-Length says it all arrived): 400.
        r = client.post(server.url("/upload"), content=b"--b\r\n\r\nhalf",
                        headers={"Content-Type": "multipart/form-data; boundary=b"})
        assert r.status_code == 400 and "WF_FORM_ERR_MISSING_FINAL_BOUNDARY" in r.text
        r = client.get(server.url("/upload"))
        assert r.status_code == 405
