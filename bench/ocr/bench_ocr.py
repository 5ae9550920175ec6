"""Benchmark: character accuracy and speed of the OCR backends on real scans with hand transcriptions.

Usage: .venv/bin/python bench/ocr/bench_ocr.py [backend ...]   (default: rapidocr tesseract)
Reads the page images from ../shared/data/images at run time (never copied) and the reference
transcriptions from tests/ocr/fixtures/. Prints a Markdown table (paste into RESULTS.md).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("MOGAO_SHARED_DATA", REPO.parent / "shared" / "data"))
FIXTURES = REPO / "tests" / "ocr" / "fixtures"


def main() -> None:
    from mogao.ocr.accuracy import char_accuracy, comparable
    from mogao.ocr.backends import get_backend
    from mogao.ocr.layout import layout_text
    from mogao.ocr.page import recognize_page

    names = sys.argv[1:] or ["rapidocr", "tesseract"]
    print("| engine | page | reference chars | accuracy (1 - CER) | seconds | mean confidence |")
    print("|---|---|---:|---:|---:|---:|")
    for name in names:
        backend = get_backend(name)
        problems = backend.check()
        if problems:
            print(f"| {name} | — | — | unavailable: {problems[0]} | — | — |")
            continue
        total_ref = total_err = 0.0
        for reference in sorted(FIXTURES.glob("*.txt")):
            image = SHARED / "images" / f"{reference.stem}.png"
            started = time.perf_counter()
            layout = recognize_page(image, backend)
            elapsed = time.perf_counter() - started
            ref = reference.read_text(encoding="utf-8")
            acc = char_accuracy(ref, layout_text(layout))
            n = len(comparable(ref))
            total_ref += n
            total_err += (1 - acc) * n
            conf = layout.get("confidence")
            print(f"| {name} | {reference.stem} | {n} | {acc:.1%} | {elapsed:.1f} | "
                  f"{conf if conf is None else f'{conf:.3f}'} |")
        print(f"| {name} | **all** | {total_ref:.0f} | **{1 - total_err / total_ref:.1%}** | | |")


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "src"))
    main()
