"""The interface every OCR engine implements."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from mogao.ocr.layout import Line


class OcrUnavailable(Exception):
    """The engine is not installed or misconfigured (the message says how to fix it)."""


class OcrBackend:
    """Recognises the text of one page image.

    ``recognize`` returns lines with boxes in image pixels, in any order (callers sort them with
    :func:`mogao.ocr.layout.reading_order`). ``supports_chars`` says whether lines carry
    per-character boxes.
    """

    name: ClassVar[str] = ""
    supports_chars: ClassVar[bool] = False

    def check(self) -> list[str]:
        """Problems that stop the engine from working (empty when usable)."""
        return []

    def recognize(self, path: Path) -> list[Line]:
        raise NotImplementedError
