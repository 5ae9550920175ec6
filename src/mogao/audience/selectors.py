"""Read the rollups (never the raw events): dashboard tables, open statistics and demand (#18).

Language-level figures (visits, searches, zero-result queries) are site-wide; item-level figures
(reads, views, reactions) narrow to ``institutions`` when it is given.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import F, Q, QuerySet, Sum, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from mogao.audience.models import DailyCount, DailyTop, DailyTotal, MonthlyTop, MonthlyTotal

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
    qs = DailyCount.objects.filter(day__gte=r.start, day__lte=r.end)
    qs = qs.filter(metric=metrics[0]) if len(metrics) == 1 else qs.filter(metric__in=metrics)
    if per_institution and r.institutions is not None:
        qs = qs.filter(institution_id__in=r.institutions)
    return qs


def _spans(r: Range) -> tuple[list[date], list[tuple[date, date]]]:
    """The calendar months wholly inside the range, and the runs of days around them."""
    months: list[date] = []
    edges: list[tuple[date, date]] = []
    first = r.start if r.start.day == 1 else _next_month(r.start)
    cursor = first
    while _next_month(cursor) - timedelta(days=1) <= r.end:
        months.append(cursor)
        cursor = _next_month(cursor)
    if not months:
        return [], [(r.start, r.end)]
    if r.start < months[0]:
        edges.append((r.start, months[0] - timedelta(days=1)))
    if cursor <= r.end:
        edges.append((cursor, r.end))
    return months, edges


def _next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def _sources(r: Range, monthly: Any, daily: Any, **filters: Any) -> list[QuerySet[Any]]:
    """At most three querysets: the range's whole months, and each run of days around them. Each run
    is its own query, so that the index on (metric, day, …) is searched by a day range; one query
    with the runs OR-ed together made SQLite read every day of the metric (a year's rows)."""
    months, edges = _spans(r)
    out: list[QuerySet[Any]] = []
    if months:
        out.append(monthly.objects.filter(month__in=months, **filters))
    out.extend(daily.objects.filter(day__gte=start, day__lte=end, **filters) for start, end in edges)
    return out


#: Totals fetched once for a whole dashboard (see :func:`prefetched`): {per_institution: {(metric, language, key): n}}.
_prefetch: ContextVar[dict[bool, dict[tuple[str, str, str], int]] | None] = ContextVar("audience_totals", default=None)
SITE_TOTALS = ("visits", "search", "search_shown", "click", "search_visits", "search_reads", "api", "oai",
               "story_step", "story_done")
INSTITUTION_TOTALS = ("read", "request")


@contextmanager
def prefetched(r: Range) -> Iterator[None]:
    """Answer the dashboard's sums from two queries per source instead of one per panel."""
    store = {False: _fetch_totals(SITE_TOTALS, r, per_institution=False),
             True: _fetch_totals(INSTITUTION_TOTALS, r, per_institution=True)}
    token = _prefetch.set(store)
    try:
        yield
    finally:
        _prefetch.reset(token)


def _fetch_totals(metrics: tuple[str, ...], r: Range, *, per_institution: bool) -> dict[tuple[str, str, str], int]:
    out: dict[tuple[str, str, str], int] = defaultdict(int)
    for qs in _sources(r, MonthlyTotal, DailyTotal, metric__in=metrics):
        if per_institution and r.institutions is not None:
            qs = qs.filter(institution_id__in=r.institutions)
        for metric, language, key, n in qs.values_list("metric", "language", "key").annotate(n=Sum("count")).order_by():
            out[(metric, language, key)] += int(n)
    return dict(out)


def _total_rows(metric: str | tuple[str, ...], r: Range, fields: tuple[str, ...], *,
                per_institution: bool = False) -> dict[tuple[Any, ...], int]:
    """Sums of the totals over the range grouped by ``fields`` (of metric, language, key): whole months
    from :class:`MonthlyTotal`, the days around them from :class:`DailyTotal`."""
    metrics = (metric,) if isinstance(metric, str) else metric
    store = _prefetch.get()
    wanted = INSTITUTION_TOTALS if per_institution else SITE_TOTALS
    if store is not None and set(metrics) <= set(wanted):
        rows = {k: n for k, n in store[per_institution].items() if k[0] in metrics}
    else:
        rows = _fetch_totals(metrics, r, per_institution=per_institution)
    where = {"metric": 0, "language": 1, "key": 2}
    out: dict[tuple[Any, ...], int] = defaultdict(int)
    for k, n in rows.items():
        out[tuple(k[where[f]] for f in fields)] += n
    return dict(out)


def by_language(metric: str | tuple[str, ...], r: Range, *, per_institution: bool = False) -> dict[str, int]:
    """Sums per language over the range, from the monthly and daily totals (a few rows per day)."""
    return {k[0]: n for k, n in _total_rows(metric, r, ("language",), per_institution=per_institution).items()}


def by_language_all(metrics: tuple[str, ...], r: Range) -> dict[str, dict[str, int]]:
    """``{metric: {language: sum}}`` for site-wide metrics."""
    out: dict[str, dict[str, int]] = {m: {} for m in metrics}
    for (metric, lang), n in _total_rows(metrics, r, ("metric", "language")).items():
        out[metric][lang] = n
    return out


#: Candidates fetched once for a whole dashboard: {metric: {language: {value: score}}}.
_cand_prefetch: ContextVar[dict[str, dict[str, dict[Any, int]]] | None] = ContextVar("audience_cands", default=None)
#: Top-entry metrics: whether they are per institution, and how many candidates per language.
CANDIDATES = {"read": (True, 20), "reaction": (True, 30), "works": (False, 20), "zero": (False, 50)}


def _fetch_candidates(metrics: tuple[str, ...], r: Range, per_language: int) -> dict[str, dict[str, dict[Any, int]]]:
    """The best entries per metric and language among the range's top entries (ranked by the database)."""
    scope = Q()
    for metric in metrics:
        if CANDIDATES.get(metric, (False, 0))[0] and r.institutions is not None:
            scope |= Q(metric=metric, institution_id__in=r.institutions)
        else:
            scope |= Q(metric=metric, institution_id=0)
    fields = ("metric", "language", "item_id", "work_id", "key")
    scores: dict[str, dict[str, dict[Any, int]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for qs in _sources(r, MonthlyTop, DailyTop):
        ranked = (qs.filter(scope).values(*fields).annotate(n=Sum("count"))
                  .annotate(rank=Window(RowNumber(), partition_by=[F("metric"), F("language")],
                                        order_by=[F("n").desc(), F("item_id"), F("work_id"), F("key")]))
                  .filter(rank__lte=per_language).values_list(*fields, "n"))
        for metric, language, item_id, work_id, key, n in ranked:
            scores[metric][language][(item_id, work_id, key)] += int(n)
    return scores


@contextmanager
def prefetched_candidates(r: Range) -> Iterator[None]:
    """Fetch every top list's candidates in one query per source (the dashboard)."""
    token = _cand_prefetch.set(_fetch_candidates(tuple(CANDIDATES), r, max(n for _s, n in CANDIDATES.values())))
    try:
        yield
    finally:
        _cand_prefetch.reset(token)


def _candidates(metric: str, field: str, r: Range, per_language: int, *, per_institution: bool,
                key: bool = False) -> dict[str, list[Any]]:
    """The best ``per_language`` values of ``field`` (and key) per language among the top entries of the
    range's whole months (:class:`MonthlyTop`) and of the days around them (:class:`DailyTop`)."""
    store = _cand_prefetch.get()
    if store is not None and metric in store and per_language <= CANDIDATES[metric][1]:
        found = store[metric]
    else:
        found = _fetch_candidates((metric,), r, per_language).get(metric, {})
    index = {"item_id": 0, "work_id": 1, "key": 2}[field]
    out: dict[str, list[Any]] = {}
    for lang, values in found.items():
        merged: dict[Any, int] = defaultdict(int)
        for (item_id, work_id, k), n in values.items():
            value = (item_id, work_id, k)[index]
            merged[(value, k) if key else value] += n
        out[lang] = sorted(merged, key=lambda v: (-merged[v], v))[:per_language]
    return out


def _rate(numerator: int, denominator: int) -> float | None:
    return round(100 * numerator / denominator, 1) if denominator else None


def languages_table(r: Range) -> list[dict[str, Any]]:
    """Per interface language: visits, searches, results shown, clicks, click-through and conversion."""
    got = by_language_all(("visits", "search", "search_shown", "click", "search_visits", "search_reads"), r)
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
    """Zero-result queries by folded form: count, languages, and whether fallbacks found near matches.

    Candidates are the queries among the days' most frequent; their counts over the range are exact.
    """
    candidates = _candidates("zero", "key", r, limit, per_institution=False)
    keys = sorted({k for values in candidates.values() for k in values})
    grouped: dict[str, dict[str, int]] = defaultdict(dict)
    for chunk in _chunks(keys):
        for row in (_counts("zero", r).filter(key__in=chunk).values("key", "language").annotate(n=Sum("count"))):
            grouped[row["key"]][row["language"]] = int(row["n"])
    top = sorted(grouped.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))[:limit]
    near = set(_counts("fallback", r).filter(key__in=[k for k, _v in top]).values_list("key", flat=True))
    return [{"query": key, "count": sum(langs.values()),
             "languages": sorted(langs, key=_language_order), "per_language": langs,
             "action": suggested_action(key, langs, near=key in near)} for key, langs in top]


def _chunks(values: list[Any], size: int = 900) -> list[list[Any]]:
    return [values[i:i + size] for i in range(0, len(values), size)]


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


def _ranked(exact: dict[str, dict[Any, int]], limit: int) -> dict[str, list[tuple[Any, int]]]:
    return {lang: sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
            for lang, values in sorted(exact.items(), key=lambda kv: _language_order(kv[0]))}


def top_items(r: Range, limit: int = 10) -> list[dict[str, Any]]:
    """Most-read items per language (reading room opened or item page seen).

    The candidates are the items among the days' most read (:class:`DailyTop`); each candidate's
    reads over the range are then counted exactly.
    """
    from mogao.catalogue.models import Item

    candidates = _candidates(READ_METRICS, "item_id", r, 2 * limit, per_institution=True)
    ids = sorted({pk for values in candidates.values() for pk in values})
    exact: dict[str, dict[Any, int]] = defaultdict(dict)
    for chunk in _chunks(ids):
        rows = (_counts(READ_METRICS, r, per_institution=True).filter(item_id__in=chunk)
                .values("language", "item_id").annotate(n=Sum("count")))
        for row in rows:
            exact[row["language"]][row["item_id"]] = int(row["n"])
    top = _ranked(exact, limit)
    wanted = {pk for rows in top.values() for pk, _n in rows}
    items = {i.pk: i for i in Item.objects.filter(pk__in=wanted).select_related("institution")}
    return [{"language": lang, "item": items.get(pk), "item_id": pk, "count": n}
            for lang, rows in top.items() for pk, n in rows]


def top_works(r: Range, limit: int = 10) -> list[dict[str, Any]]:
    """Most-read works per language (their items read, their page seen); candidates as for items."""
    from mogao.catalogue.models import Work

    candidates = _candidates("works", "work_id", r, 2 * limit, per_institution=False)
    ids = sorted({pk for values in candidates.values() for pk in values})
    exact: dict[str, dict[Any, int]] = defaultdict(dict)
    for chunk in _chunks(ids):
        rows = (_counts(("work_read", "work_view"), r).filter(work_id__gt=0, work_id__in=chunk)
                .values("language", "work_id").annotate(n=Sum("count")))
        for row in rows:
            exact[row["language"]][row["work_id"]] = int(row["n"])
    top = _ranked(exact, limit)
    works = Work.objects.in_bulk({pk for rows in top.values() for pk, _n in rows})
    return [{"language": lang, "work": works.get(pk), "work_id": pk, "count": n}
            for lang, rows in top.items() for pk, n in rows]


def reactions(r: Range, limit: int = 30) -> list[dict[str, Any]]:
    """Reactions by language, item and kind: what moves readers in which culture."""
    from mogao.catalogue.models import Item

    candidates = _candidates("reaction", "item_id", r, limit, per_institution=True, key=True)
    ids = sorted({pk for values in candidates.values() for pk, _k in values})
    found: list[dict[str, Any]] = []
    for chunk in _chunks(ids):
        found += [dict(row) for row in _counts("reaction", r, per_institution=True).filter(item_id__in=chunk)
                  .values("language", "item_id", "key").annotate(n=Sum("count"))]
    rows = sorted(found, key=lambda x: (-x["n"], _language_order(x["language"]), x["item_id"], x["key"]))[:limit]
    items = Item.objects.in_bulk({row["item_id"] for row in rows})
    return [{"language": row["language"], "item": items.get(row["item_id"]), "item_id": row["item_id"],
             "kind": row["key"], "count": int(row["n"])}
            for row in sorted(rows, key=lambda x: (_language_order(x["language"]), -x["n"]))]


def story_funnel(r: Range) -> list[dict[str, Any]]:
    """Per story and language: how many readers reached each step, and how many finished it."""
    counts: dict[tuple[int, str], dict[str, Any]] = {}
    totals = _total_rows(("story_step", "story_done"), r, ("metric", "language", "key"))
    for (metric, language, key), n in totals.items():
        row = {"metric": metric, "language": language, "key": key, "n": n}
        story, _sep, step = str(row["key"]).partition(":")
        if not story.isdigit():
            continue
        entry = counts.setdefault((int(story), row["language"]), {"steps": {}, "done": 0})
        if row["metric"] == "story_done":
            entry["done"] += int(row["n"])
        elif step.isdigit():
            entry["steps"][int(step)] = entry["steps"].get(int(step), 0) + int(row["n"])
    titles = _story_titles({story for story, _lang in counts})
    out = []
    for (story_id, lang), entry in sorted(counts.items(), key=lambda kv: (kv[0][0], _language_order(kv[0][1]))):
        started = entry["steps"].get(1, max(entry["steps"].values(), default=0))
        out.append({"story_id": story_id, "story": titles.get(story_id), "language": lang,
                    "steps": sorted(entry["steps"].items()), "done": entry["done"],
                    "completion": _rate(entry["done"], started)})
    return out


def _story_titles(ids: set[int]) -> dict[int, Any]:
    try:
        from mogao.stories.models import Story
    except ImportError:  # the stories app is optional here
        return {}
    return dict(Story.objects.in_bulk(ids))


def digitization_requests(r: Range) -> dict[str, Any]:
    """Digitization requests per language and purpose (from the rollups), and time to publish.

    The time to publish comes from the digitization app's own selector
    (``mogao.digitization.selectors.publish_times(start, end, institutions)``) when it has one;
    without it, or when it fails, the panel shows the requests alone.
    """
    totals = _total_rows("request", r, ("language", "key"), per_institution=True)
    requests = [{"language": lang, "purpose": key, "count": n}
                for (lang, key), n in sorted(totals.items(), key=lambda kv: (_language_order(kv[0][0]), -kv[1]))]
    times: dict[str, Any] = {}
    try:
        import importlib

        digitization = importlib.import_module("mogao.digitization.selectors")
        publish_times = getattr(digitization, "publish_times", None)
        if publish_times is not None:
            times = dict(publish_times(r.start, r.end, r.institutions) or {})
    except Exception:  # absent, empty or not migrated: the panel shows the requests alone
        times = {}
    return {"requests": requests, "publish": times}


def clients(r: Range) -> list[dict[str, Any]]:
    """API and OAI-PMH requests by client type."""
    totals = _total_rows(("api", "oai"), r, ("metric", "key"))
    return [{"channel": metric, "client": key or "other", "count": n}
            for (metric, key), n in sorted(totals.items(), key=lambda kv: (kv[0][0], -kv[1]))]


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
