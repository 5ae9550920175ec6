"""Byte-range reads from an S3 storage without boto3 on the hot path (#19).

A stored IIIF tile is one ``GET`` with ``Range: bytes=a-b``. Through boto3 that request costs about
1.7 ms of CPU in the calling process (its event hooks, parameter validation, endpoint rules, the
response parser): on a loaded node the GIL makes that the tile's latency, and it stops a process
from answering more than a few hundred cold tiles a second. :class:`RangeClient` sends the same
request over keep-alive connections (one per thread, reused; a minimal HTTP/1.1 exchange, see
:class:`_Connection`) and signs it itself (AWS Signature Version 4, the signing key derived once a
day), about 0.15 ms of CPU.

Everything that is resolved once per process comes from the django-storages storage: the endpoint
and region the storage's own boto3 client resolved, its credentials (the storage's keys, else
boto3's chain, refreshed when they expire), its TLS verification setting. Objects are addressed in
path style (``endpoint/bucket/key``), as :func:`mogao.core.storage.storage_backend` configures it.

Errors are :class:`RangeError` with the HTTP status (0 when the storage did not answer); a stale
keep-alive connection is retried once on a new connection.
"""

from __future__ import annotations

import hashlib
import hmac
import socket
import ssl
import threading
import time
import weakref
from contextlib import suppress
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
#: Seconds to connect and to wait for each read of an answer.
TIMEOUT = 10.0
#: Bytes read from a socket at once; bytes of an answer's status line and headers at most.
MAX_READ = 256 * 1024
MAX_HEAD = 64 * 1024


class RangeError(Exception):
    """A range read failed: ``status`` is the HTTP status (0: no answer), ``code`` the S3 error code."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code = status, code


@dataclass(frozen=True, slots=True)
class Endpoint:
    """Where the objects are: scheme, host (with a non-default port), path prefix, signing region."""

    scheme: str
    host: str
    port: int | None
    prefix: str
    region: str

    @classmethod
    def from_url(cls, url: str, region: str) -> Endpoint:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an S3 endpoint URL: {url!r}")
        default = 443 if parts.scheme == "https" else 80
        port = parts.port if parts.port not in (None, default) else None
        host = parts.hostname if port is None else f"{parts.hostname}:{port}"
        return cls(parts.scheme, host, port, parts.path.rstrip("/"), region or "us-east-1")


class Signer:
    """AWS Signature Version 4 for ``GET`` requests with an empty body (service ``s3``)."""

    def __init__(self, credentials: Any, region: str) -> None:
        self.credentials = credentials  # botocore credentials (refreshable) or None: anonymous requests
        self.region = region
        self._keys: dict[tuple[str, str], bytes] = {}

    def _key(self, secret: str, day: str) -> bytes:
        key = self._keys.get((secret, day))
        if key is None:
            key = f"AWS4{secret}".encode()
            for part in (day, self.region, "s3", "aws4_request"):
                key = hmac.new(key, part.encode(), hashlib.sha256).digest()
            self._keys = {(secret, day): key}  # one day, one secret: the previous key is dropped
        return key

    def sign(self, path: str, headers: dict[str, str], now: float | None = None) -> dict[str, str]:
        """Add ``x-amz-date``, ``x-amz-content-sha256`` and ``Authorization`` to ``headers`` (lower-case names).

        ``path`` is the request path as sent (already URI-encoded). Anonymous without credentials.
        """
        frozen = self.credentials.get_frozen_credentials() if self.credentials is not None else None
        if frozen is None or not frozen.access_key:
            return headers
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(now))
        day = stamp[:8]
        headers["x-amz-date"] = stamp
        headers["x-amz-content-sha256"] = EMPTY_SHA256
        if frozen.token:
            headers["x-amz-security-token"] = frozen.token
        names = sorted(headers)
        canonical_headers = "".join(f"{name}:{' '.join(headers[name].split())}\n" for name in names)
        signed = ";".join(names)
        canonical = f"GET\n{path}\n\n{canonical_headers}\n{signed}\n{EMPTY_SHA256}"
        scope = f"{day}/{self.region}/s3/aws4_request"
        to_sign = f"AWS4-HMAC-SHA256\n{stamp}\n{scope}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
        signature = hmac.new(self._key(frozen.secret_key, day), to_sign.encode(), hashlib.sha256).hexdigest()
        headers["authorization"] = (f"AWS4-HMAC-SHA256 Credential={frozen.access_key}/{scope}, "
                                    f"SignedHeaders={signed}, Signature={signature}")
        return headers


class RangeClient:
    """Thread-safe range reads of the objects of one bucket: a keep-alive connection per thread."""

    def __init__(self, endpoint: Endpoint, bucket: str, signer: Signer, *, verify: bool | str | None = True,
                 timeout: float = TIMEOUT) -> None:
        self.endpoint, self.bucket, self.signer, self.timeout = endpoint, bucket, signer, timeout
        self._local = threading.local()
        self._open: set[_Connection] = set()  # every thread's connection, for close()
        self._lock = threading.Lock()
        self._closer = weakref.finalize(self, _close_all, self._open, self._lock)
        self._context: ssl.SSLContext | None = None
        if endpoint.scheme == "https":
            if verify is False:
                self._context = ssl._create_unverified_context()  # noqa: S323 - the storage's own verify=False
            else:
                self._context = ssl.create_default_context(cafile=verify if isinstance(verify, str) else None)

    @classmethod
    def for_storage(cls, storage: Any) -> RangeClient:
        """The client of a django-storages ``S3Storage``: its resolved endpoint, region and credentials."""
        client = storage.connection.meta.client  # resolves the endpoint and region once, as boto3 does
        endpoint = Endpoint.from_url(str(client.meta.endpoint_url), str(client.meta.region_name or ""))
        credentials = storage._create_session().get_credentials()
        return cls(endpoint, str(storage.bucket_name), Signer(credentials, endpoint.region),
                   verify=getattr(storage, "verify", None))

    def path(self, key: str) -> str:
        """The request path of object ``key`` (path-style addressing, URI-encoded once, as S3 signs it)."""
        return f"{self.endpoint.prefix}/{quote(self.bucket, safe='')}/{quote(key, safe='/~')}"

    def _connection(self, fresh: bool = False) -> _Connection:
        conn: _Connection | None = getattr(self._local, "conn", None)
        if conn is not None and not fresh:
            return conn
        if conn is not None:
            conn.close()
            with self._lock:
                self._open.discard(conn)
        host = self.endpoint.host.rpartition(":")[0] if self.endpoint.port else self.endpoint.host
        default = 443 if self.endpoint.scheme == "https" else 80
        conn = _Connection(host, self.endpoint.port or default, self.timeout, self._context)
        self._local.conn = conn
        with self._lock:
            self._open.add(conn)
        return conn

    def close(self) -> None:
        """Close every thread's connection (they reopen on the next read); also done when the client goes."""
        _close_all(self._open, self._lock)

    def get(self, key: str, start: int, end: int) -> tuple[int, bytes, str]:
        """``GET`` bytes ``start``..``end`` (inclusive) of ``key``: (status, body, Content-Range).

        Statuses 200 and 206 are returned; any other answer raises :class:`RangeError`, as does a
        storage that does not answer within :data:`TIMEOUT` seconds.
        """
        path = self.path(key)
        for attempt in (0, 1):
            conn = self._connection(fresh=attempt > 0)
            reused = conn.sock is not None
            headers = self.signer.sign(path, {"host": self.endpoint.host, "range": f"bytes={start}-{end}"})
            request = "".join([f"GET {path} HTTP/1.1\r\n", *(f"{k}: {v}\r\n" for k, v in headers.items()), "\r\n"])
            try:
                status, answer, body = conn.roundtrip(request.encode("latin-1"))
            except _Closed as exc:
                conn.close()
                if reused and attempt == 0:
                    continue  # the server closed an idle keep-alive connection: once more on a new one
                raise RangeError(0, "", f"the storage closed the connection: {exc}") from exc
            except (OSError, ValueError) as exc:
                conn.close()
                raise RangeError(0, "", f"the storage does not answer: {exc!r}") from exc
            if status in (200, 206):
                return status, body, answer.get("content-range", "")
            raise RangeError(status, _error_code(body), f"the storage answered {status}")
        raise AssertionError("unreachable")


_shared: dict[int, tuple[Any, RangeClient]] = {}
_shared_lock = threading.Lock()


def shared_client(storage: Any) -> RangeClient:
    """This process's :class:`RangeClient` of the S3 storage ``storage`` (built once per storage object)."""
    found = _shared.get(id(storage))
    if found is not None and found[0] is storage:
        return found[1]
    client = RangeClient.for_storage(storage)
    with _shared_lock:
        found = _shared.get(id(storage))
        if found is not None and found[0] is storage:
            return found[1]
        for old_storage, old_client in list(_shared.values()):  # a storage replaced (a test's settings)
            if old_storage is not storage:
                old_client.close()
        _shared.clear()
        _shared[id(storage)] = (storage, client)
    return client


class _Closed(Exception):
    """The server closed the connection before a whole answer."""


class _Connection:
    """One HTTP/1.1 connection: a request written whole, its answer read by Content-Length or chunks.

    http.client would do, at twice the CPU (its header parsing goes through the ``email`` package):
    this is enough for the one kind of request sent here.
    """

    def __init__(self, host: str, port: int, timeout: float, context: ssl.SSLContext | None) -> None:
        self.host, self.port, self.timeout, self.context = host, port, timeout, context
        self.sock: socket.socket | None = None
        self._buf = bytearray()

    def close(self) -> None:
        if self.sock is not None:
            with suppress(OSError):
                self.sock.close()
            self.sock = None
        self._buf.clear()

    def _fill(self) -> None:
        assert self.sock is not None
        chunk = self.sock.recv(MAX_READ)
        if not chunk:
            raise _Closed("the connection was closed before a whole answer")
        self._buf += chunk

    def _line(self) -> bytes:
        while (end := self._buf.find(b"\r\n")) < 0:
            if len(self._buf) > MAX_HEAD:
                raise ValueError("an answer line is too long")
            self._fill()
        line = bytes(self._buf[:end])
        del self._buf[:end + 2]
        return line

    def _take(self, size: int) -> bytes:
        if len(self._buf) < size:
            if self.sock is None:
                raise _Closed("no connection")
            out = bytearray(size)
            have = len(self._buf)
            out[:have] = self._buf
            self._buf.clear()
            view = memoryview(out)
            while have < size:
                got = self.sock.recv_into(view[have:])
                if not got:
                    raise _Closed("the connection was closed in the middle of an answer")
                have += got
            return bytes(out)
        data = bytes(self._buf[:size])
        del self._buf[:size]
        return data

    def roundtrip(self, request: bytes) -> tuple[int, dict[str, str], bytes]:
        """Send ``request`` and read its answer: (status, lower-case headers, body)."""
        if self.sock is None:
            sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                self.sock = self.context.wrap_socket(sock, server_hostname=self.host) if self.context else sock
            except OSError:  # e.g. a certificate that is not trusted
                sock.close()
                raise
        try:
            self.sock.sendall(request)
        except (BrokenPipeError, ConnectionResetError) as exc:
            raise _Closed(f"the connection was closed: {exc!r}") from exc
        try:
            status_line = self._line()
        except ConnectionResetError as exc:
            raise _Closed(f"the connection was reset: {exc!r}") from exc
        version, _, rest = status_line.decode("latin-1").partition(" ")
        status = int(rest[:3])
        headers: dict[str, str] = {}
        while line := self._line():
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
            if len(headers) > 100:
                raise ValueError("too many headers")
        if "content-length" in headers:
            body = self._take(int(headers["content-length"]))
        elif "chunked" in headers.get("transfer-encoding", "").lower():
            parts = []
            while size := int(self._line().split(b";", 1)[0], 16):
                parts.append(self._take(size))
                self._line()
            while self._line():  # trailers
                pass
            body = b"".join(parts)
        else:  # the body ends with the connection
            with suppress(_Closed):
                while True:
                    self._fill()
            body = bytes(self._buf)
            self.close()
            return status, headers, body
        if version != "HTTP/1.1" or headers.get("connection", "").lower() == "close" or self._buf:
            self.close()  # not kept alive (or bytes nobody asked for: start afresh)
        return status, headers, body


def _close_all(conns: set[_Connection], lock: threading.Lock) -> None:
    with lock:
        for conn in conns:
            conn.close()
        conns.clear()


def _error_code(body: bytes) -> str:
    """The ``<Code>`` of an S3 error document ('' when there is none)."""
    start = body.find(b"<Code>")
    end = body.find(b"</Code>", start)
    return body[start + 6:end].decode(errors="replace") if start >= 0 and end > start else ""
