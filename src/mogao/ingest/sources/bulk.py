"""Bulk loading of a batch of flat item records: one lookup for the batch, one insert for new items.

This is the fast path behind CSV/JSON imports of large files. It produces exactly what
:func:`mogao.catalogue.services.item_upsert` would (same validation through the model's
``clean_fields``/``clean``, same pid scheme, history rows, the same change announced on the
change channel) but
costs a handful of queries per batch instead of a dozen per record: items, their history rows
and work links are written by :func:`mogao.ingest.bulkwrite.insert` (each value prepared once) and
announced with one :func:`mogao.core.changes.announce` per batch. Records it cannot decide
safely (changed items, clashing shelfmarks or pids) are left to the per-record path.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from mogao.catalogue.models import Item, ItemWork
from mogao.core import changes
from mogao.core.pids import slug_text
from mogao.ingest.bulkwrite import insert
from mogao.ingest.records import Outcome, Record

ItemFields = dict[str, Any]
_FOREIGN_KEYS = [f.name for f in Item._meta.concrete_fields if f.is_relation]
_FIELD_NAMES = [f.name for f in Item._meta.concrete_fields]


def _pid_base(*parts: str, max_length: int = 100) -> str:
    """The first pid :func:`mogao.core.pids.make_pid` would try for ``parts``."""
    base = "-".join(p for p in (slug_text(part) for part in parts) if p)[: max_length - 6] or "record"
    return base.strip("-")


def _same(
    item: Item, fields: ItemFields, works: list[tuple[int, str]] | None, current_works: list[tuple[int, str]]
) -> bool:
    for name, value in fields.items():
        if name == "collection":
            if item.collection_id != (value.pk if value is not None else None):
                return False
        elif getattr(item, name) != value:
            return False
    return works is None or works == current_works


def load_many(prepared: list[tuple[Record, ItemFields, list[tuple[int, str]] | None]]) -> dict[int, Outcome]:
    """Decide or write what can be done in bulk; returns {record index: outcome} for those records.

    ``prepared`` holds (record, item_upsert keyword fields incl. institution/local_id/shelfmark,
    wanted works as (work id, role) or None). Must run inside a transaction.
    """
    if not prepared:
        return {}
    institution = prepared[0][1]["institution"]
    same_institution = [p for p in prepared if p[1]["institution"].pk == institution.pk]
    keys = [p[1]["local_id"] for p in same_institution]
    existing = {i.local_id: i for i in Item.objects.filter(institution=institution, local_id__in=keys)}
    works_now: dict[int, list[tuple[int, str]]] = {}
    for row in ItemWork.objects.filter(item__in=existing.values()).order_by("item_id", "order", "id").values_list(
        "item_id", "work_id", "role"
    ):
        works_now.setdefault(row[0], []).append((row[1], row[2]))
    outcomes: dict[int, Outcome] = {}
    new: list[tuple[Record, ItemFields, list[tuple[int, str]] | None]] = []
    for record, fields, works in same_institution:
        item = existing.get(fields["local_id"])
        if item is not None:
            rest = {k: v for k, v in fields.items() if k != "institution"}
            if _same(item, rest, works, works_now.get(item.pk, [])):
                outcomes[record.index] = "unchanged"
        else:
            new.append((record, fields, works))
    _create(new, institution, outcomes)
    return outcomes


def _create(
    new: list[tuple[Record, ItemFields, list[tuple[int, str]] | None]], institution: Any,
    outcomes: dict[int, Outcome],
) -> None:
    if not new:
        return
    shelfmarks = {f["shelfmark"] for _r, f, _w in new if f.get("shelfmark")}
    taken_shelfmarks = set(
        Item.objects.filter(institution=institution, shelfmark__in=shelfmarks).values_list("shelfmark", flat=True)
    )
    candidates = []
    for _record, fields, _works in new:
        title = fields.get("title") or {}
        first_title = next(iter(title.values()), [""])[0] if title else ""
        candidates.append(_pid_base(institution.code, fields.get("shelfmark") or fields["local_id"] or first_title))
    taken_pids = set(Item.objects.filter(pid__in=candidates).values_list("pid", flat=True))
    objs: list[Item] = []
    wanted_works: list[list[tuple[int, str]] | None] = []
    records: list[Record] = []
    for (record, fields, works), pid in zip(new, candidates, strict=True):
        shelfmark = fields.get("shelfmark", "")
        if pid in taken_pids or (shelfmark and shelfmark in taken_shelfmarks):
            continue  # left to the per-record path, which suffixes the pid or reports the clash
        obj = Item(pid=pid, **fields)
        try:
            # Foreign keys are already resolved objects; re-checking that they exist would cost a
            # query per key per record.
            # Defaults of fields the record does not set are valid by construction.
            obj.clean_fields(exclude=[*_FOREIGN_KEYS, *(n for n in _FIELD_NAMES if n not in fields and n != "pid")])
            obj.clean()
        except ValidationError:
            continue  # the per-record path reports it with the service's own messages
        taken_pids.add(pid)
        if shelfmark:
            taken_shelfmarks.add(shelfmark)
        objs.append(obj)
        wanted_works.append(works)
        records.append(record)
    if not objs:
        return
    created = insert(objs, key="pid", history=True)
    links = [
        ItemWork(item=item, work_id=work_id, role=role, order=order)
        for item, works in zip(created, wanted_works, strict=True)
        for order, (work_id, role) in enumerate(works or [])
    ]
    insert(links)
    changes.announce(Item, [item.pk for item in created], stamped=True)  # one announcement per batch
    for record in records:
        outcomes[record.index] = "created"
