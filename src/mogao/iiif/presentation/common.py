"""Shared pieces of the Presentation builders: stable ids, language maps, UI labels, image services.

Every id is absolute under ``settings.BASE_URL`` so that a manifest copied elsewhere still points
home. Image services are either Mogao's own (Image API 3.0 at ``{BASE_URL}/iiif/3/{image_id}``) or
another institution's, whose base URI is kept exactly as the curator entered it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.functional import Promise

from mogao.core.langmap import LangMap, derive_chinese, pick_all
from mogao.core.urls import base_url as core_base_url

PRESENTATION_CONTEXT = "http://iiif.io/api/presentation/3/context.json"
CONTENT_TYPE = f'application/ld+json;profile="{PRESENTATION_CONTEXT}"'
IMAGE2_CONTEXT = "http://iiif.io/api/image/2/context.json"

# Interface languages (Django codes) and the language-map tags their strings are published under.
UI_LANGUAGES: dict[str, str] = {"en": "en", "zh-hans": "zh-Hans", "zh-hant": "zh-Hant", "fr": "fr"}

JsonDict = dict[str, Any]


def base_url() -> str:
    """The public base URL without a trailing slash (see :mod:`mogao.core.urls`)."""
    return core_base_url()


def absolute(path: str) -> str:
    """``path`` (starting with ``/``) made absolute under the public base URL."""
    return f"{core_base_url()}{path}"


def lang_map(value: Mapping[str, list[str]] | None) -> LangMap:
    """A catalogue language map ready for IIIF: empty strings dropped, zh-Hans/zh-Hant derived."""
    cleaned = {tag: [v for v in values if v] for tag, values in (value or {}).items()}
    return {tag: values for tag, values in derive_chinese(cleaned).items() if values}


def none_map(text: str) -> LangMap:
    """A language map for a string with no language (shelfmarks, numbers)."""
    return {"none": [text]}


def ui_label(message: str | Promise) -> LangMap:
    """A translatable interface string as a language map in every interface language.

    A language whose catalogue has no translation yet (the string comes back in English) is left
    out rather than published as English mislabelled zh-Hant.
    """
    out: LangMap = {}
    with translation.override("en"):
        english = str(message)
    out["en"] = [english]
    for code, tag in UI_LANGUAGES.items():
        if code == "en":
            continue
        with translation.override(code):
            text = str(message)
        if text != english:
            out[tag] = [text]
    return out


def merge_maps(maps: list[LangMap], *, separator: str = "; ") -> LangMap:
    """Join several language maps into one, language by language (``none`` strings go everywhere).

    A language missing from one map borrows that map's best string for that language (the site's
    own fallback order, :func:`mogao.core.langmap.pick_all`) so that every value names every part.
    """
    tags = {tag for m in maps for tag in m if tag != "none"} or {"none"}
    out: LangMap = {}
    for tag in sorted(tags):
        parts: list[str] = []
        for m in maps:
            values = m.get(tag) or m.get("none") or pick_all(m, tag.lower())
            parts.extend(values[:1])
        if parts:
            out[tag] = [separator.join(parts)]
    return out


def year_text(year: int) -> str:
    """A year as text, BCE years written with the suffix (language-neutral enough for ``none``)."""
    return f"{-year} BCE" if year < 0 else str(year)


def nav_date(year: int | None) -> str | None:
    """ISO 8601 ``navDate`` for a year, or None.

    xsd:dateTime and most viewers cannot represent years before 1 CE (and year 0 does not exist), so
    BCE and missing years get no navDate; the metadata still shows the date as written.
    """
    if year is None or year < 1:
        return None
    return f"{year:04d}-01-01T00:00:00Z"


# --- image services ---------------------------------------------------------------------------

# URL path markers that identify the Image API version of a remote service. Services whose URL
# says nothing are published as ImageService2 with ``@id``: most institutional services deployed
# today (including those of the Dunhuang holders) are version 2, and every viewer that matters
# (Mirador, OpenSeadragon, UV) fetches info.json and reads the real version from it anyway.
_V3_MARKERS = re.compile(r"/(?:iiif/3|iiif/image/v3|iiif/v3|image/v3|iiif3|image-api/3)(?:/|$)", re.I)
_V2_MARKERS = re.compile(r"/(?:iiif/2|iiif/image/v2|iiif/v2|image/v2|iiif2|image-api/2)(?:/|$)", re.I)


@dataclass(frozen=True)
class ImageService:
    """An IIIF Image API service: its base URI, API version and compliance profile."""

    base: str
    version: int
    profile: str
    local: bool = False

    def descriptor(self) -> JsonDict:
        """The ``service`` entry for a Presentation 3 resource (v3 ``id``/``type`` or v2 ``@id``)."""
        if self.version == 3:
            return {"id": self.base, "type": "ImageService3", "profile": self.profile}
        return {"@id": self.base, "@type": "ImageService2", "profile": self.profile}

    @property
    def info_url(self) -> str:
        return f"{self.base}/info.json"

    def image_url(self, *, region: str = "full", size: str = "max") -> str:
        """An image request URL; ``max`` becomes ``full`` for version 2 servers (2.0 lacks ``max``)."""
        if self.version == 2 and size == "max":
            size = "full"
        return f"{self.base}/{region}/{size}/0/default.jpg"


def local_service(image_id: str) -> ImageService:
    """Mogao's own Image API 3.0 (level 2) service for an identifier in the image store."""
    return ImageService(base=absolute(f"/iiif/3/{image_id}"), version=3, profile="level2", local=True)


def remote_service(url: str) -> ImageService:
    """A remote service from its base URI (a trailing ``/info.json`` or slash is tolerated)."""
    base = url.strip()
    if base.endswith("/info.json"):
        base = base[: -len("/info.json")]
    base = base.rstrip("/")
    if _V3_MARKERS.search(base):
        return ImageService(base=base, version=3, profile="level1")
    profile = "http://iiif.io/api/image/2/level1.json"
    return ImageService(base=base, version=2, profile=profile)


def canvas_service(canvas: Any) -> ImageService | None:
    """The image service of a canvas: its local image first, else its remote service, else None."""
    if canvas.image_id:
        return local_service(canvas.image_id)
    if canvas.service_url:
        return remote_service(canvas.service_url)
    return None
