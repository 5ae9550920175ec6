"""Published stories in sitemaps and as schema.org CreativeWork JSON-LD (#16)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.template import Context, Template
from django.test import Client

from mogao.stories.demo import DIAMOND, MANI
from mogao.stories.jsonld import story_jsonld
from mogao.stories.models import Story, StoryStatus

pytestmark = pytest.mark.django_db
NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_published_stories_are_in_the_sitemap(client: Client, demo: Any, settings: Any) -> None:
    settings.BASE_URL = "https://mogao.example"
    index = client.get("/sitemap.xml").content.decode()
    assert "https://mogao.example/sitemaps/stories.xml" in index
    Story.objects.filter(slug=MANI).update(status=StoryStatus.REVIEW)
    section = client.get("/sitemaps/stories.xml").content.decode()
    assert f"https://mogao.example/stories/{DIAMOND}/" in section
    assert MANI not in section


def test_story_jsonld_is_a_creative_work_in_four_languages(demo: Any, settings: Any) -> None:
    settings.BASE_URL = "https://mogao.example"
    story = Story.objects.get(slug=MANI)
    data = story_jsonld(story)
    assert data["@context"] == "https://schema.org" and data["@type"] == "CreativeWork"
    assert data["url"] == f"https://mogao.example/stories/{MANI}/"
    assert {v["@language"] for v in data["name"]} == {"en", "fr", "zh-Hans", "zh-Hant"}
    assert {v["@language"] for v in data["creditText"]} == {"en", "fr", "zh-Hans", "zh-Hant"}
    assert any(v["@value"] == "British Library" for v in data["publisher"]["name"])
    assert {a["identifier"] for a in data["about"]} == {"Or.8210/S.3969", "Pelliot chinois 3884"}
    assert data["encoding"]["contentUrl"] == f"https://mogao.example/stories/{MANI}/manifest.json"
    assert data["image"].startswith("https://mogao.example/iiif/3/")
    assert data["datePublished"]


def test_template_tag_escapes_and_matches_the_discovery_tag(demo: Any) -> None:
    story = Story.objects.get(slug=DIAMOND)
    Story.objects.filter(pk=story.pk).update(title={"en": ["</script><script>alert(1)</script>"]})
    story.refresh_from_db()
    ours = Template("{% load story_publishing %}{% story_jsonld story %}").render(Context({"story": story}))
    theirs = Template("{% load discovery %}{% jsonld story %}").render(Context({"story": story}))
    assert ours == theirs and ours.count("</script>") == 1 and "\\u003c/script" in ours
    body = ours.split(">", 1)[1].rsplit("<", 1)[0]
    assert json.loads(body)["name"] == [{"@value": "</script><script>alert(1)</script>", "@language": "en"}]
