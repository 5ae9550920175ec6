"""The Mogao JSON Lines record format, version 1: one self-describing object per line.

Every line has ``"type"``; records name each other by natural key (pid; institutions by ``code``;
collections by ``institution`` code + ``code``; accounts by ``username``; canvases by item pid +
``order``; transcriptions by canvas + ``language``/``source``/``engine`` + ``rank``, their place
among the canvas's transcriptions with the same three values, oldest first). Lines come in
dependency order, so a reader can load them one by one:

account, institution, collection, period, person, place, subject, collection_origin, work,
title_alias, featured_work (curated titles and featured marks of a work, by the work's pid), item
(with its canvases, transcriptions, translations and ingest structure), featured_item (the home page's
curated items, by the item's pid), story (with its steps, :mod:`mogao.export.stories`), join (with its
suggestion), mention, correction, harvested_record, tombstone.

Database ids and automatic timestamps are not exported: they are how this database stored the
record, not the record. Which tables are exported, and why the others are not, is decided in
:mod:`mogao.export.policy`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, QuerySet

from mogao.catalogue.models import (
    Canvas,
    Collection,
    Institution,
    Item,
    ItemWork,
    Join,
    Transcription,
    Visibility,
    Work,
)
from mogao.ingest.models import HarvestedRecord, Structure
from mogao.knowledge.models import (
    AuthorityLink,
    CollectionOrigin,
    Entity,
    JoinSuggestion,
    Mention,
    Period,
    Person,
    Place,
    Subject,
)
from mogao.oai.models import Tombstone
from mogao.reading.models import Correction
from mogao.search.models import FeaturedWork, TitleAlias
from mogao.showcase.models import FeaturedItem

FORMAT_VERSION = 1
Record = dict[str, Any]


def _authorities(obj: Entity) -> list[list[str]]:
    ct = ContentType.objects.get_for_model(type(obj))
    links = AuthorityLink.objects.filter(content_type=ct, object_id=obj.pk).order_by("scheme", "identifier")
    return [[a.scheme, a.identifier] for a in links]


def _pid(obj: Any) -> str | None:
    return None if obj is None else str(obj.pid)


def _username(user: Any) -> str | None:
    return None if user is None else str(user.get_username())


def _when(value: dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


TRANSCRIPTION_KEY = ("language", "source", "engine")


def transcription_ranks(transcriptions: list[Transcription]) -> dict[int, int]:
    """pk -> rank: the place of each transcription among those of its canvas with the same
    language, source and engine, oldest (lowest id) first. ``transcriptions``: one canvas's."""
    seen: dict[tuple[Any, ...], int] = {}
    ranks: dict[int, int] = {}
    for t in sorted(transcriptions, key=lambda t: t.pk):
        key = tuple(getattr(t, k) for k in TRANSCRIPTION_KEY)
        ranks[t.pk] = seen.get(key, 0)
        seen[key] = ranks[t.pk] + 1
    return ranks


def account_record(user: Any) -> Record:
    """Who did the work (corrections, reviews): the username and names, never secrets or rights."""
    return {"type": "account", "username": user.get_username(), "first_name": user.first_name,
            "last_name": user.last_name}


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
    return {**_entity_base(obj, "place"), "latitude": obj.latitude, "longitude": obj.longitude,
            "within": _pid(obj.within)}


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
        texts = sorted(obj.transcriptions.all(), key=lambda t: t.pk)
        ranks = transcription_ranks(texts)
        out["transcriptions"] = [
            {
                "language": t.language, "text": t.text, "layout": t.layout, "source": t.source,
                "engine": t.engine, "confidence": t.confidence, "is_primary": t.is_primary, "rank": ranks[t.pk],
            }
            for t in texts
        ]
    return out


def structure_record(item: Item) -> Record | None:
    try:
        obj: Structure = item.ingest_structure
    except Structure.DoesNotExist:
        return None
    return {"ranges": obj.ranges, "metadata": obj.metadata, "rights": obj.rights,
            "required_statement": obj.required_statement, "source_url": obj.source_url}


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
        "structure": structure_record(obj),
    }
    if with_text:
        orders = {c.pk: c.order for c in obj.canvases.all()}
        out["translations"] = [
            {
                "canvas": orders.get(t.canvas_id) if t.canvas_id else None, "language": t.language,
                "text": t.text, "passages": t.passages, "translator": t.translator,
            }
            for t in sorted(obj.translations.all(), key=lambda t: t.pk)
        ]
    return out


def join_record(obj: Join, *, public_only: bool = False) -> Record:
    try:
        suggestion: JoinSuggestion | None = obj.suggestion
    except JoinSuggestion.DoesNotExist:
        suggestion = None
    return {
        "type": "join", "pid": obj.pid, "label": obj.label_map, "evidence": obj.evidence,
        "confidence": obj.confidence, "asserted_by": obj.asserted_by, "status": obj.status,
        "items": [m.item.pid for m in obj.members.all()],
        "suggestion": None if suggestion is None else {
            "score": suggestion.score, "signals": suggestion.signals, "note": suggestion.note,
            "decided_by": None if public_only else _username(suggestion.decided_by),
            "decided_at": _when(suggestion.decided_at),
        },
    }


def _entity_ref(obj: Mention) -> list[str]:
    return [obj.content_type.model, str(obj.entity.pid)]  # type: ignore[union-attr]


class _TranscriptionRefs:
    """Transcription pk -> ``{"item", "canvas", "language", "source", "engine", "rank"}``."""

    def __init__(self) -> None:
        self._refs: dict[int, Record] = {}
        by_canvas: dict[int, list[Transcription]] = {}
        for t in Transcription.objects.select_related("canvas__item").order_by("id"):
            by_canvas.setdefault(t.canvas_id, []).append(t)
        for texts in by_canvas.values():
            ranks = transcription_ranks(texts)
            for t in texts:
                self._refs[t.pk] = {"item": t.canvas.item.pid, "canvas": t.canvas.order, "language": t.language,
                                    "source": t.source, "engine": t.engine, "rank": ranks[t.pk]}

    def __call__(self, pk: int | None) -> Record | None:
        return None if pk is None else self._refs[pk]


def _ranked(records: list[tuple[tuple[Any, ...], Record]]) -> Iterator[Record]:
    """Give each record its ``rank`` among those with the same natural key (input in id order)."""
    seen: dict[str, int] = {}
    for key, record in records:
        marker = repr(key)
        record["rank"] = seen.get(marker, 0)
        seen[marker] = record["rank"] + 1
        yield record


def mention_records(*, public_only: bool = False) -> Iterator[Record]:
    refs = _TranscriptionRefs()
    qs = Mention.objects.select_related("content_type", "item", "work", "canvas", "reviewed_by").order_by("id")
    if public_only:  # confirmed mentions of public records only: the review queue is not published
        hidden = [Visibility.PRIVATE, Visibility.WITHDRAWN]
        qs = qs.filter(status=Mention.Status.CONFIRMED).exclude(item__visibility__in=hidden)
        qs = qs.exclude(work__visibility__in=hidden)
    rows = []
    for m in qs:
        if m.entity is None:
            continue
        record: Record = {
            "type": "mention", "entity": _entity_ref(m), "item": _pid(m.item), "work": _pid(m.work),
            "canvas": m.canvas.order if m.canvas else None, "transcription": refs(m.transcription_id),
            "role": m.role, "field": m.field, "span_start": m.span_start, "span_end": m.span_end,
            "surface": m.surface, "source": m.source, "confidence": m.confidence, "status": m.status,
            "created_by": "" if public_only else m.created_by,
            "reviewed_by": None if public_only else _username(m.reviewed_by),
            "reviewed_at": _when(m.reviewed_at),
        }
        key = tuple(repr(record[k]) for k in MENTION_KEY)
        rows.append((key, record))
    yield from _ranked(rows)


#: what identifies a mention (with its rank among mentions sharing these values)
MENTION_KEY = ("entity", "item", "work", "canvas", "transcription", "role", "field", "span_start", "span_end")
#: what identifies a correction (with its rank)
CORRECTION_KEY = ("transcription", "line", "proposed_by")


def correction_records() -> Iterator[Record]:
    refs = _TranscriptionRefs()
    rows = []
    for c in Correction.objects.select_related("proposed_by", "reviewed_by").order_by("id"):
        record: Record = {
            "type": "correction", "transcription": refs(c.transcription_id), "line": c.line,
            "original": c.original, "text": c.text, "note": c.note, "status": c.status,
            "proposed_by": _username(c.proposed_by), "reviewed_by": _username(c.reviewed_by),
            "reviewed_at": _when(c.reviewed_at), "review_note": c.review_note,
        }
        rows.append((tuple(repr(record[k]) for k in CORRECTION_KEY), record))
    yield from _ranked(rows)


def title_alias_record(obj: TitleAlias) -> Record:
    """A curated title of a work; found again by the work's pid and the title."""
    return {"type": "title_alias", "work": obj.work.pid, "text": obj.text, "language": obj.language,
            "kind": obj.kind, "provenance": obj.provenance, "note": obj.note}


def featured_work_record(obj: FeaturedWork) -> Record:
    """A curator's featured mark on a work (at most one per work); found again by the work's pid."""
    return {"type": "featured_work", "work": obj.work.pid, "provenance": obj.provenance}


def featured_item_record(obj: FeaturedItem) -> Record:
    """A curator's mark putting an item on the home page (at most one per item), by the item's pid."""
    return {"type": "featured_item", "item": obj.item.pid, "position": obj.position, "caption": obj.caption}


def collection_origin_record(obj: CollectionOrigin) -> Record:
    return {"type": "collection_origin", "collection": obj.collection.pid, "place": obj.place.pid, "note": obj.note}


def harvested_record(obj: HarvestedRecord) -> Record:
    return {"type": "harvested_record", "endpoint": obj.endpoint, "identifier": obj.identifier,
            "datestamp": obj.datestamp, "deleted": obj.deleted, "item": _pid(obj.item), "sets": obj.sets}


def tombstone_record(obj: Tombstone) -> Record:
    return {"type": "tombstone", "kind": obj.kind, "pid": obj.pid, "reason": obj.reason, "sets": obj.sets,
            "deleted_at": _when(obj.deleted_at)}


def export_items(*, public_only: bool = False) -> QuerySet[Item]:
    """Items in a stable order with everything :func:`item_record` reads."""
    qs = Item.objects.select_related("institution", "collection", "period", "find_place", "acquired_by")
    if public_only:
        qs = qs.filter(visibility=Visibility.PUBLIC)
    return qs.select_related("ingest_structure").prefetch_related(
        Prefetch("item_works", queryset=ItemWork.objects.select_related("work").order_by("order", "id")),
        Prefetch("canvases", queryset=Canvas.objects.prefetch_related("transcriptions").order_by("order")),
        "translations",
    ).order_by("pid")


def _containers_first(qs: QuerySet[Any], parent: str) -> list[Any]:
    """The rows of ``qs`` (in its order), each after the row its ``parent`` field names."""
    remaining = list(qs.select_related(parent))
    done: set[int] = set()
    ordered: list[Any] = []
    while remaining:
        ready = [p for p in remaining if getattr(p, f"{parent}_id") is None or getattr(p, f"{parent}_id") in done]
        if not ready:  # a cycle cannot be saved by the admin, but never loop forever
            ready = remaining
        for row in ready:
            ordered.append(row)
            done.add(row.pk)
        remaining = [p for p in remaining if p.pk not in done]
    return ordered


def iter_records(*, public_only: bool = False) -> Iterator[Record]:
    """Every record, dependencies first; ``public_only`` drops private and withdrawn works and items
    (and what hangs on them), accounts, reader corrections and ingest bookkeeping."""
    if not public_only:
        yield from (account_record(u) for u in get_user_model()._default_manager.order_by("username"))
    yield from (institution_record(i) for i in Institution.objects.order_by("code"))
    yield from (collection_record(c) for c in Collection.objects.select_related("institution").order_by("pid"))
    yield from (period_record(p) for p in _containers_first(Period.objects.order_by("pid"), "parent"))
    yield from (person_record(p) for p in Person.objects.order_by("pid"))
    yield from (place_record(p) for p in _containers_first(Place.objects.order_by("pid"), "within"))
    yield from (_entity_base(s, "subject") for s in Subject.objects.order_by("pid"))
    origins = CollectionOrigin.objects.select_related("collection", "place")
    yield from (collection_origin_record(o) for o in origins.order_by("collection__pid", "place__pid"))
    works = Work.objects.select_related("period").prefetch_related("creators__person").order_by("pid")
    if public_only:
        works = works.filter(visibility=Visibility.PUBLIC)
    yield from (work_record(w) for w in works)
    aliases = TitleAlias.objects.select_related("work").order_by("work__pid", "text")
    featured = FeaturedWork.objects.select_related("work").order_by("work__pid")
    if public_only:  # public curation, of public works only
        aliases = aliases.filter(work__visibility=Visibility.PUBLIC)
        featured = featured.filter(work__visibility=Visibility.PUBLIC)
    yield from (title_alias_record(a) for a in aliases)
    yield from (featured_work_record(f) for f in featured)
    for item in export_items(public_only=public_only).iterator(chunk_size=500):
        yield item_record(item)
    marks = FeaturedItem.objects.select_related("item").order_by("item__pid")
    if public_only:
        marks = marks.filter(item__visibility=Visibility.PUBLIC)
    yield from (featured_item_record(m) for m in marks)
    from mogao.export.stories import story_records

    yield from story_records(public_only=public_only)
    public = set(Item.objects.filter(visibility=Visibility.PUBLIC).values_list("pid", flat=True))
    joins = Join.objects.select_related("suggestion__decided_by").prefetch_related("members__item").order_by("pid")
    for join in joins:
        record = join_record(join, public_only=public_only)
        if public_only and not set(record["items"]) <= public:
            continue
        yield record
    yield from mention_records(public_only=public_only)
    if public_only:
        yield from (tombstone_record(t) for t in Tombstone.objects.order_by("kind", "pid"))
        return
    yield from correction_records()
    harvested = HarvestedRecord.objects.select_related("item").order_by("endpoint", "identifier")
    yield from (harvested_record(h) for h in harvested)
    yield from (tombstone_record(t) for t in Tombstone.objects.order_by("kind", "pid"))
