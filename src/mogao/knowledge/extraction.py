"""Automatic mention extraction: run the gazetteer over an item's or work's metadata and text.

Every match at or above :data:`MIN_CONFIDENCE` becomes a ``Mention`` with source ``automatic``
and status ``suggested``, carrying its confidence and where it was found (field, page, span),
for a curator to confirm or reject. A mention rejected once is recognised and not re-proposed.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from mogao.catalogue.models import Item, Transcription, Work
from mogao.knowledge import services
from mogao.knowledge.gazetteer import Gazetteer, Match
from mogao.knowledge.models import ENTITY_MODELS, Entity, Mention

#: Matches below this confidence are not stored (measured in bench/knowledge/RESULTS.md).
MIN_CONFIDENCE = 0.6
EXTRACTOR = "Mogao gazetteer"

_ITEM_FIELDS = ("title", "description", "provenance", "notes")
_WORK_FIELDS = ("title", "description")


def _entities(matches: list[Match]) -> dict[tuple[str, int], Entity]:
    wanted: dict[str, set[int]] = {}
    for m in matches:
        wanted.setdefault(m.kind, set()).add(m.pk)
    out: dict[tuple[str, int], Entity] = {}
    for kind, pks in wanted.items():
        for obj in ENTITY_MODELS[kind]._default_manager.filter(pk__in=pks):
            out[(kind, obj.pk)] = obj
    return out


def _store(
    matches: list[Match], *, item: Item | None = None, work: Work | None = None, field: str,
    min_confidence: float, seen: set[tuple[str, int, str]] | None = None, **where: Any,
) -> int:
    """Store the confident matches; ``seen`` skips an entity already found in another language
    version of the same field (the French and English titles name the same people)."""
    base = field.split(":")[0]
    kept = []
    for m in matches:
        if m.confidence < min_confidence:
            continue
        if seen is not None:
            if (m.kind, m.pk, base) in seen:
                continue
            seen.add((m.kind, m.pk, base))
        kept.append(m)
    entities = _entities(kept)
    created = 0
    for m in kept:
        _, new = services.mention_add(
            entity=entities[(m.kind, m.pk)], role=m.role, item=item, work=work,
            source=Mention.Source.AUTOMATIC, confidence=m.confidence, created_by=EXTRACTOR,
            field=field, surface=m.surface[:200], span_start=m.start, span_end=m.end, **where,
        )
        created += new
    return created


@transaction.atomic
def mentions_extract_item(
    *, item: Item, gazetteer: Gazetteer | None = None, min_confidence: float = MIN_CONFIDENCE
) -> int:
    """Extract mentions from an item's metadata and primary transcriptions; returns how many are new.

    Spans in metadata fields index the first string of the field's chosen language; spans in
    transcriptions index the transcription text.
    """
    gaz = gazetteer or Gazetteer.from_db()
    created = 0
    seen: set[tuple[str, int, str]] = set()
    for name in _ITEM_FIELDS:
        for tag, text in _texts(getattr(item, name)):
            created += _store(gaz.find(text, context="metadata"), item=item, field=f"{name}:{tag}",
                              min_confidence=min_confidence, seen=seen)
    if item.date_expression:
        created += _store(gaz.find(item.date_expression, context="metadata"), item=item,
                          field="date_expression", min_confidence=min_confidence)
    for tr in Transcription.objects.filter(canvas__item=item, is_primary=True).select_related("canvas"):
        created += _store(gaz.find(tr.text, context="text"), item=item, field="transcription",
                          min_confidence=min_confidence, canvas=tr.canvas, transcription=tr)
    return created


@transaction.atomic
def mentions_extract_work(
    *, work: Work, gazetteer: Gazetteer | None = None, min_confidence: float = MIN_CONFIDENCE,
    byline: str = "",
) -> int:
    """Extract mentions from a work's titles, description and (if given) its byline."""
    gaz = gazetteer or Gazetteer.from_db()
    created = 0
    seen: set[tuple[str, int, str]] = set()
    for name in _WORK_FIELDS:
        for tag, text in _texts(getattr(work, name)):
            created += _store(gaz.find(text, context="metadata"), work=work, field=f"{name}:{tag}",
                              min_confidence=min_confidence, seen=seen)
    if byline:
        created += _store(gaz.find(byline, context="byline"), work=work, field="byline",
                          min_confidence=min_confidence)
    return created


def _texts(value: dict[str, list[str]] | None) -> list[tuple[str, str]]:
    """(tag, text) pairs of a language map, Chinese first (the gazetteer is mostly Chinese)."""
    pairs = [(tag, text) for tag, texts in (value or {}).items() for text in texts]
    return sorted(pairs, key=lambda p: (not p[0].startswith(("zh", "lzh")), p[0]))


def mentions_extract_all(*, min_confidence: float = MIN_CONFIDENCE) -> dict[str, int]:
    """Run extraction over every item and work with one gazetteer; returns counts."""
    gaz = Gazetteer.from_db()
    counts = {"items": 0, "works": 0, "mentions": 0}
    for item in Item.objects.all().iterator():
        counts["items"] += 1
        counts["mentions"] += mentions_extract_item(item=item, gazetteer=gaz, min_confidence=min_confidence)
    for work in Work.objects.all().iterator():
        counts["works"] += 1
        counts["mentions"] += mentions_extract_work(work=work, gazetteer=gaz, min_confidence=min_confidence)
    return counts

