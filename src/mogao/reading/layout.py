"""Lines and characters of a transcription as the reading room uses them (no database access).

``Transcription.layout`` is ``{"direction", "lines": [{"text", "box", "chars": [{"text", "box"}]}]}``
in canvas pixels; a transcription with text only gets one line per text line and no boxes. Boxes
are ``[x, y, w, h]`` lists of numbers or ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Box = list[float]

VERTICAL = "vertical-rl"
HORIZONTAL = "horizontal-tb"

# Punctuation a modern editor adds to a classical text; hidden by the "no punctuation" option.
PUNCTUATION = frozenset("。，、；：？！「」『』（）《》〈〉…—·．,.;:?!()\"'“”‘’【】〔〕")


@dataclass
class Char:
    """One character of a line, with its box on the canvas (if known)."""

    text: str
    box: Box | None = None

    @property
    def is_punct(self) -> bool:
        return self.text in PUNCTUATION


@dataclass
class Line:
    """One line (a column in vertical text) with its box and characters."""

    index: int
    text: str
    box: Box | None = None
    chars: list[Char] = field(default_factory=list)


def _box(value: Any) -> Box | None:
    """A valid ``[x, y, w, h]`` or ``None`` (stored layouts come from OCR and imports)."""
    if isinstance(value, (list, tuple)) and len(value) == 4 and all(isinstance(v, (int, float)) for v in value):
        return [float(v) for v in value]
    return None


def direction(layout: Any) -> str:
    """``vertical-rl`` (the default for Chinese) or ``horizontal-tb``."""
    value = layout.get("direction") if isinstance(layout, dict) else None
    return HORIZONTAL if value in {"horizontal-tb", "horizontal", "ltr", "lr-tb"} else VERTICAL


def lines_of(text: str, layout: Any) -> list[Line]:
    """The transcription's lines: from the layout when it has any, else from the text's lines."""
    raw = layout.get("lines") if isinstance(layout, dict) else None
    out: list[Line] = []
    if isinstance(raw, list) and raw:
        for i, entry in enumerate(raw):
            if not isinstance(entry, dict):
                continue
            chars_raw = entry.get("chars")
            if not isinstance(chars_raw, list):
                chars_raw = []
            chars = [Char(str(c.get("text", "")), _box(c.get("box"))) for c in chars_raw if isinstance(c, dict)]
            line_text = str(entry.get("text", "")) or "".join(c.text for c in chars)
            if not chars or "".join(c.text for c in chars) != line_text:
                chars = _spread(line_text, _box(entry.get("box")), direction(layout))
            out.append(Line(i, line_text, _box(entry.get("box")), chars))
        return out
    for i, line_text in enumerate(text.splitlines()):
        out.append(Line(i, line_text, None, [Char(ch) for ch in line_text]))
    return out


def _spread(text: str, box: Box | None, flow: str) -> list[Char]:
    """Characters with boxes shared out evenly along the line (when the layout has none per char)."""
    if not text:
        return []
    if box is None:
        return [Char(ch) for ch in text]
    x, y, w, h = box
    n = len(text)
    if flow == VERTICAL:
        return [Char(ch, [x, y + h * i / n, w, h / n]) for i, ch in enumerate(text)]
    return [Char(ch, [x + w * i / n, y, w / n, h]) for i, ch in enumerate(text)]


def union(boxes: list[Box]) -> Box | None:
    """The smallest box holding all ``boxes`` (``None`` for none)."""
    if not boxes:
        return None
    x1 = min(b[0] for b in boxes)
    y1 = min(b[1] for b in boxes)
    x2 = max(b[0] + b[2] for b in boxes)
    y2 = max(b[1] + b[3] for b in boxes)
    return [x1, y1, x2 - x1, y2 - y1]


def replace_line(text: str, layout: Any, *, index: int, new_text: str) -> tuple[str, dict[str, Any]]:
    """The transcription's text and layout with line ``index`` replaced by ``new_text``.

    Character boxes are kept when the length is unchanged; otherwise the line's box is shared out
    evenly among the new characters (a reviewer can redraw them later). Raises ``IndexError``.
    """
    lines = lines_of(text, layout)
    if not 0 <= index < len(lines):
        raise IndexError(index)
    flow = direction(layout)
    target = lines[index]
    if len(new_text) == len(target.chars):
        target.chars = [Char(ch, old.box) for ch, old in zip(new_text, target.chars, strict=True)]
    else:
        target.chars = _spread(new_text, target.box or union([c.box for c in target.chars if c.box]), flow)
    target.text = new_text
    new_layout: dict[str, Any] = dict(layout) if isinstance(layout, dict) else {}
    new_layout["direction"] = new_layout.get("direction", flow)
    new_layout["lines"] = [
        {"text": line.text, "box": line.box, "chars": [{"text": c.text, "box": c.box} for c in line.chars]}
        for line in lines
    ]
    return "\n".join(line.text for line in lines), new_layout
