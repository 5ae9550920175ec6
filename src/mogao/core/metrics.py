"""Prometheus metrics at ``/metrics`` (#19), with prometheus_client.

- ``mogao_http_request_duration_seconds`` (histogram; labels ``method``, ``status`` class such as
  ``2xx``, ``view`` the URL name): measured by :class:`MetricsMiddleware`, outermost but for the
  request id.
- ``mogao_task_queue_depth{queue}``: tasks waiting, read at scrape time from the database queue or
  the broker; ``mogao_task_broker_up`` 0 when the broker did not answer.
- ``mogao_task_failures_total{queue}``: tasks that failed for good (the database's failed results, or
  the broker workers' count kept in the shared cache).
- ``mogao_iiif_cache_lookups_total{result}``: hits and misses of the IIIF tile/derivative cache; the hit
  rate is ``rate(...{result="hit"}) / rate(...)``.

With several server processes (``mogao serve --workers N`` sets ``PROMETHEUS_MULTIPROC_DIR``) each
process writes its counters to that folder and any of them answers for all.

Access: only direct requests from loopback without proxy headers, unless ``MOGAO_METRICS_TOKEN`` is
set, in which case the request must carry ``Authorization: Bearer <token>`` (from anywhere). Others get
a plain 404. No label carries a user, an address, a query or an object id.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

logger = logging.getLogger(__name__)

REQUEST_LATENCY = Histogram(
    "mogao_http_request_duration_seconds", "Time to answer a request, by method, status class and view.",
    ["method", "status", "view"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
IIIF_CACHE = Counter(
    "mogao_iiif_cache_lookups", "Lookups in the IIIF tile/derivative cache, by result (hit or miss).", ["result"],
)
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
PROXY_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_FORWARDED")
FAILURE_KEY = "mogao:metrics:task-failures:"


def observe_iiif_cache(hit: bool) -> None:
    IIIF_CACHE.labels("hit" if hit else "miss").inc()


def install() -> None:
    """Hook the counters that live in pure packages (called from the core app's ``ready()``)."""
    from mogao.iiif.image.cache import DerivativeCache

    DerivativeCache.observer = observe_iiif_cache


class MetricsMiddleware:
    """Time every request into :data:`REQUEST_LATENCY`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        start = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match is not None else "") or "unmatched"
        method = request.method if request.method in METHODS else "other"
        REQUEST_LATENCY.labels(method, f"{response.status_code // 100}xx", view[:80]).observe(
            time.perf_counter() - start,
        )
        return response


def count_task_failure(queue: str) -> None:
    """Count one task of ``queue`` that failed for good (broker workers; kept in the shared cache)."""
    from django.core.cache import cache

    key = FAILURE_KEY + queue
    try:
        cache.add(key, 0, timeout=None)
        cache.incr(key)
    except Exception:  # a metric must never fail the task's own error handling
        logger.warning("metrics: could not count a task failure", exc_info=True)


class TaskCollector(Collector):
    """Queue depth and failures, read when scraped."""

    def collect(self) -> Iterator[Any]:
        from mogao.core import taskqueue

        depth = GaugeMetricFamily("mogao_task_queue_depth", "Tasks waiting in each queue.", labels=["queue"])
        failures = CounterMetricFamily("mogao_task_failures", "Tasks that failed for good, by queue.",
                                       labels=["queue"])
        up = GaugeMetricFamily("mogao_task_broker_up", "1 when the task queue answered the scrape.")
        counts: dict[str, int] = dict.fromkeys(taskqueue.QUEUES, 0)
        failed: dict[str, int] = dict.fromkeys(taskqueue.QUEUES, 0)
        ok = 1
        try:
            if taskqueue.is_broker(str(settings.TASKS_URL)):
                counts.update(taskqueue.queue_depths())
                from django.core.cache import cache

                for name in taskqueue.QUEUES:
                    failed[name] = int(cache.get(FAILURE_KEY + name) or 0)
            elif settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend":
                from django.db.models import Count
                from django_tasks_db.models import DBTaskResult

                rows = (DBTaskResult.objects.filter(status__in=["READY", "FAILED"])
                        .values_list("queue_name", "status").annotate(n=Count("id")))
                for queue, status, n in rows:
                    (counts if status == "READY" else failed)[queue] = n
        except Exception:
            logger.warning("metrics: the task queue did not answer", exc_info=True)
            ok = 0
        for name in sorted(counts):
            depth.add_metric([name], counts[name])
        for name in sorted(failed):
            failures.add_metric([name], failed[name])
        up.add_metric([], ok)
        yield depth
        yield failures
        yield up


def allowed(request: HttpRequest) -> bool:
    """May ``request`` read the metrics? (see the module's docstring)"""
    token = str(getattr(settings, "METRICS_TOKEN", "") or "")
    if token:
        given = request.headers.get("Authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())
    if any(request.META.get(h) for h in PROXY_HEADERS):
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


def metrics_view(request: HttpRequest) -> HttpResponse:
    if not allowed(request):
        raise Http404
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        shared = CollectorRegistry()
        multiprocess.MultiProcessCollector(shared)
        body = generate_latest(shared)
    else:
        body = generate_latest(REGISTRY)
    tasks = CollectorRegistry(auto_describe=True)
    tasks.register(TaskCollector())
    response = HttpResponse(body + generate_latest(tasks), content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response
