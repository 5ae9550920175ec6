"""Item manifests: pure functions from catalogue objects (already fetched) to Presentation 3.0 dicts.

Ids are stable under ``BASE_URL``: the manifest at ``/iiif/items/{pid}/manifest``, canvases at
``/iiif/items/{pid}/canvas/{order}`` (reused unchanged by reunification manifests, so annotations
made on a canvas in either place refer to the same thing).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mogao.catalogue.models import Canvas, Institution, Item
from mogao.core.langmap import LangMap
from mogao.iiif.presentation.common import (
    PRESENTATION_CONTEXT,
    JsonDict,
    absolute,
    canvas_service,
    lang_map,
    merge_maps,
    nav_date,
    none_map,
    ui_label,
    year_text,
)

THUMBNAIL_WIDTH = 200
CHINESE_LANGUAGES = ("lzh", "zh", "och", "ltc", "cmn", "yue")


def manifest_id(item: Item) -> str:
    return absolute(f"/iiif/items/{item.pid}/manifest")


def canvas_id(item: Item, canvas: Canvas) -> str:
    return absolute(f"/iiif/items/{item.pid}/canvas/{canvas.order}")


def is_chinese(item: Item) -> bool:
    """Whether the item is written in Chinese (read in columns, right to left)."""
    return any(str(lang).split("-")[0].lower() in CHINESE_LANGUAGES for lang in item.languages or [])


def viewing_direction(item: Item) -> str:
    """``right-to-left`` for Chinese books and scrolls, else ``left-to-right``."""
    return "right-to-left" if is_chinese(item) else "left-to-right"


def behavior(item: Item) -> list[str]:
    """Scrolls are one continuous surface; bound books are paged; sheets and fragments stand alone."""
    if item.item_type == Item.Type.SCROLL:
        return ["continuous"]
    if item.item_type in {Item.Type.PRINTED, Item.Type.BOOKLET, Item.Type.SET}:
        return ["paged"]
    return ["individuals"]


def holder_map(institution: Institution) -> LangMap:
    return lang_map(institution.name) or none_map(institution.code)


def holder_statement(item: Item) -> JsonDict:
    """The requiredStatement: who holds the item (and under which shelfmark)."""
    parts = [holder_map(item.institution)]
    if item.shelfmark:
        parts.append(none_map(item.shelfmark))
    return {"label": ui_label(_("Held by")), "value": merge_maps(parts, separator=", ")}


def provider(institution: Institution) -> JsonDict:
    """The holder as a Presentation ``Agent`` with its page on Mogao (and its own site, if known)."""
    page = absolute(institution.get_absolute_url())
    homepages = [{"id": page, "type": "Text", "label": holder_map(institution), "format": "text/html"}]
    if institution.homepage:
        homepages.append(
            {"id": institution.homepage, "type": "Text", "label": holder_map(institution), "format": "text/html"}
        )
    return {"id": page, "type": "Agent", "label": holder_map(institution), "homepage": homepages}


def date_text(item: Item) -> str:
    """The date as written, followed by its normalized years: ``咸通九年 (868)``."""
    years = ""
    if item.year_start is not None:
        years = year_text(item.year_start)
        if item.year_end is not None and item.year_end != item.year_start:
            years += f"–{year_text(item.year_end)}"
    if item.date_expression and years:
        return f"{item.date_expression} ({years})"
    return item.date_expression or years


def _row(label: Any, value: LangMap) -> JsonDict | None:
    return {"label": ui_label(label), "value": value} if value else None


def item_metadata(item: Item) -> list[JsonDict]:
    """Descriptive metadata rows, each label and value in every language available."""
    works = [link.work for link in item.item_works.all()]
    rows = [
        _row(_("Holder"), holder_map(item.institution)),
        _row(_("Collection"), lang_map(item.collection.name) if item.collection else {}),
        _row(_("Shelfmark"), none_map(item.shelfmark) if item.shelfmark else {}),
        _row(_("Type"), ui_label(Item.Type(item.item_type).label) if item.item_type in Item.Type.values else {}),
        _row(_("Date"), none_map(date_text(item)) if date_text(item) else {}),
        _row(_("Period"), lang_map(item.period.name) if item.period else {}),
        _row(_("Material"), lang_map(item.material)),
        _row(_("Dimensions"), none_map(item.dimensions) if item.dimensions else {}),
        _row(_("Extent"), none_map(item.extent) if item.extent else {}),
        _row(_("Find place"), lang_map(item.find_place.name) if item.find_place else {}),
        _row(_("Works"), merge_maps([lang_map(w.title) for w in works]) if works else {}),
        _row(_("Languages"), none_map(", ".join(item.languages)) if item.languages else {}),
    ]
    return [row for row in rows if row]


def image_body(canvas: Canvas) -> JsonDict:
    """The painting annotation body: the full image, with its Image API service."""
    service = canvas_service(canvas)
    if service is None:
        raise ValueError(f"canvas {canvas.pk} has no image")
    return {
        "id": service.image_url(),
        "type": "Image",
        "format": "image/jpeg",
        "width": canvas.width,
        "height": canvas.height,
        "service": [service.descriptor()],
    }


def canvas_thumbnail(canvas: Canvas) -> list[JsonDict]:
    service = canvas_service(canvas)
    if service is None:
        return []
    return [{
        "id": service.image_url(size=f"{THUMBNAIL_WIDTH},"),
        "type": "Image",
        "format": "image/jpeg",
        "service": [service.descriptor()],
    }]


def canvas_resource(item: Item, canvas: Canvas, *, index: int, extra: JsonDict | None = None) -> JsonDict:
    """A canvas with one painting annotation; ``index`` (1-based) labels canvases with no label."""
    cid = canvas_id(item, canvas)
    resource: JsonDict = {
        "id": cid,
        "type": "Canvas",
        "label": lang_map(canvas.label) or none_map(str(index)),
        "width": canvas.width,
        "height": canvas.height,
    }
    resource.update(extra or {})
    resource["thumbnail"] = canvas_thumbnail(canvas)
    resource["items"] = [{
        "id": f"{cid}/page",
        "type": "AnnotationPage",
        "items": [{
            "id": f"{cid}/page/image",
            "type": "Annotation",
            "motivation": "painting",
            "body": image_body(canvas),
            "target": cid,
        }],
    }]
    return resource


def item_links(item: Item) -> JsonDict:
    """homepage, seeAlso and rendering (the PDF, only when downloads are allowed)."""
    links: JsonDict = {
        "homepage": [{
            "id": absolute(item.get_absolute_url()),
            "type": "Text",
            "label": lang_map(item.title),
            "format": "text/html",
        }],
        "seeAlso": [{
            "id": absolute(f"/api/v1/items/{item.pid}"),
            "type": "Dataset",
            "label": ui_label(_("Catalogue record (JSON)")),
            "format": "application/json",
        }],
    }
    if item.downloads_allowed:
        links["rendering"] = [{
            "id": absolute(reverse("iiif_presentation:item_pdf", args=[item.pid])),
            "type": "Text",
            "label": ui_label(_("Download the whole item as PDF")),
            "format": "application/pdf",
        }]
    return links


def item_manifest(item: Item, *, canvases: Sequence[Canvas]) -> JsonDict:
    """The Presentation 3.0 manifest of an item; ``canvases`` must be presentable and non-empty."""
    if not canvases:
        raise ValueError(f"item {item.pid} has no presentable canvas")
    manifest: JsonDict = {
        "@context": PRESENTATION_CONTEXT,
        "id": manifest_id(item),
        "type": "Manifest",
        "label": lang_map(item.title) or none_map(item.shelfmark or item.pid),
    }
    summary = lang_map(item.description)
    if summary:
        manifest["summary"] = summary
    manifest["metadata"] = item_metadata(item)
    manifest["requiredStatement"] = holder_statement(item)
    manifest["rights"] = item.rights
    manifest["provider"] = [provider(item.institution)]
    manifest["viewingDirection"] = viewing_direction(item)
    manifest["behavior"] = behavior(item)
    date = nav_date(item.year_start)
    if date:
        manifest["navDate"] = date
    manifest["thumbnail"] = canvas_thumbnail(canvases[0])
    manifest.update(item_links(item))
    manifest["partOf"] = [{
        "id": absolute(f"/iiif/collections/institution/{item.institution.pid}"),
        "type": "Collection",
        "label": holder_map(item.institution),
    }]
    # Search inside the item (IIIF Content Search 2.0, and 1.0 for Mirador), served by the reading room.
    from mogao.reading.contentsearch import manifest_services

    manifest["service"] = [*manifest.get("service", []), *manifest_services(item)]
    manifest["items"] = [canvas_resource(item, c, index=i) for i, c in enumerate(canvases, start=1)]
    # Readers' public, published annotations (#15), so Mirador shows them on their canvases.
    from mogao.annotations.iiif import canvas_annotation_pages

    pages = canvas_annotation_pages(item, canvases)
    for resource, canvas in zip(manifest["items"], canvases, strict=True):
        if canvas.pk in pages:
            resource["annotations"] = pages[canvas.pk]
    return manifest
