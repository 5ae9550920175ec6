"""Recognise one page image into layout JSON (no Django: usable from benches and scripts)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mogao.ocr.backends.base import OcrBackend
from mogao.ocr.layout import mean_confidence, reading_order, to_layout


def recognize_page(path: Path, backend: OcrBackend) -> dict[str, Any]:
    """Run ``backend`` on one image; the layout JSON in vertical right-to-left reading order.

    The result also carries ``confidence`` (character-weighted mean over lines, or None).
    """
    lines = reading_order(backend.recognize(path))
    layout = to_layout(lines, engine=backend.name)
    layout["confidence"] = mean_confidence(lines)
    return layout
