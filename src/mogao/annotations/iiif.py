"""Public annotations in the item's IIIF Presentation 3 manifest (#15).

Each canvas with public, published annotations gets ``annotations``: one embedded AnnotationPage
whose annotations target the canvas (``#xywh=`` for an image region; for a transcription range,
the boxes of its characters when the layout has them, else the whole canvas), so Mirador lists
and draws them. The manifest is built on every request (nothing keeps it server-side), so an
annotation appears as soon as it is approved and disappears as soon as it is hidden.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mogao.annotations import jsonld, services
from mogao.annotations.models import Annotation
from mogao.catalogue.models import Canvas, Item
from mogao.iiif.presentation.manifests import canvas_id


def _text_box(annotation: Annotation) -> tuple[int, int, int, int] | None:
    from mogao.reading.layout import lines_of

    transcription = annotation.transcription
    if transcription is None or annotation.text_start is None or annotation.text_end is None:
        return None
    boxes = []
    offset = 0
    for line in lines_of(transcription.text, transcription.layout):
        for i, char in enumerate(line.chars):
            if annotation.text_start <= offset + i < annotation.text_end and char.box:
                boxes.append(char.box)
        offset += len(line.text) + 1
    if not boxes:
        return None
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[0] + b[2] for b in boxes), max(b[1] + b[3] for b in boxes)
    return round(x0), round(y0), max(1, round(x1 - x0)), max(1, round(y1 - y0))


def presentation_annotation(item: Item, canvas: Canvas, annotation: Annotation) -> dict[str, Any]:
    cid = canvas_id(item, canvas)
    box = (annotation.x, annotation.y, annotation.w, annotation.h) if annotation.is_region else _text_box(annotation)
    target = f"{cid}#xywh={','.join(str(v) for v in box)}" if box else cid
    return {
        "id": jsonld.annotation_iri(annotation),
        "type": "Annotation",
        "motivation": annotation.purpose if annotation.text else "tagging",
        "body": jsonld.bodies(annotation),
        "target": target,
    }


def canvas_annotation_pages(item: Item, canvases: Sequence[Canvas]) -> dict[int, list[dict[str, Any]]]:
    """canvas pk -> the ``annotations`` list of that canvas (only canvases with public annotations)."""
    by_pk = {c.pk: c for c in canvases}
    grouped: dict[int, list[Annotation]] = {}
    for annotation in services.public(list(by_pk)).select_related("transcription"):
        grouped.setdefault(annotation.canvas_id, []).append(annotation)
    out: dict[int, list[dict[str, Any]]] = {}
    for pk, found in grouped.items():
        canvas = by_pk[pk]
        cid = canvas_id(item, canvas)
        out[pk] = [{
            "id": f"{cid}/annotations",
            "type": "AnnotationPage",
            "items": [presentation_annotation(item, canvas, a) for a in found],
        }]
    return out
