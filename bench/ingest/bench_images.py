"""Benchmark: pages/minute for image-folder ingest, without OCR and with rapidocr OCR.

Usage: .venv/bin/python bench/ingest/bench_images.py [PAGES_NO_OCR] [PAGES_OCR] [--json]   (default 10 and 3)
Pages are the real scans in ../shared/data/images (read in place through symlinks, never copied
into the repository). "Without OCR" counts registering the master and building its pyramid (the
immediate task backend runs the pyramid task at commit); "with OCR" adds rapidocr on each page.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

HOME = tempfile.mkdtemp(prefix="mogao-bench-images-")
os.environ.update(MOGAO_HOME=HOME, MOGAO_TASKS_URL="immediate://", MOGAO_SEARCH_URL="memory://",
                  DJANGO_SETTINGS_MODULE="mogao.site.settings")
REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("MOGAO_SHARED_DATA", REPO.parent / "shared" / "data"))


def _folder(name: str, pages: list[Path]) -> Path:
    folder = Path(HOME) / name / f"book-{name}"
    folder.mkdir(parents=True)
    for i, page in enumerate(pages, start=1):
        (folder / f"p{i:03d}{page.suffix}").symlink_to(page)
    return folder.parent


def main() -> None:
    argv = [a for a in sys.argv[1:] if a != "--json"]
    n_plain = int(argv[0]) if argv else 10
    n_ocr = int(argv[1]) if len(argv) > 1 else 3
    runs: dict[str, dict[str, float | int]] = {}
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from mogao.ingest.services import ingest_execute, institution_ensure

    institution_ensure(code="BENCH", name="Bench library")
    pages = sorted((SHARED / "images").glob("siku_jianming_mulu_book1_p*.png"))
    if n_ocr:  # load the ONNX models before timing, as a running worker would have them
        from mogao.ocr.backends import get_backend

        get_backend("rapidocr")._get()  # type: ignore[attr-defined]
    for label, count, ocr in (("without OCR", n_plain, False), ("with rapidocr OCR", n_ocr, True)):
        if not count:
            continue
        folder = _folder(label.replace(" ", "-"), pages[:count])
        started, cpu = time.perf_counter(), time.process_time()
        run = ingest_execute(kind="images", location=str(folder), institution_code="BENCH",
                             options={"ocr": ocr, "ocr_backend": "rapidocr"})
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        assert run.failed_count == 0, run.message
        runs[label] = {"pages": count, "wall_s": round(elapsed, 2), "cpu_s": round(cpu, 2),
                       "per_minute": round(count * 60 / elapsed, 1), "per_cpu_minute": round(count * 60 / cpu, 1)}
        print(f"{label}: {count} pages in {elapsed:.1f} s wall = {count * 60 / elapsed:.1f} pages/minute "
              f"({cpu:.1f} s CPU = {count * 60 / cpu:.1f} pages per CPU-minute)", file=sys.stderr)
    if "--json" in sys.argv:
        print(json.dumps({"source": "siku_jianming_mulu_book1 scans", "runs": runs}))


if __name__ == "__main__":
    main()
