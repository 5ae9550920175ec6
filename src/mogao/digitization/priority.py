"""The priority of a digitization request, with the breakdown that explains it (#17).

The score is the sum of these parts, each shown on the request's page and in the API
(``key``, ``count``, ``points``):

========================  ==================================================================  ============
part (key)                what is counted (``count``)                                          points
========================  ==================================================================  ============
``readers``               distinct readers who want it                                         10 each
``purposes``              distinct purposes they gave (research, teaching…)                     5 each
``searches``              times a search found nothing and its folded words match the item's    1 each, ≤ 20
                          shelfmark or title (zero-result log)
``views``                 views of the item's page and of related items (same works, joins)     0.1 each, ≤ 10
                          over the last year (audience rollups, when recorded)
``reactions``             reactions to the item and to related items                            1 each, ≤ 10
``completes_join``        1 when the item belongs to an accepted join whose other parts are     25
                          all online ("completes a dispersed manuscript")
``conservation_risk``     the curator's assessment: 0 none, 1 low, 2 medium, 3 high              5 per level
``cost``                  the curator's estimate of pages to image                               −1 per 50
                                                                                                pages, ≥ −10
========================  ==================================================================  ============

Parts worth nothing are left out of the breakdown. A curator may override the score with a
recorded reason: the queue then sorts by the override, and the computed breakdown stays visible.
Scores are recomputed on every join and transition and by the periodic task
:func:`mogao.digitization.tasks.recompute_task`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mogao.catalogue.models import Canvas, Item, Join, JoinMember
from mogao.digitization.models import OPEN, Request, RequestReader

log = logging.getLogger(__name__)

READER_POINTS = 10.0
PURPOSE_POINTS = 5.0
SEARCH_POINTS, SEARCH_CAP = 1.0, 20.0
VIEW_POINTS, VIEW_CAP = 0.1, 10.0
REACTION_POINTS, REACTION_CAP = 1.0, 10.0
JOIN_BONUS = 25.0
RISK_POINTS = 5.0
PAGES_PER_POINT, COST_CAP = 50, 10.0

LABELS: dict[str, Any] = {
    "readers": _("distinct readers"),
    "purposes": _("distinct purposes"),
    "searches": _("searches that found nothing and match the item"),
    "views": _("views of the item and related items"),
    "reactions": _("reactions to the item and related items"),
    "completes_join": _("completes a dispersed manuscript"),
    "conservation_risk": _("conservation risk"),
    "cost": _("estimated cost in pages"),
}


def label(key: str) -> str:
    return str(LABELS.get(key, key))


def related_items(item: Item) -> set[int]:
    """Items sharing a work or an accepted join with ``item`` (not the item itself)."""
    works = Item.objects.filter(item_works__work__items=item).values_list("pk", flat=True)
    joined = JoinMember.objects.filter(join__status=Join.Status.ACCEPTED,
                                       join__members__item=item).values_list("item_id", flat=True)
    return (set(works) | set(joined)) - {item.pk}


def completes_join(item: Item) -> bool:
    """True when the item is the missing part of an accepted join whose other parts are all online."""
    for join in Join.objects.filter(status=Join.Status.ACCEPTED, members__item=item).distinct():
        others = [m.item_id for m in join.members.all() if m.item_id != item.pk]
        if not others:
            continue
        online = set(Canvas.objects.filter(item_id__in=others).filter(~Q(image_id="") | ~Q(service_url=""))
                     .values_list("item_id", flat=True))
        if set(others) <= online:
            return True
    return False


def _search_count(item: Item) -> int:
    from mogao.search.expand import fold_text
    from mogao.search.models import ZeroResultQuery

    keys = {fold_text(item.shelfmark)} if item.shelfmark else set()
    for values in (item.title or {}).values():
        keys |= {fold_text(v) for v in values if v}
    keys = {k.strip() for k in keys if k and len(k.strip()) >= 2}
    if not keys:
        return 0
    match = Q()
    for key in keys:
        match |= Q(query__iexact=key) | Q(query__icontains=key)
    total = ZeroResultQuery.objects.filter(match).aggregate(n=Sum("count"))["n"]
    return int(total or 0)


def _audience(ids: set[int]) -> tuple[int, int]:
    """(views, reactions) from the audience rollups, when that app records them."""
    try:
        from mogao.audience.selectors import demand_for_items
    except ImportError:
        return 0, 0
    try:
        demand = demand_for_items(sorted(ids))
    except Exception:  # statistics are optional input
        log.warning("audience demand unavailable", exc_info=True)
        return 0, 0
    return sum(d["views"] for d in demand.values()), sum(d["reactions"] for d in demand.values())


def _reactions(ids: set[int]) -> int:
    from mogao.community.models import Reaction

    return Reaction.objects.filter(content_type=ContentType.objects.get_for_model(Item), object_id__in=ids).count()


def _part(key: str, count: float, points: float) -> dict[str, Any]:
    return {"key": key, "count": count, "points": round(points, 2)}


def compute(request: Request) -> tuple[float, list[dict[str, Any]]]:
    """(score, breakdown) of one request, from the state of the database now."""
    item = request.item
    rows = list(RequestReader.objects.filter(request=request).values_list("user_id", "purpose"))
    readers = len({u for u, _p in rows})
    purposes = len({p for _u, p in rows})
    ids = related_items(item) | {item.pk}
    views, _audience_reactions = _audience(ids)
    reactions = _reactions(ids)
    searches = _search_count(item)
    pages = request.estimated_pages or 0
    parts = [
        _part("readers", readers, readers * READER_POINTS),
        _part("purposes", purposes, purposes * PURPOSE_POINTS),
        _part("searches", searches, min(SEARCH_CAP, searches * SEARCH_POINTS)),
        _part("views", views, min(VIEW_CAP, views * VIEW_POINTS)),
        _part("reactions", reactions, min(REACTION_CAP, reactions * REACTION_POINTS)),
        _part("completes_join", 1 if completes_join(item) else 0, JOIN_BONUS if completes_join(item) else 0),
        _part("conservation_risk", request.conservation_risk, request.conservation_risk * RISK_POINTS),
        _part("cost", pages, -min(COST_CAP, pages // PAGES_PER_POINT)),
    ]
    parts = [p for p in parts if p["points"]]
    return round(sum(p["points"] for p in parts), 2), parts


def recompute(pks: Iterable[int] | None = None) -> int:
    """Recompute the score of the given requests (every open one when ``None``); returns how many."""
    qs = Request.objects.select_related("item")
    qs = qs.filter(pk__in=list(pks)) if pks is not None else qs.filter(status__in=OPEN)
    now = timezone.now()
    done = 0
    for request in qs:
        score, parts = compute(request)
        Request.objects.filter(pk=request.pk).update(priority=score, breakdown=parts, priority_computed=now)
        done += 1
    return done
