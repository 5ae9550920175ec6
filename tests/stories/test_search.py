"""Stories are found by their text on the search page, in every language (#16)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from mogao.stories import search
from mogao.stories.demo import DIAMOND, MANI
from mogao.stories.models import Story, StoryStatus

pytestmark = pytest.mark.django_db


def _found(client: Client, q: str) -> list[str]:
    html = client.get("/search/", {"q": q}).content.decode()
    if 'class="story-matches"' not in html:
        return []
    block = html.split('class="story-matches"', 1)[1].split("</section>", 1)[0]
    return [slug for slug in (DIAMOND, MANI) if f'href="/stories/{slug}/"' in block]


@pytest.mark.parametrize(("q", "expected"), [
    ("colophon", [DIAMOND]),                  # English
    ("Sutra colophon", [DIAMOND]),            # folded diacritics, every word must match
    ("gratuitement", [DIAMOND]),              # French only
    ("feuilleter", [MANI]),                   # French only, the reunification link
    ("缀合", [MANI]),                          # Chinese, simplified
    ("綴合", [MANI]),                          # the same term in traditional characters
    ("藏經洞", [DIAMOND, MANI]),               # both stories
    ("題記", [DIAMOND]),
    ("nothing-of-the-kind xyzzy", []),
])
def test_demo_stories_are_found_by_their_text(client: Client, demo: Any, q: str, expected: list[str]) -> None:
    assert _found(client, q) == expected


def test_drafts_are_never_found(client: Client, demo: Any) -> None:
    Story.objects.filter(slug=DIAMOND).update(status=StoryStatus.DRAFT)
    assert _found(client, "colophon") == []


def test_a_changed_story_is_found_by_its_new_text_after_commit(
    client: Client, demo: Any, django_capture_on_commit_callbacks: Any,
) -> None:
    story = Story.objects.get(slug=MANI)
    assert search.matching_stories("Manichaean") == [story]
    assert story.pk in search._terms
    step = story.steps.get(position=1)
    with django_capture_on_commit_callbacks(execute=True):
        step.text = {**step.text, "en": ["<p>A quokkaesque word.</p>"]}
        step.save()
    assert story.pk not in search._terms  # the change channel dropped its analysed text
    assert _found(client, "quokkaesque") == [MANI]


def test_a_queryset_update_of_a_story_reaches_the_search_after_commit(
    client: Client, demo: Any, django_capture_on_commit_callbacks: Any,
) -> None:
    story = Story.objects.get(slug=DIAMOND)
    assert search.matching_stories("colophon") == [story]
    with django_capture_on_commit_callbacks(execute=True):
        Story.objects.filter(pk=story.pk).update(title={**story.title, "en": ["A wallabyish title"]})
    assert story.pk not in search._terms
    assert _found(client, "wallabyish") == [DIAMOND]
