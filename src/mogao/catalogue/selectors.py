"""Reads from the catalogue: what readers see (public records only) and how it is filtered."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from mogao.catalogue.models import (
    Canvas,
    Collection,
    Institution,
    Item,
    ItemWork,
    Join,
    JoinMember,
    Visibility,
    Work,
)


def item_public_qs() -> QuerySet[Item]:
    """Items any reader may see."""
    return Item.objects.filter(visibility=Visibility.PUBLIC)


def work_public_qs() -> QuerySet[Work]:
    return Work.objects.filter(visibility=Visibility.PUBLIC)


@dataclass(frozen=True)
class BrowseFilters:
    """Browse filters from the query string; unknown values are ignored, not errors."""

    institution: str = ""
    collection: str = ""
    period: str = ""
    item_type: str = ""
    status: str = ""

    @classmethod
    def from_query(cls, query: Any) -> BrowseFilters:
        return cls(
            institution=str(query.get("institution", ""))[:40],
            collection=str(query.get("collection", ""))[:100],
            period=str(query.get("period", ""))[:120],
            item_type=str(query.get("type", ""))[:20],
            status=str(query.get("status", ""))[:20],
        )

    def as_query(self) -> dict[str, str]:
        pairs = {
            "institution": self.institution, "collection": self.collection, "period": self.period,
            "type": self.item_type, "status": self.status,
        }
        return {k: v for k, v in pairs.items() if v}


@dataclass(frozen=True)
class CardExtras:
    """What tells a browse card apart: the works it carries (with Taishō numbers), its period,
    and a small image of its first page when digitized."""

    line: list[str]
    thumbnail: str = ""


def card_extras(items: list[Item], *, lang: str) -> dict[str, CardExtras]:
    """Extras of the cards on one page of items, by item pid (three queries, not one per card)."""
    from mogao.core import langmap

    pids = [i.pid for i in items]
    works: dict[str, list[str]] = {}
    rows = (
        ItemWork.objects.filter(item__pid__in=pids, work__visibility=Visibility.PUBLIC)
        .select_related("work", "item").order_by("order")
    )
    for iw in rows:
        label = iw.work.label(lang)
        taisho = str(iw.work.identifiers.get("taisho") or "")
        works.setdefault(iw.item.pid, []).append(f"{label} ({taisho})" if taisho else label)
    thumbs: dict[str, str] = {}
    for pid, image_id in (
        Canvas.objects.filter(item__pid__in=pids).exclude(image_id="")
        .order_by("item__pid", "order").values_list("item__pid", "image_id")
    ):
        thumbs.setdefault(pid, f"/iiif/3/{image_id}/full/96,/0/default.jpg")  # as iiif local_service()
    extras: dict[str, CardExtras] = {}
    for item in items:
        line = works.get(item.pid, [])[:3]
        if item.period is not None:
            line = [*line, langmap.pick(item.period.name, lang, default=item.period.pid)]
        extras[item.pid] = CardExtras(line, thumbs.get(item.pid, ""))
    return extras


def item_browse(*, filters: BrowseFilters) -> QuerySet[Item]:
    """Public items matching the browse filters, ordered by holder and shelfmark."""
    qs = item_public_qs().select_related("institution", "collection", "period")
    if filters.institution:
        qs = qs.filter(institution__pid=filters.institution)
    if filters.collection:
        qs = qs.filter(collection__pid=filters.collection)
    if filters.period:
        qs = qs.filter(Q(period__pid=filters.period) | Q(period__parent__pid=filters.period))
    if filters.item_type:
        qs = qs.filter(item_type=filters.item_type)
    if filters.status:
        qs = qs.filter(digitization_status=filters.status)
    return qs.order_by("institution__code", "shelfmark", "pid")


def browse_facets(*, filters: BrowseFilters) -> dict[str, list[dict[str, Any]]]:
    """Counts per facet value, each facet computed with the other filters applied."""
    from mogao.knowledge.models import Period

    def without(**cleared: str) -> QuerySet[Item]:
        # ``order_by()``: the browse ordering would otherwise join the GROUP BY and count 1 per item.
        data = {**filters.__dict__, **cleared}
        return item_browse(filters=BrowseFilters(**data)).order_by()

    def counts(qs: QuerySet[Item], field: str) -> dict[Any, int]:
        return {row[field]: row["n"] for row in qs.values(field).annotate(n=Count("id")).order_by()}

    institutions = counts(without(institution=""), "institution__pid")
    # The period link lists a period's items and its children's (a dynasty includes its reign eras),
    # so each item counts for its period and for that period's parent.
    periods: dict[str, int] = {}
    by_period = without(period="").exclude(period=None)
    for row in by_period.values("period__pid", "period__parent__pid").annotate(n=Count("id")).order_by():
        for pid in {row["period__pid"], row["period__parent__pid"]} - {None}:
            periods[pid] = periods.get(pid, 0) + row["n"]
    types = counts(without(item_type=""), "item_type")
    statuses = counts(without(status=""), "digitization_status")
    return {
        "institution": [
            {"value": i.pid, "obj": i, "count": institutions[i.pid]}
            for i in Institution.objects.filter(pid__in=institutions)
        ],
        "period": [
            {"value": p.pid, "obj": p, "count": periods[p.pid]} for p in Period.objects.filter(pid__in=periods)
        ],
        "type": [
            {"value": v, "label": Item.Type(v).label, "count": n} for v, n in sorted(types.items())
            if v in Item.Type.values
        ],
        "status": [
            {"value": v, "label": Item.Status(v).label, "count": statuses[v]}
            for v in Item.Status.values if v in statuses
        ],
    }


def item_detail(*, pid: str) -> Item | None:
    """A public item with everything its page shows, in a fixed number of queries."""
    return (
        item_public_qs()
        .select_related("institution", "collection", "period", "period__parent", "find_place", "acquired_by")
        .prefetch_related(
            Prefetch("item_works", queryset=ItemWork.objects.select_related("work").order_by("order")),
            Prefetch("canvases", queryset=Canvas.objects.order_by("order")),
            Prefetch(
                "join_memberships",
                queryset=JoinMember.objects.filter(join__status=Join.Status.ACCEPTED).select_related("join"),
            ),
        )
        .filter(pid=pid)
        .first()
    )


def item_join_partners(*, item: Item) -> list[tuple[Join, list[Item]]]:
    """For each accepted join of ``item``, the join and its other public members."""
    out = []
    for membership in item.join_memberships.all():
        join = membership.join
        others = [
            m.item for m in join.members.select_related("item__institution").order_by("order")
            if m.item_id != item.pk and m.item.visibility == Visibility.PUBLIC
        ]
        out.append((join, others))
    return out


def work_detail(*, pid: str) -> Work | None:
    return (
        work_public_qs()
        .select_related("period")
        .prefetch_related("creators__person")
        .filter(pid=pid)
        .first()
    )


def work_witnesses(*, work: Work) -> QuerySet[Item]:
    """Every public item carrying the work, across institutions."""
    return (
        item_public_qs().filter(item_works__work=work).select_related("institution", "collection").distinct()
        .order_by("institution__code", "shelfmark")
    )


def institution_detail(*, pid: str) -> Institution | None:
    return Institution.objects.filter(pid=pid).first()


def institution_list() -> QuerySet[Institution]:
    return Institution.objects.annotate(
        n_items=Count("items", filter=Q(items__visibility=Visibility.PUBLIC))
    ).order_by("code")


def collection_detail(*, pid: str) -> Collection | None:
    return Collection.objects.select_related("institution").filter(pid=pid).first()


def work_index(*, witnessed_only: bool = True) -> QuerySet[Work]:
    """Public works, those with the most public witnesses first (``n_witnesses``); by default only
    the works some public item in Mogao carries."""
    qs = work_public_qs().select_related("period").annotate(
        n_witnesses=Count("item_works__item", filter=Q(item_works__item__visibility=Visibility.PUBLIC),
                          distinct=True)
    )
    if witnessed_only:
        qs = qs.filter(n_witnesses__gt=0)
    return qs.order_by("-n_witnesses", "year_start", "pid")
