"""Writes to the catalogue. Every service validates fully and writes atomically, or not at all.

Services are keyword-only and named ``<entity>_<action>``. They raise Django's
``ValidationError`` with field-level messages; nothing is half-saved. What they write is announced
after the commit by the change channel (:mod:`mogao.core.changes`), from the model signals.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction

from mogao.catalogue.models import (
    Canvas,
    Collection,
    Institution,
    Item,
    ItemWork,
    Join,
    JoinMember,
    Work,
    WorkCreator,
)
from mogao.core.pids import make_pid
from mogao.knowledge.models import Person

M = TypeVar("M", bound=models.Model)


def _save(obj: M, *, exclude: Iterable[str] = ()) -> M:
    obj.full_clean(exclude=list(exclude))
    obj.save()
    return obj


def _first_string(value: Any) -> str:
    """The first string of a language map, list or string (for making pids from bad input too)."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        value = next(iter(value.values()), [])
    if isinstance(value, list) and value and isinstance(value[0], str):
        return value[0]
    return ""


def _apply(obj: models.Model, fields: Mapping[str, Any]) -> bool:
    """Set ``fields`` on ``obj``; True when something changed."""
    changed = False
    for name, value in fields.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


@transaction.atomic
def institution_upsert(*, code: str, **fields: Any) -> tuple[Institution, bool]:
    """Create or update the institution with ``code``; returns (institution, created)."""
    obj = Institution.objects.filter(code=code).first()
    created = obj is None
    if obj is None:
        obj = Institution(code=code, pid=make_pid(Institution, code, max_length=40))
    if _apply(obj, fields) or created:
        _save(obj)
    return obj, created


@transaction.atomic
def collection_upsert(*, institution: Institution, code: str, **fields: Any) -> tuple[Collection, bool]:
    obj = Collection.objects.filter(institution=institution, code=code).first()
    created = obj is None
    if obj is None:
        obj = Collection(institution=institution, code=code, pid=make_pid(Collection, institution.code, code))
    if _apply(obj, fields) or created:
        _save(obj)
    return obj, created


@transaction.atomic
def work_upsert(
    *, key: tuple[str, str] | None = None, pid: str | None = None,
    creators: Iterable[tuple[Person, str]] | None = None, **fields: Any,
) -> tuple[Work, bool]:
    """Create or update a work found by an identifier (``key=("taisho", "T0235")``) or by pid."""
    obj: Work | None = None
    if pid:
        obj = Work.objects.filter(pid=pid).first()
    if obj is None and key:
        obj = Work.objects.filter(**{f"identifiers__{key[0]}": key[1]}).first()
    created = obj is None
    if obj is None:
        title = fields.get("title")
        en = _first_string(title.get("en") if isinstance(title, dict) else None) or _first_string(title)
        obj = Work(pid=pid or make_pid(Work, key[1] if key else "", en))
    changed = _apply(obj, fields)
    if changed or created:
        _save(obj)
    if creators is not None:
        changed |= _set_creators(obj, creators)
    return obj, created


def _set_creators(work: Work, creators: Iterable[tuple[Person, str]]) -> bool:
    wanted = [(p.pk, role) for p, role in creators]
    current = list(work.creators.order_by("order").values_list("person_id", "role"))
    if current == wanted:
        return False
    work.creators.all().delete()
    for order, (person_id, role) in enumerate(wanted):
        _save(WorkCreator(work=work, person_id=person_id, role=role, order=order))
    return True


@transaction.atomic
def item_upsert(
    *, institution: Institution, shelfmark: str = "", local_id: str = "",
    works: Iterable[tuple[Work, str]] | None = None, **fields: Any,
) -> tuple[Item, str]:
    """Create or update an item found by (institution, local_id) or (institution, shelfmark).

    Returns (item, outcome) where outcome is ``created``, ``updated`` or ``unchanged``.
    """
    obj: Item | None = None
    if local_id:
        obj = Item.objects.filter(institution=institution, local_id=local_id).first()
    if obj is None and shelfmark:
        obj = Item.objects.filter(institution=institution, shelfmark=shelfmark).first()
        if obj is not None and local_id and obj.local_id and obj.local_id != local_id:
            raise ValidationError({"shelfmark": [
                f"This institution already has an item with this shelfmark (record {obj.local_id})."
            ]})
    created = obj is None
    if obj is None:
        first_title = _first_string(fields.get("title"))
        obj = Item(
            institution=institution,
            pid=make_pid(Item, institution.code, shelfmark or local_id or first_title),
        )
    changed = _apply(obj, {"shelfmark": shelfmark, "local_id": local_id, **fields})
    if changed or created:
        _save(obj)
    if works is not None:
        changed |= _set_works(obj, works)
    if created:
        outcome = "created"
    elif changed:
        outcome = "updated"
    else:
        return obj, "unchanged"
    return obj, outcome


def _set_works(item: Item, works: Iterable[tuple[Work, str]]) -> bool:
    wanted = [(w.pk, role) for w, role in works]
    current = list(item.item_works.order_by("order").values_list("work_id", "role"))
    if current == wanted:
        return False
    item.item_works.all().delete()
    for order, (work_id, role) in enumerate(wanted):
        _save(ItemWork(item=item, work_id=work_id, role=role, order=order))
    return True


@transaction.atomic
def join_upsert(*, items: list[Item], **fields: Any) -> tuple[Join, bool]:
    """Create or update the join between exactly these items (found by its set of members)."""
    if len(items) < 2:
        raise ValidationError({"items": "A join needs at least two items."})
    wanted = {i.pk for i in items}
    obj: Join | None = None
    for candidate in Join.objects.filter(members__item=items[0]).prefetch_related("members"):
        if {m.item_id for m in candidate.members.all()} == wanted:
            obj = candidate
            break
    created = obj is None
    if obj is None:
        obj = Join(pid=make_pid(Join, "join", *(i.pid for i in items[:2])))
    if _apply(obj, fields) or created:
        _save(obj)
    if created:
        for order, item in enumerate(items):
            _save(JoinMember(join=obj, item=item, order=order))
    return obj, created


@transaction.atomic
def canvas_upsert(*, item: Item, order: int, **fields: Any) -> tuple[Canvas, bool]:
    obj = Canvas.objects.filter(item=item, order=order).first()
    created = obj is None
    if obj is None:
        obj = Canvas(item=item, order=order)
    if _apply(obj, fields) or created:
        _save(obj)
    return obj, created


@transaction.atomic
def item_set_status(*, item: Item, status: str) -> Item:
    """Move an item along catalogued -> requested -> scheduled -> digitized."""
    item.digitization_status = status
    _save(item)
    return item
