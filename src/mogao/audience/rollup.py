"""Daily rollups of the event log, and the deletion of raw events past retention (#18).

A day's rollup is recomputed from scratch (delete, then insert), so running it again is harmless.
Every count is grouped and inserted by the database itself (``INSERT … SELECT … GROUP BY``): no event
goes through Python. Three tables are written per day:

- :class:`DailyCount`, the counts per language and item, work, institution or key;
- :class:`DailyTotal`, those counts summed per metric, language and institution (year-long sums
  read a few thousand rows);
- :class:`DailyTop`, the day's :data:`TOP_PER_DAY` most counted items, works, reactions and
  zero-result queries per language, for all institutions and per institution (the candidates of
  the dashboard's top lists).

Counts of visits need the day's visit hashes: once a finished day is rolled up its hashes are
blanked, and later reruns keep the visit counts already computed. No rollup row holds a visit.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from mogao.audience.models import DailyCount, DailyTop, DailyTotal, Event, MonthlyTop, MonthlyTotal

#: Kinds counted per language, item, institution and detail as they are.
PLAIN = ("click", "item_view", "read_open", "page_view", "gloss", "reaction", "annotation", "download",
         "api", "oai", "zoom", "comment", "save", "request")
#: Story kinds, counted per language and story (and step): key ``story:step`` / ``story``.
STORY = ("story_step", "story_done")
#: What counts as reading after a search (search-to-read conversion).
READING = ("item_view", "read_open", "page_view")
#: Metrics computed from visit hashes.
VISIT_METRICS = ("visits", "visits_region", "search_visits", "search_reads")
#: Kinds that are not readers' visits.
MACHINE = ("api", "oai")
#: Entries per language (and institution) kept in :class:`DailyTop` per metric and day (zero-result
#: queries: twice as many), and in :class:`MonthlyTop` per month.
TOP_PER_DAY = 12
TOP_PER_MONTH = 40
#: Metrics whose few keys :class:`DailyTotal` keeps (others are summed over their keys).
KEYED = ("story_step", "story_done", "request", "api", "oai", "reaction", "visits_region", "download")
#: The metrics of :class:`DailyTop` and what they rank.
TOP_ITEM_METRICS = ("read", "reaction")

COLUMNS = ("day", "metric", "language", "institution_id", "item_id", "work_id", "key", "count")


def _q(name: str) -> str:
    return str(connection.ops.quote_name(name))


def _tables() -> dict[str, str]:
    return {"ev": _q(Event._meta.db_table), "dc": _q(DailyCount._meta.db_table),
            "dt": _q(DailyTotal._meta.db_table), "top": _q(DailyTop._meta.db_table),
            "mt": _q(MonthlyTotal._meta.db_table), "mtop": _q(MonthlyTop._meta.db_table),
            "cols": ", ".join(_q(c) for c in COLUMNS)}


def _marks(n: int) -> str:
    return ", ".join(["%s"] * n)


def _count_statements(day: date) -> list[tuple[str, list[Any]]]:
    """Every ``INSERT … SELECT … GROUP BY`` writing the day's :class:`DailyCount` rows from events."""
    t = _tables()
    ev, dc, cols = t["ev"], t["dc"], t["cols"]
    from mogao.catalogue.models import ItemWork

    iw = _q(ItemWork._meta.db_table)
    head = f"INSERT INTO {dc} ({cols}) SELECT day, "  # identifiers are the models' own; values are parameters
    where = "FROM {ev} WHERE day = %s AND kind "
    w = where.format(ev=ev)
    text = "VARCHAR(20)"
    return [
        (head + f"'zero', language, 0, 0, 0, query, COUNT(*) {w}= 'search' AND results = 0 "
         "GROUP BY day, language, query", [day]),
        (head + f"'fallback', language, 0, 0, 0, query, COUNT(*) {w}= 'search' AND stage NOT IN ('', 'all') "
         "GROUP BY day, language, query", [day]),
        # sorted by item: the item index takes them in order (far fewer pages touched than at random)
        (head + f"kind, language, COALESCE(institution_id, 0), COALESCE(item_id, 0), 0, detail, COUNT(*) "
         f"{w}IN ({_marks(len(PLAIN))}) GROUP BY day, kind, language, institution_id, item_id, detail "
         "ORDER BY COALESCE(item_id, 0), kind", [day, *PLAIN]),
        (head + f"'read', language, COALESCE(institution_id, 0), item_id, 0, '', COUNT(*) "
         f"{w}IN (%s, %s) AND item_id IS NOT NULL GROUP BY day, language, institution_id, item_id ORDER BY item_id",
         [day, *READING[:2]]),
        (head + f"kind, language, 0, 0, 0, CAST(COALESCE(target_id, 0) AS {text}) || ':' || "
         f"CAST(COALESCE(page, 0) AS {text}), COUNT(*) {w}= 'story_step' "
         "GROUP BY day, kind, language, target_id, page", [day]),
        (head + f"kind, language, 0, 0, 0, CAST(COALESCE(target_id, 0) AS {text}), COUNT(*) {w}= 'story_done' "
         "GROUP BY day, kind, language, target_id", [day]),
        (head + f"'work_view', language, 0, 0, target_id, '', COUNT(*) {w}= 'work_view' AND target_id IS NOT NULL "
         "GROUP BY day, language, target_id", [day]),
        (f"INSERT INTO {dc} ({cols}) SELECT e.day, 'work_read', e.language, 0, 0, iw.work_id, '', COUNT(*) "  # noqa: S608
         f"FROM {ev} e JOIN {iw} iw ON iw.item_id = e.item_id WHERE e.day = %s AND e.kind = 'read_open' "
         "GROUP BY e.day, e.language, iw.work_id", [day]),
    ]


def _visit_statements(day: date) -> list[tuple[str, list[Any]]]:
    """Visits per language and per region."""
    t = _tables()
    ev, dc, cols = t["ev"], t["dc"], t["cols"]
    people = f"FROM {ev} WHERE day = %s AND visit <> '' AND kind NOT IN ({_marks(len(MACHINE))})"
    return [
        (f"INSERT INTO {dc} ({cols}) SELECT day, 'visits', language, 0, 0, 0, '', COUNT(DISTINCT visit) "
         f"{people} GROUP BY day, language", [day, *MACHINE]),
        (f"INSERT INTO {dc} ({cols}) SELECT day, 'visits_region', '', 0, 0, 0, region, COUNT(DISTINCT visit) "
         f"{people} GROUP BY day, region", [day, *MACHINE]),
    ]


def _few_rows(day: date, with_visits: bool) -> list[DailyCount]:
    """Searches and searches with results shown per language, and (from the visit hashes) visits with a
    search and those that read after it: a few rows, each pair counted in one pass."""
    t = _tables()
    ev = t["ev"]
    rows: list[DailyCount] = []
    queries: list[tuple[str, list[Any], tuple[str, str]]] = []
    queries.append((f"SELECT language, COUNT(*), SUM(CASE WHEN results > 0 THEN 1 ELSE 0 END) "  # noqa: S608
                    f"FROM {ev} WHERE day = %s AND kind = 'search' GROUP BY language", [day],
                    ("search", "search_shown")))
    if with_visits:
        per_visit = (f"SELECT visit, language, MIN(CASE WHEN kind = 'search' THEN id END) AS first_search, "  # noqa: S608
                     f"MAX(CASE WHEN kind IN ({_marks(len(READING))}) THEN id END) AS last_read "
                     f"FROM {ev} WHERE day = %s AND visit <> '' AND kind IN ('search', {_marks(len(READING))}) "
                     "GROUP BY visit, language")
        queries.append((f"SELECT language, COUNT(*), SUM(CASE WHEN last_read > first_search THEN 1 ELSE 0 END) "  # noqa: S608
                        f"FROM ({per_visit}) pv WHERE first_search IS NOT NULL GROUP BY language",
                        [*READING, day, *READING], ("search_visits", "search_reads")))
    with connection.cursor() as cursor:
        for sql, params, metrics in queries:
            cursor.execute(sql, params)
            for language, first, second in cursor.fetchall():
                for metric, n in zip(metrics, (first, second), strict=True):
                    if n:
                        rows.append(DailyCount(day=day, metric=metric, language=language or "", count=int(n)))
    return rows


def _summary_statements(day: date) -> list[tuple[str, list[Any]]]:
    """The day's :class:`DailyTotal` and :class:`DailyTop` rows, from its :class:`DailyCount` rows."""
    t = _tables()
    dc, dt, top, cols = t["dc"], t["dt"], t["top"], t["cols"]
    n = TOP_PER_DAY
    keyed = ", ".join(f"'{m}'" for m in KEYED)  # constants of this module
    items = _marks(len(TOP_ITEM_METRICS))
    ranked = ("SELECT day, metric, language, {inst} AS inst, item_id, work_id, key, count, ROW_NUMBER() OVER "  # noqa: S608
              "(PARTITION BY metric, language{part} ORDER BY count DESC, item_id, key) AS rn "
              f"FROM {dc} WHERE day = %s AND {{cond}}")
    pick = (f"INSERT INTO {top} ({cols}) SELECT day, metric, language, inst, item_id, work_id, key, count "  # noqa: S608
            "FROM ({q}) r WHERE rn <= %s")
    return [
        (f"INSERT INTO {dt} (day, metric, language, institution_id, key, count) "  # noqa: S608
         "SELECT day, metric, language, institution_id, k, SUM(count) FROM ("
         f"SELECT day, metric, language, institution_id, CASE WHEN metric IN ({keyed}) THEN key ELSE '' END AS k, "
         f"count FROM {dc} WHERE day = %s) s GROUP BY day, metric, language, institution_id, k", [day]),
        (pick.format(q=ranked.format(inst="0", part="", cond=f"metric IN ({items}) AND item_id > 0")),
         [day, *TOP_ITEM_METRICS, n]),
        (pick.format(q=ranked.format(inst="institution_id", part=", institution_id",
                                     cond=f"metric IN ({items}) AND item_id > 0 AND institution_id > 0")),
         [day, *TOP_ITEM_METRICS, n]),
        (pick.format(q=ranked.format(inst="0", part="", cond="metric = 'zero'")), [day, 2 * n]),
        (f"INSERT INTO {top} ({cols}) SELECT day, 'works', language, 0, 0, work_id, '', total FROM ("  # noqa: S608
         "SELECT day, language, work_id, SUM(count) AS total, ROW_NUMBER() OVER "
         "(PARTITION BY language ORDER BY SUM(count) DESC, work_id) AS rn "
         f"FROM {dc} WHERE day = %s AND metric IN ('work_read', 'work_view') AND work_id > 0 "
         "GROUP BY day, language, work_id) r WHERE rn <= %s", [day, n]),
    ]


def _month_statements(day: date) -> list[tuple[str, list[Any]]]:
    """The :class:`MonthlyTotal` and :class:`MonthlyTop` rows of ``day``'s month, from its days' rows."""
    t = _tables()
    dt, top, mt, mtop = t["dt"], t["top"], t["mt"], t["mtop"]
    month = day.replace(day=1)
    span = [month, _month_end(month)]
    cols = "month, metric, language, institution_id, item_id, work_id, key, count"
    return [
        (f"DELETE FROM {mt} WHERE month = %s", [month]),  # noqa: S608
        (f"INSERT INTO {mt} (month, metric, language, institution_id, key, count) "  # noqa: S608
         f"SELECT %s, metric, language, institution_id, key, SUM(count) FROM {dt} WHERE day >= %s AND day <= %s "
         "GROUP BY metric, language, institution_id, key", [month, *span]),
        (f"DELETE FROM {mtop} WHERE month = %s", [month]),  # noqa: S608
        (f"INSERT INTO {mtop} ({cols}) SELECT %s, metric, language, institution_id, item_id, work_id, key, n "  # noqa: S608
         "FROM (SELECT metric, language, institution_id, item_id, work_id, key, SUM(count) AS n, ROW_NUMBER() OVER "
         "(PARTITION BY metric, language, institution_id ORDER BY SUM(count) DESC, item_id, work_id, key) AS rn "
         f"FROM {top} WHERE day >= %s AND day <= %s GROUP BY metric, language, institution_id, item_id, work_id, key"
         ") r WHERE rn <= %s", [month, *span, TOP_PER_MONTH]),
    ]


def _month_end(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def _execute(statements: list[tuple[str, list[Any]]]) -> int:
    written = 0
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            written += max(cursor.rowcount, 0)
    return written


def rollup_day(day: date) -> int:
    """Recompute the rollups of ``day``; returns how many :class:`DailyCount` rows were written."""
    events = Event.objects.filter(day=day)
    with_visits = events.exclude(visit="").exists()
    if connection.vendor == "sqlite":
        # the default page cache (2 MB) makes every index insert of a large day a disk read
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")
    with transaction.atomic():
        old = DailyCount.objects.filter(day=day)
        if not with_visits:
            old = old.exclude(metric__in=VISIT_METRICS)
        old._raw_delete(old.db)
        for model in (DailyTotal, DailyTop):
            stale = model.objects.filter(day=day)
            stale._raw_delete(stale.db)
        written = _execute(_count_statements(day))
        if with_visits:
            written += _execute(_visit_statements(day))
        few = _few_rows(day, with_visits)
        DailyCount.objects.bulk_create(few)
        written += len(few)
        _execute(_summary_statements(day))
        _execute(_month_statements(day))
        if with_visits and day < timezone.localdate():
            # the day is over: its visits are counted, the hashes have no further use
            with connection.cursor() as cursor:
                cursor.execute(f"UPDATE {_tables()['ev']} SET visit = '' WHERE day = %s AND visit <> ''",  # noqa: S608
                               [day])
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


GENERATION_KEY = "mogao:audience:generation"


def generation() -> int:
    """A number that changes whenever rollups are written (the dashboard's cache key)."""
    from django.core.cache import cache

    return int(cache.get_or_set(GENERATION_KEY, 1, timeout=None) or 1)


def _bump_generation() -> None:
    from django.core.cache import cache

    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


def run(days: list[date] | None = None, *, delete: bool = True) -> dict[str, Any]:
    """Flush this process's buffer, roll up ``days`` (default :func:`days_to_roll`), then purge."""
    from mogao.audience import recorder

    recorder.flush()
    chosen = days if days is not None else days_to_roll()
    rows = sum(rollup_day(d) for d in chosen)
    deleted = purge() if delete else 0
    _bump_generation()
    return {"days": [d.isoformat() for d in chosen], "rows": rows, "deleted": deleted}
