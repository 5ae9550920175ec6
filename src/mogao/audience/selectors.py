"""Read the rollups (never the raw events): dashboard tables, open statistics and demand (#18).

Language-level figures (visits, searches, zero-result queries) are site-wide; item-level figures
(reads, views, reactions) narrow to ``institutions`` when it is given.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from mogao.audience.models import DailyCount

LANGUAGES = ("en", "fr", "zh-hans", "zh-hant")
#: What counts as reading an item (most-read lists): the item page or the reading room, summed by the rollup.
READ_METRICS = "read"


@dataclass(frozen=True)
class Range:
    start: date
    end: date
    institutions: frozenset[int] | None = None  # None: every institution

    @classmethod
    def last(cls, days: int = 30, institutions: Iterable[int] | None = None) -> Range:
        end = timezone.localdate()
        return cls(end - timedelta(days=days - 1), end, None if institutions is None else frozenset(institutions))


def _counts(metric: str | tuple[str, ...], r: Range, *, per_institution: bool = False) -> QuerySet[DailyCount]:
    metrics = (metric,) if isinstance(metric, str) else metric
    qs = DailyCount.objects.filter(metric__in=metrics, day__gte=r.start, day__lte=r.end)
    if per_institution and r.institutions is not None:
        qs = qs.filter(institution_id__in=r.institutions)
    return qs


def by_language(metric: str | tuple[str, ...], r: Range, *, per_institution: bool = False) -> dict[str, int]:
    rows = _counts(metric, r, per_institution=per_institution).values("language").annotate(n=Sum("count"))
    return {row["language"]: int(row["n"]) for row in rows}


def _rate(numerator: int, denominator: int) -> float | None:
    return round(100 * numerator / denominator, 1) if denominator else None


def languages_table(r: Range) -> list[dict[str, Any]]:
    """Per interface language: visits, searches, results shown, clicks, click-through and conversion."""
    got = {m: by_language(m, r) for m in ("visits", "search", "search_shown", "click", "search_visits",
                                          "search_reads")}
    reads = by_language(READ_METRICS, r, per_institution=True)
    langs = sorted({lang for d in got.values() for lang in d} | set(reads), key=_language_order)
    rows = []
    for lang in langs:
        row: dict[str, Any] = {"language": lang, "reads": reads.get(lang, 0), **{m: got[m].get(lang, 0) for m in got}}
        row["click_through"] = _rate(row["click"], row["search_shown"])
        row["conversion"] = _rate(row["search_reads"], row["search_visits"])
        rows.append(row)
    return rows


def _language_order(lang: str) -> tuple[int, str]:
    return (LANGUAGES.index(lang) if lang in LANGUAGES else len(LANGUAGES), lang)


def zero_results(r: Range, limit: int = 50) -> list[dict[str, Any]]:
    """Zero-result queries by folded form: count, languages, and whether fallbacks found near matches."""
    rows = (_counts("zero", r).values("key", "language").annotate(n=Sum("count")))
    grouped: dict[str, dict[str, int]] = defaultdict(dict)
    for row in rows:
        grouped[row["key"]][row["language"]] = int(row["n"])
    top = sorted(grouped.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))[:limit]
    near = set(_counts("fallback", r).filter(key__in=[k for k, _v in top]).values_list("key", flat=True))
    return [{"query": key, "count": sum(langs.values()),
             "languages": sorted(langs, key=_language_order), "per_language": langs,
             "action": suggested_action(key, langs, near=key in near)} for key, langs in top]


def _has_cjk(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" or "\U00020000" <= ch <= "\U0002ebef" for ch in text)


def suggested_action(query: str, languages: dict[str, int], *, near: bool = False) -> str:
    """alias, translate or catalogue: what would most likely make the query find something.

    Near matches found by the fallback stages → name them (an alias); a query in French or English
    words → the title probably exists only in Chinese (translate it); a query in Chinese that finds
    nothing at all → the text is not catalogued or digitized yet.
    """
    if near:
        return "alias"
    if not _has_cjk(query) and any(lang in ("fr", "en") for lang in languages):
        return "translate"
    return "catalogue"


def _top(metric: str | tuple[str, ...], field: str, r: Range, limit: int, *,
         per_institution: bool = True) -> dict[str, list[tuple[int, int]]]:
    """The ``limit`` most counted ``field`` values per language (one bounded query per language)."""
    base = _counts(metric, r, per_institution=per_institution).exclude(**{field: 0})
    out: dict[str, list[tuple[int, int]]] = {}
    for lang in sorted(set(base.values_list("language", flat=True).distinct()), key=_language_order):
        rows = (base.filter(language=lang).values(field).annotate(n=Sum("count")).order_by("-n", field)[:limit])
        out[lang] = [(row[field], int(row["n"])) for row in rows]
    return out


def top_items(r: Range, limit: int = 10) -> list[dict[str, Any]]:
    """Most-read items per language (reading room opened or item page seen)."""
    from mogao.catalogue.models import Item

    top = _top(READ_METRICS, "item_id", r, limit)
    ids = {pk for rows in top.values() for pk, _n in rows}
    items = {i.pk: i for i in Item.objects.filter(pk__in=ids).select_related("institution")}
    return [{"language": lang, "item": items.get(pk), "item_id": pk, "count": n}
            for lang, rows in top.items() for pk, n in rows]


def top_works(r: Range, limit: int = 10) -> list[dict[str, Any]]:
    """Most-read works per language (their items read, their page seen)."""
    from mogao.catalogue.models import Work

    top = _top(("work_read", "work_view"), "work_id", r, limit, per_institution=False)
    ids = {pk for rows in top.values() for pk, _n in rows}
    works = Work.objects.in_bulk(ids)
    return [{"language": lang, "work": works.get(pk), "work_id": pk, "count": n}
            for lang, rows in top.items() for pk, n in rows]


def reactions(r: Range, limit: int = 30) -> list[dict[str, Any]]:
    """Reactions by language, item and kind: what moves readers in which culture."""
    from mogao.catalogue.models import Item

    rows = list(_counts("reaction", r, per_institution=True).exclude(item_id=0)
                .values("language", "item_id", "key").annotate(n=Sum("count")).order_by("-n")[:limit])
    items = Item.objects.in_bulk({row["item_id"] for row in rows})
    return [{"language": row["language"], "item": items.get(row["item_id"]), "item_id": row["item_id"],
             "kind": row["key"], "count": int(row["n"])}
            for row in sorted(rows, key=lambda x: (_language_order(x["language"]), -x["n"]))]


def clients(r: Range) -> list[dict[str, Any]]:
    """API and OAI-PMH requests by client type."""
    rows = _counts(("api", "oai"), r).values("metric", "key").annotate(n=Sum("count")).order_by("metric", "-n")
    return [{"channel": row["metric"], "client": row["key"] or "other", "count": int(row["n"])} for row in rows]


def demand_for_items(ids: Iterable[int], *, days: int = 365) -> dict[int, dict[str, int]]:
    """Reader demand for items over the last ``days`` days, from the rollups (for #17's priority).

    Returns ``{item_id: {"reads": …, "views": …, "reactions": …, "clicks": …}}`` for every id asked
    (zeros when nobody came).
    """
    wanted = list(dict.fromkeys(int(i) for i in ids))
    out = {pk: {"reads": 0, "views": 0, "reactions": 0, "clicks": 0} for pk in wanted}
    names = {"read_open": "reads", "item_view": "views", "reaction": "reactions", "click": "clicks"}
    since = timezone.localdate() - timedelta(days=days - 1)
    for chunk in [wanted[i:i + 5000] for i in range(0, len(wanted), 5000)]:
        rows = (DailyCount.objects.filter(Q(item_id__in=chunk), metric__in=names, day__gte=since)
                .values("item_id", "metric").annotate(n=Sum("count")))
        for row in rows:
            out[row["item_id"]][names[row["metric"]]] = int(row["n"])
    return out


def public_statistics(days: int = 30, limit: int = 10) -> dict[str, Any]:
    """The open statistics: visits, searches and reads per language, most-read public items and works."""
    r = Range.last(days)
    visits, searches = by_language("visits", r), by_language("search", r)
    reads = by_language(READ_METRICS, r)
    langs = sorted(set(visits) | set(searches) | set(reads), key=_language_order)
    public_items = [row for row in top_items(r, limit=limit)
                    if row["item"] is not None and row["item"].visibility == "public"]
    public_works = [row for row in top_works(r, limit=limit)
                    if row["work"] is not None and getattr(row["work"], "visibility", "public") == "public"]
    return {
        "start": r.start.isoformat(), "end": r.end.isoformat(),
        "languages": [{"language": lang, "visits": visits.get(lang, 0), "searches": searches.get(lang, 0),
                       "reads": reads.get(lang, 0)} for lang in langs],
        "items": public_items, "works": public_works,
    }
