"""The periodic recomputation of priorities as a django-tasks task (enqueued at most once an hour)."""

from __future__ import annotations

import time

from django.conf import settings
from django_tasks import task

from mogao.digitization import priority


@task()
def recompute_task() -> int:
    """Recompute the priority of every open request (readers' searches and views change daily)."""
    return priority.recompute()


def maybe_schedule() -> None:
    """Enqueue :func:`recompute_task` at most once per ``DIGITIZATION_RECOMPUTE_MINUTES`` across processes."""
    minutes = int(getattr(settings, "DIGITIZATION_RECOMPUTE_MINUTES", 60))
    if minutes <= 0:
        return
    from django.core.cache import cache

    if cache.add("mogao:digitization:recompute", time.time(), timeout=minutes * 60):
        recompute_task.enqueue()
