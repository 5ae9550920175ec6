"""Audience events (#18): what recording costs the item page, rolling up raw events, dashboard queries.

1. The item page is requested through Django's full stack in process, recording on and off
   alternately in the same run (the background flush thread running); the p95 difference is the
   cost of recording. :func:`record` alone is timed too.
2. ``--events`` synthetic raw events of one day (search, click, item, reading room, pages, gloss,
   reactions, downloads, API; 100,000 items, 4 languages) are rolled up once (`rollup.run`).
3. A year of synthetic rollups for ``--items`` items is queried as the dashboard does (30 days,
   365 days, one institution), plus the open statistics and ``demand_for_items`` of 1,000 items.

    python bench/audience/run.py [--quick] [--database postgres://…]

Writes bench/audience/RESULTS.md (``--database postgres://…``: RESULTS-postgres.md; ``--quick``:
-quick, small sizes).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1]), str(HERE.parents[1] / "src")]

from bench import common  # noqa: E402

LANGS = ("en", "fr", "zh-hans", "zh-hant")
LANG_WEIGHTS = (40, 15, 30, 15)
KINDS = ("search", "click", "item_view", "read_open", "page_view", "reaction", "gloss", "api", "download", "zoom",
         "comment", "save", "story_step", "story_done", "request")
KIND_WEIGHTS = (25, 10, 25, 15, 15, 2, 3, 3, 2, 6, 0.5, 0.5, 3, 0.3, 0.2)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def timed(fn: Any, repeat: int) -> dict[str, float]:
    """Wall clock and the calling thread's CPU time (on SQLite the database works in this thread too)."""
    fn()  # warm
    times, cpu = [], []
    for _ in range(repeat):
        c0, t0 = time.thread_time(), time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.thread_time() - c0) * 1000)
    return {"p50_ms": round(statistics.median(times), 2), "p95_ms": round(percentile(times, 95), 2),
            "cpu_p50_ms": round(statistics.median(cpu), 2), "cpu_p95_ms": round(percentile(cpu, 95), 2)}


def load() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


ROUNDS = 5


def overhead(requests: int) -> dict[str, Any]:
    """Recording on and off alternately, request by request, on the item page an anonymous reader gets
    (since #19 the per-process page cache serves it; the view is still recorded on every request)."""
    from django.conf import settings
    from django.test import Client

    from mogao import audience
    from mogao.audience import recorder
    from mogao.catalogue.models import Item

    url = Item.objects.get(shelfmark="Or.8210/P.2").get_absolute_url()
    client = Client(HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9", HTTP_USER_AGENT="Mozilla/5.0 bench")
    for _ in range(20):
        assert client.get(url).status_code == 200
    recorder.flush()
    from mogao.audience.models import Event

    before = Event.objects.filter(kind="item_view").count()
    on: list[float] = []
    off: list[float] = []
    cpu_on: list[float] = []
    cpu_off: list[float] = []
    for i in range(2 * requests):
        settings.AUDIENCE_ENABLED = i % 2 == 0
        c0, t0 = time.thread_time(), time.perf_counter()
        assert client.get(url).status_code == 200
        wall, cpu = (time.perf_counter() - t0) * 1000, (time.thread_time() - c0) * 1000
        (on if i % 2 == 0 else off).append(wall)
        (cpu_on if i % 2 == 0 else cpu_off).append(cpu)
    settings.AUDIENCE_ENABLED = True
    # the tail of one pooled sample moves with whatever else the machine runs: the criterion is the
    # median over ROUNDS consecutive slices of the run of each slice's p95 difference
    size = max(1, requests // ROUNDS)
    rounds = [percentile(on[k:k + size], 95) - percentile(off[k:k + size], 95) for k in range(0, requests, size)]
    recorder.flush()
    recorded = Event.objects.filter(kind="item_view").count() - before
    n = 20_000
    t0 = time.perf_counter()
    for _ in range(n):
        audience.record("item_view", item_pid="bench", page=1)
    record_us = (time.perf_counter() - t0) / n * 1e6
    recorder.discard()
    return {
        "requests_each": requests,
        "on": {"p50_ms": round(statistics.median(on), 3), "p95_ms": round(percentile(on, 95), 3)},
        "off": {"p50_ms": round(statistics.median(off), 3), "p95_ms": round(percentile(off, 95), 3)},
        "p95_difference_ms": round(statistics.median(rounds), 3),
        "pooled_p95_difference_ms": round(percentile(on, 95) - percentile(off, 95), 3),
        "round_p95_differences_ms": [round(x, 3) for x in rounds],
        "p50_difference_ms": round(statistics.median(on) - statistics.median(off), 3),
        "cpu_on": {"p50_ms": round(statistics.median(cpu_on), 3), "p95_ms": round(percentile(cpu_on, 95), 3)},
        "cpu_off": {"p50_ms": round(statistics.median(cpu_off), 3), "p95_ms": round(percentile(cpu_off, 95), 3)},
        "cpu_p95_difference_ms": round(percentile(cpu_on, 95) - percentile(cpu_off, 95), 3),
        "item_views_recorded": recorded,
        "record_call_us": round(record_us, 2),
    }


def load_rows(table: str, names: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Load test rows fast: COPY on PostgreSQL, executemany on SQLite (not part of what is timed)."""
    from django.db import connection

    q = connection.ops.quote_name
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg 3
            with raw.copy(f"COPY {q(table)} ({', '.join(q(n) for n in names)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            sql = f"INSERT INTO {q(table)} ({', '.join(q(n) for n in names)}) VALUES ({', '.join(['%s'] * len(names))})"
            cursor.executemany(sql, rows)


def raw_events(n: int, items: int) -> dict[str, Any]:
    from django.utils import timezone

    from mogao.audience import rollup
    from mogao.audience.models import DailyCount, Event

    rnd = random.Random(18)
    day = timezone.localdate() - timedelta(days=1)
    queries = [f"query {i}" for i in range(5000)]
    visits = [f"{i:016x}" for i in range(max(1, n // 20))]
    t0 = time.perf_counter()
    names = ("day", "kind", "language", "visit", "region", "query", "results", "page", "detail", "item_id",
             "institution_id", "target_type", "target_id", "rank", "stage")
    batch: list[tuple[Any, ...]] = []
    for _ in range(n):
        kind = rnd.choices(KINDS, KIND_WEIGHTS)[0]
        e: dict[str, Any] = {"day": day, "kind": kind, "language": rnd.choices(LANGS, LANG_WEIGHTS)[0],
                             "visit": rnd.choice(visits), "region": rnd.choice(("", "FR", "CN", "TW", "US", "GB")),
                             "query": "", "results": None, "page": None, "detail": "", "item_id": None,
                             "institution_id": None, "target_type": "", "target_id": None, "rank": None,
                             "stage": ""}
        if kind == "search":
            e["query"], e["results"], e["page"] = rnd.choice(queries), rnd.choice((0, 0, 3, 12, 40, 200)), 1
        elif kind == "api":
            e["detail"], e["language"], e["visit"] = rnd.choice(("script", "browser", "harvester")), "", ""
        elif kind in ("story_step", "story_done"):
            e["target_type"], e["target_id"] = "story", rnd.randint(1, 40)
            e["page"] = rnd.randint(1, 12) if kind == "story_step" else None
        elif kind in ("click", "item_view", "read_open", "page_view", "reaction", "download", "zoom", "comment",
                      "save", "request"):
            e["item_id"] = rnd.randint(1, items)
            e["institution_id"] = e["item_id"] % 20 + 1
            e["target_type"], e["target_id"] = "item", e["item_id"]
            if kind == "reaction":
                e["detail"] = rnd.choice(("moved", "curious", "learned", "beautiful"))
            if kind == "request":
                e["detail"] = rnd.choice(("research", "teaching", "personal"))
            if kind == "click":
                e["rank"] = rnd.randint(1, 20)
        batch.append(tuple(e[k] for k in names))
        if len(batch) == 50_000:
            load_rows(Event._meta.db_table, names, batch)
            batch = []
    load_rows(Event._meta.db_table, names, batch)
    insert_s = time.perf_counter() - t0
    load_before = load()
    t0 = time.perf_counter()
    result = rollup.run([day], delete=True)
    seconds = time.perf_counter() - t0
    return {"events": n, "insert_seconds": round(insert_s, 1), "rollup_seconds": round(seconds, 2),
            "rollup_rows": result["rows"], "rows_in_table": DailyCount.objects.filter(day=day).count(),
            "load_average": load_before}


def year_of_rollups(items: int, per_language_per_day: int, days: int) -> int:
    """A year of daily counts, then each day's totals and top entries written by the rollup's own SQL."""
    from django.db import connection, transaction
    from django.utils import timezone

    from mogao.audience import rollup
    from mogao.audience.models import DailyCount, DailyTop, DailyTotal

    rnd = random.Random(2026)
    today = timezone.localdate()
    for model in (DailyCount, DailyTotal, DailyTop):
        model.objects.all().delete()
    names = ("day", "metric", "language", "institution_id", "item_id", "work_id", "key", "count")
    total = 0
    for d in range(days):
        day = today - timedelta(days=d)
        rows: list[tuple[Any, ...]] = []
        for lang in LANGS:
            for metric, lo, hi in (("visits", 50, 5000), ("search", 50, 5000), ("search_shown", 40, 4000),
                                   ("click", 20, 2000), ("search_visits", 20, 2000), ("search_reads", 10, 1000)):
                rows.append((day, metric, lang, 0, 0, 0, "", rnd.randint(lo, hi)))
            for metric in ("read", "read_open"):
                for item in rnd.sample(range(1, items + 1), per_language_per_day):
                    rows.append((day, metric, lang, item % 20 + 1, item, 0, "", rnd.randint(1, 30)))
            for item in rnd.sample(range(1, items + 1), max(1, per_language_per_day // 20)):
                rows.append((day, "reaction", lang, item % 20 + 1, item, 0, "moved", rnd.randint(1, 5)))
            for item in rnd.sample(range(1, items + 1), max(1, per_language_per_day // 100)):
                rows.append((day, "request", lang, item % 20 + 1, item, 0, "research", rnd.randint(1, 3)))
            for q in rnd.sample(range(20_000), max(1, per_language_per_day // 10)):
                rows.append((day, "zero", lang, 0, 0, 0, f"missing {q}", rnd.randint(1, 9)))
            for w in rnd.sample(range(1, items // 10 + 2), max(1, per_language_per_day // 5)):
                rows.append((day, "work_read", lang, 0, 0, w, "", rnd.randint(1, 9)))
            for story in range(1, 21):
                reached = rnd.randint(20, 200)
                for step in range(1, 9):
                    rows.append((day, "story_step", lang, 0, 0, 0, f"{story}:{step}", reached))
                    reached = int(reached * 0.8)
                rows.append((day, "story_done", lang, 0, 0, 0, f"{story}", reached))
        for client in ("script", "browser", "harvester"):
            rows.append((day, "api", "", 0, 0, 0, client, rnd.randint(10, 900)))
        with transaction.atomic():
            load_rows(DailyCount._meta.db_table, names, rows)
            with connection.cursor() as cursor:
                for sql, params in rollup._summary_statements(day):
                    cursor.execute(sql, params)
                if day.day == 1 or d == days - 1:  # the month is complete (the rollup does it every day)
                    for sql, params in rollup._month_statements(day):
                        cursor.execute(sql, params)
        total += len(rows)
    if connection.vendor == "postgresql":
        # what autovacuum does after bulk inserts (PostgreSQL 13+): statistics, and the visibility map
        # that lets the covering indexes answer without reading the table
        with connection.cursor() as cursor:
            for table in (DailyCount, DailyTotal, DailyTop, rollup.MonthlyTotal, rollup.MonthlyTop):
                cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(table._meta.db_table)}")
    return total


def dashboard(items: int, repeat: int) -> dict[str, dict[str, float]]:
    from mogao.audience import selectors, views

    today = selectors.Range.last(1).end
    last30 = selectors.Range.last(30)
    year = selectors.Range.last(365)
    one = selectors.Range(last30.start, today, frozenset({3}))
    ids = list(range(1, items + 1, max(1, items // 1000)))[:1000]
    return {"load average at start": load(),  # type: ignore[dict-item]
        "dashboard, 30 days, every institution": timed(lambda: views.sections(last30), repeat),
        "dashboard, 30 days, one institution": timed(lambda: views.sections(one), repeat),
        "dashboard, 365 days, every institution": timed(lambda: views.sections(year), repeat),
        "open statistics (30 days)": timed(lambda: selectors.public_statistics(30), repeat),
        "demand_for_items(1,000 ids, 365 days)": timed(lambda: selectors.demand_for_items(ids), repeat),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke run)")
    parser.add_argument("--database", default="", help="postgres://… to run on PostgreSQL (default SQLite)")
    parser.add_argument("--events", type=int, default=0, help="raw events to roll up (default 1,000,000)")
    parser.add_argument("--items", type=int, default=0, help="items in the year of rollups (default 100,000)")
    parser.add_argument("--days", type=int, default=0, help="days of rollups (default 365)")
    parser.add_argument("--dashboard-only", action="store_true",
                        help="only build the rollups and time the dashboard queries (prints, writes nothing)")
    parser.add_argument("--rollup-only", action="store_true",
                        help="only the rollup of --events (writes RESULTS-rollup[-postgres].md)")
    args = parser.parse_args()
    events = args.events or (20_000 if args.quick else 1_000_000)
    items = args.items or (5_000 if args.quick else 100_000)
    per_day = 100 if args.quick else 1_000
    days = args.days or (30 if args.quick else 365)
    requests = 100 if args.quick else 1000
    repeat = 5 if args.quick else 20
    started_at, info = common.now(), common.machine()

    home = tempfile.mkdtemp(prefix="mogao-bench-audience-")
    os.environ["MOGAO_HOME"] = home
    os.environ.setdefault("MOGAO_TASKS_URL", "immediate://")
    os.environ["MOGAO_AUDIENCE_ROLLUP_MINUTES"] = "0"
    if args.database:
        os.environ["MOGAO_DATABASE_URL"] = args.database
    os.environ["DJANGO_SETTINGS_MODULE"] = "mogao.site.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from mogao.audience.models import DailyCount, Event
    from mogao.demo.loader import demo_load

    call_command("migrate", interactive=False, verbosity=0)
    Event.objects.all().delete()
    DailyCount.objects.all().delete()
    if args.dashboard_only:
        t0 = time.perf_counter()
        rows = year_of_rollups(items, per_day, days)
        print(f"{rows:,} rows built in {time.perf_counter() - t0:.1f} s")
        for name, q in dashboard(items, repeat).items():
            print(f"{name}: p50 {q['p50_ms']} ms, p95 {q['p95_ms']} ms")
        return 0
    if not args.rollup_only:
        demo_load(data=None, echo=lambda _: None)
    database = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite (WAL)"

    if args.rollup_only:
        rolled = raw_events(events, 100_000)
        variant = "-rollup" + ("-postgres" if database == "PostgreSQL" else "")
        ok = rolled["rollup_seconds"] <= 60
        lines = [*common.header(f"bench/audience — rolling up raw events only ({database})", quick=args.quick,
                                started=started_at, info=info),
                 f"{rolled['events']:,} events of one day (inserted in {rolled['insert_seconds']} s, not counted) "
                 f"rolled up in **{rolled['rollup_seconds']} s** into {rolled['rollup_rows']:,} daily rows "
                 f"(includes blanking the day's visit hashes and the retention purge). "
                 f"Target ≤ 60 s: {'met' if ok else 'NOT met'}.", ""]
        report = common.write(HERE, quick=args.quick, markdown=lines,
                              data={"meta": {"date": started_at, "machine": info, "database": database},
                                    "rollup": rolled}, variant=variant)
        print(report.read_text(encoding="utf-8"))
        return 0
    cost = overhead(requests)
    rolled = raw_events(events, 100_000)
    t0 = time.perf_counter()
    rows = year_of_rollups(items, per_day, days)
    build_s = time.perf_counter() - t0
    queries = dashboard(items, repeat)
    dash_load = queries.pop("load average at start")

    data = {"meta": {"date": started_at, "machine": info, "quick": args.quick, "database": database},
            "overhead": cost, "rollup": rolled,
            "dashboard": {"items": items, "days": days, "rows": rows, "build_seconds": round(build_s, 1),
                          "queries": queries}}
    ok_cost = cost["p95_difference_ms"] <= 1.0
    ok_rollup = rolled["rollup_seconds"] <= 60
    ok_dash = all(q["p95_ms"] <= 200 for q in queries.values())
    lines = [
        *common.header(f"bench/audience — recording, rollups and dashboard queries ({database})",
                       quick=args.quick, started=started_at, info=info),
        "## Recording on the item page",
        "",
        f"{requests} requests of the demo's item page with recording on and as many with it off, alternately "
        "in the same run, through Django's full stack in process (background flush thread running).",
        "",
        "| recording | p50 ms | p95 ms | thread CPU p50 ms | thread CPU p95 ms |",
        "|---|---:|---:|---:|---:|",
        f"| on | {cost['on']['p50_ms']} | {cost['on']['p95_ms']} | {cost['cpu_on']['p50_ms']} | "
        f"{cost['cpu_on']['p95_ms']} |",
        f"| off | {cost['off']['p50_ms']} | {cost['off']['p95_ms']} | {cost['cpu_off']['p50_ms']} | "
        f"{cost['cpu_off']['p95_ms']} |",
        "",
        f"p95 difference (wall clock, the criterion; the median over {len(cost['round_p95_differences_ms'])} "
        f"consecutive slices of the run of each slice's p95 difference: "
        f"{', '.join(str(x) for x in cost['round_p95_differences_ms'])} ms): **{cost['p95_difference_ms']} ms** "
        f"(p95 difference of the whole run {cost['pooled_p95_difference_ms']} ms; p50 difference "
        f"{cost['p50_difference_ms']} ms); p95 difference of the request thread's CPU time (what the page itself "
        f"spends, without the other processes on the machine): {cost['cpu_p95_difference_ms']} ms; one `record()` "
        f"call: {cost['record_call_us']} µs; {cost['item_views_recorded']} item views recorded for the "
        f"{requests} requests with recording on. Target ≤ 1 ms: {'met' if ok_cost else 'NOT met'}. On a shared "
        "machine the wall-clock p95 of either side moves by several milliseconds from run to run.",
        "",
        "## Rolling up raw events",
        "",
        f"{rolled['events']:,} events of one day (inserted in {rolled['insert_seconds']} s, not counted) rolled up "
        f"in **{rolled['rollup_seconds']} s** into {rolled['rollup_rows']:,} daily rows "
        f"(includes blanking the day's visit hashes and the retention purge; load average when it started: "
        f"{rolled['load_average']}). Target ≤ 60 s: {'met' if ok_rollup else 'NOT met'}.",
        "",
        "## Dashboard queries",
        "",
        f"{rows:,} rollup rows: {days} days, {items:,} items, {per_day:,} items read per language per day "
        f"(built in {round(build_s, 1)} s). {repeat} repetitions each; load average when the queries started: "
        f"{dash_load}. Thread CPU is what this process spent (on SQLite the database's work is in it; on "
        "PostgreSQL the server's is not).",
        "",
        "| query | p50 ms | p95 ms | thread CPU p50 ms | thread CPU p95 ms |",
        "|---|---:|---:|---:|---:|",
        *[f"| {name} | {q['p50_ms']} | {q['p95_ms']} | {q['cpu_p50_ms']} | {q['cpu_p95_ms']} |"
          for name, q in queries.items()],
        "",
        f"Target p95 ≤ 200 ms: {'met' if ok_dash else 'NOT met'} "
        f"({', '.join(n for n, q in queries.items() if q['p95_ms'] > 200) or 'every query'}"
        f"{' over the target' if not ok_dash else ''}).",
        "",
    ]
    variant = "-postgres" if database == "PostgreSQL" else ""
    report = common.write(HERE, quick=args.quick, markdown=lines, data=data, variant=variant)
    print(report.read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
