"""IIIF Change Discovery 1.0: an activity stream of created, updated and deleted item manifests.

The stream lists each manifest once, with its latest activity (``Create`` when it has not changed
since creation, else ``Update``; ``Delete`` when the item was deleted, withdrawn or made private),
oldest first, in pages of ``DISCOVERY_PAGE_SIZE`` (default 100). Ordering by (time, pid) is
unique, so pages are stable until something changes, and changes only ever append.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import BooleanField, F, Value

from mogao.core.urls import base_url
from mogao.iiif.presentation.selectors import manifest_item_qs
from mogao.oai.models import Tombstone

CONTEXT = "http://iiif.io/api/discovery/1/context.json"
#: An item saved again within this interval of its creation still counts as created.
CREATE_WINDOW = timedelta(seconds=2)


@dataclass(frozen=True)
class Activity:
    pid: str
    kind: str
    when: datetime


def page_size() -> int:
    return max(1, int(getattr(settings, "DISCOVERY_PAGE_SIZE", 100)))


def _absolute(path: str) -> str:
    return f"{base_url()}{path}"


def collection_id() -> str:
    return _absolute("/iiif/discovery/collection.json")


def page_id(n: int) -> str:
    return _absolute(f"/iiif/discovery/pages/{n}.json")


def manifest_id(pid: str) -> str:
    return _absolute(f"/iiif/items/{pid}/manifest")


def _stream() -> Any:
    flag = BooleanField()
    live = manifest_item_qs().annotate(
        stamp=F("updated"), born=F("created"), gone=Value(False, output_field=flag)
    ).values_list("pid", "stamp", "born", "gone")
    dead = Tombstone.objects.annotate(
        stamp=F("deleted_at"), born=F("deleted_at"), gone=Value(True, output_field=flag)
    ).values_list("pid", "stamp", "born", "gone")
    return live.order_by().union(dead.order_by(), all=True)


def total() -> int:
    return int(manifest_item_qs().count() + Tombstone.objects.count())


def activities(*, offset: int, limit: int) -> list[Activity]:
    rows = _stream().order_by("stamp", "pid")[offset: offset + limit]
    out = []
    for pid, stamp, born, gone in rows:
        kind = "Delete" if gone else ("Create" if stamp - born <= CREATE_WINDOW else "Update")
        out.append(Activity(pid=pid, kind=kind, when=stamp))
    return out


def _time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def collection_document() -> dict[str, Any]:
    count = total()
    last = max(0, (count - 1) // page_size())
    return {
        "@context": CONTEXT, "id": collection_id(), "type": "OrderedCollection", "totalItems": count,
        "first": {"id": page_id(0), "type": "OrderedCollectionPage"},
        "last": {"id": page_id(last), "type": "OrderedCollectionPage"},
    }


class PageOutOfRange(LookupError):
    """No such page of the activity stream."""


def page_document(n: int) -> dict[str, Any]:
    """Page ``n`` (0-based); raises :class:`PageOutOfRange` past the last page."""
    count, size = total(), page_size()
    last = max(0, (count - 1) // size)
    if n < 0 or n > last:
        raise PageOutOfRange(n)
    doc: dict[str, Any] = {
        "@context": CONTEXT, "id": page_id(n), "type": "OrderedCollectionPage",
        "partOf": {"id": collection_id(), "type": "OrderedCollection"}, "startIndex": n * size,
    }
    if n > 0:
        doc["prev"] = {"id": page_id(n - 1), "type": "OrderedCollectionPage"}
    if n < last:
        doc["next"] = {"id": page_id(n + 1), "type": "OrderedCollectionPage"}
    doc["orderedItems"] = [
        {"type": a.kind, "object": {"id": manifest_id(a.pid), "type": "Manifest"}, "endTime": _time(a.when)}
        for a in activities(offset=n * size, limit=size)
    ]
    return doc
