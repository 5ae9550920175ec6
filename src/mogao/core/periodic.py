"""Periodic tasks, fired once per period across the whole cluster (#19).

Apps register what must run regularly, usually from their ``AppConfig.ready()``::

    from mogao.core import periodic
    periodic.register("audience.rollup", rollup_task, every=timedelta(hours=1))

Any number of schedulers may run (``mogao beat``, the scheduler thread of each ``mogao worker``, the one
``mogao serve`` starts beside its embedded worker): at each tick each computes the current period of
every registered task (``floor(now / every)``) and tries to INSERT ``(name, period)`` into the
``mogao_periodic_claim`` table. The primary key lets exactly one INSERT succeed, on SQLite as on
PostgreSQL, and only that scheduler enqueues the task (on the ``periodic`` queue). A scheduler that was
down for a while fires each task once when it comes back, not once per missed period.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, connection, transaction

logger = logging.getLogger(__name__)

#: Claims older than this many periods are deleted when a newer one is taken.
KEEP_PERIODS = 20


@dataclass(frozen=True)
class Periodic:
    """A registered periodic task: ``task`` (a django-tasks Task) every ``every`` seconds."""

    name: str
    task: Any
    every: float


_registry: dict[str, Periodic] = {}
_registry_lock = threading.Lock()


def register(name: str, task: Any, *, every: timedelta | float) -> Periodic:
    """Run ``task`` (a django-tasks ``Task`` taking no argument) once every ``every`` across the cluster.

    Registering the same name again replaces the entry (``ready()`` may run more than once in tests).
    Tasks on the default queue are moved to the ``periodic`` queue.
    """
    seconds = every.total_seconds() if isinstance(every, timedelta) else float(every)
    if seconds <= 0:
        raise ValueError("every must be positive")
    if len(name) > 100:
        raise ValueError("name must be at most 100 characters")
    if getattr(task, "queue_name", "default") == "default":
        task = task.using(queue_name="periodic")
    entry = Periodic(name=name, task=task, every=seconds)
    with _registry_lock:
        _registry[name] = entry
    return entry


def unregister(name: str) -> None:
    with _registry_lock:
        _registry.pop(name, None)


def registered() -> list[Periodic]:
    """The registered periodic tasks, by name."""
    with _registry_lock:
        return [_registry[k] for k in sorted(_registry)]


def claim(name: str, period: int) -> bool:
    """Take period ``period`` of ``name`` for this scheduler; False when another one has it."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO mogao_periodic_claim (name, period, claimed_at) VALUES (%s, %s, %s)",
                [name, period, time.time()],
            )
            cursor.execute(
                "DELETE FROM mogao_periodic_claim WHERE name = %s AND period < %s", [name, period - KEEP_PERIODS],
            )
    except IntegrityError:
        return False
    return True


def tick(now: float | None = None) -> list[str]:
    """Enqueue every registered task whose current period nobody has claimed yet; returns their names."""
    now = time.time() if now is None else now
    fired = []
    for entry in registered():
        period = int(now // entry.every)
        if claim(entry.name, period):
            try:
                entry.task.enqueue()
            except Exception:
                logger.exception("periodic: could not enqueue %s", entry.name)
                continue
            fired.append(entry.name)
    return fired


def tick_interval() -> float:
    """How often a scheduler looks (seconds): a tenth of the shortest period, between 0.2 and 30 s."""
    shortest = min((e.every for e in registered()), default=60.0)
    return max(0.2, min(30.0, shortest / 10))


def run_scheduler(stop: threading.Event, interval: float | None = None) -> None:
    """Tick until ``stop`` is set (the loop of ``mogao beat`` and of the worker's scheduler thread)."""
    from django.db import close_old_connections

    while not stop.is_set():
        try:
            fired = tick()
            if fired:
                logger.info("periodic: enqueued %s", ", ".join(fired))
        except Exception:
            logger.warning("periodic: tick failed", exc_info=True)
        finally:
            close_old_connections()
        stop.wait(interval if interval is not None else tick_interval())
    connection.close()  # this thread's own connection


def start_thread(interval: float | None = None) -> tuple[threading.Thread, threading.Event]:
    """Run :func:`run_scheduler` in a daemon thread; set the returned event to stop it."""
    stop = threading.Event()
    thread = threading.Thread(target=run_scheduler, args=(stop, interval), name="mogao-periodic", daemon=True)
    thread.start()
    return thread, stop
