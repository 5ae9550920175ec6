"""Benchmark: records/s importing generated CSV rows (create run, then an all-unchanged re-run).

The named peer, measured in the same process: ``Item.objects.bulk_create`` of the same rows parsed
with ``csv.reader`` into Item objects (pids given, no validation, no history, no work links, no
signals, one transaction) — the floor of what Django itself costs to store these records.

Usage: .venv/bin/python bench/ingest/bench_csv.py [ROWS] [BATCH] [--json]   (default 100000 rows, batch 500)
``bench/ingest/run.py`` runs it (and the image-folder bench) and writes ``RESULTS.md``.
Runs in a fresh temporary MOGAO_HOME (SQLite, WAL) with the database task backend (side effects such
as search indexing are queued for the worker, as in production) and memory search.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

HOME = tempfile.mkdtemp(prefix="mogao-bench-ingest-")
os.environ.update(MOGAO_HOME=HOME, MOGAO_TASKS_URL=os.environ.get("BENCH_TASKS_URL", "database://"), MOGAO_SEARCH_URL="memory://",
                  DJANGO_SETTINGS_MODULE="mogao.site.settings")


def main() -> None:
    argv = [a for a in sys.argv[1:] if a != "--json"]
    rows = int(argv[0]) if argv else 100_000
    batch = int(argv[1]) if len(argv) > 1 else 500
    runs: dict[str, dict[str, float | int | str]] = {}
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from mogao.catalogue.services import institution_upsert, work_upsert
    from mogao.ingest.services import ingest_execute

    institution_upsert(code="BENCH", name={"en": ["Bench library"]})
    work_upsert(key=("taisho", "T0235"), title={"en": ["Diamond Sutra"]}, identifiers={"taisho": "T0235"})
    path = Path(HOME) / "bench.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("identifier,institution,collection,shelfmark,title@zh-Hant,title@en,languages,date,type,works\n")
        for i in range(rows):
            fh.write(f"B{i:07d},BENCH,c{i % 10},S.{i},金剛經 第{i}號,Diamond Sutra copy {i},lzh,"
                     f"{600 + i % 400},scroll,taisho:T0235\n")
    for label in ("first import (all created)", "second import (all unchanged)"):
        started, cpu = time.perf_counter(), time.process_time()
        run = ingest_execute(kind="csv", location=str(path), batch_size=batch)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        runs[label] = {"rows": rows, "wall_s": round(elapsed, 2), "cpu_s": round(cpu, 2),
                       "per_s": round(rows / elapsed), "per_cpu_s": round(rows / cpu), "counts": str(run.counts())}
        print(f"{label}: {rows:,} rows in {elapsed:.1f} s wall = {rows / elapsed:,.0f} records/s "
              f"({cpu:.1f} s CPU = {rows / cpu:,.0f} records per CPU-second); {run.counts()}", file=sys.stderr)
    runs["peer: Item.objects.bulk_create"] = peer(path, rows)
    if "--json" in sys.argv:
        print(json.dumps({"rows": rows, "batch": batch, "runs": runs}))


def peer(path: Path, rows: int) -> dict[str, float | int | str]:
    """The peer: plain Item.objects.bulk_create of the same rows (see the module docstring)."""
    import csv

    from django.db import transaction

    from mogao.catalogue.models import Item
    from mogao.catalogue.services import institution_upsert

    other, _ = institution_upsert(code="PEER", name={"en": ["Peer library"]})
    started, cpu = time.perf_counter(), time.process_time()
    with path.open(encoding="utf-8", newline="") as fh, transaction.atomic():
        reader = csv.reader(fh)
        next(reader)
        objs = [
            Item(institution=other, pid=f"peer-{r[0].lower()}", local_id=r[0], shelfmark=r[3],
                 title={"zh-Hant": [r[4]], "en": [r[5]]}, languages=[r[6]], date_expression=r[7],
                 year_start=int(r[7]), year_end=int(r[7]), item_type=r[8])
            for r in reader
        ]
        Item.objects.bulk_create(objs, batch_size=500)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"peer Item.objects.bulk_create: {rows:,} rows in {elapsed:.1f} s wall = {rows / elapsed:,.0f} records/s "
          f"({cpu:.1f} s CPU = {rows / cpu:,.0f} records per CPU-second)", file=sys.stderr)
    return {"rows": rows, "wall_s": round(elapsed, 2), "cpu_s": round(cpu, 2), "per_s": round(rows / elapsed),
            "per_cpu_s": round(rows / cpu)}


if __name__ == "__main__":
    main()
