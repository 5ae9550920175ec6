"""schema.org JSON-LD for items, works, people, places and institutions (language maps kept whole).

Multilingual names become lists of ``{"@value", "@language"}`` values, so every language the
catalogue holds reaches search engines. Pure functions of a model instance; no queries beyond
the relations the page already loaded.
"""

from __future__ import annotations

from typing import Any

from mogao.catalogue.models import Collection, Institution, Item, Rights, Visibility, Work
from mogao.core.urls import base_url
from mogao.knowledge.models import Entity, Period, Person, Place

JsonLD = dict[str, Any]
CONTEXT = "https://schema.org"
#: How each item type is best described in schema.org.
ITEM_TYPES: dict[str, list[str]] = {
    Item.Type.PRINTED: ["Book", "ArchiveComponent"],
    Item.Type.SET: ["Book", "ArchiveComponent"],
    Item.Type.RUBBING: ["VisualArtwork", "ArchiveComponent"],
}
DEFAULT_ITEM_TYPE = ["Manuscript", "ArchiveComponent"]
OPEN = {Rights.PUBLIC_DOMAIN, Rights.CC0, Rights.CC_BY, Rights.CC_BY_SA, Rights.NO_COPYRIGHT, Rights.NKC}


def absolute(path: str) -> str:
    return f"{base_url()}{path}"


def texts(value: dict[str, list[str]] | None) -> list[dict[str, str]] | str | None:
    """A language map as JSON-LD language-tagged values (one plain string when untagged)."""
    out = [
        {"@value": text, "@language": lang} if lang not in {"none", "und"} else {"@value": text}
        for lang, values in (value or {}).items() for text in values
    ]
    if not out:
        return None
    if len(out) == 1 and "@language" not in out[0]:
        return out[0]["@value"]
    return out


def _clean(data: JsonLD) -> JsonLD:
    return {k: v for k, v in data.items() if v not in (None, "", [], {})}


def year(value: int | None) -> str | None:
    """ISO 8601 year (astronomical for BCE: 1 BCE is 0000, 2 BCE is -0001)."""
    if value is None:
        return None
    astronomical = value + 1 if value < 0 else value
    return f"-{abs(astronomical):04d}" if astronomical < 0 else f"{astronomical:04d}"


def _range(start: int | None, end: int | None) -> str | None:
    if start is None:
        return None
    if end is None or end == start:
        return year(start)
    return f"{year(start)}/{year(end)}"


def _entity_url(obj: Entity) -> str:
    kind = {Person: "people", Place: "places", Period: "periods"}.get(type(obj), "subjects")
    return absolute(f"/{kind}/{obj.pid}")


def _authorities(obj: Entity) -> list[str]:
    from django.contrib.contenttypes.models import ContentType

    from mogao.knowledge.models import AuthorityLink

    ct = ContentType.objects.get_for_model(type(obj))
    return [a.url for a in AuthorityLink.objects.filter(content_type=ct, object_id=obj.pk).order_by("scheme")]


def institution_ld(obj: Institution, *, nested: bool = False) -> JsonLD:
    data = {
        "@type": ["ArchiveOrganization", "Library"], "@id": absolute(obj.get_absolute_url()) + "#org",
        "name": texts(obj.name), "url": obj.homepage or absolute(obj.get_absolute_url()),
        "address": _clean({"@type": "PostalAddress", "addressCountry": obj.country,
                           "addressLocality": texts(obj.city)}) if obj.country or obj.city else None,
    }
    return _clean(data) if nested else _clean({"@context": CONTEXT, **data})


def person_ld(obj: Person, *, nested: bool = False) -> JsonLD:
    data = {
        "@type": "Person", "@id": _entity_url(obj), "name": texts(obj.name), "alternateName": obj.aliases,
        "description": texts(obj.description), "birthDate": year(obj.year_start),
        "deathDate": year(obj.year_end), "url": _entity_url(obj),
        "sameAs": None if nested else _authorities(obj),
    }
    return _clean(data) if nested else _clean({"@context": CONTEXT, **data})


def place_ld(obj: Place, *, nested: bool = False) -> JsonLD:
    geo = None
    if obj.latitude is not None and obj.longitude is not None:
        geo = {"@type": "GeoCoordinates", "latitude": obj.latitude, "longitude": obj.longitude}
    data = {
        "@type": "Place", "@id": _entity_url(obj), "name": texts(obj.name), "alternateName": obj.aliases,
        "description": texts(obj.description), "geo": geo, "url": _entity_url(obj),
        "sameAs": None if nested else _authorities(obj),
    }
    return _clean(data) if nested else _clean({"@context": CONTEXT, **data})


def period_ld(obj: Period) -> JsonLD:
    return _clean({
        "@context": CONTEXT, "@type": "DefinedTerm", "@id": _entity_url(obj), "name": texts(obj.name),
        "alternateName": obj.aliases, "description": texts(obj.description), "url": _entity_url(obj),
        "temporalCoverage": _range(obj.year_start, obj.year_end), "sameAs": _authorities(obj),
    })


def work_ld(obj: Work, *, nested: bool = False) -> JsonLD:
    creators: dict[str, list[JsonLD]] = {}
    if not nested:
        for c in obj.creators.all():
            prop = {"author": "author", "translator": "translator", "editor": "editor"}.get(c.role, "contributor")
            creators.setdefault(prop, []).append(person_ld(c.person, nested=True))
    data = {
        "@type": "CreativeWork", "@id": absolute(obj.get_absolute_url()), "name": texts(obj.title),
        "alternateName": obj.aliases or None, "url": absolute(obj.get_absolute_url()),
        "identifier": [{"@type": "PropertyValue", "propertyID": k, "value": v} for k, v in obj.identifiers.items()],
        "description": None if nested else texts(obj.description),
        "temporalCoverage": _range(obj.year_start, obj.year_end), **creators,
    }
    if not nested:
        from mogao.catalogue.selectors import work_witnesses

        data["workExample"] = [
            {"@type": DEFAULT_ITEM_TYPE, "@id": absolute(i.get_absolute_url()), "name": texts(i.title)}
            for i in work_witnesses(work=obj)[:50]
        ]
    return _clean(data) if nested else _clean({"@context": CONTEXT, **data})


def _collection_ld(obj: Collection) -> JsonLD:
    return _clean({"@type": "Collection", "@id": absolute(obj.get_absolute_url()), "name": texts(obj.name),
                   "url": absolute(obj.get_absolute_url())})


def item_ld(obj: Item) -> JsonLD:
    """schema.org description of an item page (Manuscript/Book + ArchiveComponent)."""
    canvases = list(obj.canvases.all())
    first_image = next((c for c in canvases if c.image_id), None)
    data: JsonLD = {
        "@context": CONTEXT, "@type": ITEM_TYPES.get(obj.item_type, DEFAULT_ITEM_TYPE),
        "@id": absolute(obj.get_absolute_url()), "url": absolute(obj.get_absolute_url()),
        "name": texts(obj.title), "description": texts(obj.description),
        "identifier": obj.shelfmark and {"@type": "PropertyValue", "propertyID": "shelfmark", "value": obj.shelfmark},
        "inLanguage": obj.languages, "material": texts(obj.material), "size": obj.dimensions,
        "numberOfPages": len(canvases) or None, "dateCreated": _range(obj.year_start, obj.year_end),
        "temporalCoverage": obj.date_expression or None,
        "locationCreated": place_ld(obj.find_place, nested=True) if obj.find_place else None,
        "holdingArchive": institution_ld(obj.institution, nested=True),
        "isPartOf": _collection_ld(obj.collection) if obj.collection else None,
        "license": obj.rights, "isAccessibleForFree": True,
        "exampleOfWork": [
            work_ld(iw.work, nested=True) for iw in obj.item_works.all() if iw.work.visibility == Visibility.PUBLIC
        ],
        "image": absolute(f"/iiif/3/{first_image.image_id}/full/!1200,1200/0/default.jpg")
        if first_image and obj.rights in OPEN else None,
        "subjectOf": {
            "@type": "CreativeWork", "url": absolute(f"/iiif/items/{obj.pid}/manifest"),
            "encodingFormat": 'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"',
            "name": "IIIF Presentation 3 manifest",
        } if canvases else None,
    }
    return _clean(data)


def for_object(obj: Any) -> JsonLD | None:
    """The JSON-LD of any object the site has a page for; None for other objects."""
    builders = {Item: item_ld, Work: work_ld, Person: person_ld, Place: place_ld, Period: period_ld,
                Institution: institution_ld}
    builder = builders.get(type(obj))
    if builder is None and type(obj).__name__ == "Story" and obj._meta.app_label == "stories":
        from mogao.stories.jsonld import story_jsonld  # a story page (#16)

        return story_jsonld(obj)
    return builder(obj) if builder else None  # type: ignore[operator]
