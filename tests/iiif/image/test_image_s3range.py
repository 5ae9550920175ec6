"""The lean range client of the tile reader (#19, ``mogao.core.s3range``): signed GETs, errors, threads.

Against a SeaweedFS that checks every signature (``s3_server_auth``) and small fake HTTP servers for
what a real S3 rarely does on demand (no answer, a closed keep-alive connection, Range ignored).
"""

from __future__ import annotations

import datetime
import os
import random
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from typing import Any
from urllib.parse import parse_qs, urlparse

import botocore.auth
import botocore.credentials
import pytest
from botocore.awsrequest import AWSRequest

from mogao.core.s3range import Endpoint, RangeClient, RangeError, Signer
from mogao.iiif.image.errors import ImageNotFound, StorageUnavailable
from mogao.iiif.remote import RangeReader
from mogao.testing import s3

KEYS = ("plain.bin", "a folder/with spaces+plus.bin", "敦煌/卷子 (1)~é.bin")


def _client(url: str, secret: str | None = None, timeout: float = 10.0) -> RangeClient:
    parsed = urlparse(url)
    endpoint = parse_qs(parsed.query)["endpoint"][0]
    credentials = botocore.credentials.Credentials(s3.ACCESS_KEY, secret or s3.SECRET_KEY)
    return RangeClient(Endpoint.from_url(endpoint, "us-east-1"), s3.BUCKET, Signer(credentials, "us-east-1"),
                       timeout=timeout)


@pytest.fixture(scope="module")
def stored(s3_server_auth: str) -> tuple[str, dict[str, bytes]]:
    """Three objects (odd names included) in the signature-checking server: (storage URL, key -> bytes)."""
    endpoint = parse_qs(urlparse(s3_server_auth).query)["endpoint"][0]
    boto = s3._client(endpoint)
    blobs = {key: os.urandom(300_000 + i) for i, key in enumerate(KEYS)}
    for key, data in blobs.items():
        boto.put_object(Bucket=s3.BUCKET, Key=key, Body=data)
    return s3_server_auth, blobs


def test_signed_range_reads_return_exactly_the_stored_bytes(stored: tuple[str, dict[str, bytes]]) -> None:
    url, blobs = stored
    client = _client(url)
    for key, data in blobs.items():
        for start, end in ((0, 0), (0, 65535), (123_456, 150_000), (len(data) - 10, len(data) - 1)):
            status, body, content_range = client.get(key, start, end)
            assert status == 206 and body == data[start:end + 1], (key, start, end)
            assert content_range == f"bytes {start}-{end}/{len(data)}"


def test_a_wrong_secret_is_refused_by_the_server_and_is_a_503_not_a_hang(
        stored: tuple[str, dict[str, bytes]]) -> None:
    url, _ = stored
    with pytest.raises(RangeError) as caught:
        _client(url, secret="not-the-secret").get(KEYS[0], 0, 9)
    assert caught.value.status == 403 and caught.value.code == "SignatureDoesNotMatch"
    reader = RangeReader(object(), _client(url, secret="not-the-secret"))
    reader.key = lambda name: name  # type: ignore[method-assign]
    with pytest.raises(StorageUnavailable, match="refused"):
        reader.get(KEYS[0], 0, 9)


def test_a_missing_object_is_image_not_found(stored: tuple[str, dict[str, bytes]]) -> None:
    url, _ = stored
    reader = RangeReader(object(), _client(url))
    reader.key = lambda name: name  # type: ignore[method-assign]
    with pytest.raises(ImageNotFound):
        reader.get("nothing/here.tif", 0, 9)
    data, total = reader.get(KEYS[1], 10, 19)
    assert len(data) == 10 and total == 300_001


def test_threads_share_one_client_and_each_gets_its_own_bytes(stored: tuple[str, dict[str, bytes]]) -> None:
    url, blobs = stored
    client = _client(url)
    rng = random.Random(5)
    jobs = []
    for _ in range(400):
        key = rng.choice(KEYS)
        start = rng.randrange(0, 290_000)
        jobs.append((key, start, start + rng.randrange(0, 9_000)))

    def read(job: tuple[str, int, int]) -> bool:
        key, start, end = job
        return client.get(key, start, end)[1] == blobs[key][start:end + 1]

    with ThreadPoolExecutor(8) as pool:
        assert all(pool.map(read, jobs))


def test_the_signature_is_the_one_botocore_computes(monkeypatch: pytest.MonkeyPatch) -> None:
    when = datetime.datetime(2026, 12, 5, 21, 48, 3)
    monkeypatch.setattr(botocore.auth, "get_current_datetime", lambda: when)
    credentials = botocore.credentials.Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG", "a-session-token")
    client = RangeClient(Endpoint.from_url("http://storage.example:9000/", "eu-west-3"), "bucket",
                         Signer(credentials, "eu-west-3"))
    path = client.path(KEYS[2])
    ours = client.signer.sign(path, {"host": "storage.example:9000", "range": "bytes=5-10"},
                              now=when.replace(tzinfo=datetime.UTC).timestamp())
    request = AWSRequest(method="GET", url=f"http://storage.example:9000{path}", headers={"Range": "bytes=5-10"})
    botocore.auth.S3SigV4Auth(credentials, "s3", "eu-west-3").add_auth(request)
    assert ours["authorization"] == request.headers["Authorization"]
    assert ours["x-amz-security-token"] == "a-session-token"


@contextmanager
def fake_server(handle: Any) -> Iterator[str]:
    """A loopback TCP server; ``handle(conn, number)`` serves each accepted connection. Yields the URL."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    stop = threading.Event()
    open_conns: list[socket.socket] = []

    def quietly(conn: socket.socket, number: int) -> None:
        with suppress(OSError):  # the client, or the end of the test, closed the connection
            handle(conn, number)

    def serve() -> None:
        number = 0
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            open_conns.append(conn)
            threading.Thread(target=quietly, args=(conn, number), daemon=True).start()
            number += 1

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        listener.close()
        for conn in open_conns:
            conn.close()


def _read_request(conn: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def _anonymous(url: str, timeout: float = 10.0) -> RangeClient:
    return RangeClient(Endpoint.from_url(url, ""), "b", Signer(None, "us-east-1"), timeout=timeout)


def test_a_storage_that_never_answers_is_a_503_after_the_timeout() -> None:
    def mute(conn: socket.socket, _: int) -> None:
        _read_request(conn)  # and never answer

    with fake_server(mute) as url:
        reader = RangeReader(object(), _anonymous(url, timeout=0.5))
        reader.key = lambda name: name  # type: ignore[method-assign]
        with pytest.raises(StorageUnavailable, match="does not answer"):  # the timeout ends the wait
            reader.get("k", 0, 9)


def test_a_keep_alive_connection_closed_by_the_server_is_retried_once() -> None:
    body = b"0123456789"

    def once(conn: socket.socket, _: int) -> None:
        request = _read_request(conn)
        assert request.startswith(b"GET /b/k ")
        conn.sendall(b"HTTP/1.1 206 Partial Content\r\nContent-Length: 4\r\nContent-Range: bytes 2-5/10\r\n\r\n"
                     + body[2:6])
        time.sleep(0.1)
        conn.close()  # an idle keep-alive connection dropped by the server (no Connection: close sent)

    with fake_server(once) as url:
        client = _anonymous(url)
        assert client.get("k", 2, 5) == (206, b"2345", "bytes 2-5/10")
        time.sleep(0.3)
        assert client.get("k", 2, 5) == (206, b"2345", "bytes 2-5/10")  # a new connection, no error


def test_a_server_ignoring_range_still_gives_the_asked_bytes() -> None:
    body = bytes(range(100))

    def whole(conn: socket.socket, _: int) -> None:
        while _read_request(conn):
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + body)

    with fake_server(whole) as url:
        reader = RangeReader(object(), _anonymous(url))
        reader.key = lambda name: name  # type: ignore[method-assign]
        assert reader.get("k", 10, 19) == (body[10:20], 100)


def test_a_server_error_is_storage_unavailable() -> None:
    def failing(conn: socket.socket, _: int) -> None:
        while _read_request(conn):
            error = b"<Error><Code>InternalError</Code></Error>"
            conn.sendall(b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: %d\r\n\r\n%s" % (len(error), error))

    with fake_server(failing) as url:
        reader = RangeReader(object(), _anonymous(url))
        reader.key = lambda name: name  # type: ignore[method-assign]
        with pytest.raises(StorageUnavailable, match="InternalError"):
            reader.get("k", 0, 9)


def test_chunked_answers_and_connection_close_are_understood() -> None:
    error = b"<Error><Code>SlowDown</Code></Error>"

    def chunked(conn: socket.socket, number: int) -> None:
        _read_request(conn)
        if number == 0:  # a chunked error, then the connection closed as announced
            conn.sendall(b"HTTP/1.1 503 Slow Down\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                         + b"%x\r\n%s\r\n0\r\n\r\n" % (len(error), error))
            conn.close()
        else:  # an HTTP/1.0 answer without Content-Length: its body ends with the connection
            conn.sendall(b"HTTP/1.0 206 Partial Content\r\nContent-Range: bytes 0-2/3\r\n\r\nabc")
            conn.close()

    with fake_server(chunked) as url:
        client = _anonymous(url)
        with pytest.raises(RangeError) as caught:
            client.get("k", 0, 2)
        assert caught.value.status == 503 and caught.value.code == "SlowDown"
        assert client.get("k", 0, 2) == (206, b"abc", "bytes 0-2/3")


def test_https_endpoints_verify_the_certificate_they_are_told_to(tmp_path: Any) -> None:
    import shutil
    import ssl
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
                    "-out", str(cert), "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)

    def tls(conn: socket.socket, _: int) -> None:
        with context.wrap_socket(conn, server_side=True) as secure:
            while _read_request(secure):
                secure.sendall(b"HTTP/1.1 206 Partial Content\r\nContent-Length: 3\r\nContent-Range: bytes 0-2/9\r\n"
                               b"\r\nabc")

    with fake_server(tls) as url:
        https = url.replace("http://", "https://")
        trusted = RangeClient(Endpoint.from_url(https, ""), "b", Signer(None, "us-east-1"), verify=str(cert))
        assert trusted.get("k", 0, 2) == (206, b"abc", "bytes 0-2/9")
        assert trusted.get("k", 0, 2) == (206, b"abc", "bytes 0-2/9")  # the same connection, kept alive
        trusted.close()
        unknown = RangeClient(Endpoint.from_url(https, ""), "b", Signer(None, "us-east-1"))  # the system's CAs
        with pytest.raises(RangeError) as caught:
            unknown.get("k", 0, 2)
        assert caught.value.status == 0 and "CERTIFICATE" in str(caught.value).upper()
