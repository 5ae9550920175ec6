"""Ingest benchmarks, one command: CSV records/s against a bare ``bulk_create`` peer, then image folders.

    python bench/ingest/run.py [--quick] [--rows N] [--pages N] [--ocr-pages N]

Runs ``bench_csv.py`` (100,000 rows; 2,000 with ``--quick``) and ``bench_images.py`` (10 pages without
OCR and 3 with rapidocr; 2 and none with ``--quick``), each in its own process with a fresh temporary
MOGAO_HOME, and writes ``RESULTS.md`` / ``results.json`` (``-quick`` with ``--quick``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1]), str(HERE.parents[1] / "src")]

from bench import common  # noqa: E402

TARGET_PER_S = 2000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2,000 CSV rows, 2 image pages, no OCR")
    parser.add_argument("--rows", type=int, default=0)
    parser.add_argument("--pages", type=int, default=-1)
    parser.add_argument("--ocr-pages", type=int, default=-1)
    args = parser.parse_args()
    rows = args.rows or (2000 if args.quick else 100_000)
    pages = args.pages if args.pages >= 0 else (2 if args.quick else 10)
    ocr_pages = args.ocr_pages if args.ocr_pages >= 0 else (0 if args.quick else 3)
    if not list((common.SHARED / "images").glob("siku_jianming_mulu_book1_p*.png")):
        pages = ocr_pages = 0  # the image bench reads the real scans of the shared data
    started, info = common.now(), common.machine()
    csv = common.run_json(HERE, "bench_csv.py", str(rows), "500")
    images = common.run_json(HERE, "bench_images.py", str(pages), str(ocr_pages)) if pages or ocr_pages else None

    peer = csv["runs"]["peer: Item.objects.bulk_create"]
    first = csv["runs"]["first import (all created)"]
    lines = common.header("Ingest benchmarks", quick=args.quick, started=started, info=info)
    lines += [
        f"## CSV: {rows:,} generated rows",
        "",
        "Fresh SQLite (WAL) home, database task backend (search indexing queued for the worker, as in "
        "production), rows with two titles, a collection, a shelfmark, a language, a date and a work link; "
        "batches of 500 records per transaction. **Peer**, in the same process and run: "
        "`Item.objects.bulk_create` of the same rows parsed with `csv.reader` (no validation, no history, no "
        "work links, no signals) — the floor of what Django itself costs to store these records. CPU-seconds "
        "(`time.process_time`, SQLite included) are the load-independent measure on a shared machine.",
        "",
        "| run | wall | records/s (wall) | CPU | records per CPU-second | × peer (per CPU-second) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, r in csv["runs"].items():
        lines.append(f"| {label} | {r['wall_s']} s | {r['per_s']:,} | {r['cpu_s']} s | {r['per_cpu_s']:,} | "
                     f"{common.ratio(r['per_cpu_s'], peer['per_cpu_s'])} |")
    met = first["per_cpu_s"] >= TARGET_PER_S
    lines += ["", f"Target >= {TARGET_PER_S:,} records/s for a first import: {first['per_cpu_s']:,} per CPU-second, "
              f"{first['per_s']:,}/s wall — {'met' if met else 'NOT met'} per CPU-second.", ""]
    if images:
        lines += [
            "## Image folders",
            "",
            "Real scans of 《欽定四庫全書簡明目錄》 (≈1160 × 1550 px PNG) from the shared data, immediate task "
            "backend so the pyramid (and OCR) tasks run inside the timing.",
            "",
            "| run | pages | wall | pages/minute (wall) | pages per CPU-minute |",
            "|---|---:|---:|---:|---:|",
        ]
        for label, r in images["runs"].items():
            lines.append(f"| {label} | {r['pages']} | {r['wall_s']} s | {r['per_minute']} | {r['per_cpu_minute']} |")
        if not ocr_pages:
            lines += ["", "OCR pages were not run in this mode (`--ocr-pages N` adds them)."]
    else:
        lines += ["## Image folders", "", "Not run: the shared data's scans were not found."]
    report = common.write(HERE, quick=args.quick, markdown=lines,
                          data={"date": started, "machine": info, "quick": args.quick, "csv": csv, "images": images})
    print(report.read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
