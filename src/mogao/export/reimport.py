"""Load a Mogao JSON Lines export back, through the catalogue and knowledge services.

Each line is loaded in its own savepoint: a bad line is reported with its line number and the
field at fault, and the others still load. Loading is idempotent (records are found by pid or
natural key and updated in place), and pids are kept, so URLs stay the same after a restore.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from mogao.catalogue import services
from mogao.catalogue.models import (
    Canvas,
    Collection,
    Institution,
    Item,
    ItemWork,
    Join,
    Transcription,
    Translation,
    Work,
)
from mogao.core import changes
from mogao.knowledge.models import Entity, Period, Person, Place
from mogao.knowledge.services import entity_upsert


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
    entity_upsert(model=model, pid=rec["pid"], authority=[tuple(a) for a in rec["authorities"]], **fields)


def _work(rec: dict[str, Any]) -> None:
    keys = ("title", "aliases", "identifiers", "description", "category", "date_expression", "year_start",
            "year_end", "visibility")
    creators = [(_get(Person, "creators", pid), role) for pid, role in rec["creators"]]
    services.work_upsert(
        pid=rec["pid"], period=_get(Period, "period", rec["period"]), creators=creators,
        **{k: rec[k] for k in keys},
    )


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
    changes.announce(Item, [item.pk])  # (its saves and update()s announce themselves too)


def _sync_works(item: Item, works: list[tuple[Work, str, str]]) -> None:
    wanted = [(w.pk, role, locator) for w, role, locator in works]
    current = list(item.item_works.order_by("order").values_list("work_id", "role", "locator"))
    if current == wanted:
        return
    item.item_works.all().delete()
    for order, (work_id, role, locator) in enumerate(wanted):
        link = ItemWork(item=item, work_id=work_id, role=role, locator=locator, order=order)
        link.full_clean()
        link.save()


def _sync_canvases(item: Item, canvases: list[dict[str, Any]]) -> None:
    keep = {c["order"] for c in canvases}
    Canvas.objects.filter(item=item).exclude(order__in=keep).delete()
    for spec in canvases:
        fields = {k: spec[k] for k in ("label", "width", "height", "image_id", "service_url", "source_url")}
        canvas, _ = services.canvas_upsert(item=item, order=spec["order"], **fields)
        if "transcriptions" in spec:
            canvas.transcriptions.all().delete()
            for text in spec["transcriptions"]:
                obj = Transcription(canvas=canvas, **text)
                obj.full_clean()
                obj.save()


def _sync_translations(item: Item, translations: list[dict[str, Any]]) -> None:
    item.translations.all().delete()
    canvases = {c.order: c for c in item.canvases.all()}
    for spec in translations:
        canvas = canvases.get(spec["canvas"]) if spec["canvas"] is not None else None
        obj = Translation(item=item, canvas=canvas, **{k: v for k, v in spec.items() if k != "canvas"})
        obj.full_clean()
        obj.save()


def _join(rec: dict[str, Any]) -> None:
    items = [_get(Item, "items", pid) for pid in rec["items"]]
    obj, _ = services.join_upsert(
        items=items, label_map=rec["label"], evidence=rec["evidence"], confidence=rec["confidence"],
        asserted_by=rec["asserted_by"], status=rec["status"],
    )
    _keep_pid(Join, obj, rec["pid"])


LOADERS: dict[str, Callable[[dict[str, Any]], None]] = {
    "institution": _institution,
    "collection": _collection,
    "period": lambda rec: _entity(Period, rec, ("kind", "year_start", "year_end")),
    "person": lambda rec: _entity(Person, rec, ("year_start", "year_end", "dates_note", "roles")),
    "place": lambda rec: _entity(Place, rec, ("latitude", "longitude")),
    "work": _work,
    "item": _item,
    "join": _join,
}


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
