"""OAI-PMH sets: by institution, by collection (nested in its institution) and by work.

Set specs: ``institution``, ``institution:{institution pid}``,
``institution:{institution pid}:{collection code}``, ``work`` and ``work:{work pid}``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from mogao.catalogue.models import Collection, Institution, Item, ItemWork, Visibility, Work


@dataclass(frozen=True)
class OAISet:
    spec: str
    name: str


def item_set_specs(item: Item) -> list[str]:
    """Every set the item belongs to, ancestors included, as the OAI header lists them."""
    specs = ["institution", f"institution:{item.institution.pid}"]
    if item.collection_id:
        specs.append(f"institution:{item.institution.pid}:{item.collection.code}")  # type: ignore[union-attr]
    work_pids = [
        iw.work.pid for iw in item.item_works.all() if iw.work.visibility == Visibility.PUBLIC
    ]
    if work_pids:
        specs.append("work")
        specs.extend(f"work:{pid}" for pid in dict.fromkeys(work_pids))
    return specs


def all_sets() -> list[OAISet]:
    """The set hierarchy, parents before children."""
    out = [OAISet("institution", "Institutions")]
    for inst in Institution.objects.order_by("code"):
        out.append(OAISet(f"institution:{inst.pid}", inst.label("en")))
        for coll in Collection.objects.filter(institution=inst).order_by("code"):
            out.append(OAISet(f"institution:{inst.pid}:{coll.code}", coll.label("en")))
    out.append(OAISet("work", "Works"))
    out.extend(
        OAISet(f"work:{w.pid}", w.label("en"))
        for w in Work.objects.filter(visibility=Visibility.PUBLIC).order_by("pid")
    )
    return out


def item_filter(spec: str) -> Q | None:
    """The item filter of a set spec; ``None`` when no such set can exist."""
    parts = spec.split(":")
    if parts[0] == "institution" and len(parts) <= 3:
        if len(parts) == 1:
            return Q()
        q = Q(institution__pid=parts[1])
        return q & Q(collection__code=parts[2]) if len(parts) == 3 else q
    if parts[0] == "work" and len(parts) <= 2:
        links = ItemWork.objects.filter(work__visibility=Visibility.PUBLIC)
        if len(parts) == 2:
            links = links.filter(work__pid=parts[1])
        return Q(pk__in=links.values("item_id"))
    return None
