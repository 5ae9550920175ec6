"""Reads for the Presentation API: public items with viewable canvases, accepted joins, collections.

Only public records are ever published. A canvas is *presentable* when it has an image (local or
remote) and known pixel dimensions: Presentation 3 requires ``width`` and ``height`` on an image
canvas, and a manifest needs at least one canvas, so an item without one has no manifest (404).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from mogao.catalogue.models import (
    Canvas,
    Collection,
    Institution,
    Item,
    ItemWork,
    Join,
    JoinMember,
    Visibility,
    Work,
)


def presentable_canvas_qs() -> QuerySet[Canvas]:
    """Canvases with an image and dimensions, in reading order."""
    return (
        Canvas.objects.filter(width__gt=0, height__gt=0)
        .filter(~Q(image_id="") | ~Q(service_url=""))
        .order_by("order", "id")
    )


def _has_canvas() -> Exists:
    return Exists(presentable_canvas_qs().filter(item=OuterRef("pk")))


def manifest_item_qs() -> QuerySet[Item]:
    """Public items that have at least one presentable canvas (those that get a manifest)."""
    return Item.objects.filter(visibility=Visibility.PUBLIC).filter(_has_canvas())


def item_for_manifest(*, pid: str) -> Item | None:
    """A public item with its canvases, works and relations loaded; None when it has no manifest."""
    return (
        manifest_item_qs()
        .select_related("institution", "collection", "period", "find_place")
        .prefetch_related(
            Prefetch("canvases", queryset=presentable_canvas_qs(), to_attr="presentable_canvases"),
            Prefetch("item_works", queryset=ItemWork.objects.select_related("work").order_by("order", "id")),
        )
        .filter(pid=pid)
        .first()
    )


def item_has_manifest(*, item: Item) -> bool:
    """Whether ``item`` is public and has a presentable canvas (so links to its manifest work)."""
    return item.visibility == Visibility.PUBLIC and presentable_canvas_qs().filter(item=item).exists()


def viewer_canvases(*, item: Item) -> list[Canvas]:
    """The canvases the item page's viewer shows (only those with an image and dimensions)."""
    return list(presentable_canvas_qs().filter(item=item))


def join_for_manifest(*, pid: str) -> tuple[Join, list[Item]] | None:
    """An accepted join and its public member items that have canvases, in join order.

    None when the join does not exist, is not accepted, or none of its members has images.
    """
    join = Join.objects.filter(pid=pid, status=Join.Status.ACCEPTED).first()
    if join is None:
        return None
    members = (
        JoinMember.objects.filter(join=join, item__in=manifest_item_qs())
        .select_related("item__institution", "item__collection")
        .prefetch_related(Prefetch("item__canvases", queryset=presentable_canvas_qs(), to_attr="presentable_canvases"))
        .order_by("order", "id")
    )
    items = [m.item for m in members]
    return (join, items) if items else None


def joins_with_manifest() -> QuerySet[Join]:
    """Accepted joins with at least one member that has canvases (for tests and listings)."""
    return Join.objects.filter(status=Join.Status.ACCEPTED, members__item__in=manifest_item_qs()).distinct()


def item_joins_with_manifest(*, item: Item) -> QuerySet[Join]:
    """Accepted joins of ``item`` whose reunification manifest exists."""
    return joins_with_manifest().filter(members__item=item)


def institutions_for_collection() -> QuerySet[Institution]:
    """Every institution, in code order (the top collection lists them all)."""
    return Institution.objects.order_by("code")


def institution_by_pid(*, pid: str) -> Institution | None:
    return Institution.objects.filter(pid=pid).first()


def collection_by_pid(*, pid: str) -> Collection | None:
    return Collection.objects.select_related("institution").filter(pid=pid).first()


def work_by_pid(*, pid: str) -> Work | None:
    return Work.objects.filter(pid=pid, visibility=Visibility.PUBLIC).first()


def works_with_witnesses() -> QuerySet[Work]:
    """Public works carried by at least one item that has a manifest, in pid order."""
    return Work.objects.filter(visibility=Visibility.PUBLIC).filter(
        Exists(manifest_item_qs().filter(item_works__work=OuterRef("pk")))
    ).order_by("pid")


def institution_collections(*, institution: Institution) -> QuerySet[Collection]:
    return institution.collections.order_by("code")


def institution_loose_items(*, institution: Institution) -> QuerySet[Item]:
    """Items of an institution outside any named collection that have a manifest."""
    return (
        manifest_item_qs().filter(institution=institution, collection__isnull=True)
        .select_related("institution").order_by("shelfmark", "pid")
    )


def collection_items(*, collection: Collection) -> QuerySet[Item]:
    return manifest_item_qs().filter(collection=collection).select_related("institution").order_by("shelfmark", "pid")


def work_witnesses(*, work: Work) -> QuerySet[Item]:
    """The work's witnesses across holders that have a manifest, ordered by holder and shelfmark."""
    return (
        manifest_item_qs().filter(item_works__work=work).select_related("institution").distinct()
        .order_by("institution__code", "shelfmark", "pid")
    )
