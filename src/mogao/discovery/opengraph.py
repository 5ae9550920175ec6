"""Open Graph (and Twitter card) properties of a shared link, in the reader's language."""

from __future__ import annotations

from typing import Any

from mogao.catalogue.models import Institution, Item, Work
from mogao.core import langmap
from mogao.core.urls import base_url
from mogao.discovery.jsonld import OPEN
from mogao.knowledge.models import Period, Person, Place

LOCALES = {"en": "en_GB", "fr": "fr_FR", "zh-hans": "zh_CN", "zh-hant": "zh_TW"}


def for_object(obj: Any, *, language: str | None) -> list[tuple[str, str]]:
    """(property, content) pairs for ``obj``; [] for objects without a page."""
    if not isinstance(obj, Item | Work | Person | Place | Period | Institution):
        return []
    url = f"{base_url()}{obj.get_absolute_url()}" if hasattr(obj, "get_absolute_url") else ""
    if isinstance(obj, Person | Place | Period):
        kind = {Person: "people", Place: "places", Period: "periods"}[type(obj)]
        url = f"{base_url()}/{kind}/{obj.pid}"
    title = obj.label(language)
    description = langmap.pick(getattr(obj, "description", None) or {}, language)
    if isinstance(obj, Item):
        title = f"{title} · {obj.institution.label(language)}{', ' + obj.shelfmark if obj.shelfmark else ''}"
    tags = [
        ("og:site_name", "Mogao"), ("og:type", "article" if isinstance(obj, Item | Work) else "website"),
        ("og:title", title), ("og:url", url), ("og:locale", LOCALES.get((language or "en").lower(), "en_GB")),
    ]
    if description:
        tags.append(("og:description", description[:300]))
    image = _image(obj)
    tags.append(("twitter:card", "summary_large_image" if image else "summary"))
    if image:
        tags += [("og:image", image), ("og:image:alt", title)]
    return tags


def _image(obj: Any) -> str:
    if not isinstance(obj, Item) or obj.rights not in OPEN:
        return ""
    canvas = next((c for c in obj.canvases.all() if c.image_id), None)
    return f"{base_url()}/iiif/3/{canvas.image_id}/full/!1200,1200/0/default.jpg" if canvas else ""
