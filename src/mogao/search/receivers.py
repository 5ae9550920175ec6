"""Keeps the index current: subscribes to the change channel (:mod:`mogao.core.changes`).

Each committed transaction arrives as one ChangeSet; the ids of the documents it touches are
worked out with a query per model and chunk (an import of thousands of records costs a few
queries, not thousands) and queued as index tasks of up to 500 ids. The task reads each document
as it is when it runs: a record made private, withdrawn or deleted loses its document.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.dispatch import receiver

from mogao.catalogue.models import Collection, Institution, Item, ItemWork, Work, WorkCreator
from mogao.core import changes as channel
from mogao.core.changes import ChangeSet, changes_committed
from mogao.core.hooks import demo_loaded
from mogao.knowledge.models import Period, Person, Place
from mogao.search.documents import affected_ids, doc_id
from mogao.search.models import FeaturedWork, TitleAlias

_CHUNK = 500
_KEY = "search"

# Which documents name a deleted person, place or period, read while the links still exist (deleting
# them sets the links to null). Deleted items, works and their parts need nothing: their pids and
# links are kept by the channel (``ChangeSet.gone``, ``ChangeSet.items``).
for _model in (Person, Place, Period):
    channel.capture(_model, _KEY, affected_ids, deletes_only=True)


def _chunks(values: Iterable[Any]) -> Iterable[list[Any]]:
    ordered = sorted(values, key=str)
    for start in range(0, len(ordered), _CHUNK):
        yield ordered[start : start + _CHUNK]


def document_ids(changes: ChangeSet) -> set[str]:
    """Ids of every document whose content depends on something in ``changes``."""
    ids: set[str] = set()
    # deleted records: what they showed, captured before the delete
    for by_pk in changes.before.values():
        for values in by_pk.values():
            ids |= values.get(_KEY, set())
    for documented in (Item, Work, Person, Place):
        kind = documented.__name__.lower()
        for pk in changes.deleted_pks(documented):
            if pid := changes.gone_value(documented, pk, "pid"):
                ids.add(doc_id(kind, pid))
    # items (their own records, or their pages, works and joins) and their works
    for chunk in _chunks(changes.items):
        for pid, work_pid in Item.objects.filter(pk__in=chunk).values_list("pid", "item_works__work__pid"):
            ids.add(doc_id("item", pid))
            if work_pid:
                ids.add(doc_id("work", work_pid))
    # works, directly or through their creators and witnesses, and the items that carry them
    works = changes.saved_pks(Work)
    for link in (WorkCreator, ItemWork, TitleAlias, FeaturedWork):
        works |= {changes.gone_value(link, pk, "work_id") for pk in changes.deleted_pks(link)} - {None}
        for chunk in _chunks(changes.saved_pks(link)):
            works |= set(link._base_manager.filter(pk__in=chunk).values_list("work_id", flat=True))
    for chunk in _chunks(works):
        for pid, item_pid in Work.objects.filter(pk__in=chunk).values_list("pid", "item_works__item__pid"):
            ids.add(doc_id("work", pid))
            if item_pid:
                ids.add(doc_id("item", item_pid))
    # holders and collections appear in their items' documents
    holders: tuple[tuple[type[Institution] | type[Collection], str], ...] = (
        (Institution, "institution_id__in"), (Collection, "collection_id__in"),
    )
    for holder, lookup in holders:
        for chunk in _chunks(changes.saved_pks(holder)):
            ids |= {doc_id("item", p) for p in Item.objects.filter(**{lookup: chunk}).values_list("pid", flat=True)}
    # people, places and periods: their own documents and those that name them
    for entity_model in (Person, Place, Period):
        for chunk in _chunks(changes.saved_pks(entity_model)):
            for entity in entity_model.objects.filter(pk__in=chunk):
                ids |= affected_ids(entity)
    return ids


def queue_reindex(ids: set[str]) -> None:
    """Queue index tasks for ``ids`` (the channel calls subscribers after the commit)."""
    from mogao.search.tasks import index_documents_task

    for chunk in _chunks(ids):
        index_documents_task.enqueue(chunk)


@receiver(changes_committed, dispatch_uid="search-changes")
def on_changes(sender: Any, changes: ChangeSet, **kwargs: Any) -> None:
    queue_reindex(document_ids(changes))


@receiver(demo_loaded, dispatch_uid="search-demo-loaded")
def on_demo_loaded(sender: Any, verbosity: int = 1, echo: Any = None, **kwargs: Any) -> None:
    """Rebuild the whole index once the demo records are in (faster than record by record)."""
    from mogao.search.services import index_rebuild

    n = index_rebuild()
    if echo is not None and verbosity:
        echo(f"Search index rebuilt: {n} documents.")
