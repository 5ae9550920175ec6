"""What the home page shows, read once per request: public records only, never a placeholder.

Curated marks come first (:class:`~mogao.showcase.models.FeaturedItem`,
:class:`~mogao.search.models.FeaturedWork`); when curators have marked fewer than a section holds,
the section is filled from the catalogue with records that have what the section shows (an image for
the image strip, a shelfmark for featured items, witnesses for featured works). A section with nothing
to show is left out by the template.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When

from mogao.catalogue.models import Canvas, Collection, Institution, Item, Visibility, Work
from mogao.catalogue.selectors import card_extras, item_public_qs, work_public_qs
from mogao.core import langmap

#: IIIF Image API size of the strip's pictures: the whole page, fitted inside 480×320 pixels.
STRIP_SIZE = "!480,320"


@dataclass(frozen=True)
class Picture:
    """One image of the strip: an item's first page image, with what the caption says."""

    item: Item
    src: str
    caption: str = ""


@dataclass(frozen=True)
class FeaturedWorkEntry:
    work: Work
    witnesses: int
    taisho: str = ""


@dataclass(frozen=True)
class Holder:
    """A holding institution as the home page shows it: with its public item count, or, when it has
    no public item yet, the collections described for it."""

    institution: Institution
    items: int
    collections: list[Collection] = field(default_factory=list)


def _first_images(item_ids: list[int]) -> dict[int, str]:
    images: dict[int, str] = {}
    rows = (
        Canvas.objects.filter(item_id__in=item_ids).exclude(image_id="")
        .order_by("item_id", "order").values_list("item_id", "image_id")
    )
    for item_id, image_id in rows:
        images.setdefault(item_id, f"/iiif/3/{image_id}/full/{STRIP_SIZE}/0/default.jpg")  # as local_service()
    return images


def _captions(items: list[Item], lang: str) -> dict[int, str]:
    from mogao.showcase.models import FeaturedItem

    marks = FeaturedItem.objects.filter(item__in=items)
    return {m.item_id: langmap.pick(m.caption, lang) for m in marks}


def _unless(condition: Q) -> Case:
    """An ordering key: rows meeting ``condition`` after the others."""
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def _with_image() -> Exists:
    return Exists(Canvas.objects.filter(item=OuterRef("pk")).exclude(image_id=""))


def image_strip(*, lang: str, limit: int = 6) -> list[Picture]:
    """Curated items with a page image (in the curators' order), then other digitized public items
    with an image, those with a shelfmark first; never an item without an image."""
    base = item_public_qs().select_related("institution").filter(_with_image())
    curated = list(base.filter(home_featured__isnull=False).order_by("home_featured__position", "pid")[:limit])
    rest = list(
        base.exclude(pk__in=[i.pk for i in curated])
        .order_by(_unless(Q(shelfmark="")), "year_start", "pid")[: limit - len(curated)]
    ) if len(curated) < limit else []
    items = curated + rest
    images = _first_images([i.pk for i in items])
    captions = _captions(curated, lang)
    return [Picture(i, images[i.pk], captions.get(i.pk, "")) for i in items if i.pk in images]


def featured_items(*, lang: str, limit: int = 6) -> list[Item]:
    """Curated items first, then public items with a shelfmark (digitized first): cards that each name
    a real shelfmark, with a thumbnail and the works they carry when known."""
    base = item_public_qs().select_related("institution", "period")
    curated = list(base.filter(home_featured__isnull=False).order_by("home_featured__position", "pid")[:limit])
    rest = list(
        base.exclude(pk__in=[i.pk for i in curated]).exclude(shelfmark="")
        .order_by(_unless(~Q(digitization_status=Item.Status.DIGITIZED)), "year_start", "pid")[: limit - len(curated)]
    ) if len(curated) < limit else []
    items = curated + rest
    extras = card_extras(items, lang=lang)
    captions = _captions(curated, lang)
    for obj in items:
        setattr(obj, "card", extras.get(obj.pid))  # noqa: B010 (read by the card template)
        setattr(obj, "caption", captions.get(obj.pk, ""))  # noqa: B010
    return items


def featured_works(*, limit: int = 6) -> list[FeaturedWorkEntry]:
    """Works curators marked as featured, then the public works with the most public witnesses;
    a work with no witness in Mogao is shown only when a curator featured it."""
    witnesses = Count("item_works__item", filter=Q(item_works__item__visibility=Visibility.PUBLIC), distinct=True)
    base = work_public_qs().annotate(n=witnesses)
    curated = list(base.filter(search_featured__isnull=False).order_by("-n", "pid")[:limit])
    rest = list(
        base.exclude(pk__in=[w.pk for w in curated]).filter(n__gt=0).order_by("-n", "year_start", "pid")
        [: limit - len(curated)]
    ) if len(curated) < limit else []
    return [
        FeaturedWorkEntry(w, int(getattr(w, "n", 0)), str(w.identifiers.get("taisho") or ""))
        for w in curated + rest
    ]


def holders() -> tuple[list[Holder], list[Holder]]:
    """Institutions with public items (and their counts), then those with described collections
    but no public item yet; an institution with neither is not listed."""
    institutions: QuerySet[Institution] = Institution.objects.annotate(
        n_items=Count("items", filter=Q(items__visibility=Visibility.PUBLIC))
    ).prefetch_related("collections").order_by("code")
    with_items, with_collections = [], []
    for inst in institutions:
        n = int(getattr(inst, "n_items", 0))
        if n:
            with_items.append(Holder(inst, n))
        elif collections := list(inst.collections.all()):
            with_collections.append(Holder(inst, 0, collections))
    return with_items, with_collections


def counts(n_holders: int) -> dict[str, int]:
    items = item_public_qs()
    return {
        "items": items.count(),
        "digitized": items.filter(digitization_status=Item.Status.DIGITIZED).count(),
        "works": work_public_qs().count(),
        "holders": n_holders,
    }


def home_page(*, lang: str) -> dict[str, Any]:
    """Everything the home page shows, in the reader's language."""
    from mogao.showcase import explore

    with_items, with_collections = holders()
    return {
        "counts": counts(len(with_items)),
        "pictures": image_strip(lang=lang),
        "featured": featured_items(lang=lang),
        "featured_works": featured_works(),
        "holders": with_items,
        "holders_to_come": with_collections,
        "ways": explore.links(),
        "stories": _featured_stories(),
        "library_cave": _existing("knowledge.Place", "mogao-library-cave"),
        "people": {pid: _existing("knowledge.Person", pid) for pid in ("wang-yuanlu", "aurel-stein", "paul-pelliot")},
    }


def _featured_stories() -> list[Any]:
    """Featured published stories with their covers (#16); none when the stories app is absent."""
    from django.apps import apps

    if not apps.is_installed("mogao.stories"):
        return []
    from mogao.stories.selectors import featured_cards

    return featured_cards()


def _existing(label: str, pid: str) -> Any:
    from django.apps import apps

    return apps.get_model(label).objects.filter(pid=pid).first()
