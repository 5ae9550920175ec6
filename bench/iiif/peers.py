"""Start and stop the servers compared by the IIIF benchmark: Mogao (granian), iipsrv (lighttpd), nginx."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

IIPSRV = Path("/usr/lib/iipimage-server/iipsrv.fcgi")


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_http(url: str, timeout: float = 30.0) -> None:
    """Wait until ``url`` answers 200 (raises after ``timeout`` seconds)."""
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except Exception as exc:
            last = exc
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not come up: {last}")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextmanager
def mogao(home: Path, *, app: str, cache_mb: int, workers: int, threads: int, log: Path,
          env: dict[str, str] | None = None) -> Iterator[str]:
    """Mogao under granian WSGI; yields the base URL. ``app`` is a WSGI import path, ``env`` more settings."""
    extra = env or {}
    port = free_port()
    environ = {
        **os.environ, "MOGAO_HOME": str(home), "MOGAO_IIIF_CACHE_MB": str(cache_mb),
        "MOGAO_ALLOWED_HOSTS": "127.0.0.1,localhost", "DJANGO_SETTINGS_MODULE": "mogao.site.settings",
        "MOGAO_TASKS_URL": "immediate://", "MOGAO_SEARCH_URL": "memory://",
        "MOGAO_SECRET_KEY": os.environ.get("MOGAO_SECRET_KEY", "bench-only-" + os.urandom(16).hex()),
        # the servers run this checkout's code, not whatever copy of mogao the virtualenv points at
        "PYTHONPATH": os.pathsep.join(filter(None, [str(Path(__file__).resolve().parents[2] / "src"),
                                                    os.environ.get("PYTHONPATH", "")])),
        **extra,
    }
    cmd = [
        sys.executable, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port),
        "--workers", str(workers), "--blocking-threads", str(threads), "--no-ws", "--log-level", "warning", app,
    ]
    with log.open("ab") as fh:
        proc = subprocess.Popen(cmd, env=environ, stdout=fh, stderr=fh)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop(proc)


@contextmanager
def iipsrv(folder: Path, work: Path, *, cache_mb: int, procs: int) -> Iterator[str | None]:
    """iipsrv behind lighttpd (FastCGI on a loopback port); yields the base URL, or None if missing."""
    if not IIPSRV.exists() or shutil.which("lighttpd") is None:
        yield None
        return
    port, fcgi_port = free_port(), free_port()
    conf = work / "lighttpd.conf"
    conf.write_text(f"""
server.modules = ("mod_fastcgi")
server.bind = "127.0.0.1"
server.port = {port}
server.document-root = "{work}"
server.errorlog = "{work}/lighttpd-error.log"
server.pid-file = "{work}/lighttpd.pid"
server.max-connections = 256
fastcgi.server = ( "/fcgi-bin/iipsrv.fcgi" => ((
    "host" => "127.0.0.1", "port" => {fcgi_port}, "check-local" => "disable",
    "min-procs" => {procs}, "max-procs" => {procs}, "bin-path" => "{IIPSRV}",
    "bin-environment" => (
        "FILESYSTEM_PREFIX" => "{folder}/", "VERBOSITY" => "0", "LOGFILE" => "{work}/iipsrv.log",
        "MAX_IMAGE_CACHE_SIZE" => "{cache_mb}", "JPEG_QUALITY" => "85", "MAX_CVT" => "6000",
        "CORS" => "*"
    )
)))
""")
    proc = subprocess.Popen(
        ["lighttpd", "-D", "-f", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )
    try:
        yield f"http://127.0.0.1:{port}/fcgi-bin/iipsrv.fcgi?IIIF="
    finally:
        _stop(proc)  # lighttpd terminates the FastCGI children it spawned


@contextmanager
def nginx(root: Path, work: Path, *, workers: int) -> Iterator[str | None]:
    """nginx serving ``root`` at ``/iiif/3/``; yields the base URL, or None if nginx is missing."""
    if shutil.which("nginx") is None:
        yield None
        return
    port = free_port()
    (work / "nginx").mkdir(exist_ok=True)
    conf = work / "nginx.conf"
    user = "user root;" if os.geteuid() == 0 else ""
    conf.write_text(f"""
{user}
worker_processes {workers};
daemon off;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    open_file_cache max=10000 inactive=60s;
    types {{ image/jpeg jpg; application/json json; }}
    client_body_temp_path {work}/nginx/body;
    proxy_temp_path {work}/nginx/proxy;
    fastcgi_temp_path {work}/nginx/fastcgi;
    uwsgi_temp_path {work}/nginx/uwsgi;
    scgi_temp_path {work}/nginx/scgi;
    server {{
        listen 127.0.0.1:{port};
        location /iiif/3/ {{ alias {root}/; add_header Access-Control-Allow-Origin *; }}
    }}
}}
""")
    proc = subprocess.Popen(
        ["nginx", "-c", str(conf), "-p", str(work / "nginx")], stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        yield f"http://127.0.0.1:{port}/iiif/3/"
    finally:
        _stop(proc)
