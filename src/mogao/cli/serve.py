"""`mogao serve`: granian in WSGI mode plus the embedded task worker and scheduler, until interrupted."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import click

from mogao.cli import django_setup, main


def served_url(host: str, port: int) -> str:
    """The address a reader reaches ``host:port`` at (a wildcard bind is reached on loopback)."""
    if host in {"", "0.0.0.0"}:  # noqa: S104  (a name, not a bind)
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


def announce_address(host: str, port: int) -> None:
    """Let links made outside a request follow the served address, unless MOGAO_BASE_URL is set.

    Call before Django reads its settings: the value reaches ``settings.BASE_URL`` in this process
    and in the server and worker processes started from it (requests themselves follow their own
    host whenever MOGAO_BASE_URL is not set; see :mod:`mogao.core.urls`).
    """
    os.environ["MOGAO_SERVED_URL"] = served_url(host, port)


def _prepare() -> None:
    """Migrate the database so that serving never starts on a stale schema."""
    django_setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def ensure_port_free(host: str, port: int) -> None:
    """Raise a ClickException when ``host:port`` is taken (e.g. by another ``mogao serve``).

    granian listens with SO_REUSEPORT, so a second server on the same port would start and share
    the connections with the first. A plain bind (SO_REUSEADDR only, so that connections of a
    server just stopped do not count) fails when anything listens there. Port 0 is always free.
    """
    if port == 0:
        return
    try:
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise click.ClickException(f"cannot listen on {host}: {exc.strerror}") from None
    for family, kind, proto, _name, address in addresses:
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(address)
            except OSError as exc:
                if exc.errno == errno.EADDRINUSE:
                    raise click.ClickException(
                        f"port {port} on {host} is already in use (another `mogao serve`?): "
                        "stop that server or choose another --port"
                    ) from None
                raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror}") from None


def default_workers(cores: int | None = None) -> int:
    """granian worker processes when not told: one per core, at most 8 (each holds the search dictionaries)."""
    return max(1, min(8, cores if cores is not None else (os.cpu_count() or 1)))


def default_runtime_threads(cores: int | None = None) -> int:
    """granian's Rust I/O threads per worker process: two when there are two cores or more, else one.

    granian's default is one, which every connection of the process goes through. Under 100
    readers on 2 cores (#19: item pages, wrk -c100 for 20 s, four interleaved pairs of runs at load average 6-11)
    two threads did better in every pair: 903-1,815 pages/s at p99 116-361 ms against 683-1,121/s
    at p99 259-816 ms with one. (Why was not traced; a single I/O thread competing for two cores
    with 16 blocking threads, wrk and the task worker is the likely bottleneck.)
    """
    return max(1, min(2, cores if cores is not None else (os.cpu_count() or 1)))


#: Seconds the server and the embedded worker get to finish their requests and task before being killed.
GRACE_SECONDS = 30


def metrics_dir() -> Path:
    """A fresh folder where every server process writes its Prometheus counters (``/metrics``)."""
    from django.conf import settings

    path = Path(settings.HOME) / "metrics"
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True, exist_ok=True)
    return path


def run_server(host: str, port: int, *, workers: int = 0, threads: int = 8) -> None:
    """Serve Mogao with granian (WSGI) and, without a broker, the embedded task worker; returns when they stop.

    ``workers=0`` takes :func:`default_workers`. Refuses to start (ClickException) when the port is
    already taken. With a broker (MOGAO_TASKS_URL amqp:// or redis://) tasks run in ``mogao worker``
    processes instead, and periodic tasks are scheduled by them.
    """
    from django.conf import settings

    from mogao.core import periodic, taskqueue

    ensure_port_free(host, port)
    workers = workers or default_workers()

    # MOGAO_WARM_UP: each server process builds the search dictionaries as it starts (wsgi.py)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "mogao.site.settings", "MOGAO_WARM_UP": "1",
           "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir())}
    procs: list[subprocess.Popen[bytes]] = []
    backend = settings.TASKS["default"]["BACKEND"]
    scheduler: tuple[threading.Thread, threading.Event] | None = None
    if backend == "django_tasks_db.DatabaseBackend":
        from mogao.core.tasks import requeue_orphaned_db_tasks

        if n := requeue_orphaned_db_tasks():
            click.echo(f"{n} task(s) cut off by the last stop queued again")
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "django", "db_worker", "--interval", "0.5", "--queue-name", "*"], env=env,
        ))
    if not taskqueue.is_broker(str(settings.TASKS_URL)):
        scheduler = periodic.start_thread()
    # Fixed argument lists and no shell: host and port are validated by click.
    procs.append(subprocess.Popen(  # noqa: S603
        [
            sys.executable, "-m", "granian", "--interface", "wsgi", "--host", host, "--port", str(port),
            "--workers", str(workers), "--blocking-threads", str(threads),
            "--runtime-threads", str(default_runtime_threads()), "--no-ws",
            "mogao.site.wsgi:application",
        ],
        env=env,
    ))
    click.echo(f"Mogao is serving on http://{host}:{port}/ with {workers} worker process(es)  (Ctrl+C stops it)")
    click.echo(f"Curators sign in at http://{host}:{port}/admin/")

    def stop(*_: object) -> None:
        for p in procs:
            if p.poll() is None:
                p.terminate()

    # Restored on the way out: a process that forks later (a test run, a pool) must not inherit it.
    previous = signal.signal(signal.SIGTERM, stop)
    try:
        while all(p.poll() is None for p in procs):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        if scheduler is not None:
            scheduler[1].set()
            scheduler[0].join(timeout=GRACE_SECONDS)
        stop()  # SIGTERM: granian finishes the requests under way, the worker its current task
        deadline = time.monotonic() + GRACE_SECONDS
        for p in procs:
            try:
                p.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                p.kill()


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--workers", default=0, type=click.IntRange(min=0),
              help="granian worker processes (default: one per core, at most 8).")
def serve(host: str, port: int, workers: int) -> None:
    """Serve Mogao (granian WSGI) with its task worker (unless MOGAO_TASKS_URL names a broker)."""
    announce_address(host, port)
    _prepare()
    run_server(host, port, workers=workers)
