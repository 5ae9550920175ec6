"""Server time of the story reader (#16) against the item page, the named peer, in the same run.

Each page is requested through Django's full stack in process (middleware, view, template; no
network), so the figures are server time: the two demo stories' reader pages, a 50-step story's
page, the embed, and the player's JSON document (cached per story version; the first request of a
run builds it). The peer is the item page of Or.8210/P.2, whose own target is the same p95 ≤ 50 ms;
a trivial view through the same middleware gives the framework floor.

    python bench/stories/run.py [--quick] [--requests 300]

Writes bench/stories/RESULTS.md and results.json (``--quick``: 30 requests per page, written to
RESULTS-quick.md and results-quick.json). How many images a 50-step story loads in a browser is
asserted by tests/e2e/test_story_reader.py (the first step's image only, then one per step reached).
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

TARGET_MS = 50.0


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def fifty_step_story() -> str:
    """A published story of 50 image steps over the demo's pages; returns its address."""
    from mogao.catalogue.models import Canvas, Item
    from mogao.stories.models import Step, StepKind, Story, StoryStatus

    item = Item.objects.get(shelfmark="Or.8210/P.2")
    canvases = list(Canvas.objects.filter(item=item).order_by("order"))
    story = Story.objects.create(slug="bench-fifty", institution=item.institution, status=StoryStatus.PUBLISHED,
                                 title={"en": ["Fifty steps"]})
    Step.objects.bulk_create([
        Step(story=story, position=n, kind=StepKind.IMAGE, canvas=canvases[n % len(canvases)],
             region=f"{n % 100},{n * 10 % 600},200,300",
             text={"en": [f"<p>Step {n}: a region of the page, with a sentence or two of narrative.</p>"]})
        for n in range(1, 51)
    ])
    return story.get_absolute_url()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=0, help="per page (default 300; 30 with --quick)")
    parser.add_argument("--quick", action="store_true", help="30 requests per page")
    args = parser.parse_args()
    args.requests = args.requests or (30 if args.quick else 300)
    started_at, info = common.now(), common.machine()

    os.environ["MOGAO_HOME"] = tempfile.mkdtemp(prefix="mogao-bench-stories-")
    os.environ.setdefault("MOGAO_TASKS_URL", "immediate://")
    os.environ["DJANGO_SETTINGS_MODULE"] = "mogao.site.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client, override_settings

    from mogao.catalogue.models import Item
    from mogao.demo.loader import demo_load
    from mogao.stories.models import Story

    call_command("migrate", interactive=False, verbosity=0)
    demo_load(echo=lambda _: None)
    item = Item.objects.get(shelfmark="Or.8210/P.2")
    stories = list(Story.objects.filter(status="published").order_by("position"))
    if not stories:
        print("no demo story was loaded: nothing to measure", file=sys.stderr)
        return 77
    fifty = fifty_step_story()
    first = stories[0]
    pages = {
        "floor: trivial view": "/__floor__",
        "peer: item page (Or.8210/P.2)": item.get_absolute_url(),
        **{f"story page: {s.slug} ({s.steps.count()} steps)": s.get_absolute_url() for s in stories},
        "story page: 50 steps": fifty,
        f"embed: {first.slug}": f"/stories/{first.slug}/embed/",
        f"player JSON: {first.slug}": f"/stories/{first.slug}/data.json",
        "player JSON: 50 steps": f"{fifty}data.json",
    }
    results: dict[str, dict[str, float]] = {}
    with override_settings(ROOT_URLCONF="bench.pages.urls", DEBUG=False):
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        for name, url in pages.items():
            t0 = time.perf_counter()
            assert client.get(url).status_code == 200, url
            first_ms = (time.perf_counter() - t0) * 1000
            for _ in range(20):  # warm caches, templates and connections
                assert client.get(url).status_code == 200, url
            times = []
            for _ in range(args.requests):
                t0 = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - t0) * 1000)
                assert response.status_code == 200
            results[name] = {
                "first_ms": round(first_ms, 2),
                "p50_ms": round(statistics.median(times), 2),
                "p95_ms": round(percentile(times, 95), 2),
                "p99_ms": round(percentile(times, 99), 2),
            }
    peer = results["peer: item page (Or.8210/P.2)"]
    for row in results.values():
        row["x_peer_p95"] = common.ratio(row["p95_ms"], peer["p95_ms"]) or 0.0
    story_rows = {k: v for k, v in results.items() if k.startswith("story page")}
    worst = max(row["p95_ms"] for row in story_rows.values())
    met = worst <= TARGET_MS

    meta = {
        "date": started_at, "machine": info, "quick": args.quick, "database": "SQLite (WAL)",
        "data": "built-in demo", "stories": [s.slug for s in stories], "requests_per_page": args.requests,
    }
    lines = [
        *common.header("bench/stories — server time of the story reader", quick=args.quick, started=started_at,
                       info=info),
        f"{meta['database']}; the built-in demo with its two stories and a 50-step story. {args.requests} requests "
        "per page through Django's full stack in process (no network), after 20 warm-up requests; "
        "\"first\" is the very first request of the run (cold template and document caches).",
        "Peer: the item page of Or.8210/P.2 in the same run (its target is also p95 ≤ 50 ms); floor: a "
        "trivial view through the same middleware.",
        "",
        "| page | first ms | p50 ms | p95 ms | p99 ms | × peer (p95) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, row in results.items():
        lines.append(f"| {name} | {row['first_ms']} | {row['p50_ms']} | {row['p95_ms']} | {row['p99_ms']} | "
                     f"{row['x_peer_p95']} |")
    lines += [
        "",
        f"Target: a story page's p95 ≤ {TARGET_MS:g} ms — worst story page measured {worst} ms: "
        f"{'met' if met else 'NOT met'}.",
        "The player's JSON is a separate request made by the page's script after it is shown; the images of "
        "a 50-step story are counted in the browser by tests/e2e/test_story_reader.py (one image until the "
        "reader moves on).",
        "",
    ]
    report = common.write(HERE, quick=args.quick, markdown=lines, data={"meta": meta, "results": results})
    print(report.read_text(encoding="utf-8"))
    return 0 if met or args.quick else 1


if __name__ == "__main__":
    raise SystemExit(main())
