"""Collections: the top collection, one per institution, per named collection and per work.

Presentation 3.0 has no paging for collections, so a large one is split the way the specification
suggests: when it holds more than ``page_size`` entries its ``items`` are sub-collections
(``{id}?page=N``), each listing up to ``page_size`` entries with ``partOf`` pointing back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from mogao.catalogue.models import Collection, Institution, Item, Work
from mogao.core.langmap import LangMap
from mogao.iiif.presentation import selectors
from mogao.iiif.presentation.common import (
    PRESENTATION_CONTEXT,
    JsonDict,
    absolute,
    lang_map,
    merge_maps,
    none_map,
    ui_label,
)
from mogao.iiif.presentation.manifests import holder_map, manifest_id, provider

PAGE_SIZE = 500


class PageNotFound(LookupError):
    """The requested page of a collection does not exist."""


def collection_id(kind: str, pid: str = "") -> str:
    return absolute(f"/iiif/collections/{kind}/{pid}" if pid else f"/iiif/collections/{kind}")


def manifest_ref(item: Item, *, with_holder: bool = False) -> JsonDict:
    """A reference to an item's manifest, labelled by title (and holder, for cross-holder lists)."""
    label = lang_map(item.title) or none_map(item.shelfmark or item.pid)
    if with_holder:
        label = merge_maps([label, holder_map(item.institution), none_map(item.shelfmark or item.pid)], separator=" · ")
    return {"id": manifest_id(item), "type": "Manifest", "label": label}


def collection_ref(cid: str, label: LangMap) -> JsonDict:
    return {"id": cid, "type": "Collection", "label": label}


@dataclass(frozen=True)
class Entries:
    """The entries of a collection: a short list of fixed refs, then manifest refs from a query."""

    fixed: Sequence[JsonDict]
    items: QuerySet[Item]
    to_ref: Callable[[Item], JsonDict]

    def count(self) -> int:
        return len(self.fixed) + self.items.count()

    def slice(self, start: int, stop: int) -> list[JsonDict]:
        out = list(self.fixed[start:stop])
        first = max(0, start - len(self.fixed))
        last = max(0, stop - len(self.fixed))
        if last > first:
            out.extend(self.to_ref(item) for item in self.items[first:last])
        return out


def build_collection(
    *, cid: str, label: LangMap, entries: Entries, page: int | None, extra: JsonDict | None = None,
    page_size: int | None = None,
) -> JsonDict:
    """A collection, or one page of it; raises :class:`PageNotFound` for a page out of range."""
    size = page_size or PAGE_SIZE
    total = entries.count()
    pages = max(1, -(-total // size))
    body: JsonDict = {"@context": PRESENTATION_CONTEXT, "id": cid, "type": "Collection", "label": label}
    body.update(extra or {})
    if page is None:
        if total <= size:
            body["items"] = entries.slice(0, total)
        else:
            body["items"] = [
                collection_ref(f"{cid}?page={n}", _page_label(label, n, pages)) for n in range(1, pages + 1)
            ]
        return body
    if not 1 <= page <= pages:
        raise PageNotFound(page)
    body["id"] = f"{cid}?page={page}"
    body["label"] = _page_label(label, page, pages)
    body["partOf"] = [{"id": cid, "type": "Collection", "label": label}]
    body["items"] = entries.slice((page - 1) * size, page * size)
    return body


def _page_label(label: LangMap, page: int, pages: int) -> LangMap:
    return merge_maps([label, none_map(f"{page}/{pages}")], separator=" · ")


def _with_manifests(qs: QuerySet[Collection]) -> QuerySet[Collection]:
    return qs.filter(Exists(selectors.manifest_item_qs().filter(collection=OuterRef("pk"))))


def top_collection(*, page: int | None = None) -> JsonDict:
    """Every institution that has at least one item with images."""
    institutions = selectors.institutions_for_collection().filter(
        Exists(selectors.manifest_item_qs().filter(institution=OuterRef("pk")))
    )
    fixed = [collection_ref(collection_id("institution", i.pid), holder_map(i)) for i in institutions]
    if selectors.works_with_witnesses().exists():
        fixed.append(collection_ref(collection_id("works"), ui_label(_("Works and their witnesses"))))
    return build_collection(
        cid=collection_id("top"), label=ui_label(_("Mogao: digitized items by holder")),
        entries=Entries(fixed=fixed, items=Item.objects.none(), to_ref=manifest_ref), page=page,
        extra={"summary": ui_label(_("Ancient Chinese books and manuscripts held across the world's libraries."))},
    )


def works_collection(*, page: int | None = None) -> JsonDict:
    """Every public work with at least one witness that has images, as sub-collections."""
    fixed = [collection_ref(collection_id("work", w.pid), lang_map(w.title)) for w in selectors.works_with_witnesses()]
    return build_collection(
        cid=collection_id("works"), label=ui_label(_("Works and their witnesses")),
        entries=Entries(fixed=fixed, items=Item.objects.none(), to_ref=manifest_ref), page=page,
        extra={"partOf": [collection_ref(collection_id("top"), ui_label(_("Mogao: digitized items by holder")))]},
    )


def institution_collection(institution: Institution, *, page: int | None = None) -> JsonDict:
    """An institution's named collections (as sub-collections), then its items outside them."""
    subs = _with_manifests(selectors.institution_collections(institution=institution))
    fixed = [collection_ref(collection_id("collection", c.pid), lang_map(c.name)) for c in subs]
    return build_collection(
        cid=collection_id("institution", institution.pid), label=holder_map(institution),
        entries=Entries(
            fixed=fixed, items=selectors.institution_loose_items(institution=institution), to_ref=manifest_ref,
        ),
        page=page, extra=_holder_extra(institution),
    )


def collection_collection(collection: Collection, *, page: int | None = None) -> JsonDict:
    """The items with images of one named collection."""
    extra = _holder_extra(collection.institution)
    summary = lang_map(collection.description)
    if summary:
        extra["summary"] = summary
    holder = collection.institution
    extra["partOf"] = [collection_ref(collection_id("institution", holder.pid), holder_map(holder))]
    return build_collection(
        cid=collection_id("collection", collection.pid), label=lang_map(collection.name),
        entries=Entries(fixed=(), items=selectors.collection_items(collection=collection), to_ref=manifest_ref),
        page=page, extra=extra,
    )


def work_collection(work: Work, *, page: int | None = None) -> JsonDict:
    """A work's witnesses across holders; each entry names its holder and shelfmark."""
    extra: JsonDict = {
        "homepage": [{
            "id": absolute(work.get_absolute_url()), "type": "Text", "label": lang_map(work.title),
            "format": "text/html",
        }],
    }
    summary = lang_map(work.description)
    if summary:
        extra["summary"] = summary
    return build_collection(
        cid=collection_id("work", work.pid), label=lang_map(work.title),
        entries=Entries(
            fixed=(), items=selectors.work_witnesses(work=work),
            to_ref=lambda item: manifest_ref(item, with_holder=True),
        ),
        page=page, extra=extra,
    )


def _holder_extra(institution: Institution) -> JsonDict:
    return {
        "requiredStatement": {"label": ui_label(_("Held by")), "value": holder_map(institution)},
        "provider": [provider(institution)],
    }
