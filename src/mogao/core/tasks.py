"""Queue side effects (indexing, derivatives, OCR) only after the database transaction commits."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction


def enqueue_after_commit(task: Any, *args: Any, **kwargs: Any) -> None:
    """Enqueue ``task`` with its arguments once the current transaction commits (now if none)."""
    transaction.on_commit(partial(task.enqueue, *args, **kwargs))
