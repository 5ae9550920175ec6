"""OCR backends by alias (``settings.OCR_BACKEND``): rapidocr (default), tesseract, fake.

Backends are imported and built lazily (rapidocr loads ONNX models, ~2 s) and cached per process.
"""

from __future__ import annotations

import importlib
from functools import cache

from mogao.ocr.backends.base import OcrBackend, OcrUnavailable

BACKENDS = {
    "rapidocr": "mogao.ocr.backends.rapid.RapidOcrBackend",
    "tesseract": "mogao.ocr.backends.tesseract.TesseractBackend",
    "fake": "mogao.ocr.backends.fake.FakeBackend",
}

__all__ = ["BACKENDS", "OcrBackend", "OcrUnavailable", "get_backend"]


@cache
def get_backend(alias: str | None = None) -> OcrBackend:
    """The backend named ``alias`` (default: ``settings.OCR_BACKEND``); OcrUnavailable if unknown."""
    if alias is None:
        from django.conf import settings

        alias = str(settings.OCR_BACKEND)
    path = BACKENDS.get(alias)
    if path is None:
        raise OcrUnavailable(f"unknown OCR backend {alias!r} (one of {', '.join(BACKENDS)})")
    module, _, name = path.rpartition(".")
    backend: OcrBackend = getattr(importlib.import_module(module), name)()
    return backend
