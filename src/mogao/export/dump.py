"""A whole-database dump that two databases holding the same records agree on.

:func:`database_dump` reads every installed table (auto-created join tables included) except those
:mod:`mogao.export.policy` leaves out, and writes each row without what only says how this
database stored it: automatic primary keys and automatic timestamps (``auto_now``,
``auto_now_add``). A reference to another row is written as that row's natural key: its first
unique field (pid, code, username…), else its first unique constraint, else its whole content.
Rows are sorted, so the dump is the same whatever order they were written in.
"""

from __future__ import annotations

import json
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from mogao.export.policy import COMPARED_FIELDS, NOT_EXPORTED

Dump = dict[str, list[str]]


def _stored_only(field: models.Field[Any, Any]) -> bool:
    """True for fields that say how this database stored the row, not what the row is."""
    if field.primary_key and isinstance(field, models.AutoField | models.BigAutoField | models.SmallAutoField):
        return True
    return bool(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))


class _Dumper:
    def __init__(self) -> None:
        self._refs: dict[tuple[str, Any], Any] = {}

    def ref(self, model: type[models.Model], pk: Any) -> Any:
        """The natural key of the row ``pk`` of ``model`` (memoized)."""
        if pk is None:
            return None
        key = (model._meta.label_lower, pk)
        if key not in self._refs:
            obj = model._default_manager.filter(pk=pk).first()
            self._refs[key] = None if obj is None else self._natural_key(obj)
        return self._refs[key]

    def _natural_key(self, obj: models.Model) -> Any:
        opts = obj._meta
        for field in opts.concrete_fields:
            if field.unique and not field.primary_key:
                return [opts.label_lower, self._value(obj, field)]
        for constraint in opts.total_unique_constraints:
            named = [opts.get_field(name) for name in constraint.fields]
            return [opts.label_lower, *(self._value(obj, f) for f in named if isinstance(f, models.Field))]
        return [opts.label_lower, self.row(obj)]

    def _value(self, obj: models.Model, field: models.Field[Any, Any]) -> Any:
        raw = getattr(obj, field.attname)
        if field.is_relation and field.related_model is not None:
            return self.ref(field.related_model, raw)
        return raw

    def row(self, obj: models.Model) -> dict[str, Any]:
        opts = obj._meta
        only = COMPARED_FIELDS.get(opts.label_lower)
        generic = {
            gfk.fk_field: gfk.ct_field for gfk in opts.private_fields if isinstance(gfk, GenericForeignKey)
        }
        out: dict[str, Any] = {}
        for field in opts.concrete_fields:
            if _stored_only(field) or (only is not None and field.name not in only):
                continue
            if field.attname in generic:  # a generic reference: the target's natural key
                ct_id = getattr(obj, f"{generic[field.attname]}_id")
                target = ContentType.objects.get_for_id(ct_id).model_class() if ct_id else None
                out[field.name] = self.ref(target, getattr(obj, field.attname)) if target else None
                continue
            out[field.name] = self._value(obj, field)
        return out


def dumped_models() -> list[type[models.Model]]:
    return [
        m for m in apps.get_models(include_auto_created=True) if m._meta.label_lower not in NOT_EXPORTED
    ]


def database_dump() -> Dump:
    """model label -> its rows, each a JSON text, sorted."""
    dumper = _Dumper()
    out: Dump = {}
    for model in dumped_models():
        rows = (dumper.row(obj) for obj in model._default_manager.all())
        out[model._meta.label_lower] = sorted(
            json.dumps(r, sort_keys=True, default=str, ensure_ascii=False) for r in rows
        )
    return out


def dump_differences(before: Dump, after: Dump) -> dict[str, dict[str, list[str]]]:
    """Per table, the rows only in ``before`` (``missing``) and only in ``after`` (``extra``)."""
    diff: dict[str, dict[str, list[str]]] = {}
    for label in sorted(before.keys() | after.keys()):
        old, new = before.get(label, []), after.get(label, [])
        missing = [r for r in old if r not in new]
        extra = [r for r in new if r not in old]
        if missing or extra or len(old) != len(new):
            diff[label] = {"missing": missing, "extra": extra}
    return diff
