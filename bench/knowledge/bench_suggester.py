"""Suggester and related-items timing on a synthetic catalogue built from real titles and poems.

Usage: ``.venv/bin/python bench/knowledge/bench_suggester.py [--items 2000] [--data ../shared/data]``

Creates a throw-away SQLite database under a temporary MOGAO_HOME: N items titled with real
Taishō titles (DILA catalogue), a third carrying one of 300 works, half with a transcription
(a poem of 全唐詩), spread over three holders and two find places. Then times
``join_candidates`` over all items and ``item_related`` for 50 items.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--data", type=Path, default=HERE.parents[2] / "shared" / "data")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    os.environ["MOGAO_HOME"] = tempfile.mkdtemp(prefix="mogao-bench-knowledge-")
    os.environ.setdefault("MOGAO_SEARCH_URL", "memory://")
    os.environ.setdefault("MOGAO_TASKS_URL", "immediate://")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mogao.site.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from mogao.catalogue.models import Canvas, Institution, Item, ItemWork, Transcription, Work
    from mogao.knowledge.models import Place
    from mogao.knowledge.reunification import join_candidates
    from mogao.knowledge.selectors import item_related

    rng = random.Random(1)
    catalogue = json.loads((args.data / "catalogue/dila_authority_catalog_T.json").read_text("utf-8"))
    titles = [w["title"] for w in catalogue.values()]
    poems = json.loads((args.data / "texts/demo/quantangshi_poet.tang.0.json").read_text("utf-8"))
    texts = ["".join(p.get("paragraphs", [])) for p in poems if p.get("paragraphs")]
    holders = [Institution.objects.create(code=c, pid=c.lower(), name={"en": [c]}) for c in ("BL", "BNF", "NLC")]
    places = [Place.objects.create(pid=p, name={"en": [p]}, latitude=40.0, longitude=94.8) for p in ("cave", "town")]
    works = Work.objects.bulk_create(
        [Work(pid=f"w{i}", title={"zh-Hant": [titles[i]]}) for i in range(min(300, args.items))]
    )
    items = Item.objects.bulk_create([
        Item(pid=f"i{i}", institution=rng.choice(holders), shelfmark=f"S.{i}",
             item_type=rng.choice(["scroll", "scroll", "booklet", "fragment"]),
             title={"zh-Hant": [rng.choice(titles)]}, find_place=rng.choice(places), languages=["lzh"],
             year_start=(y := rng.randrange(600, 1000)), year_end=y + rng.randrange(0, 50))
        for i in range(args.items)
    ])
    ItemWork.objects.bulk_create([ItemWork(item=it, work=rng.choice(works)) for it in items if rng.random() < 0.33])
    canvases = Canvas.objects.bulk_create([Canvas(item=it, order=0) for it in items if rng.random() < 0.5])
    Transcription.objects.bulk_create([Transcription(canvas=c, text=rng.choice(texts)) for c in canvases])

    t0 = time.perf_counter()
    candidates = join_candidates()
    suggest_s = time.perf_counter() - t0
    timings = []
    for item in rng.sample(items, min(50, len(items))):
        t0 = time.perf_counter()
        item_related(item=item)
        timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()
    from collections import Counter

    kinds = Counter(s.kind for c in candidates for s in c.signals)
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    result = {
        "items": args.items, "transcriptions": len(canvases), "works": len(works),
        "join_candidates_s": round(suggest_s, 2), "candidates": len(candidates),
        "signals": dict(kinds.most_common()), "item_related_samples": len(timings),
        "item_related_median_ms": round(statistics.median(timings), 1), "item_related_p95_ms": round(p95, 1),
    }
    if args.json:
        print(json.dumps(result))
        return
    print(f"{args.items} items, {len(canvases)} transcriptions, {len(works)} works")
    print(f"join_candidates: {suggest_s:.2f} s, {len(candidates)} candidates above the threshold")
    print("signals among candidates:", ", ".join(f"{k} {n}" for k, n in kinds.most_common()))
    print(f"item_related: median {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms")


if __name__ == "__main__":
    main()
