"""Read operations on institutions, collections and works."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router

from mogao.api import selectors, serializers
from mogao.api.http import COMMON_ERRORS, request_language
from mogao.api.pagination import NO_CONTROL, DetailQuery, ListQuery, paginate
from mogao.api.schemas import CollectionOut, CollectionPage, InstitutionOut, InstitutionPage, WorkOut, WorkPage

router = Router(tags=["catalogue"])


class CollectionQuery(ListQuery):
    institution: str | None = Field(None, max_length=40, pattern=NO_CONTROL, description="Institution pid.")


class WorkQuery(ListQuery):
    identifier: str | None = Field(
        None, max_length=80, pattern=r"^[a-z][a-z0-9-]{0,29}:[^\x00-\x1f\x7f-\x9f]+$",
        description="scheme:value, e.g. taisho:T0235.",
    )
    period: str | None = Field(None, max_length=120, pattern=NO_CONTROL,
                               description="Period pid (a dynasty includes its eras).")


@router.get("/institutions", response={200: InstitutionPage, **COMMON_ERRORS}, summary="List institutions")
def list_institutions(request: HttpRequest, query: Query[ListQuery]) -> dict[str, Any]:
    lang = request_language(request)
    rows, nxt = paginate(request, selectors.institutions(), query)
    return {"results": [serializers.institution_out(r, lang) for r in rows], "next": nxt}  # type: ignore[arg-type]


@router.get("/institutions/{pid}", response={200: InstitutionOut, **COMMON_ERRORS}, summary="One institution")
def get_institution(request: HttpRequest, pid: str, query: Query[DetailQuery]) -> dict[str, Any]:
    obj = selectors.institutions().filter(pid=pid).first()
    if obj is None:
        raise Http404("No such institution.")
    return serializers.institution_out(obj, request_language(request))


@router.get("/collections", response={200: CollectionPage, **COMMON_ERRORS}, summary="List collections")
def list_collections(request: HttpRequest, query: Query[CollectionQuery]) -> dict[str, Any]:
    lang = request_language(request)
    rows, nxt = paginate(request, selectors.collections(institution=query.institution), query)
    return {"results": [serializers.collection_out(r, lang) for r in rows], "next": nxt}  # type: ignore[arg-type]


@router.get("/collections/{pid}", response={200: CollectionOut, **COMMON_ERRORS}, summary="One collection")
def get_collection(request: HttpRequest, pid: str, query: Query[DetailQuery]) -> dict[str, Any]:
    obj = selectors.collections().filter(pid=pid).first()
    if obj is None:
        raise Http404("No such collection.")
    return serializers.collection_out(obj, request_language(request))


@router.get("/works", response={200: WorkPage, **COMMON_ERRORS}, summary="List works")
def list_works(request: HttpRequest, query: Query[WorkQuery]) -> dict[str, Any]:
    lang = request_language(request)
    rows, nxt = paginate(request, selectors.works(identifier=query.identifier, period=query.period), query)
    return {"results": [serializers.work_out(r, lang) for r in rows], "next": nxt}  # type: ignore[arg-type]


@router.get("/works/{pid}", response={200: WorkOut, **COMMON_ERRORS}, summary="One work")
def get_work(request: HttpRequest, pid: str, query: Query[DetailQuery]) -> dict[str, Any]:
    obj = selectors.works().filter(pid=pid).first()
    if obj is None:
        raise Http404("No such work.")
    return serializers.work_out(obj, request_language(request))
