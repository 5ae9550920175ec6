"""Keeps the index current: catalogue and knowledge changes queue reindexing after the commit.

Changes made inside one transaction are gathered per thread and queued as one task when it
commits (a demo or import touching thousands of records queues a few large tasks, not thousands
of small ones); a rolled-back transaction queues nothing for its changes.
"""

from __future__ import annotations

import threading
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver

from mogao.catalogue.models import Canvas, Item, ItemWork, Transcription, Work
from mogao.catalogue.signals import catalogue_changed, catalogue_changed_many
from mogao.core.hooks import demo_loaded
from mogao.knowledge.models import Period, Person, Place
from mogao.search.documents import affected_ids, doc_id

_CHUNK = 500
_local = threading.local()


def _pending() -> set[str]:
    if not hasattr(_local, "ids"):
        _local.ids = set()
    pending: set[str] = _local.ids
    return pending


def _flush() -> None:
    """Queue the gathered ids (runs on commit; later calls in the same commit find nothing)."""
    from mogao.search.tasks import index_documents_task

    pending = _pending()
    ids = sorted(pending)
    pending.clear()
    for start in range(0, len(ids), _CHUNK):
        index_documents_task.enqueue(ids[start : start + _CHUNK])


def queue_reindex(ids: set[str]) -> None:
    """Reindex ``ids`` once the current transaction commits (at once outside a transaction)."""
    if not ids:
        return
    _pending().update(ids)
    # Registered each time: a rolled-back savepoint drops its callback, a later one still flushes.
    transaction.on_commit(_flush)


@receiver(catalogue_changed, dispatch_uid="search-catalogue-changed")
def on_catalogue_changed(sender: Any, instance: Any, batched: bool = False, **kwargs: Any) -> None:
    if not batched:  # a batched change was handled once for its whole batch below
        queue_reindex(affected_ids(instance))


@receiver(catalogue_changed_many, dispatch_uid="search-catalogue-changed-many")
def on_catalogue_changed_many(sender: Any, instances: list[Any], **kwargs: Any) -> None:
    """The batch form: the same ids as :func:`affected_ids` per item, with one query per chunk."""
    items = [i for i in instances if isinstance(i, Item)]
    ids: set[str] = {doc_id("item", item.pid) for item in items}
    for start in range(0, len(items), _CHUNK):
        pks = [item.pk for item in items[start : start + _CHUNK]]
        pids = ItemWork.objects.filter(item_id__in=pks).values_list("work__pid", flat=True).distinct()
        ids |= {doc_id("work", pid) for pid in pids}
    for other in instances:
        if not isinstance(other, Item):
            ids |= affected_ids(other)
    queue_reindex(ids)


@receiver(post_save, sender=Person, dispatch_uid="search-person-saved")
@receiver(post_save, sender=Place, dispatch_uid="search-place-saved")
@receiver(post_save, sender=Period, dispatch_uid="search-period-saved")
@receiver(post_save, sender=Transcription, dispatch_uid="search-transcription-saved")
def on_knowledge_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:  # fixtures load raw rows; `mogao index rebuild` covers them
        queue_reindex(affected_ids(instance))


@receiver(pre_delete, sender=Person, dispatch_uid="search-person-deleting")
@receiver(pre_delete, sender=Place, dispatch_uid="search-place-deleting")
@receiver(pre_delete, sender=Period, dispatch_uid="search-period-deleting")
@receiver(pre_delete, sender=Transcription, dispatch_uid="search-transcription-deleting")
@receiver(pre_delete, sender=Canvas, dispatch_uid="search-canvas-deleting")
@receiver(pre_delete, sender=Item, dispatch_uid="search-item-deleting")
@receiver(pre_delete, sender=Work, dispatch_uid="search-work-deleting")
def on_deleting(sender: Any, instance: Any, **kwargs: Any) -> None:
    # Computed before the delete: afterwards the links to the other documents are gone.
    instance._search_affected = affected_ids(instance)


@receiver(post_delete, sender=Person, dispatch_uid="search-person-deleted")
@receiver(post_delete, sender=Place, dispatch_uid="search-place-deleted")
@receiver(post_delete, sender=Period, dispatch_uid="search-period-deleted")
@receiver(post_delete, sender=Transcription, dispatch_uid="search-transcription-deleted")
@receiver(post_delete, sender=Canvas, dispatch_uid="search-canvas-deleted")
@receiver(post_delete, sender=Item, dispatch_uid="search-item-deleted")
@receiver(post_delete, sender=Work, dispatch_uid="search-work-deleted")
def on_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    queue_reindex(getattr(instance, "_search_affected", set()))


@receiver(demo_loaded, dispatch_uid="search-demo-loaded")
def on_demo_loaded(sender: Any, verbosity: int = 1, echo: Any = None, **kwargs: Any) -> None:
    """Rebuild the whole index once the demo records are in (faster than record by record)."""
    from mogao.search.services import index_rebuild

    n = index_rebuild()
    if echo is not None and verbosity:
        echo(f"Search index rebuilt: {n} documents.")
