"""Read operations on knowledge entities: people, places and periods."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router

from mogao.api import selectors, serializers
from mogao.api.http import COMMON_ERRORS, request_language
from mogao.api.pagination import DetailQuery, ListQuery, paginate
from mogao.api.schemas import EntityOut, EntityPage
from mogao.knowledge.models import Period, Person, Place

router = Router(tags=["entities"])
KINDS: dict[str, type[Person | Place | Period]] = {"people": Person, "places": Place, "periods": Period}


def _list(request: HttpRequest, kind: type[Person | Place | Period], query: ListQuery) -> dict[str, Any]:
    lang = request_language(request)
    rows, nxt = paginate(request, selectors.entities(kind), query)
    return {
        "results": [serializers.entity_out(r, lang, selectors.authorities(r)) for r in rows],  # type: ignore[arg-type]
        "next": nxt,
    }


def _detail(request: HttpRequest, kind: type[Person | Place | Period], pid: str) -> dict[str, Any]:
    obj = selectors.entities(kind).filter(pid=pid).first()
    if obj is None:
        raise Http404(f"No such {kind._meta.verbose_name}.")
    return serializers.entity_out(obj, request_language(request), selectors.authorities(obj))


@router.get("/people", response={200: EntityPage, **COMMON_ERRORS}, summary="List people")
def list_people(request: HttpRequest, query: Query[ListQuery]) -> dict[str, Any]:
    return _list(request, Person, query)


@router.get("/people/{pid}", response={200: EntityOut, **COMMON_ERRORS}, summary="One person")
def get_person(request: HttpRequest, pid: str, query: Query[DetailQuery]) -> dict[str, Any]:
    return _detail(request, Person, pid)


@router.get("/places", response={200: EntityPage, **COMMON_ERRORS}, summary="List places")
def list_places(request: HttpRequest, query: Query[ListQuery]) -> dict[str, Any]:
    return _list(request, Place, query)


@router.get("/places/{pid}", response={200: EntityOut, **COMMON_ERRORS}, summary="One place")
def get_place(request: HttpRequest, pid: str, query: Query[DetailQuery]) -> dict[str, Any]:
    return _detail(request, Place, pid)


@router.get("/periods", response={200: EntityPage, **COMMON_ERRORS}, summary="List periods")
def list_periods(request: HttpRequest, query: Query[ListQuery]) -> dict[str, Any]:
    return _list(request, Period, query)


@router.get("/periods/{pid}", response={200: EntityOut, **COMMON_ERRORS}, summary="One period")
def get_period(request: HttpRequest, pid: str, query: Query[DetailQuery]) -> dict[str, Any]:
    return _detail(request, Period, pid)
