"""Recognised text as Mogao's layout JSON, in the reading order of vertical right-to-left columns.

The layout is the canvas transcription's ``layout`` field, which the reading room reads as is::

    {"direction": "vertical-rl", "engine": "rapidocr",
     "lines": [{"text": "金剛般若", "box": [x, y, w, h], "confidence": 0.98,
                "chars": [{"text": "金", "box": [x, y, w, h], "confidence": 0.99}, ...]}]}

Boxes are integer pixels of the full image, ``[x, y, width, height]``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class Char:
    text: str
    box: Box
    confidence: float | None = None


@dataclass
class Line:
    """One column (vertical text) or row of text with its bounding box and characters."""

    text: str
    box: Box
    confidence: float
    chars: list[Char] = field(default_factory=list)

    @property
    def vertical(self) -> bool:
        return self.box[3] >= self.box[2]


def box_of(points: Iterable[Sequence[float]]) -> Box:
    """The axis-aligned ``[x, y, w, h]`` box around a polygon of points."""
    pts = [(float(p[0]), float(p[1])) for p in points]
    if not pts:
        return (0, 0, 0, 0)
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    x, y = int(min(xs)), int(min(ys))
    return (x, y, int(max(xs)) - x, int(max(ys)) - y)


def reading_order(lines: list[Line]) -> list[Line]:
    """Sort lines for vertical right-to-left text: columns from the right, top to bottom within one.

    Lines whose horizontal extents overlap by more than half of the narrower one belong to the same
    column (a column split by the detector, or interlinear notes stacked vertically); columns are
    then read right to left and the pieces of a column top to bottom.
    """
    columns: list[list[Line]] = []
    for line in sorted(lines, key=lambda ln: -(ln.box[0] + ln.box[2] / 2)):
        x0, x1 = line.box[0], line.box[0] + line.box[2]
        for column in columns:
            cx0 = min(ln.box[0] for ln in column)
            cx1 = max(ln.box[0] + ln.box[2] for ln in column)
            overlap = min(x1, cx1) - max(x0, cx0)
            if overlap > 0.5 * min(x1 - x0, cx1 - cx0, *(ln.box[2] for ln in column)):
                column.append(line)
                break
        else:
            columns.append([line])
    columns.sort(key=lambda col: -max(ln.box[0] + ln.box[2] for ln in col))
    return [ln for col in columns for ln in sorted(col, key=lambda ln: ln.box[1])]


def to_layout(lines: list[Line], *, engine: str, direction: str = "vertical-rl") -> dict[str, Any]:
    """The layout JSON of ``lines`` (already in reading order)."""
    return {
        "direction": direction,
        "engine": engine,
        "lines": [
            {
                "text": ln.text,
                "box": list(ln.box),
                "confidence": round(ln.confidence, 4),
                "chars": [
                    {"text": c.text, "box": list(c.box),
                     **({"confidence": round(c.confidence, 4)} if c.confidence is not None else {})}
                    for c in ln.chars
                ],
            }
            for ln in lines
        ],
    }


def layout_text(layout: dict[str, Any]) -> str:
    """Plain text of a layout: one line per column, in reading order."""
    return "\n".join(str(line.get("text", "")) for line in layout.get("lines", []))


def mean_confidence(lines: list[Line]) -> float | None:
    """Confidence of a page: the character-weighted mean of its lines."""
    total = sum(len(ln.text) for ln in lines)
    if not total:
        return None
    return sum(ln.confidence * len(ln.text) for ln in lines) / total
