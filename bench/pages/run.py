"""Server time of the reader pages (home, browse, item, work) on the demo plus the real data set.

Each page is requested through Django's full stack in process (middleware, view, template; no
network), so the figures are server time. The named peer is a trivial Django view that returns
"ok" through the same middleware: the ratio says how much the page itself costs above the floor.

    python bench/pages/run.py [--data ../shared/data] [--requests 300]

Writes bench/pages/RESULTS.md and results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=HERE.parents[1].parent / "shared" / "data")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--home", type=Path, default=None, help="MOGAO_HOME to reuse (default: a temp dir)")
    args = parser.parse_args()

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
    data = args.data if args.data.is_dir() else None
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
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "database": "SQLite (WAL)",
        "data": str(data) if data else "built-in demo only",
        "records": {"items": Item.objects.count(), "works": Work.objects.count()},
        "load_seconds": round(load_seconds, 1),
        "loaded": summary,
        "requests_per_page": args.requests,
    }
    (HERE / "results.json").write_text(json.dumps({"meta": meta, "results": results}, indent=2, ensure_ascii=False))
    lines = [
        "# bench/pages — server time of reader pages",
        "",
        f"Run {meta['date']} on {meta['machine']}; {meta['database']}; data: {meta['data']} "
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
    (HERE / "RESULTS.md").write_text("\n".join(lines))
    print("\n".join(lines))
    return 0 if target <= 50 else 1


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parents[1]))
    raise SystemExit(main())
