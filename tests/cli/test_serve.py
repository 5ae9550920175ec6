"""`mogao serve` refuses a port that is already taken, even by a SO_REUSEPORT listener (#12, fault 18)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest

from mogao.cli import serve


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def no_processes(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Popen recorded instead of run: a refused start must not launch anything."""
    started: list[list[str]] = []

    class Recorded:
        def __init__(self, args: list[str], **kwargs: Any) -> None:
            started.append(args)

        def poll(self) -> int:
            return 0

        def wait(self, timeout: float) -> int:
            return 0

    monkeypatch.setattr(subprocess, "Popen", Recorded)
    monkeypatch.setattr(serve.signal, "signal", lambda *_: None)
    return started


@pytest.fixture
def reuseport_listener() -> Iterator[int]:
    """A socket listening as granian's do (SO_REUSEPORT), on a free port."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        s.bind(("127.0.0.1", 0))
        s.listen()
        yield int(s.getsockname()[1])


@pytest.mark.django_db
def test_a_taken_port_is_refused_with_a_clear_message(
    reuseport_listener: int, no_processes: list[list[str]]
) -> None:
    with pytest.raises(click.ClickException) as refused:
        serve.run_server("127.0.0.1", reuseport_listener)
    assert f"port {reuseport_listener} on 127.0.0.1 is already in use" in refused.value.message
    assert no_processes == []  # neither granian nor the task worker started


@pytest.mark.django_db
def test_a_free_port_starts_the_server(no_processes: list[list[str]]) -> None:
    import signal

    before = signal.getsignal(signal.SIGTERM)
    serve.run_server("127.0.0.1", _free_port())
    # the SIGTERM handler is put back: a pool forked later by this process must still die on SIGTERM
    assert signal.getsignal(signal.SIGTERM) == before
    assert any("granian" in args for args in no_processes)


def test_a_second_real_granian_would_start_but_the_check_sees_the_first(tmp_path: Path) -> None:
    """Against a real granian: it shares the port (SO_REUSEPORT), the check does not."""
    (tmp_path / "tinyapp.py").write_text(
        "def app(environ, start_response):\n    start_response('200 OK', [])\n    return [b'ok']\n"
    )
    port = _free_port()
    first = subprocess.Popen(
        [sys.executable, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port),
         "--no-ws", "tinyapp:app"],
        cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(200):  # wait (bounded) until it listens; behaviour only, no timing asserted
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        else:
            pytest.fail("granian did not start listening")
        with pytest.raises(click.ClickException, match="already in use"):
            serve.ensure_port_free("127.0.0.1", port)
    finally:
        first.terminate()
        first.wait(timeout=10)


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "backend", "embedded"), [
    ("database://", "django_tasks_db.DatabaseBackend", True),
    ("redis://127.0.0.1:6379/1", "mogao.core.taskbackends.CeleryBackend", False),
    ("amqp://guest:guest@127.0.0.1:5672//", "mogao.core.taskbackends.CeleryBackend", False),
])
def test_the_embedded_worker_runs_only_without_a_broker(
    no_processes: list[list[str]], settings: Any, url: str, backend: str, embedded: bool,
) -> None:
    """#19: with a broker `mogao worker` processes run the tasks; the server starts none, on all queues otherwise."""
    settings.TASKS_URL = url
    settings.TASKS = {"default": {"BACKEND": backend, "QUEUES": ["default"]}}
    serve.run_server("127.0.0.1", _free_port(), workers=3)
    workers = [args for args in no_processes if "db_worker" in args]
    assert bool(workers) is embedded
    if embedded:
        assert workers[0][workers[0].index("--queue-name") + 1] == "*"
    granian = next(args for args in no_processes if "granian" in args)
    assert granian[granian.index("--workers") + 1] == "3"


@pytest.mark.parametrize(("cores", "threads"), [(1, 1), (2, 2), (16, 2)])
def test_granian_runtime_threads_follow_the_cores(cores: int, threads: int) -> None:
    """#19: two Rust I/O threads per server process where there are two cores, one on a single core."""
    assert serve.default_runtime_threads(cores) == threads


@pytest.mark.django_db
def test_the_server_is_started_with_its_runtime_threads(no_processes: list[list[str]],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(serve.os, "cpu_count", lambda: 4)
    serve.run_server("127.0.0.1", _free_port())
    granian = next(args for args in no_processes if "granian" in args)
    assert granian[granian.index("--runtime-threads") + 1] == "2"
    assert granian[granian.index("--workers") + 1] == "4"  # the worker count still follows the cores
    assert "--backpressure" not in granian  # granian's default: it limits connections, not requests
