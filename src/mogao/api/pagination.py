"""Cursor pagination over a unique ordering key: stable under inserts, no deep OFFSET scans."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import Any, Literal

from django.db.models import Model, QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.errors import ValidationError

Lang = Literal["en", "zh-hans", "zh-hant", "fr"]


class ListQuery(Schema):
    """Parameters every list operation takes."""

    limit: int = Field(25, ge=1, le=100, description="Results per page (1–100).")
    cursor: str | None = Field(None, max_length=400, description="Opaque cursor from a previous page's `next`.")
    lang: Lang | None = Field(None, description="Language of `label` (else Accept-Language).")


class DetailQuery(Schema):
    lang: Lang | None = Field(None, description="Language of `label` (else Accept-Language).")


def _decode(cursor: str) -> str:
    try:
        value = base64.urlsafe_b64decode(cursor.encode("ascii") + b"==").decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError):
        value = ""
    if not value.startswith("k:"):
        raise ValidationError([{"loc": ["query", "cursor"], "msg": "Invalid cursor.", "type": "value_error"}])
    return value[2:]


def _encode(key: str) -> str:
    return base64.urlsafe_b64encode(f"k:{key}".encode()).decode("ascii").rstrip("=")


def paginate(
    request: HttpRequest, qs: QuerySet[Any], query: ListQuery, *, key: str = "pid",
) -> tuple[Sequence[Model], str | None]:
    """One page of ``qs`` ordered by the unique ``key`` after the cursor, and the next page's URL."""
    qs = qs.order_by(key)
    if query.cursor:
        qs = qs.filter(**{f"{key}__gt": _decode(query.cursor)})
    rows = list(qs[: query.limit + 1])
    if len(rows) <= query.limit:
        return rows, None
    rows = rows[: query.limit]
    params = request.GET.copy()
    params["cursor"] = _encode(str(getattr(rows[-1], key)))
    return rows, request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
