"""Story services (#16): field messages for bad steps, sanitized narratives, stale edits, the workflow."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from mogao.stories import services
from mogao.stories.models import StoryStatus, StoryTransition

from .conftest import World

pytestmark = pytest.mark.django_db


def refused(call: Any, *args: Any, **kwargs: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as info:
        call(*args, **kwargs)
    return {k: [str(m) for e in v for m in e.messages] for k, v in info.value.error_dict.items()}


def image(world: World, **extra: Any) -> dict[str, Any]:
    return {"kind": "image", "text": {"en": "The colophon"}, "canvas": world.pages[("A", "public")].pk, **extra}


def test_region_outside_the_image_is_refused_with_a_field_message(world: World) -> None:
    story = world.story(steps=0)
    curator = world.users["curator_a"]
    errors = refused(services.save_step, curator, story, image(world, region="900,700,200,200"))
    assert list(errors) == ["region"] and "1000 × 800" in errors["region"][0]
    for bad in ("1,2,3", "a,b,c,d", "0,0,0,10", "-5,0,10,10"):
        assert "region" in refused(services.save_step, curator, story, image(world, region=bad))
    step = services.save_step(curator, story, image(world, region="xywh=900,700,100,100"))
    assert step.region == "900,700,100,100" and step.position == 1
    assert story.steps.count() == 1


def test_step_without_default_language_text_and_missing_canvas(world: World) -> None:
    story = world.story(steps=0)
    curator = world.users["curator_a"]
    errors = refused(services.save_step, curator, story, {"kind": "image", "text": {"fr": "Le colophon"}})
    assert set(errors) == {"text", "canvas"}
    assert "English" in errors["text"][0]
    assert errors["canvas"] == ["Choose a page."]
    assert "canvas" in refused(services.save_step, curator, story, image(world, canvas=999_999))
    with translation.override("fr"):
        errors = refused(services.save_step, curator, story, {"kind": "image", "text": {}, "canvas": ""})
    assert errors["canvas"] == ["Choisissez une page."]


def test_pages_of_other_holders_public_yes_private_never(world: World) -> None:
    story = world.story(steps=0)
    curator = world.users["curator_a"]
    step = services.save_step(curator, story, image(world, canvas=world.pages[("B", "public")].pk))
    credit = services.step_credit(step)[0]
    assert credit.holder == "Bibliothèque nationale de France" and credit.rights_label == "Public Domain Mark"
    assert credit.shelfmark == "ST-B-public"
    errors = refused(services.save_step, curator, story, image(world, canvas=world.pages[("B", "private")].pk))
    assert "you may not use it" in errors["canvas"][0]
    # one's own private page may be drafted with, but keeps the story from review
    services.save_step(curator, story, image(world, canvas=world.pages[("A", "private")].pk))
    errors = refused(services.submit, curator, story)
    assert "Step 2 shows a page that readers may not see." in errors["steps"]


def test_kind_specific_checks(world: World) -> None:
    story = world.story(steps=0)
    curator = world.users["curator_a"]
    text = {"en": "A passage"}
    page = world.pages[("A", "public")].pk
    compare = {"kind": "comparison", "text": text, "canvas": page}
    assert "canvas2" in refused(services.save_step, curator, story, compare)
    errors = refused(services.save_step, curator, story, {"kind": "text", "text": text, "canvas": page,
                                                         "first_line": 2, "last_line": 9})
    assert errors == {"last_line": ["The last line must lie between the first line and 3."]}
    assert "first_line" in refused(services.save_step, curator, story, {"kind": "text", "text": text, "canvas": page})
    assert "places" in refused(services.save_step, curator, story, {"kind": "map", "text": text})
    assert "year_start" in refused(services.save_step, curator, story, {"kind": "timeline", "text": text})
    assert "year_end" in refused(services.save_step, curator, story, {"kind": "timeline", "text": text,
                                                                      "year_start": 900, "year_end": 800})
    assert "audio" in refused(services.save_step, curator, story, {"kind": "media", "text": text})
    assert "captions" in refused(services.save_step, curator, story, {"kind": "media", "text": text,
                                                                      "audio": "stories/a.mp3",
                                                                      "captions": {"en": "not vtt"}})
    passage = services.save_step(curator, story, {"kind": "text", "text": text, "canvas": page, "first_line": 2})
    assert (passage.first_line, passage.last_line) == (2, 2)
    where = services.save_step(curator, story, {"kind": "map", "text": text, "places": [world.place.pk],
                                                "canvas": page})
    assert list(where.places.all()) == [world.place] and where.canvas is None  # a map shows no page
    when = services.save_step(curator, story, {"kind": "timeline", "text": text, "period": world.period.pk})
    assert when.period == world.period


def test_narrative_is_sanitized(world: World) -> None:
    story = world.story(steps=0)
    step = services.save_step(world.users["curator_a"], story, image(world, text={
        "en": '<p>The <em>colophon</em> <a href="javascript:alert(1)">x</a> <a href="https://example.org">y</a>'
              '<script>alert(1)</script><img src=x onerror=alert(1)></p>'}))
    html = step.text["en"][0]
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html and "<img" not in html
    assert "<em>colophon</em>" in html and 'href="https://example.org"' in html


def test_stale_edits_are_refused_and_nothing_is_written(world: World) -> None:
    story = world.story(steps=2)
    curator = world.users["curator_a"]
    loaded = services.version_of(story)
    services.save_step(curator, story, image(world, text={"en": "Someone else"}), version=loaded)
    with pytest.raises(services.StaleStory):
        services.save_step(curator, story, image(world, text={"en": "Me"}), version=loaded)
    assert story.steps.count() == 3
    ids = list(story.steps.order_by("position").values_list("pk", flat=True))
    with pytest.raises(services.StaleStory):
        services.reorder(curator, story, list(reversed(ids)), version=loaded)
    services.reorder(curator, story, list(reversed(ids)), version=services.version_of(story))
    assert list(story.steps.order_by("position").values_list("pk", flat=True)) == list(reversed(ids))
    assert "order" in refused(services.reorder, curator, story, ids[:2])


def test_workflow_and_history(world: World) -> None:
    story = world.story(steps=1)
    curator = world.users["curator_a"]
    assert "status" in refused(services.publish, curator, story)  # review first
    services.submit(curator, story)
    with pytest.raises(PermissionDenied):
        services.publish(world.users["curator_b"], story)
    services.publish(curator, story)
    story.refresh_from_db()
    assert story.status == StoryStatus.PUBLISHED and story.published_at is not None
    first = story.published_at
    assert "reason" in refused(services.return_to_draft, curator, story, "")
    services.return_to_draft(curator, story, "A date is wrong")
    services.submit(curator, story)
    services.publish(world.users["admin"], story)
    story.refresh_from_db()
    assert story.published_at == first  # the first publication date is kept
    moves = [(t.from_status, t.to_status, t.reason) for t in StoryTransition.objects.filter(story=story)
             .order_by("created", "id")]
    assert moves == [("draft", "review", ""), ("review", "published", ""), ("published", "draft", "A date is wrong"),
                     ("draft", "review", ""), ("review", "published", "")]
    assert story.history.filter(history_change_reason__startswith="draft: A date").exists()


def test_story_address_and_permissions(world: World) -> None:
    world.story(slug="taken")
    curator = world.users["curator_a"]
    make = services.create_story
    errors = refused(make, curator, institution=world.institutions["A"], slug="taken", title={"en": "T"})
    assert errors["slug"] == ["Another story already has this address: choose another."]
    assert "slug" in refused(make, curator, institution=world.institutions["A"], slug="new", title={"en": "T"})
    assert "slug" in refused(make, curator, institution=world.institutions["A"], slug="Bad Slug!", title={"en": "T"})
    assert "title" in refused(make, curator, institution=world.institutions["A"], slug="ok", title={"fr": "T"})
    assert "institution" in refused(make, curator, institution=world.institutions["B"], slug="ok2", title={"en": "T"})
    for role in ("reader", "curator_b_nostaff"):
        with pytest.raises(PermissionDenied):
            make(world.users[role], institution=world.institutions["A"], slug="x", title={"en": "T"})
    story = world.story(slug="mine")
    with pytest.raises(PermissionDenied):
        services.save_step(world.users["curator_b"], story, image(world))


def test_completeness(world: World) -> None:
    story = world.story(steps=2)
    step = story.steps.first()
    assert step is not None
    services.save_step(world.users["curator_a"], story, image(world, text={"en": "x", "fr": "y"}), step)
    done = services.completeness(story)
    assert done["totals"] == {"en": 2, "fr": 1, "zh-Hans": 0, "zh-Hant": 0} and done["complete"] == ["en"]


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_saves_of_one_version(world: World) -> None:
    """Two editors submit at the same moment from the same version: one is saved, the other refused."""
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (SQLite serializes writers)")
    from mogao.stories.models import Story

    story = world.story(steps=1)
    curator = world.users["curator_a"]
    loaded = services.version_of(story)
    barrier = threading.Barrier(2)
    results: list[str] = []

    def edit(text: str) -> None:
        from django.db import connection as own

        try:
            barrier.wait(timeout=30)
            services.save_step(curator, Story.objects.get(pk=story.pk), image(world, text={"en": text}),
                               version=loaded)
            results.append("saved")
        except services.StaleStory:
            results.append("stale")
        finally:
            own.close()

    threads = [threading.Thread(target=edit, args=(t,)) for t in ("one", "two")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(results) == ["saved", "stale"]
    assert story.steps.count() == 2
