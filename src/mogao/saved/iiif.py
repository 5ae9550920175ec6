"""IIIF Presentation 3.0 of a reader's collection: one Manifest of its pages and regions, and a
Collection of its items' manifests.

Each saved page becomes a canvas of its own (id under the collection, so the same page saved twice
— whole and as a region — stays two canvases), carrying its holder (``requiredStatement``,
``provider``), ``rights`` and ``partOf`` its item's manifest, like a reunification manifest does.
A saved region is its full page plus an annotation targeting ``#xywh=`` (``highlighting``, or
``commenting`` with the note as body), which Mirador lists and draws; a saved item contributes all
its pages under one range. Notes are plain text in ``TextualBody`` values (JSON-escaped).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from mogao.catalogue.models import Item
from mogao.iiif.presentation.common import (
    PRESENTATION_CONTEXT,
    JsonDict,
    absolute,
    lang_map,
    merge_maps,
    none_map,
    ui_label,
)
from mogao.iiif.presentation.joins import canvas_credit
from mogao.iiif.presentation.manifests import (
    canvas_resource,
    canvas_thumbnail,
    holder_map,
    manifest_id,
    provider,
)
from mogao.iiif.presentation.selectors import presentable_canvas_qs
from mogao.saved.models import ReaderCollection, SavedEntry

#: Canvases one item entry contributes at most (a long scroll stays a usable manifest).
PAGES_PER_ITEM = 200


def text(value: str) -> str:
    """A reader's plain text as a IIIF value: one starting with ``<`` would be read as HTML by
    viewers (Presentation 3, "HTML markup in property values"), so it gets a leading space."""
    return f" {value}" if value.lstrip().startswith("<") else value


def base_id(collection: ReaderCollection) -> str:
    return absolute(f"/saved/{collection.pid}")


def manifest_url(collection: ReaderCollection) -> str:
    return absolute(f"/saved/{collection.pid}/manifest") + collection.link_query()


def collection_url(collection: ReaderCollection) -> str:
    return absolute(f"/saved/{collection.pid}/iiif-collection") + collection.link_query()


def _item_label(item: Item) -> JsonDict:
    return merge_maps([lang_map(item.title) or none_map(item.pid), none_map(item.shelfmark or item.pid)],
                      separator=" · ")


def _reid(resource: JsonDict, new_id: str) -> JsonDict:
    """A canvas resource built for its item's manifest, given an id under the collection."""
    resource["id"] = new_id
    page = resource["items"][0]
    page["id"] = f"{new_id}/page"
    page["items"][0]["id"] = f"{new_id}/page/image"
    page["items"][0]["target"] = new_id
    return resource


def _annotation(cid: str, entry: SavedEntry, *, n: int) -> JsonDict:
    target = f"{cid}#xywh={entry.xywh}" if entry.kind == SavedEntry.Kind.REGION else cid
    note: JsonDict = {
        "id": f"{cid}/notes/{n}",
        "type": "Annotation",
        "motivation": "commenting" if entry.note else "highlighting",
        "target": target,
    }
    if entry.note:
        note["body"] = {"type": "TextualBody", "value": text(entry.note), "format": "text/plain"}
        if entry.collection.language:
            note["body"]["language"] = entry.collection.language
    return note


def _entry_canvases(entry: SavedEntry, base: str, counter: list[int]) -> list[JsonDict]:
    item = entry.item
    if entry.kind == SavedEntry.Kind.ITEM:
        pages = list(presentable_canvas_qs().filter(item=item)[:PAGES_PER_ITEM])
    else:
        pages = list(presentable_canvas_qs().filter(pk=entry.canvas_id or 0))
    out = []
    for i, canvas in enumerate(pages):
        counter[0] += 1
        cid = f"{base}/canvas/{entry.pk}-{canvas.order}"
        resource = _reid(canvas_resource(item, canvas, index=counter[0], extra=canvas_credit(item)), cid)
        if entry.kind == SavedEntry.Kind.REGION:
            resource["label"] = merge_maps([resource["label"], ui_label(_("region"))], separator=" · ")
        if i == 0 and (entry.note or entry.kind == SavedEntry.Kind.REGION):
            resource["annotations"] = [{
                "id": f"{cid}/notes", "type": "AnnotationPage", "items": [_annotation(cid, entry, n=1)],
            }]
        out.append(resource)
    return out


def collection_manifest(collection: ReaderCollection, entries: Sequence[SavedEntry]) -> JsonDict | None:
    """The manifest of the pages and regions in ``entries`` (already scoped); ``None``: no image."""
    base = base_id(collection)
    canvases: list[JsonDict] = []
    ranges: list[JsonDict] = []
    counter = [0]
    for entry in entries:
        made = _entry_canvases(entry, base, counter)
        if not made:
            continue
        canvases.extend(made)
        ranges.append({
            "id": f"{base}/range/{entry.pk}", "type": "Range", "label": _item_label(entry.item),
            "items": [{"id": c["id"], "type": "Canvas"} for c in made],
        })
    if not canvases:
        return None
    items = list({e.item.pk: e.item for e in entries}.values())
    holders: list[JsonDict] = []
    for item in items:
        agent = provider(item.institution)
        if agent["id"] not in {h["id"] for h in holders}:
            holders.append(agent)
    manifest: JsonDict = {
        "@context": PRESENTATION_CONTEXT,
        "id": manifest_url(collection),
        "type": "Manifest",
        "label": none_map(text(collection.name)),
    }
    if collection.description:
        manifest["summary"] = none_map(text(collection.description))
    manifest["requiredStatement"] = {
        "label": ui_label(_("Held by")),
        "value": merge_maps([holder_map(i.institution) for i in items], separator="; "),
    }
    rights = {i.rights for i in items}
    if len(rights) == 1:
        manifest["rights"] = rights.pop()
    manifest["provider"] = holders
    manifest["behavior"] = ["individuals"]
    manifest["homepage"] = [{
        "id": absolute(collection.get_absolute_url()) + collection.link_query(), "type": "Text",
        "label": none_map(text(collection.name)), "format": "text/html",
    }]
    manifest["thumbnail"] = canvases[0].get("thumbnail", [])
    manifest["items"] = canvases
    manifest["structures"] = ranges
    return manifest


def collection_collection(collection: ReaderCollection, entries: Sequence[SavedEntry]) -> JsonDict:
    """A IIIF Collection of the manifests of the items in ``entries`` (those that have one)."""
    from mogao.iiif.presentation.selectors import manifest_item_qs

    ids = list(dict.fromkeys(e.item_id for e in entries))
    with_manifest = {i.pk: i for i in manifest_item_qs().filter(pk__in=ids).select_related("institution")}
    members = []
    for item_id in ids:
        item = with_manifest.get(item_id)
        if item is None:
            continue
        first = presentable_canvas_qs().filter(item=item).first()
        member: JsonDict = {"id": manifest_id(item), "type": "Manifest", "label": _item_label(item)}
        if first is not None:
            member["thumbnail"] = canvas_thumbnail(first)
        members.append(member)
    data: JsonDict = {
        "@context": PRESENTATION_CONTEXT,
        "id": collection_url(collection),
        "type": "Collection",
        "label": none_map(text(collection.name)),
        "items": members,
    }
    if collection.description:
        data["summary"] = none_map(text(collection.description))
    return data


def entry_image_url(entry: SavedEntry, size: str = "400,") -> str:
    """A picture of the saved page or region (for the page and the CSV); ``""`` for an item."""
    from mogao.iiif.presentation.common import canvas_service

    if entry.canvas is None:
        return ""
    service = canvas_service(entry.canvas)
    if service is None:
        return ""
    return service.image_url(region=entry.xywh or "full", size=size)


def item_thumbnail_url(item: Item, size: str = "!300,300") -> str:
    """A picture of the first page of ``item`` (``""`` when it has none)."""
    from mogao.iiif.presentation.common import canvas_service

    first = presentable_canvas_qs().filter(item=item).first()
    service = canvas_service(first) if first is not None else None
    return service.image_url(size=size) if service is not None else ""


__all__ = ["collection_collection", "collection_manifest", "entry_image_url", "manifest_url"]
