"""Daily rollups of the event log, and the deletion of raw events past retention (#18).

A day's rollup is recomputed from scratch (delete, then insert), so running it again is harmless.
Counts of visits need the day's visit hashes: once a finished day is rolled up its hashes are
blanked, and later reruns keep the visit counts already computed. No rollup row holds a visit.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from mogao.audience.models import DailyCount, Event

#: Kinds counted per language, item, institution and detail as they are.
PLAIN = ("click", "item_view", "read_open", "page_view", "gloss", "reaction", "annotation", "download",
         "api", "oai")
#: What counts as reading after a search (search-to-read conversion).
READING = ("item_view", "read_open", "page_view")
#: Metrics computed from visit hashes.
VISIT_METRICS = ("visits", "visits_region", "search_visits", "search_reads")
#: Kinds that are not readers' visits.
MACHINE = ("api", "oai")


def _row(day: date, metric: str, n: int, **keys: Any) -> DailyCount:
    return DailyCount(day=day, metric=metric, count=n, language=keys.get("language") or "",
                      institution_id=keys.get("institution_id") or 0, item_id=keys.get("item_id") or 0,
                      work_id=keys.get("work_id") or 0, key=(keys.get("key") or "")[:200])


def _visit_rows(day: date, events: Any) -> list[DailyCount]:
    rows: list[DailyCount] = []
    people = events.exclude(visit="").exclude(kind__in=MACHINE)
    for r in people.values("language").annotate(n=Count("visit", distinct=True)):
        rows.append(_row(day, "visits", r["n"], language=r["language"]))
    for r in people.values("region").annotate(n=Count("visit", distinct=True)):
        rows.append(_row(day, "visits_region", r["n"], key=r["region"]))
    searched: dict[str, int] = defaultdict(int)
    read: dict[str, int] = defaultdict(int)
    per_visit = (people.filter(kind__in=("search", *READING)).values("visit", "language")
                 .annotate(first=Min("id", filter=Q(kind="search")), last=Max("id", filter=Q(kind__in=READING))))
    for r in per_visit:
        if r["first"] is None:
            continue
        searched[r["language"]] += 1
        if r["last"] is not None and r["last"] > r["first"]:
            read[r["language"]] += 1
    rows += [_row(day, "search_visits", n, language=lang) for lang, n in searched.items()]
    rows += [_row(day, "search_reads", n, language=lang) for lang, n in read.items()]
    return rows


def _work_rows(day: date, events: Any) -> list[DailyCount]:
    from mogao.catalogue.models import ItemWork

    rows = [_row(day, "work_view", r["n"], language=r["language"], work_id=r["target_id"])
            for r in events.filter(kind="work_view").values("language", "target_id").annotate(n=Count("id"))]
    reads = list(events.filter(kind="read_open").exclude(item_id=None)
                 .values("language", "item_id").annotate(n=Count("id")))
    works: dict[int, list[int]] = defaultdict(list)
    ids = {r["item_id"] for r in reads}
    for chunk in [list(ids)[i:i + 5000] for i in range(0, len(ids), 5000)]:
        for item_id, work_id in ItemWork.objects.filter(item_id__in=chunk).values_list("item_id", "work_id"):
            works[item_id].append(work_id)
    per_work: dict[tuple[str, int], int] = defaultdict(int)
    for r in reads:
        for work_id in works.get(r["item_id"], ()):
            per_work[(r["language"], work_id)] += r["n"]
    rows += [_row(day, "work_read", n, language=lang, work_id=w) for (lang, w), n in per_work.items()]
    return rows


def rollup_day(day: date) -> int:
    """Recompute the rollups of ``day``; returns how many rows were written."""
    events = Event.objects.filter(day=day)
    rows: list[DailyCount] = []
    r: Any
    searches = events.filter(kind="search")
    for r in searches.values("language").annotate(n=Count("id"), shown=Count("id", filter=Q(results__gt=0))):
        rows.append(_row(day, "search", r["n"], language=r["language"]))
        if r["shown"]:
            rows.append(_row(day, "search_shown", r["shown"], language=r["language"]))
    for r in searches.filter(results=0).values("language", "query").annotate(n=Count("id")):
        rows.append(_row(day, "zero", r["n"], language=r["language"], key=r["query"]))
    for r in searches.exclude(stage__in=("", "all")).values("language", "query").annotate(n=Count("id")):
        rows.append(_row(day, "fallback", r["n"], language=r["language"], key=r["query"]))
    rows += _work_rows(day, events)
    with_visits = events.exclude(visit="").exists()
    if with_visits:
        rows += _visit_rows(day, events)
    with transaction.atomic():
        old = DailyCount.objects.filter(day=day)
        if not with_visits:
            old = old.exclude(metric__in=VISIT_METRICS)
        old._raw_delete(old.db)
        written = _insert_grouped(day)
        DailyCount.objects.bulk_create(rows, batch_size=2000)
        if with_visits and day < timezone.localdate():
            # the day is over: its visits are counted, the hashes have no further use
            events.exclude(visit="").update(visit="")
    return written + len(rows)


def _insert_grouped(day: date) -> int:
    """The per-item counts, grouped and inserted by the database itself (no row goes through Python).

    Every kind of :data:`PLAIN` per language, item, institution and detail; and ``read`` (item page
    or reading room) per language, item and institution, what the most-read lists sum.
    """
    from django.db import connection

    q = connection.ops.quote_name
    table, source = q(DailyCount._meta.db_table), q(Event._meta.db_table)
    columns = ", ".join(q(c) for c in ("day", "metric", "language", "institution_id", "item_id", "work_id",
                                       "key", "count"))
    plain = ", ".join(["%s"] * len(PLAIN))
    # identifiers are the models' own, quoted; every value is a parameter
    statements: list[tuple[str, list[Any]]] = [
        (f"INSERT INTO {table} ({columns}) SELECT {q('day')}, {q('kind')}, {q('language')}, "  # noqa: S608
         f"COALESCE({q('institution_id')}, 0), COALESCE({q('item_id')}, 0), 0, {q('detail')}, COUNT(*) "
         f"FROM {source} WHERE {q('day')} = %s AND {q('kind')} IN ({plain}) "
         f"GROUP BY {q('day')}, {q('kind')}, {q('language')}, {q('institution_id')}, {q('item_id')}, {q('detail')}",
         [day, *PLAIN]),
        (f"INSERT INTO {table} ({columns}) SELECT {q('day')}, 'read', {q('language')}, "  # noqa: S608
         f"COALESCE({q('institution_id')}, 0), {q('item_id')}, 0, '', COUNT(*) "
         f"FROM {source} WHERE {q('day')} = %s AND {q('kind')} IN (%s, %s) AND {q('item_id')} IS NOT NULL "
         f"GROUP BY {q('day')}, {q('language')}, {q('institution_id')}, {q('item_id')}",
         [day, *READING[:2]]),
    ]
    written = 0
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            written += max(cursor.rowcount, 0)
    return written


def days_to_roll(today: date | None = None) -> list[date]:
    """Today, yesterday and every day with events but no rollup yet."""
    today = today or timezone.localdate()
    with_events = set(Event.objects.values_list("day", flat=True).distinct())
    rolled = set(DailyCount.objects.filter(day__in=with_events).values_list("day", flat=True).distinct())
    recent = {d for d in with_events if d >= today - timedelta(days=1)}
    return sorted((with_events - rolled) | recent)


def purge(today: date | None = None) -> int:
    """Delete raw events older than ``MOGAO_AUDIENCE_RETENTION_DAYS``; returns how many."""
    today = today or timezone.localdate()
    keep = int(getattr(settings, "AUDIENCE_RETENTION_DAYS", 30))
    old = Event.objects.filter(day__lt=today - timedelta(days=keep))
    return int(old._raw_delete(old.db) or 0)


def run(days: list[date] | None = None, *, delete: bool = True) -> dict[str, Any]:
    """Flush this process's buffer, roll up ``days`` (default :func:`days_to_roll`), then purge."""
    from mogao.audience import recorder

    recorder.flush()
    chosen = days if days is not None else days_to_roll()
    rows = sum(rollup_day(d) for d in chosen)
    deleted = purge() if delete else 0
    return {"days": [d.isoformat() for d in chosen], "rows": rows, "deleted": deleted}
