"""Reactions (#15): a fixed set, one of each per reader and target, toggled with htmx and CSRF,
counts public, anonymous readers invited to sign in, private items refused, rate-limited."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import translation

from mogao.catalogue import services
from mogao.catalogue.models import Canvas, Item
from mogao.community import reactions
from mogao.community.models import Reaction, ReactionKind

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def world() -> dict[str, Any]:
    inst, _ = services.institution_upsert(code="BL", name={"en": ["British Library"]})
    item, _ = services.item_upsert(institution=inst, shelfmark="Or.8210/P.2", title={"en": ["Diamond Sutra"]})
    secret, _ = services.item_upsert(institution=inst, shelfmark="Or.1", title={"en": ["Secret"]},
                                     visibility="private")
    canvas, _ = services.canvas_upsert(item=item, order=1)
    users = get_user_model().objects
    return {"item": item, "secret": secret, "canvas": canvas,
            "ann": users.create_user("ann", password="pw-ann-long-1"),
            "bob": users.create_user("bob", password="pw-bob-long-1")}


def as_user(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(obj: Item | Canvas) -> str:
    return f"/reactions/{'item' if isinstance(obj, Item) else 'canvas'}/{obj.pk}"


def test_the_fixed_set_has_a_label_in_every_language() -> None:
    labels = {}
    for lang in ("en", "fr", "zh-hans", "zh-hant"):
        with translation.override(lang):
            labels[lang] = [str(kind.label) for kind in ReactionKind]
    assert labels["en"] == ["Moved", "Curious", "Learned something", "Beautiful"]
    for lang in ("fr", "zh-hans", "zh-hant"):
        assert all(a != b for a, b in zip(labels[lang], labels["en"], strict=True)), lang


@pytest.mark.parametrize("target", ["item", "canvas"])
def test_toggle_on_and_off_with_htmx_one_per_reader_and_kind(world: dict[str, Any], target: str) -> None:
    obj = world[target]
    ann = as_user(world["ann"])
    response = ann.post(url(obj), {"kind": "moved"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="moved"' in html and 'aria-pressed="true"' in html
    assert reactions.counts(obj)["moved"] == 1
    as_user(world["bob"]).post(url(obj), {"kind": "moved"}, **HTMX)
    assert reactions.counts(obj)["moved"] == 2
    ann.post(url(obj), {"kind": "moved"}, **HTMX)  # toggled off
    assert reactions.counts(obj) == {"moved": 1, "curious": 0, "learned": 0, "beautiful": 0}
    assert reactions.mine(world["ann"], obj) == set()
    assert reactions.mine(world["bob"], obj) == {"moved"}


def test_without_javascript_the_form_redirects_back_to_a_page_of_this_site(world: dict[str, Any]) -> None:
    ann = as_user(world["ann"])
    page = f"/items/{world['item'].pid}"
    assert ann.post(url(world["item"]), {"kind": "curious", "next": page})["Location"] == page
    evil = ann.post(url(world["item"]), {"kind": "learned", "next": "https://evil.example/"})
    assert evil["Location"] == page


def test_csrf_is_required(world: dict[str, Any]) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["ann"])
    assert client.post(url(world["item"]), {"kind": "moved"}, **HTMX).status_code == 403
    assert not Reaction.objects.exists()


def test_anonymous_readers_see_counts_and_an_invitation_but_cannot_react(world: dict[str, Any]) -> None:
    as_user(world["bob"]).post(url(world["item"]), {"kind": "beautiful"}, **HTMX)
    page = Client().get(f"/items/{world['item'].pid}").content.decode()
    assert "Sign in to react" in page and "/accounts/login/?next=" in page
    assert 'class="reaction-counts"' in page and "<button" not in page.split('class="reactions"')[1][:2000]
    assert Client().post(url(world["item"]), {"kind": "moved"}).status_code == 403
    assert reactions.counts(world["item"])["beautiful"] == 1


def test_bad_kind_unknown_target_and_private_items(world: dict[str, Any]) -> None:
    ann = as_user(world["ann"])
    bad = ann.post(url(world["item"]), {"kind": "<script>"}, **HTMX)
    assert bad.status_code == 400 and "kind" in bad.content.decode() and "<script>" not in bad.content.decode()
    assert ann.post("/reactions/work/1", {"kind": "moved"}).status_code == 404
    assert ann.post(f"/reactions/item/{world['item'].pk + 999}", {"kind": "moved"}).status_code == 404
    assert ann.post(url(world["secret"]), {"kind": "moved"}).status_code == 404
    assert not Reaction.objects.exists()


def test_a_reader_never_changes_another_readers_reaction(world: dict[str, Any]) -> None:
    as_user(world["bob"]).post(url(world["item"]), {"kind": "moved"}, **HTMX)
    ann = as_user(world["ann"])
    ann.post(url(world["item"]), {"kind": "moved", "user": world["bob"].pk}, **HTMX)
    assert set(Reaction.objects.values_list("user__username", flat=True)) == {"ann", "bob"}


def test_rate_limit(world: dict[str, Any], settings: Any) -> None:
    settings.REACTION_RATE = "3/min"
    ann = as_user(world["ann"])
    codes = [ann.post(url(world["item"]), {"kind": "moved"}, **HTMX).status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]


def test_reactions_show_on_item_and_reading_pages_and_in_my_mogao(world: dict[str, Any]) -> None:
    ann = as_user(world["ann"])
    ann.post(url(world["canvas"]), {"kind": "learned"}, **HTMX)
    item_page = ann.get(f"/items/{world['item'].pid}").content.decode()
    assert f'action="/reactions/item/{world["item"].pk}"' in item_page
    me = ann.get("/me/").content.decode()
    assert "Your reactions" in me and "Learned something" in me
    assert f"/items/{world['item'].pid}/read/1" in me
