"""A story as W3C annotations and as a IIIF Presentation 3 manifest (#16)."""

from __future__ import annotations

import json
from types import ModuleType
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from mogao.stories.demo import DIAMOND, MANI
from mogao.stories.models import Step, StepKind, Story, StoryStatus

pytestmark = pytest.mark.django_db
BASE = "http://127.0.0.1:8000"


def _manifest(client: Client, slug: str, status: int = 200) -> dict[str, Any]:
    response = client.get(f"/stories/{slug}/manifest.json")
    assert response.status_code == status, response.content[:300]
    assert response["Access-Control-Allow-Origin"] == "*"
    return json.loads(response.content)


def test_every_demo_step_is_a_valid_w3c_annotation(demo: Any, w3c: ModuleType, settings: Any) -> None:
    settings.BASE_URL = BASE
    steps = list(Step.objects.select_related("story", "canvas__item", "canvas2__item"))
    assert len(steps) == 9
    for step in steps:
        data = step.to_annotation(BASE)
        w3c.validate_annotation(data)
        assert data["id"] == f"{BASE}/stories/{step.story.slug}/steps/{step.position}"
        languages = {b["language"] for b in data["body"] if b["type"] == "TextualBody"}
        assert languages == {"en", "fr", "zh-Hans", "zh-Hant"}
        assert all(b["format"] == "text/html" and b["purpose"] == "describing" for b in data["body"])


def test_targets_by_kind(demo: Any, settings: Any) -> None:
    settings.BASE_URL = BASE
    diamond = Story.objects.get(slug=DIAMOND)
    image, text, timeline = (diamond.steps.get(position=n).to_annotation(BASE) for n in (1, 2, 3))
    canvas1 = diamond.steps.get(position=1).canvas
    assert image["target"]["source"] == f"{BASE}/iiif/items/{canvas1.item.pid}/canvas/1"
    assert image["target"]["selector"] == {"type": "FragmentSelector", "conformsTo": "http://www.w3.org/TR/media-frags/",
                                           "value": f"xywh={diamond.steps.get(position=1).region}"}
    by_text, on_canvas = text["target"]
    position, quote = by_text["selector"]
    assert position["type"] == "TextPositionSelector" and position["start"] == 0
    assert quote["exact"].replace("\n", "") == "咸通九年四月十五日王玠為二親敬造普施"
    assert position["end"] - position["start"] == len(quote["exact"])
    assert on_canvas["source"].endswith("/canvas/2") and on_canvas["selector"]["value"].startswith("xywh=")
    assert timeline["target"][0] == {"id": f"{BASE}/stories/{DIAMOND}/range/3", "type": "Range"}
    assert timeline["target"][1] == f"{BASE}/iiif/items/{canvas1.item.pid}/canvas/1"
    comparison = Story.objects.get(slug=MANI).steps.get(kind=StepKind.COMPARISON).to_annotation(BASE)
    assert len(comparison["target"]) == 2


def test_media_step_has_sound_and_captions(demo: Any, w3c: ModuleType) -> None:
    story = Story.objects.get(slug=DIAMOND)
    step = Step.objects.create(
        story=story, position=99, kind=StepKind.MEDIA, text={"en": ["<p>Listen.</p>"]},
        audio="https://example.org/narration.mp3",
        captions={"en": "WEBVTT\n\n00:00.000 --> 00:02.000\nListen.",
                  "fr": "WEBVTT\n\n00:00.000 --> 00:02.000\nÉcoutez."},
    )
    data = step.to_annotation(BASE)
    w3c.validate_annotation(data)
    kinds = [(b["type"], b.get("format"), b.get("language")) for b in data["body"]]
    assert ("Sound", "audio/mpeg", None) in kinds
    assert ("TextualBody", "text/vtt", "en") in kinds and ("TextualBody", "text/vtt", "fr") in kinds


@pytest.mark.parametrize("slug", [DIAMOND, MANI])
def test_story_manifest_validates_and_carries_steps(
    client: Client, demo: Any, assert_valid: Any, w3c: ModuleType, settings: Any, slug: str,
) -> None:
    settings.BASE_URL = BASE
    m = _manifest(client, slug)
    assert_valid(m)
    story = Story.objects.get(slug=slug)
    assert m["id"] == f"{BASE}/stories/{slug}/manifest.json"
    for field in ("label", "summary"):
        assert set(m[field]) >= {"en", "fr", "zh-Hans", "zh-Hant"}
    assert m["requiredStatement"]["value"] == story.credits
    # One range per step, each holding the pages of its step.
    assert [r["id"] for r in m["structures"]] == [
        f"{BASE}/stories/{slug}/range/{s.position}" for s in story.steps.all()
    ]
    canvas_ids = {c["id"] for c in m["items"]}
    assert all(i["id"] in canvas_ids for r in m["structures"] for i in r["items"])
    # Every canvas credits its holder and rights.
    for canvas in m["items"]:
        assert canvas["requiredStatement"]["value"] and canvas["rights"].startswith("http")
        assert canvas["items"][0]["items"][0]["body"]["service"][0]["type"] == "ImageService3"
    page = m["annotations"][0]
    assert w3c.validate_page(page, embedded=True) >= story.steps.count()
    for anno in page["items"]:
        target = anno["target"]
        assert (target if isinstance(target, str) else target["source"]) in canvas_ids
        assert anno["motivation"] == "commenting"
    # The canvases carry the same annotations (viewers read them there).
    on_canvases = [a["id"] for c in m["items"] for p in c.get("annotations", []) for a in p["items"]]
    assert sorted(on_canvases) == sorted(a["id"] for a in page["items"])


def test_mani_manifest_credits_both_holders(client: Client, demo: Any) -> None:
    m = _manifest(client, MANI)
    holders = {c["requiredStatement"]["value"]["en"][0] for c in m["items"]}
    assert holders == {"British Library, Or.8210/S.3969", "Bibliothèque nationale de France, Pelliot chinois 3884"}
    assert {p["label"]["en"][0] for p in m["provider"]} == {"British Library", "Bibliothèque nationale de France"}


def test_w3c_annotation_page_is_served(client: Client, demo: Any, w3c: ModuleType) -> None:
    response = client.get(f"/stories/{DIAMOND}/annotations.json")
    assert response.status_code == 200
    data = json.loads(response.content)
    assert w3c.validate_page(data) == 5


def test_a_draft_manifest_is_hidden_from_readers_and_shown_to_its_curators(client: Client, demo: Any) -> None:
    story = Story.objects.get(slug=DIAMOND)
    Story.objects.filter(pk=story.pk).update(status=StoryStatus.DRAFT)
    _manifest(client, DIAMOND, status=404)
    assert client.get(f"/stories/{DIAMOND}/annotations.json").status_code == 404
    client.force_login(get_user_model().objects.get(username="curator"))
    response = client.get(f"/stories/{DIAMOND}/manifest.json")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    _manifest(client, "no-such-story", status=404)


def test_index_lists_published_stories_with_covers(client: Client, demo: Any) -> None:
    html = client.get("/stories/").content.decode()
    assert "The Diamond Sūtra of 868" in html and "One manuscript, two cities" in html
    assert html.count('class="story-cover"') == 2 and "/iiif/3/" in html
    client.cookies["django_language"] = "fr"
    assert "Le Sūtra du Diamant de 868" in client.get("/stories/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    Story.objects.filter(slug=MANI).update(status=StoryStatus.DRAFT)
    assert "Un manuscrit, deux villes" not in client.get("/stories/").content.decode()
