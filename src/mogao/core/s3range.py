"""Byte-range reads from an S3 storage without boto3 on the hot path (#19).

A stored IIIF tile is one ``GET`` with ``Range: bytes=a-b``. Through boto3 that request costs about
1.7 ms of CPU in the calling process (its event hooks, parameter validation, endpoint rules, the
response parser): on a loaded node the GIL makes that the tile's latency, and it stops a process
from answering more than a few hundred cold tiles a second. :class:`RangeClient` sends the same
request with :mod:`http.client` over keep-alive connections (one per thread, reused) and signs it
itself (AWS Signature Version 4, the signing key derived once a day), about 0.2 ms of CPU.

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
import http.client
import ssl
import threading
import time
import weakref
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
#: Seconds to connect and to wait for each read of an answer.
TIMEOUT = 10.0
_STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError, http.client.BadStatusLine)


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
        self._open: set[http.client.HTTPConnection] = set()  # every thread's connection, for close()
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

    def _connection(self, fresh: bool = False) -> http.client.HTTPConnection:
        conn: http.client.HTTPConnection | None = getattr(self._local, "conn", None)
        if conn is not None and not fresh:
            return conn
        if conn is not None:
            conn.close()
            with self._lock:
                self._open.discard(conn)
        host = self.endpoint.host.rpartition(":")[0] if self.endpoint.port else self.endpoint.host
        if self.endpoint.scheme == "https":
            conn = http.client.HTTPSConnection(host, self.endpoint.port, timeout=self.timeout, context=self._context)
        else:
            conn = http.client.HTTPConnection(host, self.endpoint.port, timeout=self.timeout)
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
            reused = getattr(conn, "sock", None) is not None
            headers = self.signer.sign(path, {"host": self.endpoint.host, "range": f"bytes={start}-{end}"})
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                body = response.read()
            except _STALE as exc:
                conn.close()
                if reused and attempt == 0:
                    continue  # the server closed an idle keep-alive connection: once more on a new one
                raise RangeError(0, "", f"the storage closed the connection: {exc!r}") from exc
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                raise RangeError(0, "", f"the storage does not answer: {exc!r}") from exc
            if response.will_close:
                conn.close()
            if response.status in (200, 206):
                return response.status, body, str(response.getheader("Content-Range", ""))
            raise RangeError(response.status, _error_code(body), f"the storage answered {response.status}")
        raise AssertionError("unreachable")


def _close_all(conns: set[http.client.HTTPConnection], lock: threading.Lock) -> None:
    with lock:
        for conn in conns:
            conn.close()
        conns.clear()


def _error_code(body: bytes) -> str:
    """The ``<Code>`` of an S3 error document ('' when there is none)."""
    start = body.find(b"<Code>")
    end = body.find(b"</Code>", start)
    return body[start + 6:end].decode(errors="replace") if start >= 0 and end > start else ""
