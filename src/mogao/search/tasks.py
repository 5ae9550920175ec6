"""Queued indexing: thin django-tasks wrappers around :mod:`mogao.search.services`."""

from __future__ import annotations

from django_tasks import task

from mogao.search import services


@task(queue_name="index")
def index_documents_task(ids: list[str]) -> dict[str, int]:
    """Reindex the documents named by ``ids`` (``"item:<pid>"``...); returns what was done."""
    written, deleted = services.index_documents(ids=ids)
    return {"written": written, "deleted": deleted}


@task(queue_name="index")
def index_rebuild_task() -> int:
    """Rebuild the whole index; returns how many documents were written."""
    return services.index_rebuild()
