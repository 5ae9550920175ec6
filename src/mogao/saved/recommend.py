"""Explained recommendations (#15): "because you saved X: same work / same scribe / …".

Where they come from
    Only what the signed-in reader did on purpose: the items they saved (and, once the lead wires
    them in, the ones they reacted to). Anonymous readers get nothing, and nothing about any
    reader's browsing is recorded or read. A reader who turned recommendations off
    (``Profile.recommendations``) gets nothing either.

How they are made
    For each *source* item, :func:`mogao.knowledge.selectors.item_related` gives related public
    items with the knowledge layer's reasons (part of the same scroll, same work, same scribe,
    same commissioner, same find place, similar text) and scores. Candidates are summed over the
    sources; each keeps the explanations of every source that led to it (the strongest first).
    Items the reader already saved are never recommended.

The hook
    :func:`sources_for` is the one place that says what a reader's recommendations start from.
    Other apps extend it without touching this module: call :func:`register_source` in their
    ``AppConfig.ready`` with a function ``provider(user) -> list[Source]`` — reactions, for
    instance::

        from mogao.saved.recommend import Source, register_source

        def reacted(user):
            return [Source(item=r.item, verb="reacted") for r in Reaction.objects.filter(...)]

        register_source(reacted)

    ``verb`` is ``"saved"`` or ``"reacted"`` (add a phrase to :data:`VERBS` for another).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from mogao.accounts.models import profile_of
from mogao.catalogue.models import Item

#: Sources looked at (most recent first), and recommendations shown at most.
MAX_SOURCES = 6
LIMIT = 8
CACHE_SECONDS = 600

VERBS = {
    "saved": _("Because you saved %(item)s"),
    "reacted": _("Because you reacted to %(item)s"),
}


@dataclass(frozen=True)
class Source:
    """Something a reader did on purpose with an item, that recommendations may start from."""

    item: Item
    verb: str = "saved"


@dataclass
class Reason:
    source: Source
    codes: list[tuple[str, str]]
    score: float


@dataclass
class Recommendation:
    item: Item
    score: float = 0.0
    because: list[Reason] = field(default_factory=list)


_PROVIDERS: list[Callable[[Any], list[Source]]] = []


def register_source(provider: Callable[[Any], list[Source]]) -> None:
    """Add a provider of sources (see the module docstring); registering twice is harmless."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def enabled(user: Any) -> bool:
    """Recommendations are for signed-in readers who did not turn them off."""
    profile = profile_of(user)
    return profile is not None and bool(profile.recommendations)


def _saved_sources(user: Any) -> list[Source]:
    from mogao.catalogue.selectors import item_public_qs
    from mogao.saved.selectors import saved_item_ids

    ids = saved_item_ids(user)[: MAX_SOURCES * 2]
    found = {i.pk: i for i in item_public_qs().filter(pk__in=ids).select_related("institution", "find_place")}
    return [Source(item=found[i], verb="saved") for i in ids if i in found]


def sources_for(user: Any) -> list[Source]:
    """What ``user``'s recommendations start from: saved items, then every registered provider's.

    One source per item (the first provider to name it wins), at most :data:`MAX_SOURCES`.
    Anonymous readers have none.
    """
    if not getattr(user, "is_authenticated", False):
        return []
    out: dict[int, Source] = {}
    for provider in (_saved_sources, *_PROVIDERS):
        for source in provider(user):
            out.setdefault(source.item.pk, source)
    return list(out.values())[:MAX_SOURCES]


def recommendations_for(user: Any, *, language: str | None = None, exclude: int | None = None,
                        limit: int = LIMIT) -> list[Recommendation]:
    """Explained recommendations for ``user`` (empty when off, anonymous, or nothing to start from)."""
    from mogao.saved.selectors import saved_item_ids

    if not enabled(user):
        return []
    sources = sources_for(user)
    if not sources:
        return []
    already = set(saved_item_ids(user)) | {s.item.pk for s in sources}
    found: dict[int, Recommendation] = {}
    for source in sources:
        for related in _related(source.item, language):
            other = related.obj
            if other.pk in already or other.pk == exclude:
                continue
            rec = found.setdefault(other.pk, Recommendation(item=other))
            rec.score += related.score
            rec.because.append(Reason(source=source, codes=list(related.reasons), score=related.score))
    ranked = sorted(found.values(), key=lambda r: (-r.score, r.item.shelfmark, r.item.pid))[:limit]
    for rec in ranked:
        rec.because.sort(key=lambda r: -r.score)
    return ranked


def _related(item: Item, language: str | None) -> list[Any]:
    """The knowledge layer's related items of ``item``, cached with the catalogue generation."""
    from mogao.core import generation
    from mogao.knowledge.selectors import item_related

    key = f"saved-rel:{item.pk}:{language}:{generation.current()}"
    ids_reasons = cache.get(key)
    if ids_reasons is None:
        related = item_related(item=item, language=language)
        ids_reasons = [(r.obj.pk, r.score, r.reasons) for r in related]
        cache.set(key, ids_reasons, CACHE_SECONDS)
    from mogao.catalogue.selectors import item_public_qs
    from mogao.knowledge.selectors import Related

    items = {i.pk: i for i in item_public_qs().filter(pk__in=[i for i, _s, _r in ids_reasons])
             .select_related("institution")}

    return [Related(items[i], score, list(reasons)) for i, score, reasons in ids_reasons if i in items]
