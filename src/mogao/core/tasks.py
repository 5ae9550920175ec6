"""Queue side effects (indexing, derivatives, OCR) only after the database transaction commits."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction


def enqueue_after_commit(task: Any, *args: Any, **kwargs: Any) -> None:
    """Enqueue ``task`` with its arguments once the current transaction commits (now if none)."""
    transaction.on_commit(partial(task.enqueue, *args, **kwargs))


def requeue_orphaned_db_tasks() -> int:
    """Give back the database queue's tasks left RUNNING by an embedded worker that died (#19).

    The embedded setup has one worker, the one ``mogao serve`` starts: when it starts, any task still
    marked running was cut off (the server was killed) and is queued again. Every Mogao task is
    idempotent, so running it again is safe. Returns how many were requeued.
    """
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.READY, started_at=None,
    )
