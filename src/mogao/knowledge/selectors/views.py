"""Data behind the map, the timeline and the relationship graph (plain dicts, JSON-ready)."""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext as _

from mogao.catalogue.models import Institution, Item, Work
from mogao.catalogue.selectors import item_public_qs, work_public_qs
from mogao.core import langmap
from mogao.knowledge.models import ENTITY_MODELS, CollectionOrigin, Entity, Mention, Period, Person, Place
from mogao.knowledge.selectors.entities import entity_url

# ------------------------------------------------------------------------------------------ map


def _name(value: dict[str, list[str]], language: str | None) -> str:
    return langmap.pick(value, language)


def map_data(*, language: str | None = None) -> dict[str, Any]:
    """Markers for find places, places of production and present holders, and dispersal lines.

    A line joins an item's find place to its holder's location; ``count`` is how many public
    items travelled that way (the Library Cave to London, Paris, Beijing...).
    """
    items = item_public_qs().select_related("find_place", "institution")
    markers: dict[str, dict[str, Any]] = {}
    lines: Counter[tuple[str, str]] = Counter()
    for item in items:
        place, inst = item.find_place, item.institution
        if place is not None and place.latitude is not None:
            key = f"find:{place.pid}"
            m = markers.setdefault(key, _place_marker(place, "find", language))
            m["count"] += 1
        if inst.latitude is not None and inst.longitude is not None:
            m = markers.setdefault(f"holder:{inst.pid}", {
                "id": f"holder:{inst.pid}", "kind": "holder", "name": _name(inst.name, language),
                "city": _name(inst.city, language), "lat": inst.latitude, "lon": inst.longitude,
                "url": inst.get_absolute_url(), "count": 0,
            })
            m["count"] += 1
            if place is not None and place.latitude is not None:
                lines[(f"find:{place.pid}", f"holder:{inst.pid}")] += 1
    _collection_lines(markers, lines, language)
    place_ct = ContentType.objects.get_for_model(Place)
    produced = Mention.objects.filter(
        content_type=place_ct, role=Mention.Role.PRODUCTION_PLACE, status=Mention.Status.CONFIRMED,
    ).filter(Q(item__in=item_public_qs()) | Q(work__in=work_public_qs()))
    counts = Counter(produced.values_list("object_id", flat=True))
    for place in Place.objects.filter(pk__in=counts, latitude__isnull=False):
        m = markers.setdefault(f"production:{place.pid}", _place_marker(place, "production", language))
        m["count"] += counts[place.pk]
    return {
        "markers": sorted(markers.values(), key=lambda m: (m["kind"], m["name"])),
        "lines": [
            {"from": a, "to": b, "count": n,
             "from_name": markers[a]["name"], "to_name": markers[b]["name"],
             "coords": [[markers[a]["lat"], markers[a]["lon"]], [markers[b]["lat"], markers[b]["lon"]]]}
            for (a, b), n in sorted(lines.items())
        ],
    }


def place_map_data(*, place: Place, language: str | None = None) -> dict[str, Any]:
    """The map of one place: the place and the holders of what was found there, with lines."""
    if place.latitude is None:
        return {"markers": [], "lines": []}
    full = map_data(language=language)
    ids = {f"find:{place.pid}", f"production:{place.pid}"}
    lines = [line for line in full["lines"] if line["from"] in ids]
    keep = ids | {line["to"] for line in lines}
    markers = [m for m in full["markers"] if m["id"] in keep]
    if not markers:
        markers = [_place_marker(place, "find", language)]
    return {"markers": markers, "lines": lines}


def _collection_lines(
    markers: dict[str, dict[str, Any]], lines: Counter[tuple[str, str]], language: str | None
) -> None:
    """Dispersal lines for collections whose origin is known but whose items are not catalogued."""
    for origin in CollectionOrigin.objects.select_related("place", "collection__institution"):
        place, inst = origin.place, origin.collection.institution
        if place.latitude is None or inst.latitude is None or inst.longitude is None:
            continue
        markers.setdefault(f"find:{place.pid}", _place_marker(place, "find", language))
        markers.setdefault(f"holder:{inst.pid}", {
            "id": f"holder:{inst.pid}", "kind": "holder", "name": _name(inst.name, language),
            "city": _name(inst.city, language), "lat": inst.latitude, "lon": inst.longitude,
            "url": inst.get_absolute_url(), "count": 0,
        })
        key = (f"find:{place.pid}", f"holder:{inst.pid}")
        lines[key] += 0  # a line even when no item of the collection is catalogued yet


def _place_marker(place: Place, kind: str, language: str | None) -> dict[str, Any]:
    return {
        "id": f"{kind}:{place.pid}", "kind": kind, "name": _name(place.name, language), "city": "",
        "lat": place.latitude, "lon": place.longitude, "url": entity_url(place), "count": 0,
    }


# ------------------------------------------------------------------------------------- timeline


@dataclass(frozen=True)
class TimelineRange:
    """Bounds of the timeline; ``None`` means as far as the records go."""

    start: int | None = None
    end: int | None = None


def timeline_data(
    *, language: str | None = None, bounds: TimelineRange = TimelineRange(), limit: int = 400,
) -> dict[str, Any]:
    """Works and items with year bounds, ordered by start year (BCE is negative, so first), and
    the dynasties overlapping them as bands. Positions are fractions 0..1 of the span."""
    entries: list[dict[str, Any]] = []
    for kind, qs in (("work", work_public_qs()), ("item", item_public_qs())):
        qs = qs.filter(year_start__isnull=False)
        if bounds.start is not None:
            qs = qs.filter(Q(year_end__gte=bounds.start) | Q(year_end__isnull=True, year_start__gte=bounds.start))
        if bounds.end is not None:
            qs = qs.filter(year_start__lte=bounds.end)
        for obj in qs.order_by("year_start", "pid")[:limit]:
            end = obj.year_end if obj.year_end is not None else obj.year_start
            entries.append({
                "kind": kind, "pid": obj.pid, "label": obj.label(language),
                "shelfmark": getattr(obj, "shelfmark", ""), "start": obj.year_start, "end": end,
                "url": obj.get_absolute_url(),
            })
    entries.sort(key=lambda e: (e["start"], e["end"], e["kind"], e["label"]))
    entries = entries[:limit]
    lo = min([e["start"] for e in entries], default=bounds.start if bounds.start is not None else 0)
    hi = max([e["end"] for e in entries], default=bounds.end if bounds.end is not None else 1000)
    lo = bounds.start if bounds.start is not None else lo
    hi = bounds.end if bounds.end is not None else hi
    pad = max(10, (hi - lo) // 20)
    lo, hi = lo - pad, hi + pad
    span = hi - lo
    bands = [
        {"pid": p.pid, "label": p.label(language), "start": p.year_start, "end": p.year_end,
         "url": entity_url(p),
         "x": (max(p.year_start, lo) - lo) / span, "w": (min(p.year_end, hi) - max(p.year_start, lo)) / span}
        for p in Period.objects.filter(kind=Period.Kind.DYNASTY, year_end__gte=lo, year_start__lte=hi)
    ]
    for e in entries:
        e["x"] = (e["start"] - lo) / span
        e["w"] = max((e["end"] - e["start"]) / span, 0.004)
    step = next(s for s in (10, 25, 50, 100, 200, 250, 500, 1000, 2000) if span / s <= 12)
    first = (lo // step + 1) * step
    ticks = [{"year": y, "x": (y - lo) / span} for y in range(first, hi, step)]
    return {"start": lo, "end": hi, "entries": entries, "bands": bands, "ticks": ticks}


# ---------------------------------------------------------------------------------------- graph


class GraphCenterError(ValueError):
    """The ``around`` parameter names no known record."""


GRAPH_TYPES = ("work", "item", "person", "place", "period", "subject", "institution")
MAX_NODES = 60
MAX_NEIGHBOURS = 15


def _node_id(obj: Any) -> str:
    if isinstance(obj, Institution):
        return f"institution:{obj.pid}"
    return f"{type(obj).__name__.lower()}:{obj.pid}"


def _label(obj: Any, language: str | None) -> str:
    if isinstance(obj, Item) and obj.shelfmark:
        return obj.shelfmark
    return str(obj.label(language))


def _url(obj: Any) -> str:
    if isinstance(obj, Entity):
        return entity_url(obj)
    return str(obj.get_absolute_url())


def default_center() -> Work | None:
    """The Diamond Sutra (Taishō T0235), where the graph opens by default."""
    return (
        work_public_qs().filter(identifiers__taisho="T0235").first()
        or work_public_qs().filter(title__icontains="Diamond Sutra").first()
        or work_public_qs().filter(title__icontains="Diamond").first()
    )


def resolve_center(around: str) -> Any:
    """``work:<pid>``, ``item:<pid>``, ``person:<pid>``... to the record; GraphCenterError if unknown."""
    kind, _, pid = around.partition(":")
    if kind not in GRAPH_TYPES or not pid:
        raise GraphCenterError(f"around must look like type:pid with type one of {', '.join(GRAPH_TYPES)}")
    if kind == "work":
        obj: Any = work_public_qs().filter(pid=pid).first()
    elif kind == "item":
        obj = item_public_qs().filter(pid=pid).first()
    elif kind == "institution":
        obj = Institution.objects.filter(pid=pid).first()
    else:
        obj = ENTITY_MODELS[kind]._default_manager.filter(pid=pid).first()
    if obj is None:
        raise GraphCenterError(f"No {kind} with id “{pid}”.")
    return obj


def _mentions_of(entity: Entity) -> list[Mention]:
    ct = ContentType.objects.get_for_model(type(entity))
    return list(
        Mention.objects.filter(content_type=ct, object_id=entity.pk, status=Mention.Status.CONFIRMED)
        .select_related("item", "work")[:MAX_NEIGHBOURS]
    )


def _mentioned_in(target: Q) -> list[tuple[Any, str]]:
    out = []
    confirmed = Mention.objects.filter(target, status=Mention.Status.CONFIRMED).select_related("content_type")
    for m in confirmed[:MAX_NEIGHBOURS]:
        if m.entity is not None:
            out.append((m.entity, str(m.get_role_display())))
    return out


def _neighbours(obj: Any) -> list[tuple[Any, str]]:
    """Records directly related to ``obj``, each with the relation's label."""
    out: list[tuple[Any, str]] = []
    if isinstance(obj, Work):
        out += [(c.person, str(c.get_role_display())) for c in obj.creators.select_related("person")]
        witnesses = item_public_qs().filter(item_works__work=obj).distinct()[:MAX_NEIGHBOURS]
        out += [(i, str(_("witness"))) for i in witnesses]
        if obj.period:
            out.append((obj.period, str(_("period"))))
        out += _mentioned_in(Q(work=obj))
    elif isinstance(obj, Item):
        out += [(w, str(_("carries"))) for w in work_public_qs().filter(item_works__item=obj).distinct()]
        out.append((obj.institution, str(_("held by"))))
        if obj.find_place:
            out.append((obj.find_place, str(_("found at"))))
        if obj.acquired_by:
            out.append((obj.acquired_by, str(_("acquired by"))))
        if obj.period:
            out.append((obj.period, str(_("period"))))
        for join in obj.joins.filter(status="accepted"):
            out += [(i, str(_("same manuscript"))) for i in join.items.exclude(pk=obj.pk).filter(visibility="public")]
        out += _mentioned_in(Q(item=obj))
    elif isinstance(obj, Institution):
        out += [(i, str(_("holds"))) for i in item_public_qs().filter(institution=obj)[:MAX_NEIGHBOURS]]
    elif isinstance(obj, Entity):
        if isinstance(obj, Person):
            out += [(c.work, str(c.get_role_display())) for c in obj.work_roles.select_related("work")[:MAX_NEIGHBOURS]]
            out += [(i, str(_("acquired"))) for i in item_public_qs().filter(acquired_by=obj)[:MAX_NEIGHBOURS]]
        if isinstance(obj, Place):
            out += [(i, str(_("found here"))) for i in item_public_qs().filter(find_place=obj)[:MAX_NEIGHBOURS]]
        if isinstance(obj, Period):
            out += [(w, str(_("in period"))) for w in work_public_qs().filter(period=obj)[:MAX_NEIGHBOURS]]
            if obj.parent:
                out.append((obj.parent, str(_("within"))))
        for m in _mentions_of(obj):
            target = m.item or m.work
            if target is not None and target.visibility == "public":
                out.append((target, str(m.get_role_display())))
    return out[: MAX_NEIGHBOURS * 2]


def graph_data(*, center: Any, language: str | None = None, depth: int = 2) -> dict[str, Any]:
    """Nodes and links within ``depth`` steps of ``center`` (at most :data:`MAX_NODES` nodes)."""
    nodes: dict[str, dict[str, Any]] = {}
    links: dict[tuple[str, str], str] = {}

    def add(obj: Any, level: int) -> str:
        nid = _node_id(obj)
        if nid not in nodes:
            nodes[nid] = {"id": nid, "name": _label(obj, language), "category": nid.split(":")[0],
                          "url": _url(obj), "level": level}
        return nid

    queue: deque[tuple[Any, int]] = deque([(center, 0)])
    add(center, 0)
    seen = {_node_id(center)}
    while queue:
        obj, level = queue.popleft()
        # A holder is expanded only at the centre: every item it holds would swamp the graph.
        if level >= depth or (isinstance(obj, Institution) and level > 0):
            continue
        for other, label in _neighbours(obj):
            oid = _node_id(other)
            if oid not in nodes and len(nodes) >= MAX_NODES:
                continue
            add(other, level + 1)
            pair = (_node_id(obj), oid)
            if pair[::-1] not in links:
                links.setdefault(pair, label)
            if oid not in seen:
                seen.add(oid)
                queue.append((other, level + 1))
    return {
        "center": _node_id(center),
        "nodes": list(nodes.values()),
        "links": [{"source": a, "target": b, "label": lab} for (a, b), lab in links.items()],
        "categories": ["work", "item", "person", "place", "period", "subject", "institution"],
    }


__all__ = ["GraphCenterError", "TimelineRange", "default_center", "graph_data", "map_data",
           "place_map_data", "resolve_center", "timeline_data"]
