"""rapidocr (PP-OCR models in ONNX, shipped inside the wheel; runs offline)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, ClassVar

from mogao.ocr.backends.base import OcrBackend, OcrUnavailable
from mogao.ocr.layout import Char, Line, box_of


class RapidOcrBackend(OcrBackend):
    name: ClassVar[str] = "rapidocr"
    supports_chars: ClassVar[bool] = True

    def __init__(self) -> None:
        self._engine: Any = None
        self._lock = threading.Lock()

    def check(self) -> list[str]:
        try:
            import rapidocr  # noqa: F401
        except ImportError:
            return ["rapidocr is not installed: pip install 'mogao[ocr]'"]
        return []

    def _get(self) -> Any:
        with self._lock:
            if self._engine is None:
                try:
                    from rapidocr import RapidOCR
                except ImportError as exc:
                    raise OcrUnavailable("rapidocr is not installed: pip install 'mogao[ocr]'") from exc
                self._engine = RapidOCR(params={"Global.log_level": "error"})
            return self._engine

    def recognize(self, path: Path) -> list[Line]:
        engine = self._get()
        with self._lock:  # the ONNX sessions are shared; one page at a time per process
            result = engine(str(path), return_word_box=True)
        if result.boxes is None or result.txts is None:
            return []
        words = result.word_results or [()] * len(result.txts)
        lines = []
        for points, text, score, chars in zip(result.boxes, result.txts, result.scores, words, strict=False):
            lines.append(Line(
                text=str(text), box=box_of(points.tolist()), confidence=float(score),
                chars=[Char(str(c[0]), box_of(c[2]), float(c[1])) for c in chars or () if len(c) >= 3],
            ))
        return lines
