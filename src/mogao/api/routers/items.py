"""Items: read (public), their canvases and transcriptions, and curators' writes with a token."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Query, Router, Status
from ninja.errors import HttpError

from mogao.accounts import policy
from mogao.api import selectors, serializers, services
from mogao.api.auth import require_write, token_auth
from mogao.api.http import COMMON_ERRORS, ErrorOut, request_language
from mogao.api.pagination import NO_CONTROL, DetailQuery, ListQuery, paginate
from mogao.api.schemas import (
    CanvasOut,
    ItemCreate,
    ItemOut,
    ItemPage,
    ItemPatch,
    ItemStatus,
    ItemType,
    TranscriptionOut,
)
from mogao.catalogue.models import Collection, Institution, Item
from mogao.core import concurrency
from mogao.knowledge.models import Period, Place

router = Router(tags=["items"])
WRITE_ERRORS = {**COMMON_ERRORS, 401: ErrorOut, 403: ErrorOut, 409: ErrorOut, 412: ErrorOut}


class ItemQuery(ListQuery):
    institution: str | None = Field(None, max_length=40, pattern=NO_CONTROL, description="Institution pid.")
    collection: str | None = Field(None, max_length=100, pattern=NO_CONTROL, description="Collection pid.")
    work: str | None = Field(None, max_length=120, pattern=NO_CONTROL, description="Work pid: the work's witnesses.")
    type: ItemType | None = Field(None, description="Item type.")
    status: ItemStatus | None = Field(None, description="Digitization status.")
    year_from: int | None = Field(None, ge=-5000, le=2200, description="Items dated in or after this year.")
    year_to: int | None = Field(None, ge=-5000, le=2200, description="Items dated in or before this year.")
    language: str | None = Field(None, max_length=20, pattern=r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")


def _public_item(pid: str) -> Item:
    item = selectors.item_public(pid)
    if item is None:
        raise Http404("No such item.")
    return item


@router.get("/items", response={200: ItemPage, **COMMON_ERRORS}, summary="List public items")
def list_items(request: HttpRequest, query: Query[ItemQuery]) -> dict[str, Any]:
    qs = selectors.items(
        institution=query.institution, collection=query.collection, work=query.work, item_type=query.type,
        status=query.status, year_from=query.year_from, year_to=query.year_to, language=query.language,
    )
    lang = request_language(request)
    rows, nxt = paginate(request, qs, query)
    return {"results": [serializers.item_out(r, lang) for r in rows], "next": nxt}  # type: ignore[arg-type]


@router.get("/items/{pid}", response={200: ItemOut, **COMMON_ERRORS}, summary="One public item")
def get_item(request: HttpRequest, pid: str, query: Query[DetailQuery], response: HttpResponse) -> dict[str, Any]:
    """Sends the item's ``ETag`` and ``Last-Modified``: send them back (``If-Match``,
    ``If-Unmodified-Since``) with a PATCH so that it fails (412) if the item changed meanwhile."""
    item = _public_item(pid)
    concurrency.set_validators(response, item)
    return serializers.item_out(item, request_language(request))


@router.get("/items/{pid}/canvases", response={200: list[CanvasOut], **COMMON_ERRORS}, summary="Pages of an item")
def list_canvases(request: HttpRequest, pid: str) -> list[dict[str, Any]]:
    return [serializers.canvas_out(c) for c in selectors.canvases(_public_item(pid))]


@router.get(
    "/items/{pid}/canvases/{order}/transcriptions", response={200: list[TranscriptionOut], **COMMON_ERRORS},
    summary="Transcriptions of one page",
)
def list_transcriptions(request: HttpRequest, pid: str, order: int) -> list[dict[str, Any]]:
    canvas = selectors.canvases(_public_item(pid)).filter(order=order).first()
    if canvas is None:
        raise Http404("No such canvas.")
    return [serializers.transcription_out(t) for t in canvas.transcriptions.all()]


def _resolve(model: type[Model], field: str, value: str | None, **scope: Any) -> Model | None:
    if value is None:
        return None
    found = model._default_manager.filter(pid=value, **scope).first()
    if found is None:
        raise ValidationError({field: [f"No {field} has the id “{value}”."]})
    return found


def _fields(payload: ItemPatch | ItemCreate, institution: Institution) -> dict[str, Any]:
    data = payload.dict(exclude_unset=True)
    data.pop("institution", None)
    for name in ("shelfmark", "local_id", "dimensions", "extent", "date_expression"):
        if name in data and data[name] is None:
            data[name] = ""
    for name in ("description", "material", "provenance", "notes", "languages"):
        if name in data and data[name] is None:
            data[name] = [] if name == "languages" else {}
    for name in ("item_type", "rights", "digitization_status", "visibility", "allow_download", "title"):
        if name in data and data[name] is None:
            raise ValidationError({name: ["This field cannot be null."]})
    if "collection" in data:
        data["collection"] = _resolve(Collection, "collection", data["collection"], institution=institution)
    if "period" in data:
        data["period"] = _resolve(Period, "period", data["period"])
    if "find_place" in data:
        data["find_place"] = _resolve(Place, "find_place", data["find_place"])
    return data


@router.post(
    "/items", auth=token_auth, response={201: ItemOut, **WRITE_ERRORS}, summary="Create an item (curators)",
)
def create_item(request: HttpRequest, payload: ItemCreate) -> Status:
    require_write(request)
    institution = Institution.objects.filter(pid=payload.institution).first() or Institution.objects.filter(
        code=payload.institution
    ).first()
    if institution is None:
        raise ValidationError({"institution": [f"No institution has the id “{payload.institution}”."]})
    if not policy.can(request.auth, "add", Item(institution=institution)):  # type: ignore[attr-defined]
        raise HttpError(403, "You may not edit this institution's records.")
    fields = _fields(payload, institution)
    for key in ("shelfmark", "local_id"):
        value = fields.get(key)
        if value and Item.objects.filter(institution=institution, **{key: value}).exists():
            raise HttpError(409, f"{key}: this institution already has an item with this {key}.")
    item = services.item_create(institution=institution, fields=fields)
    fresh = selectors.item_any(item.pid)
    return Status(201, serializers.item_out(fresh or item, request_language(request)))


@router.patch(
    "/items/{pid}", auth=token_auth, response={200: ItemOut, **WRITE_ERRORS}, summary="Update an item (curators)",
)
def update_item(request: HttpRequest, pid: str, payload: ItemPatch, response: HttpResponse) -> dict[str, Any]:
    """Honours ``If-Match`` and ``If-Unmodified-Since`` (412 when the item changed since it was read)."""
    require_write(request)
    item = selectors.item_any(pid)
    # A record the user may not view answers exactly like a missing one (never 403).
    if item is None or not policy.can(request.auth, "view", item):  # type: ignore[attr-defined]
        raise Http404("No such item.")
    if not policy.can(request.auth, "change", item):  # type: ignore[attr-defined]
        raise HttpError(403, "You may not edit this institution's records.")
    with transaction.atomic():
        concurrency.check_preconditions(request, item)
        services.item_update(item=item, fields=_fields(payload, item.institution))
    fresh = selectors.item_any(pid)
    concurrency.set_validators(response, fresh or item)
    return serializers.item_out(fresh or item, request_language(request))
