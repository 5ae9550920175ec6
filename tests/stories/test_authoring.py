"""The authoring pages (#16): plain forms work, outsiders cannot open or post, CSRF is enforced."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from mogao.stories import services
from mogao.stories.models import Story

from .conftest import World

pytestmark = pytest.mark.django_db


def version(html: str) -> str:
    found = re.search(r'name="version" value="([0-9a-f]+)"', html)
    assert found, "no version field"
    return found.group(1)


def test_a_curator_writes_a_story_with_plain_forms(world: World) -> None:
    client = world.client("curator_a")
    page = client.get(reverse("stories:new"))
    assert page.status_code == 200 and "British Library" in page.content.decode()
    assert "Bibliothèque" not in page.content.decode()  # only the institutions the curator may write for
    response = client.post(reverse("stories:new"), {"institution": world.institutions["A"].pk, "slug": "plain",
                                                    "default_language": "en", "title-en": "Plain forms"})
    assert response.status_code == 302 and response["Location"] == reverse("stories:edit", args=["plain"])
    edit = client.get(response["Location"]).content.decode()
    add = reverse("stories:step-new", args=["plain"])
    # the page search without JavaScript keeps what was typed and saves nothing
    searched = client.post(add, {"version": version(edit), "kind": "image", "text-en": "Typed", "q": "ST-B",
                                 "_search": "canvas"})
    html = searched.content.decode()
    assert searched.status_code == 200 and "Typed" in html and "ST-B-public" in html and "ST-B-private" not in html
    bad = client.post(add, {"version": version(edit), "kind": "image", "text-en": "Typed",
                            "canvas": world.pages[("B", "public")].pk, "region": "0,0,5000,10"})
    assert bad.status_code == 400 and "The region lies outside the image" in bad.content.decode()
    assert 'id="region-errors"' in bad.content.decode()
    for text, kind, extra in (("First", "image", {"canvas": world.pages[("B", "public")].pk, "region": "1,2,300,400"}),
                              ("Second", "text", {"canvas": world.pages[("A", "public")].pk, "first_line": "1",
                                                  "last_line": "2"}),
                              ("Third", "map", {"places": [world.place.pk]})):
        edit = client.get(reverse("stories:edit", args=["plain"])).content.decode()
        saved = client.post(add, {"version": version(edit), "kind": kind, "text-en": text, **extra})
        assert saved.status_code == 302, saved.content.decode()[:3000]
    story = Story.objects.get(slug="plain")
    steps = list(story.steps.order_by("position"))
    assert [s.kind for s in steps] == ["image", "text", "map"]
    edit = client.get(reverse("stories:edit", args=["plain"])).content.decode()
    assert "Page held by Bibliothèque nationale de France (ST-B-public)" in edit
    moved = client.post(reverse("stories:step-move", args=["plain", steps[2].pk]),
                        {"version": version(edit), "direction": "up"})
    assert moved.status_code == 302 and moved["Location"].endswith(f"#step-{steps[2].pk}")
    assert [s.kind for s in story.steps.order_by("position")] == ["image", "map", "text"]
    stale = client.post(reverse("stories:step-move", args=["plain", steps[2].pk]),
                        {"version": version(edit), "direction": "up"})
    assert stale.status_code == 409 and "Nothing was saved" in stale.content.decode()
    edit = client.get(reverse("stories:edit", args=["plain"])).content.decode()
    assert client.post(reverse("stories:submit", args=["plain"]), {"version": version(edit)}).status_code == 302
    edit = client.get(reverse("stories:edit", args=["plain"])).content.decode()
    assert client.post(reverse("stories:publish", args=["plain"]), {"version": version(edit)}).status_code == 302
    story.refresh_from_db()
    assert story.status == "published"
    edit = client.get(reverse("stories:edit", args=["plain"])).content.decode()
    assert "Return to draft" in edit and "in review" in edit  # the history of the review is on the page


def test_outsiders_cannot_open_or_post(world: World) -> None:
    draft = world.story(slug="draft-a")
    published = world.story(slug="public-a", status="published")
    step = published.steps.get()
    for role, draft_code, published_code in (("reader", 404, 403), ("curator_b", 404, 403),
                                             ("curator_b_nostaff", 404, 403)):
        client = world.client(role)
        assert client.get(reverse("stories:new")).status_code == (200 if role == "curator_b" else 403)
        assert client.get(reverse("stories:edit", args=[draft.slug])).status_code == draft_code
        assert client.get(reverse("stories:edit", args=[published.slug])).status_code == published_code
        posts = [reverse("stories:step-new", args=[published.slug]),
                 reverse("stories:step-edit", args=[published.slug, step.pk]),
                 reverse("stories:step-delete", args=[published.slug, step.pk]),
                 reverse("stories:step-move", args=[published.slug, step.pk]),
                 reverse("stories:step-reorder", args=[published.slug]),
                 reverse("stories:details", args=[published.slug]),
                 reverse("stories:submit", args=[published.slug]),
                 reverse("stories:publish", args=[published.slug]),
                 reverse("stories:return", args=[published.slug])]
        for url in posts:
            assert client.post(url, {"kind": "image", "text-en": "x", "reason": "x"}).status_code == published_code
        assert client.post(reverse("stories:step-new", args=[draft.slug]), {}).status_code == draft_code
    anonymous = world.client("anonymous")
    assert anonymous.get(reverse("stories:edit", args=[draft.slug])).status_code == 302  # to sign in
    assert anonymous.post(reverse("stories:submit", args=[draft.slug])).status_code == 404
    published.refresh_from_db()
    assert published.status == "published" and published.steps.count() == 1


def test_csrf_is_enforced(world: World) -> None:
    story = world.story(slug="csrf")
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["curator_a"])
    url = reverse("stories:step-new", args=[story.slug])
    data: dict[str, Any] = {"kind": "image", "text-en": "x", "canvas": world.pages[("A", "public")].pk}
    assert client.post(url, data).status_code == 403
    assert client.post(reverse("stories:new"), {"slug": "x"}).status_code == 403
    assert story.steps.count() == 1
    page = client.get(url)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token
    data.update(csrfmiddlewaretoken=token.group(1), version=services.version_of(story))
    assert client.post(url, data).status_code == 302
    assert story.steps.count() == 2


def test_reorder_endpoint_answers_json(world: World) -> None:
    story = world.story(slug="drag", steps=3)
    client = world.client("curator_a")
    ids = list(story.steps.order_by("position").values_list("pk", flat=True))
    url = reverse("stories:step-reorder", args=[story.slug])
    response = client.post(url, {"order": [ids[2], ids[0], ids[1]], "version": services.version_of(story)},
                           HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response.json()["version"] == services.version_of(story)
    assert list(story.steps.order_by("position").values_list("pk", flat=True)) == [ids[2], ids[0], ids[1]]
    wrong = client.post(url, {"order": [ids[0]], "version": services.version_of(story)}, HTTP_ACCEPT="application/json")
    assert wrong.status_code == 400 and "order" in wrong.json()["errors"]
    lines = client.get(reverse("stories:step-canvases", args=[story.slug]),
                       {"lines": world.pages[("A", "public")].pk}).json()
    assert lines["lines"] == ["如是我聞", "一時佛在", "舍衛國祇"]
    private = client.get(reverse("stories:step-canvases", args=[story.slug]),
                         {"lines": world.pages[("B", "private")].pk}).json()
    assert private["lines"] == []


def test_details_form_messages_and_stale_version(world: World) -> None:
    story = world.story(slug="details")
    client = world.client("curator_a")
    url = reverse("stories:details", args=[story.slug])
    loaded = services.version_of(story)
    bad = client.post(url, {"version": loaded, "default_language": "fr", "title-en": "Only English"})
    assert bad.status_code == 400
    assert "Give the title in French, the story&#x27;s default language." in bad.content.decode()
    assert 'id="title-errors"' in bad.content.decode()
    ok = client.post(url, {"version": loaded, "default_language": "en", "title-en": "Details",
                           "title-zh-Hant": "細節", "summary-en": "<b>plain</b>"})
    assert ok.status_code == 302
    story.refresh_from_db()
    assert story.title == {"en": ["Details"], "zh-Hant": ["細節"]} and story.summary == {"en": ["<b>plain</b>"]}
    page = client.get(reverse("stories:edit", args=[story.slug])).content.decode()
    assert "&lt;b&gt;plain&lt;/b&gt;" in page and "<b>plain</b>" not in page  # plain text, escaped
    stale = client.post(url, {"version": loaded, "default_language": "en", "title-en": "Mine"})
    assert stale.status_code == 409
    story.refresh_from_db()
    assert story.title["en"] == ["Details"]


def test_page_search_json_offers_only_usable_pages(world: World) -> None:
    story = world.story(slug="search")
    url = reverse("stories:step-canvases", args=[story.slug])
    found = world.client("curator_a").get(url, {"q": "ST-"}, HTTP_ACCEPT="application/json").json()["items"]
    assert sorted(i["shelfmark"] for i in found) == ["ST-A-private", "ST-A-public", "ST-B-public"]
    page = found[0]["pages"][0]
    assert page["info"].endswith("/info.json") and page["width"] == 1000
    assert world.client("curator_b").get(url, {"q": "ST-"}).status_code == 404  # another institution's draft
