"""Benchmark: character accuracy and speed of the OCR backends on real scans with hand transcriptions.

Usage: .venv/bin/python bench/ocr/bench_ocr.py [--quick] [backend ...]   (default: rapidocr tesseract)
Reads the page images from ../shared/data/images at run time (never copied) and the reference
transcriptions from tests/ocr/fixtures/. Writes ``RESULTS.md`` and ``results.json`` beside this file
(``RESULTS-quick.md`` / ``results-quick.json`` with ``--quick``: the first page only).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path[:0] = [str(REPO), str(REPO / "src")]

from bench import common  # noqa: E402

FIXTURES = REPO / "tests" / "ocr" / "fixtures"


def _cpu() -> float:
    """CPU seconds of this process and its finished children (tesseract runs as a child process)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def measure(names: list[str], references: list[Path]) -> dict[str, Any]:
    """Per backend: per-page accuracy, seconds and confidence, or why it is unavailable."""
    from mogao.ocr.accuracy import char_accuracy, comparable
    from mogao.ocr.backends import get_backend
    from mogao.ocr.layout import layout_text
    from mogao.ocr.page import recognize_page

    out: dict[str, Any] = {}
    for name in names:
        backend = get_backend(name)
        problems = backend.check()
        if problems:
            out[name] = {"unavailable": problems[0]}
            continue
        pages, total_ref, total_err = [], 0, 0.0
        for reference in references:
            image = common.SHARED / "images" / f"{reference.stem}.png"
            started, cpu = time.perf_counter(), _cpu()
            layout = recognize_page(image, backend)
            elapsed, cpu = time.perf_counter() - started, _cpu() - cpu
            ref = reference.read_text(encoding="utf-8")
            acc = char_accuracy(ref, layout_text(layout))
            n = len(comparable(ref))
            total_ref += n
            total_err += (1 - acc) * n
            conf = layout.get("confidence")
            pages.append({"page": reference.stem, "chars": n, "accuracy": round(acc, 4), "seconds": round(elapsed, 2),
                          "cpu_s": round(cpu, 2), "confidence": None if conf is None else round(conf, 3)})
        out[name] = {"pages": pages, "chars": total_ref, "accuracy": round(1 - total_err / total_ref, 4)}
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("backends", nargs="*", default=["rapidocr", "tesseract"])
    parser.add_argument("--quick", action="store_true", help="the first page only")
    args = parser.parse_args()
    references = sorted(FIXTURES.glob("*.txt"))[: 1 if args.quick else None]
    if not all((common.SHARED / "images" / f"{r.stem}.png").exists() for r in references):
        print(f"skipped: the scans are not in {common.SHARED / 'images'} (set MOGAO_SHARED_DATA)")
        return common.SKIPPED
    started, info = common.now(), common.machine()
    results = measure(args.backends, references)
    lines = common.header("OCR character accuracy on real woodblock scans", quick=args.quick, started=started,
                          info=info)
    lines += [
        "Pages: 《欽定四庫全書簡明目錄》 from the shared data's `images/` (open-guji-cv scans, 8 columns of up to 21 "
        "characters, vertical right to left). References: the hand-checked transcriptions in `tests/ocr/fixtures/` "
        "(conventions in its README). Accuracy = 1 − (Levenshtein distance / reference length), after dropping "
        "whitespace and punctuation; OCR output is taken in Mogao's vertical-rl reading order, so ordering errors "
        "count too. Seconds are wall-clock (upper bounds on a shared machine); CPU seconds are this process's "
        "and its children's (ONNX threads and the tesseract process included).",
        "",
        "| engine | page | reference chars | accuracy (1 - CER) | seconds | CPU s | mean confidence |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for name, r in results.items():
        if "unavailable" in r:
            lines.append(f"| {name} | — | — | unavailable: {r['unavailable']} | — | — | — |")
            continue
        for p in r["pages"]:
            conf = "—" if p["confidence"] is None else f"{p['confidence']:.3f}"
            lines.append(f"| {name} | {p['page']} | {p['chars']} | {p['accuracy']:.1%} | {p['seconds']} | "
                         f"{p['cpu_s']} | {conf} |")
        lines.append(f"| {name} | **all** | {r['chars']} | **{r['accuracy']:.1%}** | | | |")
    report = common.write(HERE, quick=args.quick, markdown=lines,
                          data={"date": started, "machine": info, "quick": args.quick, "backends": results})
    print(report.read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
