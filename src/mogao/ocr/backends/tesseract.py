"""Tesseract with the ``chi_tra_vert`` model, page segmentation mode 5 (a vertical block of text)."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path
from typing import ClassVar

from mogao.ocr.backends.base import OcrBackend, OcrUnavailable
from mogao.ocr.layout import Char, Line

LANGUAGE = "chi_tra_vert"
TIMEOUT = 300


class TesseractBackend(OcrBackend):
    name: ClassVar[str] = "tesseract"
    supports_chars: ClassVar[bool] = True

    def check(self) -> list[str]:
        exe = shutil.which("tesseract")
        if exe is None:
            return ["tesseract is not installed: apt-get install tesseract-ocr tesseract-ocr-chi-tra-vert"]
        langs = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, check=False, timeout=30)  # noqa: S603
        if LANGUAGE not in langs.stdout.split():
            return [f"the Tesseract model {LANGUAGE} is missing: apt-get install tesseract-ocr-chi-tra-vert"]
        return []

    def recognize(self, path: Path) -> list[Line]:
        problems = self.check()
        if problems:
            raise OcrUnavailable(problems[0])
        exe = shutil.which("tesseract") or "tesseract"
        out = subprocess.run(  # noqa: S603 - fixed argv, no shell
            [exe, str(path), "stdout", "-l", LANGUAGE, "--psm", "5", "tsv"],
            capture_output=True, text=True, check=False, timeout=TIMEOUT,
        )
        if out.returncode != 0:
            raise OcrUnavailable(f"tesseract failed: {out.stderr.strip()[:300]}")
        return parse_tsv(out.stdout)


def parse_tsv(text: str) -> list[Line]:
    """Lines (level 4) with their words/characters (level 5) from Tesseract's TSV output."""
    lines: dict[tuple[str, str, str], Line] = {}
    for row in csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE):
        if row.get("level") != "5" or not (row.get("text") or "").strip():
            continue
        key = (row["block_num"], row["par_num"], row["line_num"])
        box = (int(row["left"]), int(row["top"]), int(row["width"]), int(row["height"]))
        conf = max(float(row["conf"]), 0.0) / 100
        word = row["text"].strip()
        line = lines.get(key)
        if line is None:
            line = lines[key] = Line(text="", box=box, confidence=0.0)
        n = len(word)
        # Tesseract gives word boxes; a vertical word's characters split its height evenly.
        for i, ch in enumerate(word):
            if box[3] >= box[2]:
                cb = (box[0], box[1] + box[3] * i // n, box[2], box[3] // n)
            else:
                cb = (box[0] + box[2] * i // n, box[1], box[2] // n, box[3])
            line.chars.append(Char(ch, cb, conf))
        line.text += word
        x0, y0 = min(line.box[0], box[0]), min(line.box[1], box[1])
        x1 = max(line.box[0] + line.box[2], box[0] + box[2])
        y1 = max(line.box[1] + line.box[3], box[1] + box[3])
        line.box = (x0, y0, x1 - x0, y1 - y0)
    for line in lines.values():
        confs = [c.confidence or 0.0 for c in line.chars]
        line.confidence = sum(confs) / len(confs) if confs else 0.0
    return list(lines.values())
