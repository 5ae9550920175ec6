"""Reunification manifests: the canvases of a Join's fragments, held apart, in one sequence.

Each canvas keeps its id from its own item's manifest and carries its own ``requiredStatement``,
``metadata``, ``rights`` and ``provider`` naming its holder, because one reunified scroll may mix
fragments in London, Paris and Beijing (and local with remote image services). ``structures`` has
one range per member item so viewers can show where each fragment begins.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from mogao.catalogue.models import Item, Join
from mogao.iiif.presentation.common import (
    PRESENTATION_CONTEXT,
    JsonDict,
    absolute,
    lang_map,
    merge_maps,
    none_map,
    ui_label,
)
from mogao.iiif.presentation.manifests import (
    canvas_id,
    canvas_resource,
    canvas_thumbnail,
    holder_map,
    holder_statement,
    is_chinese,
    manifest_id,
    provider,
)


def join_manifest_id(join: Join) -> str:
    return absolute(f"/iiif/joins/{join.pid}/manifest")


def member_label(item: Item) -> dict[str, list[str]]:
    """``Shelfmark · Holder`` in every language of the holder's name."""
    return merge_maps([none_map(item.shelfmark or item.pid), holder_map(item.institution)], separator=" · ")


def canvas_credit(item: Item) -> JsonDict:
    """What a canvas shown outside its item's manifest carries: holder, shelfmark, rights, source."""
    return {
        "metadata": [
            {"label": ui_label(_("Holder")), "value": holder_map(item.institution)},
            {"label": ui_label(_("Shelfmark")), "value": none_map(item.shelfmark or item.pid)},
            {"label": ui_label(_("Item")), "value": lang_map(item.title) or none_map(item.pid)},
        ],
        "requiredStatement": holder_statement(item),
        "rights": item.rights,
        "provider": [provider(item.institution)],
        "partOf": [{"id": manifest_id(item), "type": "Manifest", "label": lang_map(item.title) or none_map(item.pid)}],
    }


def join_manifest(join: Join, *, items: Sequence[Item]) -> JsonDict:
    """The reunification manifest; ``items`` are the members with presentable canvases, in order.

    Each item must carry ``presentable_canvases`` (see ``selectors.join_for_manifest``).
    """
    if not items:
        raise ValueError(f"join {join.pid} has no member with images")
    canvases: list[JsonDict] = []
    ranges: list[JsonDict] = []
    index = 0
    for n, item in enumerate(items, start=1):
        extra = canvas_credit(item)
        refs = []
        for canvas in item.presentable_canvases:  # type: ignore[attr-defined]
            index += 1
            canvases.append(canvas_resource(item, canvas, index=index, extra=extra))
            refs.append({"id": canvas_id(item, canvas), "type": "Canvas"})
        ranges.append({
            "id": absolute(f"/iiif/joins/{join.pid}/range/{n}"),
            "type": "Range",
            "label": member_label(item),
            "items": refs,
        })
    titles = [lang_map(item.title) for item in items if item.title]
    label = lang_map(join.label_map) or (merge_maps(titles, separator=" + ") if titles else none_map(join.pid))
    holders: list[JsonDict] = []
    for item in items:
        agent = provider(item.institution)
        if agent["id"] not in {h["id"] for h in holders}:
            holders.append(agent)
    manifest: JsonDict = {
        "@context": PRESENTATION_CONTEXT,
        "id": join_manifest_id(join),
        "type": "Manifest",
        "label": label,
    }
    evidence = lang_map(join.evidence)
    if evidence:
        manifest["summary"] = evidence
    manifest["metadata"] = [
        {"label": ui_label(_("Fragments")), "value": merge_maps([member_label(i) for i in items], separator="; ")},
        {"label": ui_label(_("Confidence")), "value": none_map(f"{join.confidence:.2f}")},
    ]
    if join.asserted_by:
        manifest["metadata"].append({"label": ui_label(_("Asserted by")), "value": none_map(join.asserted_by)})
    manifest["requiredStatement"] = {
        "label": ui_label(_("Held by")),
        "value": merge_maps([holder_map(i.institution) for i in items], separator="; "),
    }
    rights = {item.rights for item in items}
    if len(rights) == 1:
        # One licence covers every fragment; otherwise each canvas states its own.
        manifest["rights"] = rights.pop()
    manifest["provider"] = holders
    manifest["viewingDirection"] = "right-to-left" if all(is_chinese(i) for i in items) else "left-to-right"
    manifest["behavior"] = ["individuals"]
    manifest["thumbnail"] = canvas_thumbnail(items[0].presentable_canvases[0])  # type: ignore[attr-defined]
    manifest["items"] = canvases
    manifest["structures"] = ranges
    return manifest
