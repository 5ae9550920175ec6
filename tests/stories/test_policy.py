"""The stories' permission matrix (#16): role × action × own/other institution × published/draft.

Each cell asks ``policy.can``, ``policy.scope`` and the authoring page, and compares them with the rule
written here independently of the policy. The pages a step may show: role × holder × public/private.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from mogao.accounts import policy
from mogao.stories import services
from mogao.stories.models import Step, Story, StoryTransition

from .conftest import ROLES, World, curates

pytestmark = pytest.mark.django_db

ACTIONS = ("view", "add", "change", "delete", "admin", "history", "submit", "publish")


def expected(role: str, action: str, inst: str, status: str) -> bool:
    """Anyone reads a published story; its institution's curators (and administrators) do everything."""
    if action == "view" and status == "published":
        return True
    return curates(role, inst)


@pytest.mark.parametrize("status", ["draft", "review", "published"])
def test_story_matrix(world: World, status: str) -> None:
    stories = {inst: world.story(inst, slug=f"{inst.lower()}-{status}", status=status) for inst in ("A", "B")}
    for role in ROLES:
        user = world.user(role)
        client = world.client(role)
        for inst, story in stories.items():
            step = story.steps.get()
            for action in ACTIONS:
                want = expected(role, action, inst, status)
                assert policy.can(user, action, story) is want, (role, action, inst, status)
                assert policy.can(user, action, step) is want, (role, action, inst, status, "step")
                in_scope = policy.scope(user, action, Story.objects.filter(pk=story.pk)).exists()
                assert in_scope is want, (role, action, inst, status, "scope")
                assert policy.scope(user, action, Step.objects.filter(pk=step.pk)).exists() is want
            page = client.get(reverse("stories:edit", args=[story.slug]))
            if curates(role, inst):
                assert page.status_code == 200
            elif role == "anonymous":
                assert page.status_code == 302
            else:
                assert page.status_code == (403 if status == "published" else 404), (role, inst, status)


def test_actions_without_a_story(world: World) -> None:
    for role in ROLES:
        user = world.user(role)
        authors = role in ("curator_a", "curator_b", "admin")
        assert policy.can(user, "view", Story) is True
        for action in ("add", "change", "submit", "publish"):
            assert policy.can(user, action, Story) is authors, (role, action)
        # submit and publish mean nothing outside stories
        assert policy.can(user, "publish", world.pages[("A", "public")].item) is False
    transition = StoryTransition(story=world.story(status="review"), from_status="draft", to_status="review")
    assert policy.can(world.users["curator_a"], "history", transition)
    assert not policy.can(world.users["curator_a"], "change", transition)  # the log is the services' own


@pytest.mark.parametrize("holder", ["A", "B"])
@pytest.mark.parametrize("visibility", ["public", "private"])
def test_pages_a_step_may_show(world: World, holder: str, visibility: str) -> None:
    """A curator shows any public page of any holder (credited) and only their own private pages."""
    page = world.pages[(holder, visibility)]
    for role in ("curator_a", "curator_b", "admin"):
        inst = "B" if role == "curator_b" else "A"
        story = world.story(inst, slug=f"use-{role}-{holder}-{visibility}".replace("_", "-"), steps=0)
        user = world.users[role]
        allowed = visibility == "public" or curates(role, holder)
        data = {"kind": "image", "text": {"en": "x"}, "canvas": page.pk}
        if allowed:
            step = services.save_step(user, story, data)
            credit = services.step_credit(step)[0]
            assert credit.shelfmark == f"ST-{holder}-{visibility}" and credit.rights_label
            publishable = visibility == "public"
            if publishable:
                services.submit(user, story)
            else:
                with pytest.raises(ValidationError):
                    services.submit(user, story)
        else:
            with pytest.raises(ValidationError) as info:
                services.save_step(user, story, data)
            assert "canvas" in info.value.error_dict
            assert not story.steps.exists()
    for role in ("reader", "curator_b_nostaff"):
        story = world.story("A", slug=f"no-{role}-{holder}-{visibility}".replace("_", "-"), steps=0)
        with pytest.raises(PermissionDenied):
            services.save_step(world.users[role], story, {"kind": "image", "text": {"en": "x"}, "canvas": page.pk})


def test_admin_follows_the_policy(world: World) -> None:
    """The admin lists and opens a story only for its institution's curators; the status is read-only there."""
    story = world.story("A", slug="admin-a")
    change = reverse("admin:stories_story_change", args=[story.pk])
    listing = reverse("admin:stories_story_changelist")
    own = world.client("curator_a")
    assert own.get(change).status_code == 200
    assert "admin-a" in own.get(listing).content.decode()
    other = world.client("curator_b")
    assert "admin-a" not in other.get(listing).content.decode()
    assert other.get(change).status_code in (302, 404)  # answered like a missing record
    assert world.client("reader").get(change).status_code == 302  # to the admin's sign-in
    assert 'name="status"' not in own.get(change).content.decode()
