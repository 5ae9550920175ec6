"""Model instances to API dictionaries in the reader's language (shapes in :mod:`mogao.api.schemas`)."""

from __future__ import annotations

from typing import Any

from mogao.catalogue.models import Canvas, Collection, Institution, Item, Transcription, Work
from mogao.core.urls import base_url
from mogao.knowledge.models import AuthorityLink, Period, Person, Place


def absolute(path: str) -> str:
    return f"{base_url()}{path}"


def ref(obj: Any, lang: str, url: str | None = None) -> dict[str, str] | None:
    if obj is None:
        return None
    return {"pid": obj.pid, "label": obj.label(lang), "url": url or absolute(obj.get_absolute_url())}


def institution_out(obj: Institution, lang: str) -> dict[str, Any]:
    return {
        "pid": obj.pid, "code": obj.code, "label": obj.label(lang), "name": obj.name, "city": obj.city,
        "country": obj.country, "latitude": obj.latitude, "longitude": obj.longitude,
        "homepage": obj.homepage, "description": obj.description,
        "url": absolute(obj.get_absolute_url()), "updated": obj.updated,
    }


def collection_out(obj: Collection, lang: str) -> dict[str, Any]:
    return {
        "pid": obj.pid, "code": obj.code, "label": obj.label(lang), "name": obj.name,
        "description": obj.description, "institution": ref(obj.institution, lang),
        "url": absolute(obj.get_absolute_url()), "updated": obj.updated,
    }


def _entity_url(kind: str, pid: str) -> str:
    return absolute(f"/{'people' if kind == 'person' else kind + 's'}/{pid}")


def _entity_ref(obj: Any, kind: str, lang: str) -> dict[str, str] | None:
    return None if obj is None else ref(obj, lang, _entity_url(kind, obj.pid))


def work_out(obj: Work, lang: str) -> dict[str, Any]:
    return {
        "pid": obj.pid, "label": obj.label(lang), "title": obj.title, "aliases": obj.aliases,
        "identifiers": obj.identifiers, "description": obj.description, "category": obj.category,
        "date_expression": obj.date_expression, "year_start": obj.year_start, "year_end": obj.year_end,
        "period": _entity_ref(obj.period, "period", lang),
        "creators": [
            {"person": _entity_ref(c.person, "person", lang), "role": c.role} for c in obj.creators.all()
        ],
        "url": absolute(obj.get_absolute_url()), "updated": obj.updated,
    }


def item_out(obj: Item, lang: str) -> dict[str, Any]:
    canvases = len(obj.canvases.all())
    return {
        "pid": obj.pid, "label": obj.label(lang), "title": obj.title, "description": obj.description,
        "institution": ref(obj.institution, lang), "collection": ref(obj.collection, lang),
        "shelfmark": obj.shelfmark, "local_id": obj.local_id, "item_type": obj.item_type,
        "languages": obj.languages, "material": obj.material, "dimensions": obj.dimensions,
        "extent": obj.extent, "date_expression": obj.date_expression, "year_start": obj.year_start,
        "year_end": obj.year_end, "period": _entity_ref(obj.period, "period", lang),
        "find_place": _entity_ref(obj.find_place, "place", lang), "provenance": obj.provenance,
        "notes": obj.notes, "rights": obj.rights, "allow_download": obj.allow_download,
        "digitization_status": obj.digitization_status, "visibility": obj.visibility,
        "works": [
            {"work": ref(iw.work, lang), "role": iw.role, "locator": iw.locator}
            for iw in obj.item_works.all() if iw.work.visibility == "public"
        ],
        "canvas_count": canvases,
        "manifest": absolute(f"/iiif/items/{obj.pid}/manifest") if canvases else None,
        "url": absolute(obj.get_absolute_url()), "created": obj.created, "updated": obj.updated,
    }


def canvas_out(obj: Canvas) -> dict[str, Any]:
    service = obj.service_url or (absolute(f"/iiif/3/{obj.image_id}") if obj.image_id else None)
    return {
        "order": obj.order, "label": obj.label, "width": obj.width, "height": obj.height,
        "image_service": service, "transcriptions": len(obj.transcriptions.all()),
    }


def transcription_out(obj: Transcription) -> dict[str, Any]:
    return {
        "id": obj.pk, "language": obj.language, "text": obj.text,
        "layout": obj.layout if isinstance(obj.layout, dict) else {}, "source": obj.source,
        "engine": obj.engine, "confidence": obj.confidence, "is_primary": obj.is_primary,
        "updated": obj.updated,
    }


def entity_out(obj: Person | Place | Period, lang: str, authorities: list[AuthorityLink]) -> dict[str, Any]:
    kind = {Person: "person", Place: "place", Period: "period"}[type(obj)]
    out: dict[str, Any] = {
        "pid": obj.pid, "kind": kind, "label": obj.label(lang), "name": obj.name, "aliases": obj.aliases,
        "description": obj.description,
        "authorities": [{"scheme": a.scheme, "identifier": a.identifier, "url": a.url} for a in authorities],
        "url": _entity_url(kind, obj.pid), "updated": obj.updated,
    }
    if isinstance(obj, Person | Period):
        out.update(year_start=obj.year_start, year_end=obj.year_end)
    if isinstance(obj, Place):
        out.update(latitude=obj.latitude, longitude=obj.longitude)
    if isinstance(obj, Period):
        out.update(period_kind=obj.kind, parent=_entity_ref(obj.parent, "period", lang))
    return out

