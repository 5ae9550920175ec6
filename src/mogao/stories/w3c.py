"""A story's steps as W3C Web Annotations (#16): ``Step.to_annotation(base_url)`` calls :func:`annotation`.

Identifiers live under the story: ``{base}/stories/<slug>/steps/<position>`` for a step,
``{base}/stories/<slug>/range/<position>`` for its Range in the story manifest. Pages keep the ids
they have in their item's manifest (``{base}/iiif/items/<pid>/canvas/<order>``), so an annotation
of a step points at the same canvas everywhere.

Targets, by kind:

- *image region*: the canvas with a ``FragmentSelector`` ``xywh=`` (media fragments); a step with no
  region targets the whole canvas (its IRI);
- *comparison*: two such targets, the first page then the second;
- *text passage*: the transcription as the reading room shows it (``…/read/<order>#transcription``)
  with a ``TextPositionSelector`` over its lines joined by newlines (the convention of the reader
  annotations, :mod:`mogao.annotations.jsonld`) and a ``TextQuoteSelector`` of the exact text, plus
  the canvas with the ``xywh`` box around those lines;
- *map*, *timeline* and *media* steps without a page — decision: they target the step's Range in
  the story manifest (a Range is a IIIF resource with its own id) and the story's cover page, which
  is that Range's only canvas. IIIF viewers draw annotations on canvases only, so the manifest's
  copy of such a step (:func:`canvas_targets`) keeps the cover page as its target.

Bodies: one ``TextualBody`` per language of the narrative (``format`` text/html, ``purpose``
describing); a media step adds its narration as a ``Sound`` body and each language's captions as a
``TextualBody`` in ``text/vtt``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mogao.core.urls import base_url as core_base_url

if TYPE_CHECKING:
    from mogao.catalogue.models import Canvas
    from mogao.stories.models import Step, Story

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MEDIA_FRAGMENTS = "http://www.w3.org/TR/media-frags/"
JsonDict = dict[str, Any]


def _base(base_url: str | None) -> str:
    return (base_url if base_url is not None else core_base_url()).rstrip("/")


def story_base(story: Story, base_url: str | None = None) -> str:
    return f"{_base(base_url)}/stories/{story.slug}"


def manifest_id(story: Story, base_url: str | None = None) -> str:
    return f"{story_base(story, base_url)}/manifest.json"


def step_id(step: Step, base_url: str | None = None) -> str:
    return f"{story_base(step.story, base_url)}/steps/{step.position}"


def range_id(step: Step, base_url: str | None = None) -> str:
    return f"{story_base(step.story, base_url)}/range/{step.position}"


def canvas_iri(canvas: Canvas, base_url: str | None = None) -> str:
    """The page's id in its item's manifest (:func:`mogao.iiif.presentation.manifests.canvas_id`)."""
    return f"{_base(base_url)}/iiif/items/{canvas.item.pid}/canvas/{canvas.order}"


def _region_target(canvas: Canvas, region: str, base_url: str | None) -> JsonDict | str:
    source = canvas_iri(canvas, base_url)
    if not region:
        return source
    return {
        "type": "SpecificResource",
        "source": source,
        "selector": {"type": "FragmentSelector", "conformsTo": MEDIA_FRAGMENTS, "value": f"xywh={region}"},
    }


def _lines(step: Step) -> tuple[str, int, int, str, str] | None:
    """(full text, start, end, exact, xywh) of the step's lines in the canvas's primary transcription."""
    from mogao.reading.layout import lines_of

    if step.canvas is None or not step.first_line:
        return None
    transcription = step.canvas.transcriptions.filter(is_primary=True).first()
    if transcription is None:
        return None
    lines = lines_of(transcription.text, transcription.layout)
    first = step.first_line
    last = min(step.last_line or first, len(lines))
    if not lines or first > last:
        return None
    texts = [line.text for line in lines]
    start = sum(len(t) + 1 for t in texts[: first - 1])
    exact = "\n".join(texts[first - 1 : last])
    boxes = [line.box for line in lines[first - 1 : last] if line.box]
    xywh = ""
    if boxes:
        x0 = max(0, int(min(b[0] for b in boxes)))
        y0 = max(0, int(min(b[1] for b in boxes)))
        x1 = min(step.canvas.width, int(max(b[0] + b[2] for b in boxes)))
        y1 = min(step.canvas.height, int(max(b[1] + b[3] for b in boxes)))
        if x1 > x0 and y1 > y0:
            xywh = f"{x0},{y0},{x1 - x0},{y1 - y0}"
    return "\n".join(texts), start, start + len(exact), exact, xywh


def line_region(step: Step) -> str:
    """The ``x,y,w,h`` box around a text step's lines (``""`` when the layout has no boxes)."""
    found = _lines(step)
    return found[4] if found else ""


def _transcription_iri(canvas: Canvas, base_url: str | None) -> str:
    return f"{_base(base_url)}/items/{canvas.item.pid}/read/{canvas.order}#transcription"


def targets(step: Step, base_url: str | None = None) -> list[JsonDict | str]:
    """Every target of the step, as described in the module docstring."""
    from mogao.stories.models import StepKind

    out: list[JsonDict | str] = []
    if step.kind == StepKind.TEXT and step.canvas is not None:
        found = _lines(step)
        if found is not None:
            _, start, end, exact, xywh = found
            out.append({
                "type": "SpecificResource",
                "source": _transcription_iri(step.canvas, base_url),
                "selector": [
                    {"type": "TextPositionSelector", "start": start, "end": end},
                    {"type": "TextQuoteSelector", "exact": exact},
                ],
            })
            out.append(_region_target(step.canvas, xywh or step.region, base_url))
        else:
            out.append(_region_target(step.canvas, step.region, base_url))
        return out
    if step.canvas is not None:
        out.append(_region_target(step.canvas, step.region, base_url))
    if step.kind == StepKind.COMPARISON and step.canvas2 is not None:
        out.append(_region_target(step.canvas2, step.region2, base_url))
    if not out:
        out.append({"id": range_id(step, base_url), "type": "Range"})
        if step.story.cover is not None:
            out.append(canvas_iri(step.story.cover, base_url))
    return out


def canvas_targets(step: Step, base_url: str | None = None) -> list[JsonDict | str]:
    """The targets that are pages (what a IIIF viewer can draw), cover page for steps without one."""
    prefix = f"{_base(base_url)}/iiif/items/"

    def on_canvas(t: JsonDict | str) -> bool:
        iri = t if isinstance(t, str) else str(t.get("source", ""))
        return iri.startswith(prefix)

    return [t for t in targets(step, base_url) if on_canvas(t)]


def _audio_url(path: str, base_url: str | None) -> str:
    if path.startswith("https://"):
        return path
    from django.core.files.storage import default_storage

    url = default_storage.url(path)
    return url if url.startswith("http") else f"{_base(base_url)}{url}"


def bodies(step: Step, base_url: str | None = None) -> list[JsonDict]:
    """The narrative per language, then (media steps) the narration and its captions."""
    from mogao.stories.models import StepKind

    out: list[JsonDict] = []
    for language, values in sorted(step.text.items()):
        value = "".join(v for v in values if v)
        if value:
            out.append({"type": "TextualBody", "value": value, "language": language, "format": "text/html",
                        "purpose": "describing"})
    if step.kind == StepKind.MEDIA and step.audio:
        out.append({"id": _audio_url(step.audio, base_url), "type": "Sound", "format": "audio/mpeg"})
    if step.kind == StepKind.MEDIA:
        for language, vtt in sorted((step.captions or {}).items()):
            if isinstance(vtt, str) and vtt:
                out.append({"type": "TextualBody", "value": vtt, "language": language, "format": "text/vtt",
                            "purpose": "describing"})
    return out


def _stamp(value: Any) -> str:
    return str(value.isoformat()).replace("+00:00", "Z")


def annotation(step: Step, base_url: str | None = None, *, context: bool = True) -> JsonDict:
    """The step as a W3C Web Annotation (``context=False`` when embedded in a page)."""
    found = targets(step, base_url)
    data: JsonDict = {}
    if context:
        data["@context"] = ANNO_CONTEXT
    data.update({
        "id": step_id(step, base_url),
        "type": "Annotation",
        "motivation": "describing",
        "body": bodies(step, base_url),
        "target": found[0] if len(found) == 1 else found,
    })
    if step.created:
        data["created"] = _stamp(step.created)
    if step.updated:
        data["modified"] = _stamp(step.updated)
    return data


def page(story: Story, steps: list[Step], base_url: str | None = None) -> JsonDict:
    """Every step of the story as one W3C AnnotationPage (with its context)."""
    return {
        "@context": ANNO_CONTEXT,
        "id": f"{story_base(story, base_url)}/annotations.json",
        "type": "AnnotationPage",
        "items": [annotation(step, base_url, context=False) for step in steps],
    }
