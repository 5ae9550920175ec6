"""Illustrative pages for the built-in demo, drawn by Mogao itself (never photographs).

The demo ships no third-party scans, yet its digitized items need pages so that the viewer, IIIF
manifests, search inside items and the reading room have something real to show. Each page is
drawn from the item's own transcription as vertical columns read right to left, and because
Mogao draws every character it knows every character's box exactly: the transcription layer
stored with the canvas is therefore perfectly aligned. Every page carries a caption saying it is
an illustration.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyvips

PAPER = [238, 226, 198]
INK = [40, 30, 24]
CELL = 72  # px per character cell
FONT = "Noto Serif CJK TC"
CAPTION = "Illustrative page drawn by Mogao from the transcription, not a photograph of the original."


@dataclass(frozen=True)
class DrawnPage:
    path: Path
    width: int
    height: int
    layout: dict[str, Any]
    text: str


def _columns(text: str, per_column: int) -> list[str]:
    chars = [c for c in text if not c.isspace()]
    return ["".join(chars[i : i + per_column]) for i in range(0, len(chars), per_column)]


def draw_page(text: str, path: Path, *, per_column: int = 14, margin: int = 80) -> DrawnPage:
    """Draw ``text`` in vertical right-to-left columns as a PNG at ``path``; return its layout."""
    columns = _columns(text, per_column)
    width = margin * 2 + CELL * max(len(columns), 4)
    height = margin * 2 + CELL * per_column + 80
    # One-band ink mask: glyphs and the frame are inserted into it, then blended once.
    mask = pyvips.Image.black(width, height)
    frame = pyvips.Image.black(width - margin, height - margin - 60) + 255
    inner = pyvips.Image.black(width - margin - 6, height - margin - 66)
    mask = mask.insert(frame.insert(inner, 3, 3), margin // 2, margin // 2)
    lines: list[dict[str, Any]] = []
    for col, column_text in enumerate(columns):
        x = width - margin - CELL * (col + 1)
        chars = []
        for row, char in enumerate(column_text):
            y = margin + CELL * row
            glyph = pyvips.Image.text(char, font=f"{FONT} {CELL * 3 // 4}px", dpi=72)
            gx = x + max(0, (CELL - glyph.width) // 2)
            gy = y + max(0, (CELL - glyph.height) // 2)
            mask = mask.insert(glyph, gx, gy)
            chars.append({"text": char, "box": [x, y, CELL, CELL]})
        lines.append({
            "text": column_text, "box": [x, margin, CELL, CELL * len(column_text)], "chars": chars,
        })
    caption = pyvips.Image.text(CAPTION, font="sans 14px", dpi=72, width=width - margin)
    mask = mask.insert(caption, margin // 2, height - 56)
    alpha = mask.cast("float") / 255
    page = (alpha * INK + (1 - alpha) * PAPER).cast("uchar").copy(interpretation="srgb")
    path.parent.mkdir(parents=True, exist_ok=True)
    page.pngsave(str(path))
    return DrawnPage(
        path=path, width=width, height=height, text="".join(columns),
        layout={"direction": "vertical-rl", "source": "drawn", "lines": lines},
    )
