"""Stories found by their text (#16): a "Stories" block above the search results.

Stories are few and their text is short, so they are not documents of the search engine (which
holds items, works, people and places, each with facets, years and shelfmarks stories lack).
Instead each published story's text — title, summary, credits and every step's narrative, in every
language, HTML removed — is analysed by the very tokenizer the engines use
(:func:`mogao.text.tokens.tokenize_raw`: folding of case, diacritics and Chinese variants, traditional
to simplified, CJK bigrams and unigrams, English stemming), and a story matches a query when it has
every term of the query (:func:`mogao.text.tokens.query_tokens`). So ``Sūtra``/``sutra``,
``manuscrits``/``manuscrit`` and ``金剛經``/``金刚经`` meet as they do in the main results.

The analysed terms are kept per process, keyed by a signature of the story (its ``updated`` stamp,
its steps' count and latest ``updated``), so a changed story is never matched on stale text; the
change channel (:func:`on_changes`, stories being watched models) also drops a changed story's
terms after each commit, so the next search analyses it afresh.
"""

from __future__ import annotations

import html
import re
import threading
from typing import Any

from django.db.models import Count, Max

from mogao.core.changes import ChangeSet
from mogao.stories.models import Step, Story, StoryStatus

MAX_SHOWN = 5
_TAG = re.compile(r"<[^>]{0,2000}>")
_lock = threading.Lock()
_terms: dict[int, tuple[Any, frozenset[str]]] = {}


def plain(value: str) -> str:
    """Narrative HTML as text (tags become spaces, entities decoded)."""
    return html.unescape(_TAG.sub(" ", value))


def story_text(story: Story, steps: list[Step]) -> list[str]:
    """Every string of the story a reader may search for, in every language."""
    values: list[str] = [story.slug.replace("-", " ")]
    for field in (story.title, story.summary, story.credits, *(s.text for s in steps)):
        for texts in (field or {}).values():
            values.extend(plain(t) for t in texts if isinstance(t, str))
    return values


def analyse(values: list[str]) -> frozenset[str]:
    from mogao.text.tokens import tokenize_raw

    return frozenset(term for value in values for term, *_ in tokenize_raw(value))


def _published() -> list[Any]:
    return list(
        Story.objects.filter(status=StoryStatus.PUBLISHED)
        .select_related("cover", "institution")
        .annotate(step_count=Count("steps"), step_updated=Max("steps__updated"))
        .order_by("position", "-published_at", "id")
    )


def _terms_of(story: Any) -> frozenset[str]:
    signature = (story.updated, story.step_count, story.step_updated)
    with _lock:
        cached = _terms.get(story.pk)
    if cached is not None and cached[0] == signature:
        return cached[1]
    terms = analyse(story_text(story, list(story.steps.all())))
    with _lock:
        _terms[story.pk] = (signature, terms)
    return terms


def matching_stories(q: str, *, limit: int = MAX_SHOWN) -> list[Story]:
    """Published stories whose text holds every term of ``q`` (home-page order)."""
    from mogao.text.tokens import query_tokens

    wanted = {t.term for t in query_tokens(q[:500])}
    if not wanted:
        return []
    found = []
    for story in _published():
        if wanted <= _terms_of(story):
            found.append(story)
            if len(found) >= limit:
                break
    return found


def story_cards(q: str) -> list[Any]:
    """The cards (cover, title, summary) of the stories matching ``q``, for the search page."""
    from mogao.stories.selectors import Card, cover_url

    return [Card(s, cover_url(s, size="!240,180"), getattr(s, "step_count", 0)) for s in matching_stories(q)]


def on_changes(sender: Any, changes: ChangeSet, **kwargs: Any) -> None:
    """After a commit that changed stories or steps: forget their analysed text."""
    if not changes.touches(Story, Step):
        return
    stories = changes.saved_pks(Story) | changes.deleted_pks(Story)
    stories |= {changes.gone_value(Step, pk, "story_id") for pk in changes.deleted_pks(Step)} - {None}
    saved_steps = changes.saved_pks(Step)
    if saved_steps:
        stories |= set(Step.objects.filter(pk__in=saved_steps).values_list("story_id", flat=True))
    with _lock:
        if Story in changes.whole_models or Step in changes.whole_models:
            _terms.clear()
        for pk in stories:
            _terms.pop(pk, None)
