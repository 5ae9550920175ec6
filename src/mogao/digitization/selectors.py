"""What the queue, its feeds, the CSV and the API read: the same rows, filtered the same way."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from mogao.catalogue.models import Institution
from mogao.digitization import priority
from mogao.digitization.models import OPEN, Request, Status


@dataclass(frozen=True)
class Filters:
    holder: str = ""   # institution code
    status: str = ""   # one status, "open" (default) or "all"
    period: str = ""   # the item's period (public id)
    type: str = ""     # the item's type

    @classmethod
    def of(cls, data: Any) -> Filters:
        return cls(**{k: str(data.get(k, "") or "")[:40] for k in ("holder", "status", "period", "type")})


def queue(user: Any, filters: Filters | None = None) -> QuerySet[Request]:
    """Requests ``user`` may see, newest score first, with their readers counted from rows."""
    from mogao.accounts import policy

    f = filters or Filters()
    qs = policy.scope(user, "view", Request.objects.all())
    if f.status in Status.values:
        qs = qs.filter(status=f.status)
    elif f.status != "all":
        qs = qs.filter(status__in=OPEN)
    if f.holder:
        qs = qs.filter(item__institution__code__iexact=f.holder)
    if f.period:
        qs = qs.filter(item__period__pid=f.period)
    if f.type:
        qs = qs.filter(item__item_type=f.type)
    return (qs.select_related("item", "item__institution", "item__period")
            .annotate(n_readers=Count("readers", distinct=True))
            .order_by("-priority", "created", "pk"))


def explained(request: Request) -> list[dict[str, Any]]:
    """The breakdown with translated labels, biggest part first."""
    parts = [{**p, "label": priority.label(str(p.get("key", "")))} for p in (request.breakdown or [])]
    return sorted(parts, key=lambda p: -abs(float(p.get("points", 0))))


def institution_statistics() -> list[dict[str, Any]]:
    """Per holder: requests received, open, published and the median days from request to publication."""
    rows: dict[int, dict[str, Any]] = {}
    for inst in Institution.objects.all():
        rows[inst.pk] = {"institution": inst, "received": 0, "open": 0, "published": 0, "days": []}
    qs = Request.objects.exclude(status=Status.MERGED).filter(item__visibility="public")
    for holder, status, created, published in qs.values_list("item__institution_id", "status", "created",
                                                              "published"):
        row = rows.get(holder)
        if row is None:
            continue
        row["received"] += 1
        row["open"] += status in OPEN
        if status == Status.PUBLISHED and published is not None:
            row["published"] += 1
            row["days"].append((published - created).total_seconds() / 86400)
    out = []
    for row in rows.values():
        if not row["received"]:
            continue
        days = row.pop("days")
        row["median_days"] = round(statistics.median(days), 1) if days else None
        out.append(row)
    return sorted(out, key=lambda r: (-r["received"], r["institution"].code))


def readers_of(request: Request) -> int:
    return int(request.readers.count())


def per_purpose(request: Request) -> dict[str, int]:
    return {row["purpose"]: row["n"] for row in request.readers.values("purpose").annotate(n=Count("pk"))}


def publish_times(start: Any, end: Any, institutions: Iterable[int] | None = None) -> dict[str, Any]:
    """Requests published between ``start`` and ``end`` (dates, inclusive) and the median days from request
    to publication, for the audience dashboard (#18); ``institutions`` narrows to those holders."""
    qs = Request.objects.filter(status=Status.PUBLISHED, published__date__gte=start, published__date__lte=end)
    if institutions is not None:
        qs = qs.filter(item__institution_id__in=list(institutions))
    days = [(published - created).total_seconds() / 86400 for created, published in
            qs.values_list("created", "published") if published is not None]
    return {"published": len(days), "median_days": round(statistics.median(days), 1) if days else None}
