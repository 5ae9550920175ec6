"""The story reader on the server (#16): the player's document, who may read, captions, audio, embed.

The browser side (playing by scroll, keys and autoplay) is tests/e2e/test_story_reader.py.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from tests.stories.reader_helpers import build_story, load_demo, silent_wav, story_user

from mogao.catalogue.models import Institution
from mogao.stories.document import content_state, parse_region, sanitize, story_document
from mogao.stories.models import Step, StoryStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(settings: Any) -> Any:
    settings.BASE_URL = "https://mogao.example"
    return build_story(load_demo())


def test_document_gives_every_step_what_the_stage_shows(story: Any) -> None:
    doc = story_document(story, "fr", "https://mogao.example")
    assert doc["title"] == "Le Sūtra du diamant de 868"
    assert doc["credits"] == "Projet Mogao"
    steps = doc["steps"]
    assert [s["n"] for s in steps] == [1, 2, 3, 4, 5, 6]
    assert [s["kind"] for s in steps] == ["image", "text", "comparison", "map", "timeline", "media"]
    image = steps[0]
    assert image["html"] == "<p>Étape : The opening of the sūtra.</p>"
    assert image["region"] == [40, 100, 300, 400]
    assert image["canvas"]["info"] == "https://mogao.example/iiif/3/demo-bl-or-8210-p-2-1/info.json"
    assert image["canvas"]["id"] == "https://mogao.example/iiif/items/bl-or-8210-p-2/canvas/1"
    assert (image["canvas"]["width"], image["canvas"]["height"]) == (448, 1248)
    assert image["canvas"]["credit"]["holder"]
    assert image["canvas"]["credit"]["rights"].startswith("http")
    text = steps[1]
    assert text["highlight"] == [2, 3]
    assert len(text["lines"]) == 4 and all(line["box"] for line in text["lines"])
    assert text["direction"] == "vertical-rl"
    comparison = steps[2]
    assert comparison["canvas2"]["info"].endswith("/demo-bl-or-8210-p-2-2/info.json")
    assert comparison["region2"] == [0, 624, 448, 624]
    geo = steps[3]
    assert {p["pid"] for p in geo["places"]} == {"mogao-library-cave", "dunhuang"}
    assert all(isinstance(p["lat"], float) for p in geo["places"])
    assert geo["dispersal"], "the Library Cave's dispersal lines are drawn"
    assert all(len(line["coords"]) == 2 for line in geo["dispersal"])
    timeline = steps[4]["timeline"]
    assert (timeline["start"], timeline["end"]) == (868, 868)
    assert any(band["label"] for band in timeline["bands"]) and timeline["from"] < 868 < timeline["to"]
    media = steps[5]
    assert [c["lang"] for c in media["captions"]] == ["en", "fr", "zh-Hans", "zh-Hant"]
    assert media["captions"][0]["url"] == "/stories/diamond-journey/steps/6/captions.en.vtt"


def test_content_state_is_base64url_of_the_uri_encoded_annotation_target() -> None:
    value = content_state("https://m.example/iiif/items/x/canvas/1", "https://m.example/iiif/items/x/manifest",
                          [1.0, 2.0, 30.0, 40.0])
    assert "=" not in value and "+" not in value and "/" not in value
    state = json.loads(unquote(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()))
    assert state["id"] == "https://m.example/iiif/items/x/canvas/1#xywh=1,2,30,40"
    assert state["type"] == "Canvas" and state["partOf"][0]["type"] == "Manifest"


def test_narrative_is_sanitized_again_on_output(story: Any) -> None:
    step = story.steps.get(position=1)
    step.text = {"en": ['<p onclick="x()">Hi<script>alert(1)</script> <a href="javascript:alert(1)">x</a></p>']}
    step.save()
    html = story_document(story, "en", "https://mogao.example")["steps"][0]["html"]
    assert "script" not in html and "onclick" not in html and "javascript:" not in html
    assert sanitize('<a href="https://ok.example">ok</a>').startswith('<a href="https://ok.example"')
    page = Client().get("/stories/diamond-journey/").content.decode()
    assert "<script>alert(1)" not in page and "javascript:alert" not in page


def test_regions_are_parsed_or_ignored() -> None:
    assert parse_region("xywh=10,20,30,40") == [10, 20, 30, 40]
    assert parse_region("") is None
    assert parse_region("1,2,0,4") is None
    assert parse_region("a,b,c,d") is None


def test_published_story_page_and_data_are_public(story: Any) -> None:
    client = Client()
    page = client.get("/stories/diamond-journey/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="step-1"' in body and 'id="step-6"' in body
    assert 'role="progressbar"' in body and 'aria-valuemax="6"' in body
    data = client.get("/stories/diamond-journey/data.json", HTTP_ACCEPT_LANGUAGE="zh-hant")
    assert data.status_code == 200 and data["Content-Type"].startswith("application/json")
    assert data.json()["steps"][0]["n"] == 1
    ld = body.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert json.loads(ld)["@type"] == "CreativeWork" and 'rel="canonical"' in body


@pytest.mark.parametrize("status", [StoryStatus.DRAFT, StoryStatus.REVIEW])
def test_drafts_are_404_for_readers_and_other_curators(status: str, settings: Any) -> None:
    item = load_demo()
    build_story(item, status=status)
    other = Institution.objects.exclude(pk=item.institution_id).first()
    assert other is not None
    urls = ["/stories/diamond-journey/", "/stories/diamond-journey/embed/", "/stories/diamond-journey/data.json",
            "/stories/diamond-journey/steps/6/captions.en.vtt"]
    for user in (None, story_user("reader"), story_user("elsewhere", curator_of=other)):
        client = Client()
        if user is not None:
            client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
    own = Client()
    own.force_login(story_user("own", curator_of=item.institution))
    for url in urls:
        assert own.get(url).status_code == 200, url


def test_unknown_story_and_step_are_404(story: Any) -> None:
    client = Client()
    assert client.get("/stories/no-such-story/").status_code == 404
    assert client.get("/stories/diamond-journey/steps/9/captions.en.vtt").status_code == 404
    assert client.get("/stories/diamond-journey/steps/0/captions.en.vtt").status_code == 404
    assert client.get("/stories/diamond-journey/steps/6/captions.de.vtt").status_code == 404
    assert client.get("/stories/diamond-journey/steps/1/captions.en.vtt").status_code == 404  # none there


def test_captions_are_webvtt(story: Any) -> None:
    response = Client().get("/stories/diamond-journey/steps/6/captions.zh-Hant.vtt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vtt; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content.decode().startswith("WEBVTT") and "題記" in response.content.decode()


def test_audio_is_served_from_storage(story: Any, tmp_path: Path) -> None:
    wav = tmp_path / "n.wav"
    silent_wav(wav)
    name = default_storage.save("stories/narration-test.wav", ContentFile(wav.read_bytes()))
    Step.objects.filter(story=story, position=6).update(audio=name)
    response = Client().get("/stories/diamond-journey/steps/6/audio")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("audio/")
    assert b"".join(response.streaming_content).startswith(b"RIFF")
    Step.objects.filter(story=story, position=6).update(audio="../../etc/passwd")
    assert Client().get("/stories/diamond-journey/steps/6/audio").status_code == 404
    assert Client().get("/stories/diamond-journey/steps/1/audio").status_code == 404
    default_storage.delete(name)


def _without_nonce(policy: str) -> dict[str, str]:
    out = {}
    for part in policy.split(";"):
        name, _, value = part.strip().partition(" ")
        out[name] = " ".join(v for v in value.split() if not v.startswith("'nonce-"))
    return out


def test_embed_may_be_framed_and_nothing_else_changes(story: Any) -> None:
    client = Client()
    page = client.get("/stories/diamond-journey/")
    embed = client.get("/stories/diamond-journey/embed/")
    assert embed.status_code == 200
    assert page["X-Frame-Options"] == "DENY"
    assert "X-Frame-Options" not in embed
    a, b = _without_nonce(page["Content-Security-Policy"]), _without_nonce(embed["Content-Security-Policy"])
    assert a["frame-ancestors"] == "'none'" and b["frame-ancestors"] == "*"
    a.pop("frame-ancestors"), b.pop("frame-ancestors")
    assert a == b
    assert client.get("/stories/diamond-journey/data.json")["X-Frame-Options"] == "DENY"
    assert "site-header" not in embed.content.decode()


def test_reader_events_go_through_the_beacon(story: Any, settings: Any) -> None:
    from mogao.audience import recorder
    from mogao.audience.models import Event

    settings.AUDIENCE_ENABLED = True
    recorder.discard()
    client = Client()
    for body in ({"kind": "story_step", "story": "diamond-journey", "n": 2},
                 {"kind": "story_done", "story": "diamond-journey", "n": 6},
                 {"kind": "story_step", "story": "diamond-journey", "n": 99},
                 {"kind": "story_step", "story": "no-such", "n": 1}):
        assert client.post("/audience/beacon", json.dumps(body), content_type="text/plain").status_code == 204
    recorder.flush()
    events = list(Event.objects.filter(target_type="story").values_list("kind", "target_id", "page"))
    assert sorted(events) == [("story_done", story.pk, 6), ("story_step", story.pk, 2)]


def test_draft_story_events_are_not_counted(settings: Any) -> None:
    from mogao.audience import recorder

    settings.AUDIENCE_ENABLED = True
    build_story(load_demo(), status=StoryStatus.DRAFT)
    recorder.discard()
    Client().post("/audience/beacon", json.dumps({"kind": "story_step", "story": "diamond-journey", "n": 1}),
                  content_type="text/plain")
    assert recorder.pending() == 0
