"""Benchmark: records/s importing generated CSV rows (create run, then an all-unchanged re-run).

Usage: .venv/bin/python bench/ingest/bench_csv.py [ROWS] [BATCH]   (default 100000 rows, batch 500)
Runs in a fresh temporary MOGAO_HOME (SQLite, WAL) with the database task backend (side effects such
as search indexing are queued for the worker, as in production) and memory search.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

HOME = tempfile.mkdtemp(prefix="mogao-bench-ingest-")
os.environ.update(MOGAO_HOME=HOME, MOGAO_TASKS_URL=os.environ.get("BENCH_TASKS_URL", "database://"), MOGAO_SEARCH_URL="memory://",
                  DJANGO_SETTINGS_MODULE="mogao.site.settings")


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    batch = int(sys.argv[2]) if len(sys.argv) > 2 else 500
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
        print(f"{label}: {rows:,} rows in {elapsed:.1f} s wall = {rows / elapsed:,.0f} records/s "
              f"({cpu:.1f} s CPU = {rows / cpu:,.0f} records per CPU-second); {run.counts()}")


if __name__ == "__main__":
    main()
