"""Background OCR, queued after commit by the image importer."""

from __future__ import annotations

from django_tasks import task

from mogao.catalogue.models import Canvas
from mogao.ocr.services import ocr_canvas


@task(queue_name="ocr")
def ocr_canvas_task(canvas_id: int, backend: str | None = None) -> int | None:
    """OCR one canvas; returns the transcription id (None when the canvas is gone)."""
    from mogao.ocr.backends import get_backend

    canvas = Canvas.objects.filter(pk=canvas_id).first()
    if canvas is None:
        return None
    return ocr_canvas(canvas=canvas, backend=get_backend(backend)).pk
