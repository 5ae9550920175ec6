"""Tasks and helpers of the task-backend contract suite (#19): effects recorded as files, visible across processes.

Each task writes under a folder given as its first argument:

- ``runs.log``: one line ``<key> <pid>`` per execution (an execution may happen more than once);
- ``effects/<key>``: the task's effect, created exclusively, so running a task twice leaves one effect
  (the tasks are idempotent like Mogao's own), and ``dupes.log`` counts attempts to make it twice;
- ``started/<key>.<pid>``: written by :func:`slow_task` when it starts, so a test can kill the worker then.

They live in ``src`` (not ``tests``) because real ``mogao worker`` processes import them by path.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from django_tasks import task

from mogao.core.taskqueue import TransientTaskError

#: Periodic probe tasks write under this folder (they take no argument).
ROOT_ENV = "MOGAO_TEST_TASK_ROOT"


def _effect(root: str, key: str) -> None:
    base = Path(root)
    (base / "effects").mkdir(parents=True, exist_ok=True)
    with open(base / "runs.log", "a") as fh:
        fh.write(f"{key} {os.getpid()}\n")
    try:
        fd = os.open(base / "effects" / key, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        with open(base / "dupes.log", "a") as fh:
            fh.write(f"{key}\n")
        return
    os.close(fd)


@task(queue_name="ingest")
def effect_task(root: str, key: str) -> str:
    _effect(root, key)
    return key


@task(queue_name="index")
def index_effect_task(root: str, key: str) -> str:
    _effect(root, key)
    return key


@task(queue_name="ocr")
def slow_task(root: str, key: str, wait: float = 120.0) -> str:
    """Mark the start, wait until ``<root>/release`` exists (at most ``wait`` s), then take effect."""
    started = Path(root) / "started"
    started.mkdir(parents=True, exist_ok=True)
    (started / f"{key}.{os.getpid()}").touch()
    deadline = time.monotonic() + wait
    while not (Path(root) / "release").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    _effect(root, key)
    return key


@task(queue_name="images")
def flaky_task(root: str, key: str, failures: int) -> str:
    """Fail with a transient error on the first ``failures`` attempts, then take effect."""
    attempts = Path(root) / f"attempts-{key}.log"
    with open(attempts, "a") as fh:
        fh.write(f"{time.time()}\n")
    if len(attempts.read_text().splitlines()) <= failures:
        raise TransientTaskError(f"attempt of {key} failed on purpose")
    _effect(root, key)
    return key


@task(queue_name="periodic")
def periodic_probe_task() -> None:
    """Append a line to ``runs.log`` under ``$MOGAO_TEST_TASK_ROOT`` at each run."""
    root = Path(os.environ[ROOT_ENV])
    root.mkdir(parents=True, exist_ok=True)
    with open(root / "runs.log", "a") as fh:
        fh.write(f"periodic {os.getpid()}\n")


def runs(root: Path, key: str | None = None) -> list[str]:
    """The keys of ``runs.log`` (one per execution), only ``key``'s when given."""
    path = root / "runs.log"
    keys = [line.split()[0] for line in path.read_text().splitlines()] if path.exists() else []
    return [k for k in keys if key is None or k == key]


def effects(root: Path) -> set[str]:
    path = root / "effects"
    return {p.name for p in path.iterdir()} if path.exists() else set()


def wait_for(condition: object, timeout: float = 60.0, interval: float = 0.1) -> bool:
    """Poll ``condition()`` until it is true or ``timeout`` passes; returns its last value as a bool."""
    deadline = time.monotonic() + timeout
    while True:
        if condition():  # type: ignore[operator]
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(interval)
