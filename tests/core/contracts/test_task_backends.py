"""The task-backend contract (#19): the same tests on the embedded queue (database), RabbitMQ and Redis.

The broker variants run real ``mogao worker`` processes (Celery) against the machine's RabbitMQ
(127.0.0.1:5672, guest/guest) and Redis (127.0.0.1:6379); each test uses queues of its own
(``queue_prefix``), deleted afterwards. A service that does not answer skips its variant, except in CI
(``$CI`` set) where it fails. Effects are files (``mogao.testing.tasks``), seen by every process;
everything is polled with generous deadlines, nothing is timed.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from mogao.core import periodic, taskqueue
from mogao.core.tasks import enqueue_after_commit
from mogao.testing import tasks as probe
from mogao.testing.redis import redis_test_url

pytestmark = pytest.mark.django_db(transaction=True)

RABBIT_URL = os.environ.get("MOGAO_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672//")
REDIS_BROKER_URL = os.environ.get("MOGAO_TEST_REDIS_BROKER_URL", "redis://127.0.0.1:6379/11")
DEADLINE = 90.0


def _unreachable(url: str) -> str | None:
    from kombu import Connection

    try:
        with Connection(url, connect_timeout=3) as conn:
            conn.ensure_connection(max_retries=1, timeout=3)
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


class Harness:
    """One backend under test: enqueue through django-tasks, run workers, look at its queues."""

    def __init__(self, kind: str, url: str, root: Path) -> None:
        self.kind = kind
        self.url = url
        self.root = root
        self.workers: list[subprocess.Popen[bytes]] = []
        self.logs: list[Any] = []

    @property
    def broker(self) -> bool:
        return self.kind != "database"

    def start_worker(self, queues: str = "", name: str = "w") -> subprocess.Popen[bytes] | None:
        """A real ``mogao worker`` process (brokers); the database backend runs in :meth:`drain`."""
        if not self.broker:
            return None
        env = {
            **os.environ, "MOGAO_TASKS_URL": self.url, "MOGAO_CACHE_URL": redis_test_url(),
            "MOGAO_TASKS_RETRY_SECONDS": "0.2", "MOGAO_SEARCH_URL": "memory://",
            "MOGAO_HOME": str(self.root / f"home-{name}"), probe.ROOT_ENV: str(self.root),
            "PYTHONPATH": os.pathsep.join([str(Path(taskqueue.__file__).parents[2]), os.environ.get("PYTHONPATH", "")]),
        }
        env.pop("PYTEST_XDIST_WORKER", None)
        cmd = [sys.executable, "-c", "from mogao.cli import main; main()", "worker", "--concurrency", "1",
               "--no-beat", "--loglevel", "WARNING", "--hostname", f"{name}-{uuid.uuid4().hex[:6]}@%h"]
        if queues:
            cmd += ["--queues", queues]
        log = open(self.root / f"worker-{name}.log", "ab")  # noqa: SIM115  (closed by stop())
        self.logs.append(log)
        proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.workers.append(proc)
        return proc

    def drain(self, queues: str = "*") -> None:
        """Database backend: run the embedded worker until its queues are empty (no-op on brokers)."""
        if not self.broker:
            call_command("db_worker", "--batch", "--queue-name", queues, "--no-startup-delay", "--interval", "0.1",
                         verbosity=0)

    def kill(self, proc: subprocess.Popen[bytes]) -> None:
        """SIGKILL the worker and its pool processes, as a crashed node."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)

    def depth(self, queue: str) -> int:
        if self.broker:
            return taskqueue.queue_depths()[queue]
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.filter(status="READY", queue_name=queue).count()

    def stop(self) -> None:
        for proc in self.workers:
            if proc.poll() is None:
                proc.terminate()
        for proc in self.workers:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill(proc)
        for log in self.logs:
            log.close()

    def log(self) -> str:
        return "\n".join(p.read_text(errors="replace")[-3000:] for p in sorted(self.root.glob("worker-*.log")))


def _delete_queues() -> None:
    app = taskqueue.celery_app()
    with app.connection_for_write() as conn:
        channel = conn.default_channel
        for name in taskqueue.QUEUES:
            try:
                channel.queue_delete(taskqueue.broker_queue(name))
            except Exception:
                channel = conn.channel()
        if "amqp" in str(app.conf.broker_url):
            with contextlib.suppress(Exception):
                channel.exchange_delete(taskqueue.broker_queue("default"))  # the queues' direct exchange


@pytest.fixture(params=["database", "rabbitmq", "redis"])
def backend(request: pytest.FixtureRequest, settings: Any, tmp_path: Path,
            monkeypatch: pytest.MonkeyPatch) -> Iterator[Harness]:
    kind = request.param
    prefix = f"t{uuid.uuid4().hex[:10]}."
    if kind == "database":
        url, backend_path = "database://", "django_tasks_db.DatabaseBackend"
    else:
        base = RABBIT_URL if kind == "rabbitmq" else REDIS_BROKER_URL
        problem = _unreachable(base)
        if problem:
            message = f"{kind} is not reachable at {taskqueue.masked(base)} ({problem})"
            if os.environ.get("CI"):
                pytest.fail(f"{message}: the task contract must run on it in CI")
            pytest.skip(message)
        extra = "&visibility_timeout=4" if kind == "redis" else ""
        url, backend_path = f"{base}?queue_prefix={prefix}{extra}", "mogao.core.taskbackends.CeleryBackend"
    settings.TASKS_URL = url
    settings.TASKS = {"default": {"BACKEND": backend_path, "QUEUES": list(taskqueue.QUEUES)}}
    monkeypatch.setenv(probe.ROOT_ENV, str(tmp_path))
    taskqueue.reset_app()
    harness = Harness(kind, url, tmp_path)
    try:
        yield harness
    finally:
        harness.stop()
        if harness.broker:
            _delete_queues()
        taskqueue.reset_app()


def _wait(condition: Any, harness: Harness, what: str) -> None:
    assert probe.wait_for(condition, timeout=DEADLINE), f"{what} (worker log:\n{harness.log()})"


def test_enqueue_after_commit_only(backend: Harness) -> None:
    root = str(backend.root)

    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), transaction.atomic():
        enqueue_after_commit(probe.effect_task, root, "rolled-back")
        assert backend.depth("ingest") == 0  # nothing is sent before the commit
        raise Rollback
    with transaction.atomic():
        enqueue_after_commit(probe.effect_task, root, "committed")
        assert backend.depth("ingest") == 0
    assert probe.wait_for(lambda: backend.depth("ingest") == 1, timeout=DEADLINE)
    backend.start_worker("ingest")
    backend.drain()
    _wait(lambda: probe.effects(backend.root) == {"committed"}, backend, "the committed task ran")
    assert probe.runs(backend.root, "rolled-back") == []


def test_redelivery_is_idempotent(backend: Harness) -> None:
    """The same task delivered twice (a lost acknowledgement) leaves one effect."""
    root = str(backend.root)
    result = probe.effect_task.enqueue(root, "twice")
    if backend.broker:
        # a second delivery of the very same message (same task id), as the broker does after a lost ack
        queue = taskqueue.broker_queue("ingest")
        taskqueue.celery_app().send_task("mogao.run", args=[probe.effect_task.module_path, [root, "twice"], {}],
                                         task_id=result.id, queue=queue, routing_key=queue)
        backend.start_worker("ingest")
        _wait(lambda: backend.depth("ingest") == 0 and "twice" in probe.effects(backend.root), backend,
              "both deliveries consumed")
    else:
        from django_tasks_db.models import DBTaskResult

        backend.drain()
        DBTaskResult.objects.filter(pk=result.id).update(status="READY", started_at=None, finished_at=None)
        backend.drain()
        assert len(probe.runs(backend.root, "twice")) == 2  # ran again, as a crashed worker's task would
    assert probe.effects(backend.root) == {"twice"}


def test_worker_killed_mid_task_gives_it_to_another(backend: Harness) -> None:
    if not backend.broker:
        pytest.skip("the embedded queue has one worker, inside `mogao serve`: what it was running when killed "
                    "is requeued when the server starts again (test_orphaned_database_tasks_are_requeued)")
    first = backend.start_worker("ocr", name="first")
    assert first is not None
    probe.slow_task.enqueue(str(backend.root), "crash")
    started = backend.root / "started"
    _wait(lambda: started.exists() and any(started.iterdir()), backend, "the first worker started the task")
    backend.kill(first)
    (backend.root / "release").touch()
    backend.start_worker("ocr", name="second")
    _wait(lambda: "crash" in probe.effects(backend.root), backend, "another worker completed the task")
    pids = {p.name.split(".")[-1] for p in started.iterdir()}
    assert len(pids) >= 2  # started by the killed worker, then again by the other
    assert probe.effects(backend.root) == {"crash"}
    assert not (backend.root / "dupes.log").exists()


def test_transient_errors_are_retried_with_backoff(backend: Harness) -> None:
    if not backend.broker:
        pytest.skip("the embedded queue (django-tasks-db) does not retry; a broker does")
    probe.flaky_task.enqueue(str(backend.root), "flaky", 2)
    backend.start_worker("images")
    _wait(lambda: "flaky" in probe.effects(backend.root), backend, "the task succeeded after its retries")
    attempts = [float(x) for x in (backend.root / "attempts-flaky.log").read_text().split()]
    assert len(attempts) == 3
    assert attempts == sorted(attempts)


def test_backoff_grows_exponentially() -> None:
    lows = [taskqueue.backoff(n, 1.0) for n in range(5)]
    for n, delay in enumerate(lows):
        assert 2 ** n <= delay <= 2 ** n * 1.25
    assert taskqueue.backoff(30, 1.0) <= 600 * 1.25


def test_queues_are_routed_by_task_kind(backend: Harness) -> None:
    root = str(backend.root)
    probe.effect_task.enqueue(root, "to-ingest")
    probe.index_effect_task.enqueue(root, "to-index")
    assert probe.wait_for(lambda: backend.depth("ingest") == 1 and backend.depth("index") == 1, timeout=DEADLINE)
    backend.start_worker("index", name="index-only")
    backend.drain("index")
    _wait(lambda: probe.effects(backend.root) == {"to-index"}, backend, "the index worker ran the index task")
    assert backend.depth("ingest") == 1  # a worker of another queue never takes it
    backend.start_worker("ingest", name="ingest-only")
    backend.drain("ingest")
    _wait(lambda: probe.effects(backend.root) == {"to-index", "to-ingest"}, backend, "the ingest task ran")


def test_periodic_task_fires_once_per_period_with_two_schedulers(
    backend: Harness, monkeypatch: pytest.MonkeyPatch,
) -> None:
    import threading

    monkeypatch.setattr(periodic, "_registry", {})
    periodic.register(f"probe-{uuid.uuid4().hex[:6]}", probe.periodic_probe_task, every=10)
    start = 1_000_000_000.0
    moments = [start + i for i in range(0, 50)]  # 5 periods of 10 s, 10 ticks in each
    barrier = threading.Barrier(2)
    fired: list[list[str]] = [[], []]

    def scheduler(slot: int) -> None:
        from django.db import connection

        barrier.wait()
        try:
            for now in moments:
                fired[slot] += periodic.tick(now)
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=DEADLINE)
    assert len(fired[0]) + len(fired[1]) == 5
    backend.start_worker("periodic")
    backend.drain("periodic")
    _wait(lambda: len(probe.runs(backend.root, "periodic")) >= 5, backend, "the periodic task ran")
    assert len(probe.runs(backend.root, "periodic")) == 5
    assert backend.depth("periodic") == 0
