"""The task broker (#19): which queue runs what, and the Celery app that runs django-tasks on a broker.

``MOGAO_TASKS_URL`` chooses where tasks wait:

- ``database://`` (the default): django-tasks-db; ``mogao serve`` runs the worker in-process;
- ``amqp://user:pass@host:5672/vhost`` (RabbitMQ) or ``redis://host:6379/N`` (``rediss://`` for TLS):
  Celery, with ``mogao worker`` processes on any number of machines;
- ``immediate://`` and ``dummy://``: run at once in the caller, or never (tests, benchmarks).

Whatever the broker, tasks are written once as django-tasks ``@task(queue_name=...)`` functions. On a
broker they are sent to Celery as one generic message, ``mogao.run(path, args, kwargs)``, on the
task's own queue (:data:`QUEUES`); the worker imports the function by path and calls it. Messages are
acknowledged only after the task ran (``acks_late``) and given back when the worker process is lost
(``reject_on_worker_lost``), so a worker killed mid-task leaves the task to another: every Mogao task
is idempotent (running it again gives the same effect). A message whose task already completed is
skipped when it comes back (the completion is kept in the shared cache). Transient errors (a
refused connection, a database that went away, :class:`TransientTaskError`) are retried with an
exponential back-off.

Nothing here imports Celery at module level: the embedded setup never loads it.
"""

from __future__ import annotations

import logging
import random
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlparse, urlunparse

if TYPE_CHECKING:
    from celery import Celery

logger = logging.getLogger(__name__)

#: Every queue, one per kind of work, so a slow kind (OCR, pyramids) never holds up another.
QUEUES: tuple[str, ...] = ("default", "ingest", "images", "ocr", "index", "mail", "periodic")

#: Schemes of MOGAO_TASKS_URL run by Celery, and those run by django-tasks' own backends.
BROKER_SCHEMES = ("amqp", "amqps", "pyamqp", "redis", "rediss")
EMBEDDED_SCHEMES = ("database", "immediate", "dummy")
SCHEMES = EMBEDDED_SCHEMES + BROKER_SCHEMES

#: With Redis, a message taken by a worker that died comes back after this many seconds (RabbitMQ
#: gives it back as soon as the worker's connection drops). Longer than any task may run.
REDIS_VISIBILITY_TIMEOUT = 3600

#: How long a completed task id is remembered, so that a re-delivery of it is skipped.
DONE_TTL = 7 * 24 * 3600


class TransientTaskError(Exception):
    """Raised by a task for a failure worth retrying later (a service briefly unreachable)."""


def retryable() -> tuple[type[BaseException], ...]:
    """Exceptions that make the broker retry a task with back-off instead of failing it."""
    from django.db import InterfaceError, OperationalError

    return (TransientTaskError, ConnectionError, TimeoutError, OperationalError, InterfaceError)


def backoff(retries: int, base: float, cap: float = 600.0) -> float:
    """Seconds before retry number ``retries + 1``: ``base`` doubled each time, capped, with 0–25 % jitter."""
    delay = min(cap, base * (2 ** retries))
    return delay * (1 + random.random() / 4)  # noqa: S311  (jitter, not secrecy)


def scheme(url: str) -> str:
    return urlparse(url).scheme.lower()


def is_broker(url: str) -> bool:
    """True when ``url`` names a Celery broker (RabbitMQ or Redis)."""
    return scheme(url) in BROKER_SCHEMES


def broker_options(url: str) -> tuple[str, dict[str, Any], str]:
    """The broker URL Celery is given, its transport options and the prefix of queue names.

    Two query parameters are Mogao's own and taken out of the URL: ``visibility_timeout=SECONDS``
    (Redis only: how long a message held by a dead worker waits before another worker gets it) and
    ``queue_prefix=NAME`` (prepended to every queue name, so that several Mogao installations or
    test runs can share one broker).
    """
    parsed = urlparse(url)
    query = dict(parse_qsl(parsed.query))
    options: dict[str, Any] = {}
    prefix = query.pop("queue_prefix", "")
    if parsed.scheme.lower() in {"redis", "rediss"}:
        timeout = max(1, int(float(query.pop("visibility_timeout", REDIS_VISIBILITY_TIMEOUT))))
        # look for messages of dead workers every few seconds (kombu's default: every ~100 s)
        options.update(visibility_timeout=timeout, unacked_restore_interval=max(1, min(10, timeout // 2)),
                       unacked_restore_throttle=1)
        if prefix:
            options["global_keyprefix"] = prefix  # the bookkeeping keys too, not only the queues
    clean = urlunparse(parsed._replace(query=urlencode(query)))
    return clean, options, prefix


def queue_prefix() -> str:
    from django.conf import settings

    return broker_options(str(settings.TASKS_URL))[2]


def broker_queue(name: str) -> str:
    """The broker's name of Mogao queue ``name`` (with the URL's ``queue_prefix``)."""
    return queue_prefix() + name


def masked(url: str) -> str:
    """``url`` with any password replaced by ``***`` (for messages and logs)."""
    parsed = urlparse(url)
    if parsed.password:
        netloc = parsed.netloc.replace(f":{parsed.password}@", ":***@")
        return urlunparse(parsed._replace(netloc=netloc))
    return url


_app: Celery | None = None


def celery_app() -> Celery:
    """The process's Celery app, configured from the settings on first use."""
    global _app
    if _app is None:
        _app = make_app()
    return _app


def reset_app() -> None:
    """Forget the app (tests that change MOGAO_TASKS_URL)."""
    global _app
    if _app is not None:
        _app.close()
    _app = None


def make_app() -> Celery:
    from celery import Celery
    from django.conf import settings
    from kombu import Queue

    url, transport, prefix = broker_options(str(settings.TASKS_URL))
    app = Celery("mogao", set_as_current=False)
    app.conf.update(
        broker_url=url,
        broker_transport_options=transport,
        broker_connection_retry_on_startup=True,
        task_queues=[Queue(prefix + name, routing_key=prefix + name) for name in QUEUES],
        task_default_queue=prefix + "default",
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_acks_on_failure_or_timeout=True,
        task_ignore_result=True,
        task_serializer="json",
        accept_content=["json"],
        worker_prefetch_multiplier=1,
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
        worker_enable_remote_control=False,
        timezone="UTC",
    )
    app.task(name="mogao.run", bind=True, acks_late=True, reject_on_worker_lost=True)(run_django_task)
    return app


def _done_key(task_id: str) -> str:
    return f"mogao:task-done:{task_id}"


def run_django_task(self: Any, path: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """The one Celery task: run the django-tasks function at ``path`` (in a worker)."""
    from django.conf import settings
    from django.core.cache import cache
    from django.utils.module_loading import import_string

    task_id = str(self.request.id)
    if cache.get(_done_key(task_id)):
        logger.info("task %s (%s) already completed: re-delivery skipped", task_id, path)
        return None
    task = import_string(path)
    try:
        value = task.call(*args, **kwargs)
    except retryable() as exc:
        retries = int(self.request.retries or 0)
        if retries >= int(settings.TASKS_RETRIES):
            _count_failure(self)
            raise
        delay = backoff(retries, float(settings.TASKS_RETRY_SECONDS))
        logger.warning("task %s (%s) failed (%s), retry %d in %.1f s", task_id, path,
                       type(exc).__name__, retries + 1, delay)
        queue = (self.request.delivery_info or {}).get("routing_key") or broker_queue("default")
        raise self.retry(exc=exc, countdown=delay, queue=queue, routing_key=queue) from exc
    except Exception:
        _count_failure(self)
        raise
    cache.set(_done_key(task_id), 1, timeout=DONE_TTL)
    return value


def _count_failure(request_task: Any) -> None:
    """Count a failed task per queue in the shared cache (read by ``/metrics``)."""
    from mogao.core import metrics

    queue = str((request_task.request.delivery_info or {}).get("routing_key") or "")
    metrics.count_task_failure(queue.removeprefix(queue_prefix()) or "default")


def queue_depths() -> dict[str, int]:
    """Messages waiting in each queue of the broker (``/metrics``, ``/readyz``)."""
    app = celery_app()
    prefix = queue_prefix()
    depths: dict[str, int] = {}
    with app.connection_for_read() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
        channel = conn.default_channel
        for name in QUEUES:
            if hasattr(channel, "_size"):  # kombu's Redis transport: the length of the queue's list
                depths[name] = int(channel._size(prefix + name))
                continue
            try:
                declared = channel.queue_declare(queue=prefix + name, passive=True)
                depths[name] = int(declared.message_count)
            except Exception:  # a queue not declared yet holds nothing
                depths[name] = 0
                channel = conn.channel()
    return depths
