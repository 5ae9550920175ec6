"""Conditional writes: a record's version, HTTP preconditions for the API, stale admin forms refused.

A record's *version* is a hash of its database row (every concrete field, ``updated`` included
where the model has it). It changes with every write that reaches the row, whichever path made
it (admin, API, importers, ``QuerySet.update``), and needs no extra column.

- The API sends ``ETag: "<version>-<body digest>"`` and ``Last-Modified`` (the ``updated`` field) on
  reads of records it can write, and on the write's own response. :func:`check_preconditions`
  honours ``If-Match`` (strong comparison of the version part; ``*`` matches any existing record)
  and, when there is no ``If-Match``, ``If-Unmodified-Since``; a failed precondition raises
  :class:`PreconditionFailed`, which the API answers with 412 and a JSON message.
- :class:`ConcurrencyGuardAdmin` is a ModelAdmin mixin: the change form carries the version it
  was loaded from in a hidden field (the record's row and its inline rows, :func:`form_version`),
  and a submit whose version is no longer current is refused with a message (nothing is saved,
  inlines included). The row is locked (``SELECT … FOR UPDATE``)
  while it is checked, so two simultaneous submits cannot both pass.

A submit without the hidden field (an old form, a script) is not checked: it cannot be judged stale.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.utils.http import http_date, parse_http_date_safe
from django.utils.translation import gettext_lazy as _

VERSION_FIELD = "_mogao_version"
STALE_MESSAGE = _(
    "Someone else saved this record after you opened it. Nothing was saved: reload the page to see "
    "their changes, then make yours again."
)


class PreconditionFailed(Exception):
    """An ``If-Match`` or ``If-Unmodified-Since`` precondition does not hold (HTTP 412)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _row_values(model: type[models.Model], pk: Any, *, lock: bool = False) -> dict[str, Any] | None:
    names = [f.attname for f in model._meta.concrete_fields]
    qs = model._default_manager.filter(pk=pk)
    if lock and transaction.get_connection(qs.db).in_atomic_block:  # a lock outlives only a transaction
        qs = qs.select_for_update()
    return qs.values(*names).first()


def _digest(values: dict[str, Any]) -> str:
    blob = json.dumps(values, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


def record_version(obj: models.Model, *, lock: bool = False) -> str | None:
    """The version of ``obj``'s row as stored now (``None`` when the row does not exist).

    ``lock=True`` takes a row lock until the end of the transaction when called inside ``atomic``
    (outside one, a lock would end with the query: the row is read without it).
    """
    if obj.pk is None:
        return None
    values = _row_values(type(obj), obj.pk, lock=lock)
    return None if values is None else _digest(values)


def last_modified(obj: models.Model) -> dt.datetime | None:
    value = getattr(obj, "updated", None)
    return value if isinstance(value, dt.datetime) else None


def set_validators(response: HttpResponse, obj: models.Model) -> None:
    """Put ``ETag: "<version>"`` and ``Last-Modified`` for ``obj``'s current row on ``response``.

    The API's reads then append the body's digest (``"<version>-<digest>"``), so that each
    representation (language) has its own tag; ``If-Match`` compares the version part only.
    """
    version = record_version(obj)
    if version is not None:
        response["ETag"] = f'"{version}"'
    modified = last_modified(obj)
    if modified is not None:
        response["Last-Modified"] = http_date(modified.timestamp())


def _tag_versions(header: str) -> list[str]:
    """The version part of every strong entity tag in an ``If-Match`` header (weak tags never match)."""
    out = []
    for raw in header.split(","):
        tag = raw.strip()
        if tag.startswith("W/") or len(tag) < 2 or not (tag.startswith('"') and tag.endswith('"')):
            continue
        out.append(tag[1:-1].split("-", 1)[0])
    return out


def check_preconditions(request: HttpRequest, obj: models.Model) -> None:
    """Raise :class:`PreconditionFailed` unless ``request``'s preconditions hold for ``obj``'s row.

    Call inside ``transaction.atomic`` before writing: the row stays locked until the write commits.
    """
    if_match = request.headers.get("If-Match")
    if if_match is not None:
        current = record_version(obj, lock=True)
        if if_match.strip() == "*":
            if current is None:
                raise PreconditionFailed("If-Match: * but the record does not exist.")
            return
        if current is None or current not in _tag_versions(if_match):
            raise PreconditionFailed(
                "If-Match does not match the record's current ETag: it was changed since you read it. "
                "Read it again (GET) and resend your change with the new ETag."
            )
        return
    since_header = request.headers.get("If-Unmodified-Since")
    if since_header is None:
        return
    since = parse_http_date_safe(since_header)
    if since is None:  # an invalid date is ignored (RFC 9110 §13.1.4)
        return
    record_version(obj, lock=True)
    fresh = type(obj)._default_manager.filter(pk=obj.pk).first()
    modified = last_modified(fresh) if fresh is not None else None
    if modified is not None and int(modified.timestamp()) > since:
        raise PreconditionFailed(
            "The record was modified after the If-Unmodified-Since date: read it again and resend your change."
        )


def form_version(obj: models.Model, inline_models: list[type[models.Model]], *, lock: bool = False) -> str | None:
    """The version of everything a change form shows: ``obj``'s row and its inline rows.

    ``lock=True`` locks ``obj``'s row first, so concurrent checks of the same record queue up.
    """
    own = record_version(obj, lock=lock)
    if own is None or not inline_models:
        return own
    parts: dict[str, Any] = {"own": own}
    for model in inline_models:
        link = next((f for f in model._meta.concrete_fields
                     if f.is_relation and f.related_model is type(obj)), None)
        if link is None:
            continue
        names = [f.attname for f in model._meta.concrete_fields]
        rows = model._default_manager.filter(**{link.attname: obj.pk}).order_by("pk").values(*names)
        parts[model._meta.label_lower] = list(rows)
    return _digest(parts)


class _VersionedForm(forms.ModelForm):
    """Refuses to validate when the record changed since the form was loaded."""

    _mogao_inline_models: list[type[models.Model]] = []

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        loaded = self.data.get(VERSION_FIELD) if self.is_bound else None
        if loaded and self.instance.pk is not None:
            current = form_version(self.instance, self._mogao_inline_models, lock=True)
            if current != loaded:
                raise forms.ValidationError(STALE_MESSAGE, code="stale")
        return cleaned


class ConcurrencyGuardAdmin:
    """ModelAdmin mixin (put it first in the bases): stale change forms are refused, nothing saved.

    The version covers the record's row and the rows of its inlines, so an edit made only in an
    inline (a join's members) also makes the other session's form stale.
    """

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        base = kwargs.pop("form", None) or self.form  # type: ignore[attr-defined]
        inline_models = [inline.model for inline in getattr(self, "inlines", ())]
        version = form_version(obj, inline_models) if obj is not None else None
        attrs = {
            VERSION_FIELD: forms.CharField(widget=forms.HiddenInput, required=False, initial=version or ""),
            "_mogao_inline_models": inline_models,
            "__module__": base.__module__,
        }
        form = type(base.__name__, (_VersionedForm, base), attrs)
        return super().get_form(request, obj, change=change, form=form, **kwargs)  # type: ignore[misc]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)  # type: ignore[misc]
        if obj is None or VERSION_FIELD in flatten_fieldsets(fieldsets):
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options.get("fields", ()), VERSION_FIELD]}), *rest]
