"""Related items and works, each with the reasons that relate them, ranked by a summed score.

Reasons and their weights (a reason a reader trusts more weighs more):

==========================  ======  =================================================
reason                      weight  evidence
==========================  ======  =================================================
part of the same scroll       5.0   an accepted join holds both items
same work                     3.0   both carry the work (per shared work)
similar text               3 × sim  character-trigram overlap of transcriptions ≥ 0.2
same scribe                   2.5   a confirmed scribe mention of the same person
same commissioner             2.0   a confirmed commissioner mention of the same person
same find place               0.5   the same find place (weak: the Library Cave held 50,000)
==========================  ======  =================================================
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from mogao.catalogue.models import Item, Join, Transcription, Work
from mogao.catalogue.selectors import item_public_qs, work_public_qs
from mogao.knowledge.models import Mention
from mogao.knowledge.similarity import ngram_similarity

MAX_TEXT_CANDIDATES = 200
TEXT_THRESHOLD = 0.2


@dataclass
class Related:
    """A related record, its score and the reasons (``[(code, human detail)]``) behind it."""

    obj: Any
    score: float = 0.0
    reasons: list[tuple[str, str]] = field(default_factory=list)

    def add(self, code: str, weight: float, detail: str = "") -> None:
        self.score += weight
        if (code, detail) not in self.reasons:
            self.reasons.append((code, detail))


def _text_of(item_ids: list[int]) -> dict[int, str]:
    out: dict[int, list[str]] = defaultdict(list)
    for item_id, text in (
        Transcription.objects.filter(canvas__item_id__in=item_ids, is_primary=True)
        .order_by("canvas__order").values_list("canvas__item_id", "text")
    ):
        out[item_id].append(text)
    return {k: "".join(v) for k, v in out.items()}


def item_related(*, item: Item, limit: int = 8, language: str | None = None) -> list[Related]:
    """Public items related to ``item``, best first, each with every reason that applies."""
    found: dict[int, Related] = {}

    def bump(other: Item, code: str, weight: float, detail: str = "") -> None:
        if other.pk != item.pk:
            found.setdefault(other.pk, Related(other)).add(code, weight, detail)

    public = item_public_qs().select_related("institution")
    for join in Join.objects.filter(members__item=item, status=Join.Status.ACCEPTED):
        for other in public.filter(join_memberships__join=join):
            bump(other, "same_scroll", 5.0, join.label(language))
    work_ids = list(item.item_works.values_list("work_id", flat=True))
    for work in Work.objects.filter(pk__in=work_ids):
        for other in public.filter(item_works__work=work).distinct():
            bump(other, "same_work", 3.0, work.label(language))
    for role, code, weight in ((Mention.Role.SCRIBE, "same_scribe", 2.5),
                               (Mention.Role.COMMISSIONER, "same_commissioner", 2.0)):
        people = Mention.objects.filter(item=item, role=role, status=Mention.Status.CONFIRMED).values_list(
            "content_type_id", "object_id")
        for ct_id, obj_id in people:
            others = Mention.objects.filter(
                content_type_id=ct_id, object_id=obj_id, role=role, status=Mention.Status.CONFIRMED,
                item__in=public,
            ).exclude(item=item).select_related("item__institution")
            for m in others:
                assert m.item is not None
                bump(m.item, code, weight, m.surface)
    if item.find_place_id:
        for other in public.filter(find_place_id=item.find_place_id).exclude(pk=item.pk)[:50]:
            bump(other, "same_find_place", 0.5, item.find_place.label(language) if item.find_place else "")
    _similar_text(item, public, work_ids, bump)
    ranked = sorted(found.values(), key=lambda r: (-r.score, r.obj.shelfmark, r.obj.pid))
    return ranked[:limit]


def _similar_text(item: Item, public: Any, work_ids: list[int], bump: Any) -> None:
    """Compare transcriptions with a bounded set of candidates (same works, place or period)."""
    own = _text_of([item.pk]).get(item.pk, "")
    if not own:
        return
    near = Q(item_works__work_id__in=work_ids)
    if item.find_place_id:
        near |= Q(find_place_id=item.find_place_id)
    if item.period_id:
        near |= Q(period_id=item.period_id)
    candidates = list(
        public.filter(near, canvases__transcriptions__isnull=False).exclude(pk=item.pk)
        .distinct()[:MAX_TEXT_CANDIDATES]
    )
    texts = _text_of([c.pk for c in candidates])
    for other in candidates:
        sim = ngram_similarity(own, texts.get(other.pk, ""), n=3)
        if sim >= TEXT_THRESHOLD:
            bump(other, "similar_text", round(3.0 * sim, 3), f"{sim:.0%}")


def work_related(*, work: Work, limit: int = 8, language: str | None = None) -> list[Related]:
    """Public works related to ``work``: same title (other translations), same creator, same period."""
    found: dict[int, Related] = {}

    def bump(other: Work, code: str, weight: float, detail: str = "") -> None:
        if other.pk != work.pk:
            found.setdefault(other.pk, Related(other)).add(code, weight, detail)

    public = work_public_qs()
    titles = {t for values in work.title.values() for t in values}
    # Titles are JSON (non-ASCII escaped in SQLite), so compare in Python over the works.
    for other in public.exclude(pk=work.pk).only("pid", "title", "aliases").iterator():
        shared = sorted(titles & ({t for v in other.title.values() for t in v} | set(other.aliases)))
        if shared:
            bump(other, "same_title", 3.0, shared[0])
    for wc in work.creators.select_related("person"):
        for other in public.filter(creators__person=wc.person).exclude(pk=work.pk).distinct()[:20]:
            bump(other, "same_creator", 2.0, wc.person.label(language))
    if work.period_id:
        for other in public.filter(period_id=work.period_id).exclude(pk=work.pk)[:10]:
            bump(other, "same_period", 0.5, work.period.label(language) if work.period else "")
    ranked = sorted(found.values(), key=lambda r: (-r.score, r.obj.pid))
    return ranked[:limit]
