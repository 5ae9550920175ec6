"""Reads for the OAI-PMH provider: record headers in datestamp order, live and deleted together.

Harvest order is ``(datestamp, pid)``, unique per record, so a resumption token can carry the
last position (keyset paging): records changed during a harvest never shift the pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import BooleanField, F, Min, Prefetch, Q, QuerySet, Value

from mogao.catalogue.models import Item, ItemWork
from mogao.catalogue.selectors import item_public_qs
from mogao.oai.models import Tombstone
from mogao.oai.sets import item_filter


@dataclass(frozen=True)
class HarvestQuery:
    """Selective-harvest arguments: ``start`` inclusive, ``stop`` exclusive, a set spec or ''."""

    start: datetime | None = None
    stop: datetime | None = None
    set_spec: str = ""


@dataclass(frozen=True)
class HeaderRow:
    pid: str
    stamp: datetime
    deleted: bool


def _items(query: HarvestQuery) -> QuerySet[Item]:
    qs = item_public_qs()
    if query.start:
        qs = qs.filter(updated__gte=query.start)
    if query.stop:
        qs = qs.filter(updated__lt=query.stop)
    if query.set_spec:
        q = item_filter(query.set_spec)
        qs = qs.none() if q is None else qs.filter(q)
    return qs


def _tombstones(query: HarvestQuery) -> QuerySet[Tombstone]:
    qs = Tombstone.objects.filter(kind=Tombstone.Kind.ITEM)
    if query.start:
        qs = qs.filter(deleted_at__gte=query.start)
    if query.stop:
        qs = qs.filter(deleted_at__lt=query.stop)
    if query.set_spec:
        qs = qs.filter(sets__contains=f" {query.set_spec} ")
    return qs


def header_count(query: HarvestQuery) -> int:
    """How many records (live and deleted) the harvest covers."""
    return _items(query).count() + _tombstones(query).count()


def header_page(query: HarvestQuery, *, after: tuple[datetime, str] | None, limit: int) -> list[HeaderRow]:
    """Up to ``limit`` headers following position ``after`` in harvest order."""
    items = _items(query)
    tombs = _tombstones(query)
    if after is not None:
        stamp, pid = after
        items = items.filter(Q(updated__gt=stamp) | Q(updated=stamp, pid__gt=pid))
        tombs = tombs.filter(Q(deleted_at__gt=stamp) | Q(deleted_at=stamp, pid__gt=pid))
    flag = BooleanField()
    live = items.annotate(stamp=F("updated"), deleted=Value(False, output_field=flag)).values_list(
        "pid", "stamp", "deleted"
    )
    gone = tombs.annotate(stamp=F("deleted_at"), deleted=Value(True, output_field=flag)).values_list(
        "pid", "stamp", "deleted"
    )
    rows = live.order_by().union(gone.order_by(), all=True).order_by("stamp", "pid")[:limit]
    return [HeaderRow(pid=p, stamp=s, deleted=bool(d)) for p, s, d in rows]


def items_by_pid(pids: list[str]) -> dict[str, Item]:
    """Public items with everything their metadata needs, keyed by pid."""
    qs = (
        item_public_qs().filter(pid__in=pids)
        .select_related("institution", "collection", "period", "find_place", "acquired_by")
        .prefetch_related(
            Prefetch(
                "item_works",
                queryset=ItemWork.objects.select_related("work").prefetch_related("work__creators__person"),
            ),
            "canvases",
        )
    )
    return {item.pid: item for item in qs}


def record_lookup(pid: str) -> Item | Tombstone | None:
    """The public item ``pid``, else its tombstone, else None (private items are not found)."""
    found = items_by_pid([pid]).get(pid)
    if found is not None:
        return found
    return Tombstone.objects.filter(kind=Tombstone.Kind.ITEM, pid=pid).first()


def earliest_datestamp() -> datetime | None:
    """The oldest datestamp any harvest can return."""
    stamps = [
        item_public_qs().aggregate(m=Min("updated"))["m"],
        Tombstone.objects.aggregate(m=Min("deleted_at"))["m"],
    ]
    known = [s for s in stamps if s is not None]
    return min(known) if known else None
