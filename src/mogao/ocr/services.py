"""Writes of OCR results: a canvas's OCR transcription with layout, engine and confidence."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from mogao.catalogue.models import Canvas, Transcription
from mogao.ocr.backends import OcrBackend, OcrUnavailable, get_backend
from mogao.ocr.layout import layout_text
from mogao.ocr.page import recognize_page


def canvas_image_path(canvas: Canvas) -> Path:
    """The local master of ``canvas``'s image; OcrUnavailable for remote-only canvases."""
    if not canvas.image_id:
        raise OcrUnavailable(f"canvas {canvas.pk} has no local image (remote images are not OCR'd)")
    from mogao.iiif.services import image_info, image_server

    info = image_info(canvas.image_id)
    if info is None:
        raise OcrUnavailable(f"canvas {canvas.pk}: image {canvas.image_id!r} is not in the image store")
    return image_server().store.master_path(info)


def ocr_canvas(*, canvas: Canvas, backend: OcrBackend | None = None, path: Path | None = None) -> Transcription:
    """Recognise ``canvas`` and store the result as its OCR transcription (replacing an older one).

    The OCR layer becomes the primary transcription only when the canvas has no other primary
    one: a curator's or reader's text is never displaced by a machine's.
    """
    engine = backend or get_backend()
    layout = recognize_page(path or canvas_image_path(canvas), engine)
    confidence = layout.pop("confidence")
    with transaction.atomic():
        # the page's row is locked first: two deliveries of the same OCR task at once (a broker giving a
        # message again while the first run goes on) then write one OCR layer, not two (#19)
        Canvas.objects.select_for_update().filter(pk=canvas.pk).first()
        existing = canvas.transcriptions.select_for_update().filter(source=Transcription.Source.OCR).first()
        has_other_primary = canvas.transcriptions.filter(is_primary=True).exclude(
            source=Transcription.Source.OCR
        ).exists()
        obj = existing or Transcription(canvas=canvas, source=Transcription.Source.OCR)
        obj.language = "lzh"
        obj.layout = layout
        obj.text = layout_text(layout)
        obj.engine = engine.name
        obj.confidence = confidence if isinstance(confidence, float) else None
        obj.is_primary = not has_other_primary
        obj.full_clean()
        obj.save()
    return obj
