"""Server time of the reader pages (home, browse, item, work) on the demo plus the real data set.

Each page is requested through Django's full stack in process (middleware, view, template; no
network), so the figures are server time. The named peer is a trivial Django view that returns
"ok" through the same middleware: the ratio says how much the page itself costs above the floor.

    python bench/pages/run.py [--quick] [--data ../shared/data] [--requests 300]

Writes bench/pages/RESULTS.md and results.json (``--quick``: the built-in demo only, 30 requests per
page, written to RESULTS-quick.md and results-quick.json).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1]), str(HERE.parents[1] / "src")]

from bench import common  # noqa: E402


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=common.SHARED)
    parser.add_argument("--requests", type=int, default=0, help="per page (default 300; 30 with --quick)")
    parser.add_argument("--quick", action="store_true", help="the built-in demo only, 30 requests per page")
    parser.add_argument("--home", type=Path, default=None, help="MOGAO_HOME to reuse (default: a temp dir)")
    args = parser.parse_args()
    args.requests = args.requests or (30 if args.quick else 300)
    started_at, info = common.now(), common.machine()

    os.environ["MOGAO_HOME"] = str(args.home or tempfile.mkdtemp(prefix="mogao-bench-pages-"))
    os.environ.setdefault("MOGAO_TASKS_URL", "immediate://")
    os.environ["DJANGO_SETTINGS_MODULE"] = "mogao.site.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client, override_settings

    from mogao.catalogue.models import Item, Work
    from mogao.demo.loader import demo_load

    call_command("migrate", interactive=False, verbosity=0)
    data = args.data if args.data.is_dir() and not args.quick else None
    started = time.perf_counter()
    summary = demo_load(data=data, echo=lambda _: None)
    load_seconds = time.perf_counter() - started

    item = Item.objects.get(shelfmark="Or.8210/P.2")
    work = Work.objects.get(pid="t0235-diamond-sutra")
    pages = {
        "peer: trivial view": "/__floor__",
        "home": "/",
        "browse": "/browse/",
        "browse, filtered, page 2": "/browse/?status=catalogued&page=2",
        "item (Or.8210/P.2)": item.get_absolute_url(),
        "work (Diamond Sūtra)": work.get_absolute_url(),
    }
    results: dict[str, dict[str, float]] = {}
    with override_settings(ROOT_URLCONF="bench.pages.urls", DEBUG=False):
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        for name, url in pages.items():
            for _ in range(20):  # warm caches, templates and connections
                assert client.get(url).status_code == 200, url
            times = []
            for _ in range(args.requests):
                t0 = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - t0) * 1000)
                assert response.status_code == 200
            results[name] = {
                "p50_ms": round(statistics.median(times), 2),
                "p95_ms": round(percentile(times, 95), 2),
                "p99_ms": round(percentile(times, 99), 2),
            }
    floor = results["peer: trivial view"]["p50_ms"]
    for row in results.values():
        row["x_peer_p50"] = round(row["p50_ms"] / floor, 1) if floor else 0.0

    meta = {
        "date": started_at,
        "machine": info,
        "quick": args.quick,
        "database": "SQLite (WAL)",
        "data": str(data) if data else "built-in demo only",
        "records": {"items": Item.objects.count(), "works": Work.objects.count()},
        "load_seconds": round(load_seconds, 1),
        "loaded": summary,
        "requests_per_page": args.requests,
    }
    lines = [
        *common.header("bench/pages — server time of reader pages", quick=args.quick, started=started_at, info=info),
        f"{meta['database']}; data: {meta['data']} "
        f"({meta['records']['items']} items, {meta['records']['works']} works). "
        f"{args.requests} requests per page through Django's full stack in process (no network).",
        "Peer: a trivial Django view returning \"ok\" through the same middleware (the framework floor).",
        "",
        "| page | p50 ms | p95 ms | p99 ms | × peer (p50) |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, row in results.items():
        lines.append(f"| {name} | {row['p50_ms']} | {row['p95_ms']} | {row['p99_ms']} | {row['x_peer_p50']} |")
    target = results["item (Or.8210/P.2)"]["p95_ms"]
    lines += ["", f"Target: item page p95 ≤ 50 ms — measured {target} ms: {'met' if target <= 50 else 'NOT met'}.", ""]
    report = common.write(HERE, quick=args.quick, markdown=lines, data={"meta": meta, "results": results})
    print(report.read_text(encoding="utf-8"))
    return 0 if target <= 50 or args.quick else 1


if __name__ == "__main__":
    raise SystemExit(main())
