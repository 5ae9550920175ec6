"""Tombstones for items that left the public catalogue, from the change channel (mogao.core.changes).

An item that was public before a transaction and is private, withdrawn or deleted after it gets a
tombstone (with the sets it was in, so selective harvesters see the deletion); an item that is
public after the commit loses its tombstone. Every write path reaches here: the admin, the API,
importers, ``QuerySet.update`` and worker processes alike. Datestamps are ``Item.updated``, which
the channel stamps for every change, parts included.
"""

from __future__ import annotations

from typing import Any

from mogao.catalogue.models import Item, Visibility
from mogao.core import changes as channel
from mogao.core.changes import ChangeSet, changes_committed
from mogao.oai import services
from mogao.oai.sets import item_set_specs

_WAS_PUBLIC = "oai_was_public"
_SETS = "oai_sets"


def _was_public(item: Item) -> bool:
    return item.visibility == Visibility.PUBLIC


def _sets_if_public(item: Item) -> list[str]:
    return item_set_specs(item) if item.visibility == Visibility.PUBLIC else []


def on_changes(sender: Any, changes: ChangeSet, **kwargs: Any) -> None:
    pks = changes.saved_pks(Item) | changes.deleted_pks(Item)
    if not pks:
        return
    live = {i.pk: i for i in Item.objects.filter(pk__in=pks).select_related("institution", "collection")}
    for pk in sorted(pks):
        item = live.get(pk)
        if item is not None and item.visibility == Visibility.PUBLIC:
            services.tombstone_clear(pid=item.pid)
            continue
        if not changes.captured(Item, pk, _WAS_PUBLIC, False):
            continue  # never public (or announced without its earlier state): nothing was harvested
        if item is None:
            pid = changes.gone_value(Item, pk, "pid")
            if pid:
                services.tombstone_record(pid=pid, reason="deleted", sets=changes.captured(Item, pk, _SETS, []))
        else:
            services.tombstone_record(pid=item.pid, reason=item.visibility, sets=item_set_specs(item))


def connect() -> None:
    """Subscribe (called once from the app's ``ready``)."""
    channel.capture(Item, _WAS_PUBLIC, _was_public)
    channel.capture(Item, _SETS, _sets_if_public, deletes_only=True)
    changes_committed.connect(on_changes, dispatch_uid="oai-changes")
