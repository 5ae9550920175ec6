"""Virtual reunification: suggest which items are parts of one manuscript, and let curators decide.

The suggester scores pairs of items on independent signals — works they share, the similarity of
their titles and transcriptions (character n-grams), and physical metadata (find place, type,
material, height, date, language) — and writes each pair above a threshold as a
``catalogue.Join`` with status ``suggested`` plus a :class:`JoinSuggestion` holding the signals.
A pair already in any join (accepted, suggested or rejected) is never proposed again.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from mogao.accounts import policy
from mogao.catalogue.models import Item, Join, JoinMember, Transcription
from mogao.core import langmap
from mogao.knowledge.models import JoinSuggestion
from mogao.knowledge.similarity import dice, ngram_similarity, ngrams

SUGGESTER = "Mogao suggester"
#: Measured on the demo: the two known joins score 1.0 and 0.70, the nearest wrong pair 0.55.
DEFAULT_THRESHOLD = 0.6
#: At least one of these must corroborate a pair: a shared work, find place, language and type
#: are common to thousands of Dunhuang fragments of one sutra and prove nothing on their own.
SPECIFIC = frozenset({"similar_title", "similar_text", "same_height", "same_dates"})
#: Features shared by more items than this say nothing about a pair (e.g. "Library Cave").
_MAX_BLOCK = 200
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Signal:
    """One reason two items may belong together, with its contribution to the score."""

    kind: str  # shared_work, similar_title, similar_text, same_find_place, ...
    weight: float
    detail: str = ""

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "weight": round(self.weight, 3), "detail": self.detail}


@dataclass
class Candidate:
    """A pair of items with the signals that connect them."""

    first: Item
    second: Item
    signals: list[Signal] = field(default_factory=list)

    @property
    def score(self) -> float:
        return min(1.0, sum(s.weight for s in self.signals))

    def evidence_text(self) -> str:
        return "; ".join(f"{s.kind.replace('_', ' ')}{': ' + s.detail if s.detail else ''}" for s in self.signals)


@dataclass
class _Profile:
    item: Item
    works: dict[int, str]
    partial: set[int]
    titles: list[str]
    text: str
    height: float | None


def _height(dimensions: str) -> float | None:
    """The first number of a dimensions string ("26.5 × 434 cm" -> 26.5), or None."""
    found = _NUMBER.search(dimensions or "")
    return float(found.group(0)) if found else None


def _profiles(items: Iterable[Item]) -> list[_Profile]:
    items = list(items)
    texts: dict[int, list[str]] = defaultdict(list)
    for item_id, text in (
        Transcription.objects.filter(canvas__item__in=items, is_primary=True)
        .order_by("canvas__order").values_list("canvas__item_id", "text")
    ):
        texts[item_id].append(text)
    out = []
    for item in items:
        works = {
            link.work_id: link.work.identifiers.get("taisho") or link.work.label("en")
            for link in item.item_works.all()
        }
        partial = {link.work_id for link in item.item_works.all() if link.role == "part"}
        if item.item_type == Item.Type.FRAGMENT:
            partial = set(works)
        titles = [t.lower() for t in langmap.all_strings(item.title)]
        out.append(_Profile(item, works, partial, titles, "".join(texts[item.pk]), _height(item.dimensions)))
    return out


def _blocks(profiles: list[_Profile]) -> set[tuple[int, int]]:
    """Index pairs sharing at least one selective feature (a work, a title or text n-gram)."""
    index: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(profiles):
        features = {f"w:{w}" for w in p.works}
        for title in p.titles:
            features |= {f"t:{g}" for g in ngrams(title, 3)}
        features |= {f"x:{g}" for g in list(ngrams(p.text, 4))[:2000]}
        for feature in features:
            index[feature].append(i)
    pairs: set[tuple[int, int]] = set()
    for members in index.values():
        if 1 < len(members) <= _MAX_BLOCK:
            pairs.update(combinations(members, 2))
    return pairs


def score_pair(a: _Profile, b: _Profile) -> list[Signal]:
    """Every signal connecting two profiles (empty when nothing does)."""
    signals: list[Signal] = []
    shared = sorted(set(a.works) & set(b.works))
    if shared:
        # Two complete copies of a sutra are witnesses, not parts of one scroll: a shared work
        # weighs heavily only when one item holds just part of it (or is a fragment).
        weight = 0.45 if any(w in a.partial or w in b.partial for w in shared) else 0.2
        signals.append(Signal("shared_work", weight, ", ".join(a.works[w] for w in shared)))
    title_sim = max((dice(x, y) for x in a.titles for y in b.titles), default=0.0)
    if title_sim >= 0.5:
        signals.append(Signal("similar_title", 0.35 * title_sim, f"{title_sim:.2f}"))
    if a.text and b.text:
        text_sim = ngram_similarity(a.text, b.text, n=3)
        if text_sim >= 0.15:
            signals.append(Signal("similar_text", 0.45 * text_sim, f"{text_sim:.2f}"))
    ia, ib = a.item, b.item
    if ia.find_place_id and ia.find_place_id == ib.find_place_id:
        signals.append(Signal("same_find_place", 0.1, ia.find_place.label("en") if ia.find_place else ""))
    if ia.item_type == ib.item_type:
        signals.append(Signal("same_type", 0.05, ia.item_type))
    if ia.material and ia.material == ib.material:
        signals.append(Signal("same_material", 0.05, langmap.pick(ia.material, "en")))
    if a.height and b.height and abs(a.height - b.height) <= 1.0:
        signals.append(Signal("same_height", 0.1, f"{a.height:g} / {b.height:g}"))
    if ia.languages and set(ia.languages) == set(ib.languages):
        signals.append(Signal("same_language", 0.05, ", ".join(ia.languages)))
    if None not in (ia.year_start, ia.year_end, ib.year_start, ib.year_end):
        # The same dating is strong evidence of one manuscript; mere overlap is weak (a dynasty).
        if (ia.year_start, ia.year_end) == (ib.year_start, ib.year_end):
            signals.append(Signal("same_dates", 0.15, f"{ia.year_start}–{ia.year_end}"))
        elif ia.year_start <= ib.year_end and ib.year_start <= ia.year_end:  # type: ignore[operator]
            signals.append(Signal("overlapping_dates", 0.05, ""))
    if ia.institution_id != ib.institution_id:
        signals.append(Signal("dispersed", 0.05, f"{ia.institution.code} / {ib.institution.code}"))
    return signals


def _joined_pairs() -> set[frozenset[int]]:
    """Every pair of items already together in a join of any status (never proposed again)."""
    members: dict[int, list[int]] = defaultdict(list)
    for join_id, item_id in JoinMember.objects.values_list("join_id", "item_id"):
        members[join_id].append(item_id)
    return {frozenset(p) for ids in members.values() for p in combinations(sorted(ids), 2)}


def join_candidates(*, items: Iterable[Item] | None = None, threshold: float = DEFAULT_THRESHOLD) -> list[Candidate]:
    """Pairs of items scoring at least ``threshold`` and not yet in any join, best first."""
    qs = items if items is not None else Item.objects.all()
    if hasattr(qs, "select_related"):
        qs = qs.select_related("institution", "find_place").prefetch_related("item_works__work")
    profiles = _profiles(qs)
    done = _joined_pairs()
    out = []
    for i, j in _blocks(profiles):
        a, b = profiles[i], profiles[j]
        if frozenset((a.item.pk, b.item.pk)) in done:
            continue
        if a.item.shelfmark > b.item.shelfmark:
            a, b = b, a
        candidate = Candidate(a.item, b.item, score_pair(a, b))
        if candidate.score >= threshold and {s.kind for s in candidate.signals} & SPECIFIC:
            out.append(candidate)
    out.sort(key=lambda c: (-c.score, c.first.pid, c.second.pid))
    return out


@transaction.atomic
def joins_suggest(*, threshold: float = DEFAULT_THRESHOLD, items: Iterable[Item] | None = None) -> list[Join]:
    """Write every new candidate as a suggested Join with its evidence; returns the new joins."""
    from mogao.catalogue.services import join_upsert

    created = []
    for c in join_candidates(items=items, threshold=threshold):
        join, _ = join_upsert(
            items=[c.first, c.second], status=Join.Status.SUGGESTED, confidence=round(c.score, 3),
            asserted_by=SUGGESTER, evidence={"en": [c.evidence_text()]},
            label_map={"en": [f"{c.first.shelfmark or c.first.pid} + {c.second.shelfmark or c.second.pid}"]},
        )
        JoinSuggestion.objects.update_or_create(
            join=join, defaults={"score": c.score, "signals": [s.as_dict() for s in c.signals]}
        )
        created.append(join)
    return created


@transaction.atomic
def join_decide(
    *, join: Join, accept: bool, user: AbstractBaseUser | AnonymousUser | None, note: str = ""
) -> Join:
    """Accept or reject a suggested join, recording the curator; a rejected join stays as a record.

    A user (``None``: the system, e.g. a command) must be allowed to ``accept`` the join by the policy:
    a curator decides only joins that contain one of their institution's items.
    """
    if user is not None and not policy.can(user, "accept", join):
        raise PermissionDenied("You may not decide this join.")
    if join.status != Join.Status.SUGGESTED:
        raise ValidationError({"status": "Only a suggested join can be accepted or rejected."})
    curator = user if user is not None and user.is_authenticated else None
    name = curator.get_username() if curator is not None else "anonymous"
    join.status = Join.Status.ACCEPTED if accept else Join.Status.REJECTED
    join.asserted_by = f"{name} (from {join.asserted_by or SUGGESTER})"[:200]
    join.full_clean()
    join.save()
    suggestion, _ = JoinSuggestion.objects.get_or_create(join=join, defaults={"score": join.confidence})
    suggestion.decided_by = curator  # type: ignore[assignment]
    suggestion.decided_at = timezone.now()
    suggestion.note = note
    suggestion.save()
    return join
