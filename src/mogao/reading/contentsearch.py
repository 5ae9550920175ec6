"""Search inside an item: hits with their boxes, as IIIF Content Search 2.0 and 1.0 responses.

Matching is on folded text (:func:`mogao.text.fold.fold`: traditional, simplified and variant
forms match each other; one character folds to one), across line breaks within a page, so a word
split between two columns is found. A hit spanning two lines gets one box per line.

Mirador 4 only reads Content Search 0/1 services, so the manifest advertises both: the 2.0 service
(``SearchService2``) for current clients and the 1.0 one for Mirador.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode

from mogao.catalogue.models import Item
from mogao.iiif.presentation.common import absolute
from mogao.iiif.presentation.manifests import canvas_id
from mogao.reading.layout import Box, union
from mogao.reading.selectors import item_pages
from mogao.text.fold import fold

MAX_QUERY = 100
MAX_HITS = 500
CONTEXT = 10
SEARCH2_CONTEXT = "http://iiif.io/api/search/2/context.json"


@dataclass
class Hit:
    """One match: the page, the matched text with context, and its spans (line, first, last char)."""

    order: int
    exact: str
    prefix: str
    suffix: str
    spans: list[tuple[int, int, int]]
    boxes: list[Box]


def item_search(*, item: Item, q: str) -> list[Hit]:
    """Hits of ``q`` (stripped, at most :data:`MAX_QUERY` characters) in the item's transcriptions."""
    needle = fold("".join(q.split()))
    if not needle:
        return []
    hits: list[Hit] = []
    for page in item_pages(item=item):
        # One stream per page: (line index, char index, char) with the line breaks dropped.
        stream = [(line.index, i, c) for line in page.lines for i, c in enumerate(line.chars)]
        text = "".join(c.text for _, _, c in stream)
        folded = fold(text)
        if len(folded) != len(text):
            folded = "".join(fold(ch)[:1] or ch for ch in text)
        start = folded.find(needle)
        while start != -1 and len(hits) < MAX_HITS:
            end = start + len(needle)
            spans: dict[int, list[int]] = {}
            for line_index, char_index, _c in stream[start:end]:
                spans.setdefault(line_index, []).append(char_index)
            boxes: list[Box] = []
            lines = {line.index: line for line in page.lines}
            for line_index, indexes in spans.items():
                char_boxes = [b for b in (lines[line_index].chars[i].box for i in indexes) if b]
                box = union(char_boxes) or lines[line_index].box
                if box:
                    boxes.append(box)
            hits.append(Hit(
                order=page.canvas.order, exact=text[start:end], prefix=text[max(0, start - CONTEXT):start],
                suffix=text[end:end + CONTEXT],
                spans=[(k, min(v), max(v)) for k, v in spans.items()], boxes=boxes,
            ))
            start = folded.find(needle, start + 1)
    return hits


def search_url(item: Item, *, version: int = 2) -> str:
    name = "reading:search2" if version == 2 else "reading:search1"
    return absolute(reverse(name, args=[item.pid]))


def manifest_services(item: Item) -> list[dict[str, Any]]:
    """The ``service`` entries a manifest adds to advertise search inside the item."""
    return [
        {"id": search_url(item), "type": "SearchService2"},
        {"@id": search_url(item, version=1), "@type": "SearchService1",
         "profile": "http://iiif.io/api/search/1/search"},
    ]


def _boxes_or_none(hit: Hit) -> list[Box | None]:
    """The hit's boxes, or one ``None`` (target the whole canvas) when its lines have no boxes."""
    return list(hit.boxes) or [None]


def _xywh(box: Box) -> str:
    return ",".join(str(round(v)) for v in box)


def search2_response(*, item: Item, q: str, hits: list[Hit], canvases: dict[int, Any]) -> dict[str, Any]:
    """A Content Search 2.0 ``AnnotationPage``: one highlighting annotation per box of each hit,
    with the hit's ``TextQuoteSelector`` (prefix, exact, suffix) in ``annotations``."""
    page_id = f"{search_url(item)}?{urlencode({'q': q})}"
    items: list[dict[str, Any]] = []
    quotes: list[dict[str, Any]] = []
    for n, hit in enumerate(hits, start=1):
        target = canvas_id(item, canvases[hit.order])
        ids = []
        for k, box in enumerate(_boxes_or_none(hit), start=1):
            anno_id = f"{search_url(item)}/anno/{hit.order}-{n}-{k}"
            ids.append(anno_id)
            items.append({
                "id": anno_id, "type": "Annotation", "motivation": "highlighting",
                "body": {"type": "TextualBody", "value": hit.exact, "format": "text/plain"},
                "target": f"{target}#xywh={_xywh(box)}" if box else target,
            })
        quotes.append({
            "id": f"{search_url(item)}/match/{n}", "type": "Annotation", "motivation": "contextualizing",
            "target": [{
                "type": "SpecificResource", "source": anno_id,
                "selector": [{"type": "TextQuoteSelector", "prefix": hit.prefix, "exact": hit.exact,
                              "suffix": hit.suffix}],
            } for anno_id in ids],
        })
    response: dict[str, Any] = {"@context": SEARCH2_CONTEXT, "id": page_id, "type": "AnnotationPage", "items": items}
    if quotes:
        response["annotations"] = [{"type": "AnnotationPage", "items": quotes}]
    return response


def search1_response(*, item: Item, q: str, hits: list[Hit], canvases: dict[int, Any]) -> dict[str, Any]:
    """A Content Search 1.0 ``sc:AnnotationList`` with ``hits`` (what Mirador reads)."""
    resources = []
    hit_list = []
    for n, hit in enumerate(hits, start=1):
        target = canvas_id(item, canvases[hit.order])
        ids = []
        for k, box in enumerate(_boxes_or_none(hit), start=1):
            anno_id = f"{search_url(item, version=1)}/anno/{hit.order}-{n}-{k}"
            ids.append(anno_id)
            resources.append({
                "@id": anno_id, "@type": "oa:Annotation", "motivation": "sc:painting",
                "resource": {"@type": "cnt:ContentAsText", "chars": hit.exact},
                "on": f"{target}#xywh={_xywh(box)}" if box else target,
            })
        hit_list.append({"@type": "search:Hit", "annotations": ids, "match": hit.exact,
                         "before": hit.prefix, "after": hit.suffix})
    return {
        "@context": ["http://iiif.io/api/presentation/2/context.json", "http://iiif.io/api/search/1/context.json"],
        "@id": f"{search_url(item, version=1)}?{urlencode({'q': q})}",
        "@type": "sc:AnnotationList",
        "within": {"@type": "sc:Layer", "total": len(hits)},
        "resources": resources,
        "hits": hit_list,
    }
