"""Load a Mogao JSON Lines export back, through the catalogue and knowledge services.

Each line is loaded in its own savepoint: a bad line is reported with its line number and the
field at fault, and the others still load. Loading is idempotent: every row is found by its
natural key (see :mod:`mogao.export.records`) and updated in place, and pids are kept, so URLs stay
the same after a restore. Loading never deletes: rows the file does not mention (a canvas, a
transcription, a reader's correction, a mention, a work link added since the export) are left
alone, and the database ids of the rows it updates do not change.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.dateparse import parse_datetime

from mogao.catalogue import services
from mogao.catalogue.models import (
    Canvas,
    Collection,
    Institution,
    Item,
    ItemWork,
    Join,
    JoinMember,
    Transcription,
    Translation,
    Work,
    WorkCreator,
)
from mogao.core import changes
from mogao.export.records import MENTION_KEY, TRANSCRIPTION_KEY
from mogao.ingest.models import HarvestedRecord, Structure
from mogao.knowledge.models import (
    ENTITY_MODELS,
    CollectionOrigin,
    Entity,
    JoinSuggestion,
    Mention,
    Period,
    Person,
    Place,
    Subject,
)
from mogao.knowledge.services import entity_upsert
from mogao.oai.models import Tombstone
from mogao.reading.models import Correction
from mogao.search.models import FeaturedWork, TitleAlias
from mogao.showcase.models import FeaturedItem


@dataclass
class ImportReport:
    """What a load did: records per type, and (line, message) for each line that failed."""

    counts: Counter[str] = field(default_factory=Counter)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _keep_pid(model: type[models.Model], obj: Any, pid: str) -> None:
    """Give ``obj`` the exported pid (services make a fresh one on creation)."""
    if not pid or obj.pid == pid:
        return
    if model._default_manager.filter(pid=pid).exclude(pk=obj.pk).exists():
        raise ValidationError({"pid": f"Another {model._meta.verbose_name} already has the pid “{pid}”."})
    model._default_manager.filter(pk=obj.pk).update(pid=pid)
    obj.pid = pid


def _get(model: type[models.Model], field_name: str, pid: str | None, **lookup: Any) -> Any:
    if pid is None:
        return None
    found = model._default_manager.filter(**(lookup or {"pid": pid})).first()
    if found is None:
        raise ValidationError({field_name: f"No {model._meta.verbose_name} “{pid}” (it must come earlier)."})
    return found


def _set(obj: models.Model, values: dict[str, Any]) -> bool:
    """Validate and save ``obj`` with ``values`` if any of them differs; True when it did."""
    changed = obj.pk is None
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    if changed:
        obj.full_clean()
        obj.save()
    return changed


def _nth(qs: models.QuerySet[Any], rank: int) -> Any:
    """The ``rank``-th (oldest first) of the rows sharing a natural key, or None."""
    return qs.order_by("id")[rank:rank + 1].first() if rank >= 0 else None


def _when(value: str | None, field_name: str) -> Any:
    if value is None:
        return None
    parsed = parse_datetime(value)
    if parsed is None:
        raise ValidationError({field_name: f"“{value}” is not a date and time."})
    return parsed


def _user(username: str | None, field_name: str) -> Any:
    return None if username is None else _get(get_user_model(), field_name, username, username=username)


def _account(rec: dict[str, Any]) -> None:
    model = get_user_model()
    user = model._default_manager.filter(username=rec["username"]).first()
    if user is None:
        user = model(username=rec["username"])
        user.set_unusable_password()  # a restored account gets no password and no rights
    _set(user, {"first_name": rec["first_name"], "last_name": rec["last_name"]})


def _institution(rec: dict[str, Any]) -> None:
    keys = ("name", "city", "country", "latitude", "longitude", "homepage", "description", "allow_download")
    obj, _ = services.institution_upsert(code=rec["code"], **{k: rec[k] for k in keys})
    _keep_pid(Institution, obj, rec["pid"])


def _collection(rec: dict[str, Any]) -> None:
    inst = _get(Institution, "institution", rec["institution"], code=rec["institution"])
    obj, _ = services.collection_upsert(
        institution=inst, code=rec["code"], name=rec["name"], description=rec["description"]
    )
    _keep_pid(Collection, obj, rec["pid"])


def _entity(model: type[Entity], rec: dict[str, Any], extra: Iterable[str]) -> None:
    fields = {k: rec[k] for k in ("name", "aliases", "description", *extra)}
    if model is Period:
        fields["parent"] = _get(Period, "parent", rec["parent"])
    if model is Place and "within" in rec:  # files written before places had "within" leave it alone
        fields["within"] = _get(Place, "within", rec["within"])
    entity_upsert(model=model, pid=rec["pid"], authority=[tuple(a) for a in rec["authorities"]], **fields)


def _work(rec: dict[str, Any]) -> None:
    keys = ("title", "aliases", "identifiers", "description", "category", "date_expression", "year_start",
            "year_end", "visibility")
    creators = [(_get(Person, "creators", pid), role) for pid, role in rec["creators"]]
    work, _ = services.work_upsert(
        pid=rec["pid"], period=_get(Period, "period", rec["period"]), **{k: rec[k] for k in keys},
    )
    for order, (person, role) in enumerate(creators):  # added or updated, never removed
        link = WorkCreator.objects.filter(work=work, person=person, role=role).first()
        _set(link or WorkCreator(work=work, person=person, role=role), {"order": order})


def _curated_work(rec: dict[str, Any]) -> Work:
    if rec["work"] is None:
        raise ValidationError({"work": "Name the work (its pid)."})
    work: Work = _get(Work, "work", rec["work"])
    return work


def _title_alias(rec: dict[str, Any]) -> None:
    """Add or update a curated title, found by its work and text (as the model normalizes it)."""
    work = _curated_work(rec)
    text = " ".join(rec["text"].split())
    found = TitleAlias.objects.filter(work=work, text=text).first()
    values = {k: rec[k] for k in ("language", "kind", "provenance", "note")}
    _set(found or TitleAlias(work=work, text=text), values)  # its save reaches search through the channel


def _featured_work(rec: dict[str, Any]) -> None:
    """Add or update a work's featured mark (one per work)."""
    work = _curated_work(rec)
    found = FeaturedWork.objects.filter(work=work).first()
    _set(found or FeaturedWork(work=work), {"provenance": rec["provenance"]})  # (announced by its save)


def _featured_item(rec: dict[str, Any]) -> None:
    """Add or update an item's mark on the home page (one per item)."""
    if rec["item"] is None:
        raise ValidationError({"item": "Name the item (its pid)."})
    item = _get(Item, "item", rec["item"])
    found = FeaturedItem.objects.filter(item=item).first()
    _set(found or FeaturedItem(item=item), {"position": rec["position"], "caption": rec["caption"]})


_ITEM_FIELDS = (
    "title", "description", "item_type", "languages", "material", "dimensions", "extent", "date_expression",
    "year_start", "year_end", "acquisition_year", "provenance", "notes", "rights", "allow_download",
    "digitization_status", "visibility",
)


def _item(rec: dict[str, Any]) -> None:
    inst = _get(Institution, "institution", rec["institution"], code=rec["institution"])
    fields: dict[str, Any] = {k: rec[k] for k in _ITEM_FIELDS}
    fields.update(
        collection=_get(Collection, "collection", rec["collection"], institution=inst, code=rec["collection"])
        if rec["collection"] else None,
        period=_get(Period, "period", rec["period"]),
        find_place=_get(Place, "find_place", rec["find_place"]),
        acquired_by=_get(Person, "acquired_by", rec["acquired_by"]),
    )
    works = [(_get(Work, "works", pid), role, locator) for pid, role, locator in rec["works"]]
    item = Item.objects.filter(pid=rec["pid"]).first()
    if item is None:
        item, _ = services.item_upsert(
            institution=inst, shelfmark=rec["shelfmark"], local_id=rec["local_id"], **fields,
        )
        _keep_pid(Item, item, rec["pid"])
    else:
        for name, value in {"institution": inst, "shelfmark": rec["shelfmark"], "local_id": rec["local_id"],
                            **fields}.items():
            setattr(item, name, value)
        item.full_clean()
        item.save()
    _sync_works(item, works)
    _sync_canvases(item, rec["canvases"])
    _sync_translations(item, rec.get("translations", []))
    _sync_structure(item, rec.get("structure"))
    changes.announce(Item, [item.pk])  # (its saves and update()s announce themselves too)


def _sync_works(item: Item, works: list[tuple[Work, str, str]]) -> None:
    """Add or update the exported work links (by work and role); links added since are kept."""
    for order, (work, role, locator) in enumerate(works):
        link = ItemWork.objects.filter(item=item, work=work, role=role).first()
        _set(link or ItemWork(item=item, work=work, role=role), {"locator": locator, "order": order})


def _sync_canvases(item: Item, canvases: list[dict[str, Any]]) -> None:
    """Add or update the exported canvases (by order) and their transcriptions; never delete."""
    for spec in canvases:
        fields = {k: spec[k] for k in ("label", "width", "height", "image_id", "service_url", "source_url")}
        canvas, _ = services.canvas_upsert(item=item, order=spec["order"], **fields)
        for text in spec.get("transcriptions", []):
            values = {k: v for k, v in text.items() if k != "rank"}
            key = {k: values[k] for k in TRANSCRIPTION_KEY}
            found = _nth(Transcription.objects.filter(canvas=canvas, **key), text.get("rank", 0))
            _set(found or Transcription(canvas=canvas), values)


def _sync_translations(item: Item, translations: list[dict[str, Any]]) -> None:
    """Add or update the exported translations, found by canvas, language and translator."""
    canvases = {c.order: c for c in item.canvases.all()}
    ranks: Counter[tuple[Any, ...]] = Counter()
    for spec in translations:
        canvas = canvases.get(spec["canvas"]) if spec["canvas"] is not None else None
        if spec["canvas"] is not None and canvas is None:
            raise ValidationError({"translations": f"No canvas {spec['canvas']} in this item."})
        key = (spec["canvas"], spec["language"], spec["translator"])
        qs = Translation.objects.filter(item=item, canvas=canvas, language=spec["language"],
                                        translator=spec["translator"])
        found = _nth(qs, ranks[key])
        ranks[key] += 1
        _set(found or Translation(item=item, canvas=canvas),
             {k: v for k, v in spec.items() if k != "canvas"})


def _sync_structure(item: Item, spec: dict[str, Any] | None) -> None:
    if spec is None:  # an export without a structure never removes one
        return
    _set(Structure.objects.filter(item=item).first() or Structure(item=item), spec)


def _join(rec: dict[str, Any]) -> None:
    items = [_get(Item, "items", pid) for pid in rec["items"]]
    fields = {"label_map": rec["label"], "evidence": rec["evidence"], "confidence": rec["confidence"],
              "asserted_by": rec["asserted_by"], "status": rec["status"]}
    join = Join.objects.filter(pid=rec["pid"]).first()
    if join is None:
        join, _ = services.join_upsert(items=items, **fields)
        _keep_pid(Join, join, rec["pid"])
    else:
        _set(join, fields)
        present = set(join.members.values_list("item_id", flat=True))
        for order, item in enumerate(items):  # members are added, never removed
            if item.pk not in present:
                _set(JoinMember(join=join, item=item), {"order": order})
    spec = rec.get("suggestion")
    if spec is not None:
        values = {"score": spec["score"], "signals": spec["signals"], "note": spec["note"],
                  "decided_by": _user(spec["decided_by"], "suggestion.decided_by"),
                  "decided_at": _when(spec["decided_at"], "suggestion.decided_at")}
        _set(JoinSuggestion.objects.filter(join=join).first() or JoinSuggestion(join=join), values)


def _collection_origin(rec: dict[str, Any]) -> None:
    collection = _get(Collection, "collection", rec["collection"])
    place = _get(Place, "place", rec["place"])
    found = CollectionOrigin.objects.filter(collection=collection, place=place).first()
    _set(found or CollectionOrigin(collection=collection, place=place), {"note": rec["note"]})


def _transcription(ref: dict[str, Any] | None, field_name: str) -> Transcription | None:
    if ref is None:
        return None
    item = _get(Item, field_name, ref["item"])
    canvas = _get(Canvas, field_name, f"{ref['item']} p. {ref['canvas']}", item=item, order=ref["canvas"])
    qs = Transcription.objects.filter(canvas=canvas, **{k: ref[k] for k in TRANSCRIPTION_KEY})
    found = _nth(qs, ref["rank"])
    if found is None:
        raise ValidationError({field_name: f"No such transcription of {ref['item']} p. {ref['canvas']}."})
    return found


def _mention(rec: dict[str, Any]) -> None:
    kind, pid = rec["entity"]
    model = ENTITY_MODELS.get(kind)
    if model is None:
        raise ValidationError({"entity": f"Unknown kind of entity “{kind}”."})
    entity = _get(model, "entity", pid)
    item = _get(Item, "item", rec["item"])
    canvas = (_get(Canvas, "canvas", f"{rec['item']} p. {rec['canvas']}", item=item, order=rec["canvas"])
              if rec["canvas"] is not None else None)
    key = {
        "content_type": ContentType.objects.get_for_model(model), "object_id": entity.pk, "item": item,
        "work": _get(Work, "work", rec["work"]), "canvas": canvas,
        "transcription": _transcription(rec["transcription"], "transcription"),
        **{k: rec[k] for k in MENTION_KEY if k not in {"entity", "item", "work", "canvas", "transcription"}},
    }
    values = {k: rec[k] for k in ("surface", "source", "confidence", "status", "created_by")}
    values.update(reviewed_by=_user(rec["reviewed_by"], "reviewed_by"),
                  reviewed_at=_when(rec["reviewed_at"], "reviewed_at"))
    _set(_nth(Mention.objects.filter(**key), rec["rank"]) or Mention(**key), values)


def _correction(rec: dict[str, Any]) -> None:
    key = {"transcription": _transcription(rec["transcription"], "transcription"), "line": rec["line"],
           "proposed_by": _user(rec["proposed_by"], "proposed_by")}
    values = {k: rec[k] for k in ("original", "text", "note", "status", "review_note")}
    values.update(reviewed_by=_user(rec["reviewed_by"], "reviewed_by"),
                  reviewed_at=_when(rec["reviewed_at"], "reviewed_at"))
    _set(_nth(Correction.objects.filter(**key), rec["rank"]) or Correction(**key), values)


def _harvested(rec: dict[str, Any]) -> None:
    key = {"endpoint": rec["endpoint"], "identifier": rec["identifier"]}
    values = {"datestamp": rec["datestamp"], "deleted": rec["deleted"], "sets": rec["sets"],
              "item": _get(Item, "item", rec["item"])}
    _set(HarvestedRecord.objects.filter(**key).first() or HarvestedRecord(**key), values)


def _tombstone(rec: dict[str, Any]) -> None:
    key = {"kind": rec["kind"], "pid": rec["pid"]}
    values = {"reason": rec["reason"], "sets": rec["sets"], "deleted_at": _when(rec["deleted_at"], "deleted_at")}
    _set(Tombstone.objects.filter(**key).first() or Tombstone(**key), values)


LOADERS: dict[str, Callable[[dict[str, Any]], None]] = {
    "account": _account,
    "institution": _institution,
    "collection": _collection,
    "period": lambda rec: _entity(Period, rec, ("kind", "year_start", "year_end")),
    "person": lambda rec: _entity(Person, rec, ("year_start", "year_end", "dates_note", "roles")),
    "place": lambda rec: _entity(Place, rec, ("latitude", "longitude")),
    "subject": lambda rec: _entity(Subject, rec, ()),
    "collection_origin": _collection_origin,
    "work": _work,
    "title_alias": _title_alias,
    "featured_work": _featured_work,
    "item": _item,
    "featured_item": _featured_item,
    "story": lambda rec: _load_story(rec),
    "join": _join,
    "mention": _mention,
    "correction": _correction,
    "harvested_record": _harvested,
    "tombstone": _tombstone,
}


def _load_story(rec: dict[str, Any]) -> None:
    from mogao.export.stories import load_story

    load_story(rec)


def _message(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
    return " ".join(exc.messages)


def import_jsonl(lines: Iterable[str]) -> ImportReport:
    """Load every line of a Mogao JSON Lines export; never raises for a bad line."""
    report = ImportReport()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            report.errors.append((number, f"not JSON: {exc.msg}"))
            continue
        kind = record.get("type") if isinstance(record, dict) else None
        loader = LOADERS.get(kind) if isinstance(kind, str) else None
        if loader is None or not isinstance(kind, str):
            report.errors.append((number, f"type: unknown record type {kind!r}"))
            continue
        try:
            with transaction.atomic():
                loader(record)
        except ValidationError as exc:
            report.errors.append((number, f"{kind} {record.get('pid', '')}: {_message(exc)}"))
            continue
        except KeyError as exc:
            report.errors.append((number, f"{kind}: missing field {exc.args[0]}"))
            continue
        except (TypeError, ValueError, AttributeError) as exc:
            report.errors.append((number, f"{kind}: malformed value ({exc})"))
            continue
        report.counts[kind] += 1
    return report
