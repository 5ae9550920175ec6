"""A story as a IIIF Presentation 3 manifest (#16): ``/stories/<slug>/manifest.json``.

- ``label``, ``summary`` and ``requiredStatement`` (the story's credits) are its language maps;
- ``items``: the pages the story shows (cover first when no step shows it), each keeping the id it has
  in its item's manifest and carrying its holder, shelfmark and rights like a reunification manifest
  (:func:`mogao.iiif.presentation.joins.canvas_credit`), and an AnnotationPage of the steps shown on
  it (viewers such as Mirador read annotations from the canvases);
- ``structures``: one Range per step, holding the pages of that step (a map, timeline or media step
  without a page holds the cover page: see :mod:`mogao.stories.w3c`);
- ``annotations``: one AnnotationPage with every step as an annotation (``commenting``, which Mirador
  lists in its annotation panel; the bodies say ``describing``), each with one target on a page. A
  comparison step, which shows two pages, appears as two annotations (``…/steps/<n>`` and
  ``…/steps/<n>/2``) since viewers read one target per annotation.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from mogao.catalogue.models import Canvas, Item
from mogao.iiif.presentation.common import PRESENTATION_CONTEXT, JsonDict, lang_map, merge_maps, none_map, ui_label
from mogao.iiif.presentation.joins import canvas_credit
from mogao.iiif.presentation.manifests import canvas_resource, holder_map, provider
from mogao.stories import w3c
from mogao.stories.models import Step, StepKind, Story


def step_label(step: Step) -> JsonDict:
    """``3 · map`` in every interface language."""
    return merge_maps([none_map(str(step.position)), ui_label(StepKind(step.kind).label)], separator=" · ")


def _pages(story: Story, steps: Sequence[Step]) -> list[Canvas]:
    """The presentable pages the story shows, in order of first appearance (the cover when needed)."""
    seen: dict[int, Canvas] = {}
    for step in steps:
        for canvas in (step.canvas, step.canvas2):
            if canvas is not None and canvas.pk not in seen and _presentable(canvas):
                seen[canvas.pk] = canvas
    if story.cover is not None and story.cover.pk not in seen and _presentable(story.cover):
        seen[story.cover.pk] = story.cover
    return list(seen.values())


def _presentable(canvas: Canvas) -> bool:
    return canvas.width > 0 and canvas.height > 0 and bool(canvas.image_id or canvas.service_url)


def _embedded(step: Step, base: str | None) -> list[JsonDict]:
    """The step's annotations as the manifest carries them: one per page target."""
    out = []
    for n, target in enumerate(w3c.canvas_targets(step, base), start=1):
        out.append({
            "id": w3c.step_id(step, base) + ("" if n == 1 else f"/{n}"),
            "type": "Annotation",
            "motivation": "commenting",
            "body": w3c.bodies(step, base),
            "target": target,
        })
    return out


def _source(target: JsonDict | str) -> str:
    return target if isinstance(target, str) else str(target["source"])


def story_manifest(story: Story, steps: Sequence[Step], base: str | None = None) -> JsonDict | None:
    """The manifest of ``story`` (``steps`` in order, with canvases, items and institutions loaded);
    ``None`` when the story shows no page with an image."""
    pages = _pages(story, steps)
    if not pages:
        return None
    items: list[Item] = list({c.item_id: c.item for c in pages}.values())
    annotations = [a for step in steps for a in _embedded(step, base)]
    per_canvas: dict[str, list[JsonDict]] = {}
    for anno in annotations:
        per_canvas.setdefault(_source(anno["target"]), []).append(anno)
    canvases = []
    for index, canvas in enumerate(pages, start=1):
        resource = canvas_resource(canvas.item, canvas, index=index, extra=canvas_credit(canvas.item))
        mine = per_canvas.get(resource["id"])
        if mine:
            resource["annotations"] = [{"id": f"{resource['id']}/story/{story.slug}", "type": "AnnotationPage",
                                        "items": mine}]
        canvases.append(resource)
    ids = {c["id"] for c in canvases}
    ranges = []
    for step in steps:
        refs = [_source(t) for t in w3c.canvas_targets(step, base)]
        refs = [r for r in dict.fromkeys(refs) if r in ids] or [canvases[0]["id"]]
        ranges.append({"id": w3c.range_id(step, base), "type": "Range", "label": step_label(step),
                       "items": [{"id": r, "type": "Canvas"} for r in refs]})
    holders: list[JsonDict] = []
    for item in items:
        agent = provider(item.institution)
        if agent["id"] not in {h["id"] for h in holders}:
            holders.append(agent)
    manifest: JsonDict = {
        "@context": PRESENTATION_CONTEXT,
        "id": w3c.manifest_id(story, base),
        "type": "Manifest",
        "label": lang_map(story.title) or none_map(story.slug),
    }
    if lang_map(story.summary):
        manifest["summary"] = lang_map(story.summary)
    credits = lang_map(story.credits) or merge_maps([holder_map(i.institution) for i in items], separator="; ")
    manifest["requiredStatement"] = {"label": ui_label(_("Credits")), "value": credits}
    rights = {i.rights for i in items if i.rights}
    if len(rights) == 1:
        manifest["rights"] = rights.pop()
    manifest["provider"] = holders
    manifest["homepage"] = [{
        "id": f"{w3c.story_base(story, base)}/", "type": "Text", "label": lang_map(story.title) or none_map(story.slug),
        "format": "text/html",
    }]
    manifest["behavior"] = ["individuals"]
    cover = next((r for r, c in zip(canvases, pages, strict=True) if c.pk == story.cover_id), canvases[0])
    manifest["thumbnail"] = cover.get("thumbnail", [])
    manifest["items"] = canvases
    manifest["structures"] = ranges
    manifest["annotations"] = [{
        "id": f"{w3c.story_base(story, base)}/annotations", "type": "AnnotationPage", "items": annotations,
    }]
    return manifest
