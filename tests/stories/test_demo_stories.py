"""The two demo stories (#16): loaded by `mogao demo`, idempotent, four languages, regions inside."""

from __future__ import annotations

import pytest
from django.apps import apps

from mogao.demo.loader import demo_load
from mogao.reading.layout import lines_of
from mogao.stories.demo import DIAMOND, MANI
from mogao.stories.models import Step, StepKind, Story

pytestmark = pytest.mark.django_db

LANGS = {"en", "fr", "zh-Hans", "zh-Hant"}
COUNTED = ["stories.Story", "stories.Step", "stories.HistoricalStory", "stories.HistoricalStep",
           "catalogue.Canvas", "catalogue.Transcription"]


def _counts() -> dict[str, int]:
    counts = {label: apps.get_model(label).objects.count() for label in COUNTED}
    counts["places"] = Step.places.through.objects.count()
    return counts


def test_demo_loads_both_stories_twice_with_identical_rows() -> None:
    demo_load(echo=lambda _: None)
    first = _counts()
    demo_load(echo=lambda _: None)
    assert _counts() == first
    assert set(Story.objects.values_list("slug", flat=True)) == {DIAMOND, MANI}
    assert first["stories.Step"] == 9


def test_stories_are_published_featured_and_in_four_languages() -> None:
    demo_load(echo=lambda _: None)
    for story in Story.objects.all():
        assert story.is_published and story.featured and story.published_at is not None
        assert story.institution.code == "BL"
        assert story.cover is not None
        for field in ("title", "summary", "credits"):
            assert set(getattr(story, field)) >= LANGS, (story.slug, field)
        for step in story.steps.all():
            assert set(step.text) >= LANGS, (story.slug, step.position)
            assert all(v and v[0].strip() for v in step.text.values())


def test_regions_lie_inside_their_images_and_text_steps_name_real_lines() -> None:
    demo_load(echo=lambda _: None)
    for step in Step.objects.select_related("canvas", "canvas2"):
        for canvas, region in ((step.canvas, step.region), (step.canvas2, step.region2)):
            if canvas is None or not region:
                continue
            x, y, w, h = (int(v) for v in region.split(","))
            assert w > 0 and h > 0 and x >= 0 and y >= 0
            assert x + w <= canvas.width and y + h <= canvas.height, (step, region)
        if step.kind == StepKind.TEXT:
            assert step.canvas is not None and step.first_line and step.last_line
            transcription = step.canvas.transcriptions.get(is_primary=True)
            lines = lines_of(transcription.text, transcription.layout)
            assert 1 <= step.first_line <= step.last_line <= len(lines)
            assert "王玠" in "".join(line.text for line in lines[step.first_line - 1:step.last_line])


def test_the_diamond_story_has_its_kinds_and_the_mani_story_compares_london_and_paris() -> None:
    demo_load(echo=lambda _: None)
    diamond = Story.objects.get(slug=DIAMOND)
    kinds = [s.kind for s in diamond.steps.all()]
    assert kinds == [StepKind.IMAGE, StepKind.TEXT, StepKind.TIMELINE, StepKind.MAP, StepKind.MAP]
    timeline = diamond.steps.get(kind=StepKind.TIMELINE)
    assert (timeline.year_start, timeline.year_end, timeline.period.pid) == (868, 868, "tang")
    found, now = diamond.steps.filter(kind=StepKind.MAP)
    assert "mogao-library-cave" in {p.pid for p in found.places.all()} and now.show_dispersal
    mani = Story.objects.get(slug=MANI)
    comparison = mani.steps.get(kind=StepKind.COMPARISON)
    assert comparison.canvas.item.shelfmark == "Or.8210/S.3969"
    assert comparison.canvas2.item.shelfmark == "Pelliot chinois 3884"
    assert "/iiif/joins/" in comparison.text["en"][0] and "/compare/join/" in comparison.text["fr"][0]
