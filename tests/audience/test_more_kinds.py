"""The kinds added after the first event log (#18): deep zoom, comment, collection save, story step and
completion, digitization request — recorded, rolled up, on the dashboard, and as private as the rest."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from mogao import audience
from mogao.audience import recorder, rollup, selectors, views
from mogao.audience.models import KINDS, DailyCount, Event

pytestmark = pytest.mark.django_db

AGENT = "Mozilla/5.0 (X11; Linux x86_64) SecretBrowser/99.1"
ADDRESS = "203.0.113.78"


def client(**headers: str) -> Client:
    return Client(HTTP_USER_AGENT=AGENT, REMOTE_ADDR=ADDRESS, HTTP_ACCEPT_LANGUAGE="zh-TW,zh;q=0.9", **headers)


def beacon(c: Client, body: Any) -> int:
    text = body if isinstance(body, str) else json.dumps(body)
    return int(c.post("/audience/beacon", text, content_type="text/plain").status_code)


def test_every_kind_is_described() -> None:
    for kind in ("zoom", "comment", "save", "story_step", "story_done", "request", "reaction", "annotation"):
        assert KINDS.get(kind), kind


def test_beacon_records_zoom_story_step_and_completion(world: dict[str, Any]) -> None:
    c = client()
    pid = world["item"].pid
    assert beacon(c, {"kind": "zoom", "href": f"/items/{pid}/read/1", "page": 1}) == 204
    story = world["story"]
    assert beacon(c, {"kind": "story_step", "story": story.slug, "n": 1}) == 204
    assert beacon(c, {"kind": "story_step", "story": story.slug, "n": 2}) == 204
    assert beacon(c, {"kind": "story_done", "story": story.slug, "n": 2}) == 204
    # nonsense is answered 204 and recorded as nothing (drafts, unknown stories, steps beyond the last)
    for bad in ({"kind": "story_step", "story": story.pk, "n": 1}, {"kind": "story_step", "story": story.slug, "n": 0},
                {"kind": "story_step", "story": story.slug, "n": True},
                {"kind": "story_step", "story": story.slug, "n": 3},
                {"kind": "story_step", "story": "draft-journey", "n": 1},
                {"kind": "story_step", "story": "no-such-story", "n": 1},
                {"kind": "zoom", "href": "https://evil.example/"},
                {"kind": "delete_everything"}, [1, 2], "{oops"):
        assert beacon(c, bad) == 204
    recorder.flush()
    got = sorted((e.kind, e.target_type, e.target_id, e.page, e.item_id, e.language)
                 for e in Event.objects.all())
    item = world["item"]
    assert got == sorted([
        ("zoom", "item", item.pk, 1, item.pk, "zh-hant"),
        ("story_step", "story", story.pk, 1, None, "zh-hant"),
        ("story_step", "story", story.pk, 2, None, "zh-hant"),
        ("story_done", "story", story.pk, 2, None, "zh-hant"),
    ])


@pytest.mark.parametrize("header", [{"HTTP_DNT": "1"}, {"HTTP_SEC_GPC": "1"}])
def test_dnt_and_gpc_suppress_the_new_kinds(world: dict[str, Any], header: dict[str, str]) -> None:
    c = client(**header)
    beacon(c, {"kind": "zoom", "href": f"/items/{world['item'].pid}", "page": 1})
    beacon(c, {"kind": "story_step", "story": world["story"].slug, "n": 1})
    beacon(c, {"kind": "story_done", "story": world["story"].slug, "n": 2})
    recorder.flush()
    assert Event.objects.count() == 0


def test_comment_and_save_are_recorded_without_the_account(world: dict[str, Any]) -> None:
    from mogao.discussion.services import comment_post
    from mogao.saved.models import SavedEntry
    from mogao.saved.services import save_entry

    user = get_user_model().objects.create_user("commenter-x", password="pw-long-enough-1")
    comment_post(user=user, target=world["item"], body="Un très beau rouleau.", language="fr")
    save_entry(user=user, collection=None, new_name="Mes rouleaux", item=world["item"], kind=SavedEntry.Kind.ITEM)
    recorder.flush()
    events = {e.kind: e for e in Event.objects.all()}
    assert set(events) == {"comment", "save"}
    for e in events.values():
        assert (e.item_id, e.institution_id) == (world["item"].pk, world["a"].pk)
    values = [str(v) for row in Event.objects.values_list() for v in row]
    for secret in ("commenter-x", "Mes rouleaux", "beau rouleau", str(user.pk) + "|"):
        assert not any(secret in v for v in values), secret


def test_new_kinds_roll_up_and_reach_the_dashboard(world: dict[str, Any]) -> None:
    day = timezone.localdate()
    item = world["item"]
    for lang, steps, done in (("fr", 3, 1), ("zh-hant", 2, 0)):
        for step in range(1, steps + 1):
            Event.objects.create(day=day, kind="story_step", language=lang, target_type="story", target_id=5,
                                 page=step, visit=f"{lang}-v")
        for _ in range(done):
            Event.objects.create(day=day, kind="story_done", language=lang, target_type="story", target_id=5)
    Event.objects.create(day=day, kind="request", language="fr", item_id=item.pk, institution_id=item.institution_id,
                         detail="research")
    Event.objects.create(day=day, kind="zoom", language="en", item_id=item.pk, institution_id=item.institution_id,
                         page=1)
    rollup.rollup_day(day)
    steps = {(r.language, r.key): r.count for r in DailyCount.objects.filter(metric="story_step")}
    assert steps == {("fr", "5:1"): 1, ("fr", "5:2"): 1, ("fr", "5:3"): 1, ("zh-hant", "5:1"): 1,
                     ("zh-hant", "5:2"): 1}
    assert DailyCount.objects.get(metric="story_done").key == "5"
    assert DailyCount.objects.get(metric="request").key == "research"
    assert DailyCount.objects.get(metric="zoom").item_id == item.pk
    r = selectors.Range.last(7)
    funnel = {row["language"]: row for row in selectors.story_funnel(r)}
    assert funnel["fr"]["steps"] == [(1, 1), (2, 1), (3, 1)] and funnel["fr"]["done"] == 1
    assert funnel["zh-hant"]["completion"] == 0.0
    data = views.sections(r)
    assert ["French", "#5", "Step 3", 1] in data["stories"]["rows"]
    assert ["French", "#5", "Finished", 1] in data["stories"]["rows"]
    assert data["requests"]["rows"] == [["French", "research", 1]]
    assert data["requests"]["note"]  # the digitization app has no publish times yet: said, not hidden


def test_requests_panel_tolerates_a_failing_digitization_selector(world: dict[str, Any], monkeypatch: Any) -> None:
    import importlib

    def broken(name: str) -> Any:
        raise RuntimeError("no such table")

    monkeypatch.setattr(importlib, "import_module", broken)
    assert selectors.digitization_requests(selectors.Range.last(7)) == {"requests": [], "publish": {}}


def test_record_from_other_apps_keeps_only_allowed_fields(world: dict[str, Any]) -> None:
    audience.record("request", item_id=world["item"].pk, institution_id=world["a"].pk, detail="teaching",
                    user_id=9, email="someone@example.org")
    recorder.flush()
    event = Event.objects.get()
    assert (event.kind, event.detail) == ("request", "teaching")
    assert "someone@example.org" not in [str(v) for v in Event.objects.values_list()[0]]
