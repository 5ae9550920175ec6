"""schema.org JSON-LD of a story page (#16): a ``CreativeWork`` with every language of its texts.

For the reader's page: ``{% load story_publishing %}{% story_jsonld story %}`` in the page head
writes the ``<script type="application/ld+json">`` block (``{% jsonld story %}`` of the discovery
tags gives the same). :func:`story_jsonld` is a pure function of the story, its institution, cover
and steps (with their pages' items) as the page loaded them.
"""

from __future__ import annotations

from typing import Any

from mogao.discovery.jsonld import CONTEXT, OPEN, JsonLD, absolute, institution_ld, place_ld, texts
from mogao.stories.models import Story

MANIFEST_FORMAT = 'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"'


def _clean(data: JsonLD) -> JsonLD:
    return {k: v for k, v in data.items() if v not in (None, "", [], {})}


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def story_jsonld(story: Story) -> JsonLD:
    """The story as a schema.org ``CreativeWork``: names, description and credits in every language,
    its publisher (the institution), the manuscripts it is about, its places and its IIIF manifest."""
    url = absolute(story.get_absolute_url())
    steps = list(story.steps.all())
    items: dict[int, Any] = {}
    places: dict[int, Any] = {}
    for step in steps:
        for canvas in (step.canvas, step.canvas2):
            if canvas is not None:
                items.setdefault(canvas.item_id, canvas.item)
        for place in step.places.all():
            places.setdefault(place.pk, place)
    languages = sorted({lang for step in steps for lang in step.text} | set(story.title))
    cover = story.cover
    image = None
    if cover is not None and cover.image_id and cover.item.rights in OPEN:
        region = story.cover_region or "full"
        image = absolute(f"/iiif/3/{cover.image_id}/{region}/!1200,1200/0/default.jpg")
    data: JsonLD = {
        "@context": CONTEXT, "@type": "CreativeWork", "@id": url, "url": url,
        "name": texts(story.title), "description": texts(story.summary), "creditText": texts(story.credits),
        "inLanguage": [lang for lang in languages if lang != "none"],
        "publisher": institution_ld(story.institution, nested=True),
        "datePublished": _iso(story.published_at) if story.is_published else None,
        "dateModified": _iso(story.updated),
        "image": image,
        "about": [
            _clean({"@type": "ArchiveComponent", "@id": absolute(item.get_absolute_url()),
                    "name": texts(item.title), "identifier": item.shelfmark or None})
            for item in items.values()
        ],
        "spatialCoverage": [place_ld(p, nested=True) for p in places.values()],
        "numberOfItems": len(steps) or None,
        "encoding": {
            "@type": "MediaObject", "contentUrl": absolute(f"/stories/{story.slug}/manifest.json"),
            "encodingFormat": MANIFEST_FORMAT, "name": "IIIF Presentation 3 manifest",
        },
        "isAccessibleForFree": True,
    }
    return _clean(data)
