"""Reads for the JSON API: public records with what their serializers need, filtered."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q, QuerySet

from mogao.catalogue.models import Canvas, Collection, Institution, Item, ItemWork, Work
from mogao.catalogue.selectors import item_public_qs, work_public_qs
from mogao.knowledge.models import AuthorityLink, Period, Person, Place


def institutions() -> QuerySet[Institution]:
    return Institution.objects.all()


def collections(*, institution: str | None = None) -> QuerySet[Collection]:
    qs = Collection.objects.select_related("institution")
    return qs.filter(institution__pid=institution) if institution else qs


def works(*, identifier: str | None = None, period: str | None = None) -> QuerySet[Work]:
    qs = work_public_qs().select_related("period").prefetch_related("creators__person")
    if identifier:
        scheme, _, value = identifier.partition(":")
        qs = qs.filter(**{f"identifiers__{scheme}": value}) if value else qs.none()
    if period:
        qs = qs.filter(Q(period__pid=period) | Q(period__parent__pid=period))
    return qs


def _with_item_relations(qs: QuerySet[Item]) -> QuerySet[Item]:
    return qs.select_related("institution", "collection", "period", "find_place").prefetch_related(
        Prefetch("item_works", queryset=ItemWork.objects.select_related("work").order_by("order")), "canvases",
    )


def items(
    *, institution: str | None = None, collection: str | None = None, work: str | None = None,
    item_type: str | None = None, status: str | None = None, year_from: int | None = None,
    year_to: int | None = None, language: str | None = None,
) -> QuerySet[Item]:
    """Public items matching every given filter; a year range keeps items overlapping it."""
    qs = item_public_qs()
    if institution:
        qs = qs.filter(institution__pid=institution)
    if collection:
        qs = qs.filter(collection__pid=collection)
    if work:
        qs = qs.filter(pk__in=ItemWork.objects.filter(work__pid=work).values("item_id"))
    if item_type:
        qs = qs.filter(item_type=item_type)
    if status:
        qs = qs.filter(digitization_status=status)
    if year_from is not None:
        qs = qs.filter(Q(year_end__gte=year_from) | Q(year_end=None, year_start__gte=year_from))
    if year_to is not None:
        qs = qs.filter(year_start__lte=year_to)
    if language:
        # JSON containment is not portable to SQLite; a quoted-token match on the text is.
        qs = qs.filter(languages__icontains=f'"{language}"')
    return _with_item_relations(qs)


def item_public(pid: str) -> Item | None:
    return _with_item_relations(item_public_qs().filter(pid=pid)).first()


def item_any(pid: str) -> Item | None:
    """Any item, whatever its visibility (for curators' writes)."""
    return _with_item_relations(Item.objects.filter(pid=pid)).first()


def canvases(item: Item) -> QuerySet[Canvas]:
    return Canvas.objects.filter(item=item).prefetch_related("transcriptions").order_by("order")


def entities(kind: type[Person | Place | Period]) -> QuerySet[Any]:
    if kind is Period:
        return Period.objects.select_related("parent")
    return kind._default_manager.all()


def authorities(obj: Person | Place | Period) -> list[AuthorityLink]:
    ct = ContentType.objects.get_for_model(type(obj))
    return list(AuthorityLink.objects.filter(content_type=ct, object_id=obj.pk).order_by("scheme"))


