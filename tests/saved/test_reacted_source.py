"""Reactions feed recommendations (#15): "because you reacted to X", and the off switch holds."""

from __future__ import annotations

import pytest

from mogao.accounts.models import profile_of
from mogao.community import reactions
from mogao.saved.reacted import reacted_sources
from mogao.saved.recommend import Source, recommendations_for, sources_for

from .conftest import World

pytestmark = pytest.mark.django_db


def test_a_reaction_to_an_item_explains_a_recommendation(world: World) -> None:
    reactions.toggle(world.other, world.a, "moved")
    assert sources_for(world.other) == [Source(item=world.a, verb="reacted")]
    recs = recommendations_for(world.other, language="en")
    assert [r.item for r in recs] == [world.b]
    assert recs[0].because[0].source.verb == "reacted"
    html = world.client(world.other).get("/saved/recommendations").content.decode()
    assert "Because you reacted to Diamond Sūtra, part 1" in html and "same work" in html


def test_a_reaction_to_a_page_counts_for_its_item(world: World) -> None:
    reactions.toggle(world.other, world.b.canvases.get(order=2), "beautiful")
    assert reacted_sources(world.other) == [Source(item=world.b, verb="reacted")]
    assert [r.item for r in recommendations_for(world.other, language="en")] == [world.a]


def test_taking_the_reaction_back_or_hiding_the_item_removes_the_source(world: World) -> None:
    reactions.toggle(world.other, world.a, "curious")
    reactions.toggle(world.other, world.a, "curious")  # toggled off
    assert reacted_sources(world.other) == []
    reactions.toggle(world.other, world.b, "learned")
    world.b.visibility = "private"
    world.b.save()
    assert reacted_sources(world.other) == []


def test_only_the_readers_own_reactions_count(world: World) -> None:
    reactions.toggle(world.owner, world.a, "moved")
    assert reacted_sources(world.other) == [] and recommendations_for(world.other) == []


def test_recommendations_off_means_nothing_from_reactions(world: World) -> None:
    reactions.toggle(world.other, world.a, "moved")
    profile = profile_of(world.other)
    assert profile is not None
    profile.recommendations = False
    profile.save()
    assert recommendations_for(world.other) == []
    html = world.client(world.other).get("/saved/recommendations").content.decode()
    assert "Because you reacted" not in html and "Recommendations are off" in html
