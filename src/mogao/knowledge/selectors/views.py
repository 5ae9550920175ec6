"""Data behind the map, the timeline and the relationship graph (plain dicts, JSON-ready)."""

from __future__ import annotations

import math
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


_NICE_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000)


def _nice_step(span: int, most: int) -> int:
    return next((s for s in _NICE_STEPS if span / s <= most), _NICE_STEPS[-1])


def _dated(kind: str) -> Any:
    qs = work_public_qs() if kind == "work" else item_public_qs()
    return qs.filter(year_start__isnull=False)


def _overlapping(qs: Any, start: int | None, end: int | None) -> Any:
    if start is not None:
        qs = qs.filter(Q(year_end__gte=start) | Q(year_end__isnull=True, year_start__gte=start))
    if end is not None:
        qs = qs.filter(year_start__lte=end)
    return qs


def timeline_centre() -> TimelineRange:
    """The span where the collection's manuscripts lie: the default view of the timeline.

    Dated items (the physical manuscripts) decide it: the narrowest run of nine in ten of them
    (by the middle of their date range), so that a lone late print does not stretch the view
    over a thousand empty years; works decide it only when no item is dated. The span covers the
    full date ranges of the chosen items, padded and rounded to a readable step.
    """
    spans = [(s, e if e is not None else s) for s, e in _dated("item").values_list("year_start", "year_end")]
    if not spans:
        spans = [(s, e if e is not None else s) for s, e in _dated("work").values_list("year_start", "year_end")]
        share = 0.8
    else:
        share = 0.9
    if not spans:
        return TimelineRange(0, 1000)
    spans.sort(key=lambda se: se[0] + se[1])
    keep = len(spans) if len(spans) < 5 else max(1, math.ceil(share * len(spans)))
    mids = [(s + e) / 2 for s, e in spans]
    first = min(range(len(spans) - keep + 1), key=lambda i: (mids[i + keep - 1] - mids[i], i))
    chosen = spans[first:first + keep]
    lo, hi = min(s for s, _ in chosen), max(e for _, e in chosen)
    pad = max(10, (hi - lo) // 10)
    step = _nice_step(hi - lo + 2 * pad, 12)
    return TimelineRange((lo - pad) // step * step, -((-(hi + pad)) // step) * step)


def _full_extent() -> TimelineRange:
    lo: int | None = None
    hi: int | None = None
    for kind in ("work", "item"):
        for start, end in _dated(kind).values_list("year_start", "year_end"):
            end = end if end is not None else start
            lo = start if lo is None else min(lo, start)
            hi = end if hi is None else max(hi, end)
    return TimelineRange(lo, hi)


def _pct(fraction: float) -> str:
    """A fraction as a CSS percentage (a string, so no locale writes a decimal comma)."""
    return f"{max(0.0, min(1.0, fraction)) * 100:.3f}%"


def _lanes(periods: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Periods packed into rows so that no two in a row overlap (their labels never collide)."""
    lanes: list[list[dict[str, Any]]] = []
    for period in sorted(periods, key=lambda p: (p["start"], -p["end"])):
        for lane in lanes:
            if lane[-1]["end"] <= period["start"]:
                lane.append(period)
                break
        else:
            lanes.append([period])
    return lanes


def timeline_data(
    *, language: str | None = None, bounds: TimelineRange = TimelineRange(), limit: int = 150,
) -> dict[str, Any]:
    """The timeline of works and items within ``bounds`` (by default the collection's centre).

    It gives a histogram (``bins``: works and items counted by the bin their start year falls in,
    each bin a link that zooms to it), the dynasties overlapping the view packed into ``lanes``,
    axis ``ticks``, and the first ``limit`` records in order of date (``entries``; ``total`` counts
    them all). Positions are fractions 0..1 of the span. BCE years are negative.
    """
    default = bounds.start is None and bounds.end is None
    if default:
        bounds = timeline_centre()
    entries: list[dict[str, Any]] = []
    starts: dict[str, list[int]] = {"work": [], "item": []}
    total = 0
    for kind in ("work", "item"):
        qs = _overlapping(_dated(kind), bounds.start, bounds.end)
        starts[kind] = [y for (y,) in qs.values_list("year_start")]
        total += len(starts[kind])
        for obj in qs.order_by("year_start", "pid")[:limit]:
            end = obj.year_end if obj.year_end is not None else obj.year_start
            entries.append({
                "kind": kind, "pid": obj.pid, "label": obj.label(language),
                "shelfmark": getattr(obj, "shelfmark", ""), "start": obj.year_start, "end": end,
                "url": obj.get_absolute_url(),
            })
    entries.sort(key=lambda e: (e["start"], e["end"], e["kind"], e["label"]))
    entries = entries[:limit]
    every = [*starts["work"], *starts["item"]]
    lo = bounds.start if bounds.start is not None else min(every, default=0)
    hi = bounds.end if bounds.end is not None else max([e["end"] for e in entries] + every, default=lo + 100)
    if hi <= lo:
        lo, hi = lo - 5, hi + 5
    span = hi - lo

    size = _nice_step(span, 48)
    first = lo // size * size
    bins: list[dict[str, Any]] = []
    for b_start in range(first, hi + 1, size):
        b_end = b_start + size - 1
        works = sum(1 for y in starts["work"] if b_start <= max(y, lo) <= b_end)
        items = sum(1 for y in starts["item"] if b_start <= max(y, lo) <= b_end)
        x0, x1 = max(b_start, lo), min(b_end + 1, hi)
        if x1 <= x0:
            continue
        bins.append({"start": b_start, "end": b_end, "works": works, "items": items, "count": works + items,
                     "x": (x0 - lo) / span, "w": (x1 - x0) / span})
    # Works and items each on their own scale: a few manuscripts stay visible beside many works.
    peak = max([b["works"] for b in bins], default=0) or 1
    peak_items = max([b["items"] for b in bins], default=0) or 1
    for b in bins:
        b["h_works"] = b["works"] / peak
        b["h_items"] = b["items"] / peak_items
        b["css"] = {"left": _pct(b["x"]), "width": _pct(b["w"]),
                    "works": _pct(b["h_works"]), "items": _pct(b["h_items"])}

    periods: list[dict[str, Any]] = [
        {"pid": p.pid, "label": p.label(language), "start": p.year_start, "end": p.year_end,
         "url": entity_url(p),
         "x": (max(p.year_start, lo) - lo) / span, "w": (min(p.year_end, hi) - max(p.year_start, lo)) / span}
        for p in Period.objects.filter(kind=Period.Kind.DYNASTY, year_end__gt=lo, year_start__lt=hi)
        .order_by("year_start", "pid")
    ]
    for p in periods:
        p["css"] = {"left": _pct(p["x"]), "width": _pct(p["w"])}
    step = _nice_step(span, 6)
    ticks = [{"year": y, "x": (y - lo) / span, "css": {"left": _pct((y - lo) / span)}}
             for y in range(-(-lo // step) * step, hi + 1, step)]
    centre, half = (lo + hi) // 2, max(span, 10)
    zoom_out = TimelineRange(max(-5000, centre - half), min(2200, centre + half))
    return {
        "start": lo, "end": hi, "default": default, "entries": entries, "total": total,
        "bins": bins, "peak": peak, "peak_items": peak_items, "bands": periods, "lanes": _lanes(periods),
        "ticks": ticks,
        "zoom_out": zoom_out, "extent": _full_extent(), "centre": timeline_centre() if not default else bounds,
    }


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
    kinds = {"work": _("work"), "item": _("item"), "person": _("person"), "place": _("place"),
             "period": _("period"), "subject": _("subject"), "institution": _("institution")}
    for node in nodes.values():
        node["category_label"] = str(kinds.get(node["category"], node["category"]))
    return {
        "center": _node_id(center),
        "nodes": list(nodes.values()),
        # Names beside the ids: the page's text alternative lists links by what readers call them.
        "links": [{"source": a, "target": b, "label": lab, "source_name": nodes[a]["name"],
                   "target_name": nodes[b]["name"], "source_url": nodes[a]["url"], "target_url": nodes[b]["url"]}
                  for (a, b), lab in links.items()],
        "categories": list(kinds),
        # The legend's names in the reader's language, in the order of ``categories``.
        "category_labels": [str(label) for label in kinds.values()],
    }


__all__ = [
    "GraphCenterError",
    "TimelineRange",
    "default_center",
    "graph_data",
    "map_data",
    "place_map_data",
    "resolve_center",
    "timeline_centre",
    "timeline_data",
]
