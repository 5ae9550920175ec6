"""Liveness and readiness probes for load balancers and orchestrators (#19).

``/healthz`` answers 200 while the process serves requests and touches nothing else (no database).
``/readyz`` reaches what a node needs to serve readers — the database, the cache, the storage and the
search index — and answers 200, or 503 naming each part that failed (its exception's class only: the
body never carries paths, hosts or credentials). Both are plain JSON, never cached.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from django.db import connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

log = logging.getLogger(__name__)


def _database() -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    from django.core.cache import cache

    key = f"mogao:readyz:{uuid.uuid4().hex}"
    cache.set(key, 1, timeout=10)
    if cache.get(key) != 1:
        raise RuntimeError("the cache did not keep a value")
    cache.delete(key)


def _storage() -> None:
    from pathlib import Path

    from mogao.core.storage import is_local, media

    storage = media()
    if is_local(storage):
        root = Path(storage.location)
        if not (root.is_dir() or root.parent.is_dir()):
            raise FileNotFoundError("the storage folder is missing")
        return
    storage.listdir("")  # one request to the bucket: fails when it is unreachable or missing


def _search() -> None:
    from mogao.search.backends import get_backend

    problems = get_backend().check()
    if problems:
        raise RuntimeError(problems[0])


def _broker() -> None:
    from mogao.core import taskqueue

    taskqueue.queue_depths()  # connects to RabbitMQ or Redis and reads each queue


CHECKS: dict[str, Callable[[], None]] = {
    "database": _database, "cache": _cache, "storage": _storage, "search": _search,
}


def checks_to_run() -> dict[str, Callable[[], None]]:
    """The checks of this node: the broker's too when tasks go through one (#19)."""
    from django.conf import settings

    from mogao.core import taskqueue

    if taskqueue.is_broker(str(settings.TASKS_URL)):
        return {**CHECKS, "broker": _broker}
    return CHECKS


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    results: dict[str, str] = {}
    for name, check in checks_to_run().items():
        try:
            check()
        except Exception as exc:  # any failure makes the node unready
            log.warning("readiness check %s failed: %r", name, exc)
            results[name] = f"error: {type(exc).__name__}"
        else:
            results[name] = "ok"
    failed = [name for name, result in results.items() if result != "ok"]
    body = {"status": "unavailable" if failed else "ok", "failed": failed, "checks": results}
    return JsonResponse(body, status=503 if failed else 200)
