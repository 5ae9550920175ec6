"""A deterministic engine for tests: two vertical columns, the right one first in reading order."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from mogao.ocr.backends.base import OcrBackend
from mogao.ocr.layout import Char, Line

#: The text the fake "recognises" on every page, right column first.
FAKE_COLUMNS = ("金剛般若波羅蜜經", "如是我聞")


class FakeBackend(OcrBackend):
    name: ClassVar[str] = "fake"
    supports_chars: ClassVar[bool] = True

    def recognize(self, path: Path) -> list[Line]:
        lines = []
        # Returned left column first, as detectors do, so callers must apply reading order.
        for col, text in enumerate(reversed(FAKE_COLUMNS)):
            x = 100 + col * 60
            chars = [Char(ch, (x, 100 + i * 50, 50, 50), 0.9) for i, ch in enumerate(text)]
            lines.append(Line(text=text, box=(x, 100, 50, 50 * len(text)), confidence=0.9, chars=chars))
        return lines
