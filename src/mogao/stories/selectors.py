"""Queries of the publishing side of stories (#16): the index, the home page, sitemaps, manifests."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from mogao.catalogue.models import Canvas
from mogao.stories.models import Step, Story, StoryStatus

COVER_SIZE = "!480,360"


@dataclass(frozen=True)
class Card:
    """A story as the index and the home page show it: the story, its cover picture, its step count."""

    story: Story
    cover: str
    steps: int


def published_qs() -> QuerySet[Story]:
    """Published stories, in their home-page order."""
    return Story.objects.filter(status=StoryStatus.PUBLISHED).select_related("cover__item", "institution")


def cover_url(story: Story, size: str = COVER_SIZE) -> str:
    """A picture of the story's cover (its region when set); ``""`` when the cover has no image."""
    from mogao.iiif.presentation.common import canvas_service

    canvas = story.cover
    if canvas is None or not canvas.width or not canvas.height:
        return ""
    service = canvas_service(canvas)
    if service is None:
        return ""
    return service.image_url(region=story.cover_region or "full", size=size)


def cards(qs: QuerySet[Story] | None = None, *, limit: int | None = None) -> list[Card]:
    """Cards of published stories that have a cover picture (never a placeholder)."""
    from django.db.models import Count

    qs = (qs if qs is not None else published_qs()).annotate(step_count=Count("steps"))
    out = []
    for story in qs:
        picture = cover_url(story)
        if picture:
            out.append(Card(story, picture, story.step_count))  # type: ignore[attr-defined]
        if limit is not None and len(out) >= limit:
            break
    return out


def featured_cards(*, limit: int = 4) -> list[Card]:
    """The featured stories of the home page (by position), each with its cover."""
    return cards(published_qs().filter(featured=True).order_by("position", "-published_at", "id"), limit=limit)


def story_with_steps(slug: str) -> Story | None:
    """A story with its steps, their pages, items and holders loaded (for its manifest)."""
    canvases = Canvas.objects.select_related("item__institution")
    steps = (
        Step.objects.order_by("position", "id")
        .select_related("canvas__item__institution", "canvas2__item__institution")
        .prefetch_related("places")
    )
    return (
        Story.objects.select_related("institution")
        .prefetch_related(Prefetch("steps", queryset=steps), Prefetch("cover", queryset=canvases))
        .filter(slug=slug)
        .first()
    )
