"""The Mogao JSON Lines record format, version 1: one self-describing object per line.

Every line has ``"type"`` (institution, collection, period, person, place, work, item, join) and
the record's ``pid``; references name other records by pid (institutions by ``code``, collections
by ``institution`` code + ``code``). Lines come in dependency order, so a reader can load them one
by one. Items carry their canvases, transcriptions and translations. Timestamps and database ids
are not exported: they are not the record, they are how this database stored it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, QuerySet

from mogao.catalogue.models import Canvas, Collection, Institution, Item, ItemWork, Join, Visibility, Work
from mogao.knowledge.models import AuthorityLink, Entity, Period, Person, Place

FORMAT_VERSION = 1
Record = dict[str, Any]


def _authorities(obj: Entity) -> list[list[str]]:
    ct = ContentType.objects.get_for_model(type(obj))
    links = AuthorityLink.objects.filter(content_type=ct, object_id=obj.pk).order_by("scheme", "identifier")
    return [[a.scheme, a.identifier] for a in links]


def _pid(obj: Any) -> str | None:
    return None if obj is None else str(obj.pid)


def institution_record(obj: Institution) -> Record:
    return {
        "type": "institution", "pid": obj.pid, "code": obj.code, "name": obj.name, "city": obj.city,
        "country": obj.country, "latitude": obj.latitude, "longitude": obj.longitude,
        "homepage": obj.homepage, "description": obj.description, "allow_download": obj.allow_download,
    }


def collection_record(obj: Collection) -> Record:
    return {
        "type": "collection", "pid": obj.pid, "institution": obj.institution.code, "code": obj.code,
        "name": obj.name, "description": obj.description,
    }


def _entity_base(obj: Entity, kind: str) -> Record:
    return {
        "type": kind, "pid": obj.pid, "name": obj.name, "aliases": obj.aliases,
        "description": obj.description, "authorities": _authorities(obj),
    }


def person_record(obj: Person) -> Record:
    return {
        **_entity_base(obj, "person"), "year_start": obj.year_start, "year_end": obj.year_end,
        "dates_note": obj.dates_note, "roles": obj.roles,
    }


def place_record(obj: Place) -> Record:
    return {**_entity_base(obj, "place"), "latitude": obj.latitude, "longitude": obj.longitude}


def period_record(obj: Period) -> Record:
    return {
        **_entity_base(obj, "period"), "kind": obj.kind, "year_start": obj.year_start,
        "year_end": obj.year_end, "parent": _pid(obj.parent),
    }


def work_record(obj: Work) -> Record:
    return {
        "type": "work", "pid": obj.pid, "title": obj.title, "aliases": obj.aliases,
        "identifiers": obj.identifiers, "description": obj.description, "category": obj.category,
        "date_expression": obj.date_expression, "year_start": obj.year_start, "year_end": obj.year_end,
        "period": _pid(obj.period), "visibility": obj.visibility,
        "creators": [[c.person.pid, c.role] for c in obj.creators.all()],
    }


def canvas_record(obj: Canvas, *, with_text: bool = True) -> Record:
    out: Record = {
        "order": obj.order, "label": obj.label, "width": obj.width, "height": obj.height,
        "image_id": obj.image_id, "service_url": obj.service_url, "source_url": obj.source_url,
    }
    if with_text:
        out["transcriptions"] = [
            {
                "language": t.language, "text": t.text, "layout": t.layout, "source": t.source,
                "engine": t.engine, "confidence": t.confidence, "is_primary": t.is_primary,
            }
            for t in obj.transcriptions.all()
        ]
    return out


def item_record(obj: Item, *, with_text: bool = True) -> Record:
    """Everything about an item; ``with_text=False`` leaves out transcriptions and translations."""
    out: Record = {
        "type": "item", "pid": obj.pid, "institution": obj.institution.code,
        "collection": obj.collection.code if obj.collection else None,
        "shelfmark": obj.shelfmark, "local_id": obj.local_id, "title": obj.title,
        "description": obj.description, "item_type": obj.item_type, "languages": obj.languages,
        "material": obj.material, "dimensions": obj.dimensions, "extent": obj.extent,
        "date_expression": obj.date_expression, "year_start": obj.year_start, "year_end": obj.year_end,
        "period": _pid(obj.period), "find_place": _pid(obj.find_place), "acquired_by": _pid(obj.acquired_by),
        "acquisition_year": obj.acquisition_year, "provenance": obj.provenance, "notes": obj.notes,
        "rights": obj.rights, "allow_download": obj.allow_download,
        "digitization_status": obj.digitization_status, "visibility": obj.visibility,
        "works": [[iw.work.pid, iw.role, iw.locator] for iw in obj.item_works.all()],
        "canvases": [canvas_record(c, with_text=with_text) for c in obj.canvases.all()],
    }
    if with_text:
        orders = {c.pk: c.order for c in obj.canvases.all()}
        out["translations"] = [
            {
                "canvas": orders.get(t.canvas_id) if t.canvas_id else None, "language": t.language,
                "text": t.text, "passages": t.passages, "translator": t.translator,
            }
            for t in obj.translations.all()
        ]
    return out


def join_record(obj: Join) -> Record:
    return {
        "type": "join", "pid": obj.pid, "label": obj.label_map, "evidence": obj.evidence,
        "confidence": obj.confidence, "asserted_by": obj.asserted_by, "status": obj.status,
        "items": [m.item.pid for m in obj.members.all()],
    }


def export_items(*, public_only: bool = False) -> QuerySet[Item]:
    """Items in a stable order with everything :func:`item_record` reads."""
    qs = Item.objects.select_related("institution", "collection", "period", "find_place", "acquired_by")
    if public_only:
        qs = qs.filter(visibility=Visibility.PUBLIC)
    return qs.prefetch_related(
        Prefetch("item_works", queryset=ItemWork.objects.select_related("work").order_by("order", "id")),
        Prefetch("canvases", queryset=Canvas.objects.prefetch_related("transcriptions").order_by("order")),
        "translations",
    ).order_by("pid")


def _periods_parents_first() -> list[Period]:
    remaining = list(Period.objects.select_related("parent").order_by("pid"))
    done: set[int] = set()
    ordered: list[Period] = []
    while remaining:
        ready = [p for p in remaining if p.parent_id is None or p.parent_id in done]
        if not ready:  # a cycle cannot be saved by the admin, but never loop forever
            ready = remaining
        for period in ready:
            ordered.append(period)
            done.add(period.pk)
        remaining = [p for p in remaining if p.pk not in done]
    return ordered


def iter_records(*, public_only: bool = False) -> Iterator[Record]:
    """Every record, dependencies first; ``public_only`` drops private and withdrawn works and items."""
    yield from (institution_record(i) for i in Institution.objects.order_by("code"))
    yield from (collection_record(c) for c in Collection.objects.select_related("institution").order_by("pid"))
    yield from (period_record(p) for p in _periods_parents_first())
    yield from (person_record(p) for p in Person.objects.order_by("pid"))
    yield from (place_record(p) for p in Place.objects.order_by("pid"))
    works = Work.objects.select_related("period").prefetch_related("creators__person").order_by("pid")
    if public_only:
        works = works.filter(visibility=Visibility.PUBLIC)
    yield from (work_record(w) for w in works)
    for item in export_items(public_only=public_only).iterator(chunk_size=500):
        yield item_record(item)
    public = set(Item.objects.filter(visibility=Visibility.PUBLIC).values_list("pid", flat=True))
    for join in Join.objects.prefetch_related("members__item").order_by("pid"):
        record = join_record(join)
        if public_only and not set(record["items"]) <= public:
            continue
        yield record
