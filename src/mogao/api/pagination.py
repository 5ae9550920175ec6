"""Cursor (keyset) pagination over a unique ordering key: stable under inserts, no deep OFFSET scans.

The cursor is the key of the last record returned; every string without control characters is a
valid position (records with a greater key follow), so a stale or hand-made cursor can never fail,
only return fewer rows; one with a control character (NUL, which PostgreSQL text cannot hold) is a
422 naming the field.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from django.db.models import Model, QuerySet
from django.http import HttpRequest
from ninja import Field, Schema

Lang = Literal["en", "zh-hans", "zh-hant", "fr"]
#: Query strings that reach the database hold no control character: PostgreSQL text cannot hold NUL,
#: and no key or identifier has one, so such a value is a 422 naming its field, never a 500.
NO_CONTROL = r"^[^\x00-\x1f\x7f-\x9f]*$"


class ListQuery(Schema):
    """Parameters every list operation takes."""

    limit: int = Field(25, ge=1, le=100, description="Results per page (1–100).")
    cursor: str | None = Field(
        None, max_length=200, pattern=NO_CONTROL,
        description="Position to continue after (the key of the previous page's last record); follow `next` "
        "rather than building it.",
    )
    lang: Lang | None = Field(None, description="Language of `label` (else Accept-Language).")


class DetailQuery(Schema):
    lang: Lang | None = Field(None, description="Language of `label` (else Accept-Language).")


def paginate(
    request: HttpRequest, qs: QuerySet[Any], query: ListQuery, *, key: str = "pid",
) -> tuple[Sequence[Model], str | None]:
    """One page of ``qs`` ordered by the unique ``key`` after the cursor, and the next page's URL."""
    qs = qs.order_by(key)
    if query.cursor:
        qs = qs.filter(**{f"{key}__gt": query.cursor})
    rows = list(qs[: query.limit + 1])
    if len(rows) <= query.limit:
        return rows, None
    rows = rows[: query.limit]
    params = request.GET.copy()
    params["cursor"] = str(getattr(rows[-1], key))
    return rows, request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
