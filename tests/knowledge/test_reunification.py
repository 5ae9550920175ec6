"""Reunification: the suggester finds the demo's London–Paris joins, and curators decide."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from mogao.catalogue.models import Canvas, Item, Join, Transcription
from mogao.knowledge import reunification
from mogao.knowledge.models import JoinSuggestion
from mogao.knowledge.similarity import dice, ngram_similarity

KNOWN = [{"Or.8210/S.3969", "Pelliot chinois 3884"}, {"IOL Tib J 750", "Pelliot tibétain 1288"}]


def _pairs(joins: list[Join]) -> list[set[str]]:
    return [{m.item.shelfmark for m in j.members.select_related("item")} for j in joins]


def test_similarity_measures() -> None:
    assert dice("Old Tibetan Annals, first part", "Old Tibetan Annals, first part") == 1.0
    assert dice("abc", "xyz") == 0.0
    assert ngram_similarity("如是我聞一時佛在舍衛國", "一時佛在舍衛國祇樹給孤獨園") > 0.5
    assert ngram_similarity("", "abc") == 0.0


@pytest.mark.django_db
def test_suggester_proposes_the_two_known_joins_with_evidence(demo: dict[str, int]) -> None:
    Join.objects.all().delete()
    made = reunification.joins_suggest()
    pairs = _pairs(made)
    for known in KNOWN:
        assert known in pairs, pairs
    for join in made:
        assert join.status == Join.Status.SUGGESTED
        assert join.asserted_by == reunification.SUGGESTER
        assert join.evidence["en"][0]
        assert join.suggestion.signals and join.suggestion.score >= reunification.DEFAULT_THRESHOLD
    mani = made[pairs.index(KNOWN[0])]
    kinds = {s["kind"] for s in mani.suggestion.signals}
    assert {"shared_work", "similar_title", "same_find_place"} <= kinds
    assert "T2141A" in mani.evidence["en"][0]
    annals = made[pairs.index(KNOWN[1])]
    assert {"similar_title", "same_dates", "same_language"} <= {s["kind"] for s in annals.suggestion.signals}
    # best first: the Mani manuscript shares a work, so it ranks first
    assert pairs[0] == KNOWN[0]
    # a second run proposes nothing new
    assert reunification.joins_suggest() == []


@pytest.mark.django_db
def test_existing_accepted_joins_are_not_proposed(demo: dict[str, int]) -> None:
    assert reunification.join_candidates() == []


@pytest.mark.django_db
def test_rejected_suggestion_is_never_proposed_again(demo: dict[str, int], curator: Any) -> None:
    Join.objects.all().delete()
    made = reunification.joins_suggest()
    annals = made[_pairs(made).index(KNOWN[1])]
    reunification.join_decide(join=annals, accept=False, user=curator, note="checked the roll")
    annals.refresh_from_db()
    assert annals.status == Join.Status.REJECTED
    assert annals.suggestion.decided_by == curator and annals.suggestion.decided_at
    assert reunification.joins_suggest() == []
    assert KNOWN[1] not in [{c.first.shelfmark, c.second.shelfmark} for c in reunification.join_candidates()]


@pytest.mark.django_db
def test_transcription_overlap_is_a_signal(demo: dict[str, int]) -> None:
    Join.objects.all().delete()
    a = Item.objects.get(shelfmark="Or.8210/S.2659")
    b = Item.objects.get(shelfmark="BD00256")
    text = "清淨光明大力智慧無上至真摩尼光佛" * 3
    for order, item in enumerate((a, b)):
        canvas = Canvas.objects.create(item=item, order=900 + order)
        Transcription.objects.create(canvas=canvas, text=text)
    pairs = {frozenset((c.first.pk, c.second.pk)): c for c in reunification.join_candidates()}
    candidate = pairs[frozenset((a.pk, b.pk))]
    assert "similar_text" in {s.kind for s in candidate.signals}


@pytest.mark.django_db
def test_curator_queue_accepts_with_attribution(demo: dict[str, int], curator: Any, client: Client) -> None:
    Join.objects.all().delete()
    assert client.get("/curate/joins/").status_code == 302  # readers are sent to log in
    client.force_login(curator)
    assert client.post("/curate/joins/suggest").status_code == 302
    page = client.get("/curate/joins/").content.decode()
    assert "Pelliot chinois 3884" in page and "shared_work" in page and "T2141A" in page
    mani = next(j for j in Join.objects.filter(status="suggested") if set(_pairs([j])[0]) == KNOWN[0])
    response = client.post(f"/curate/joins/{mani.pid}/decide", {"decision": "accept", "note": "same hand"})
    assert response.status_code == 302
    mani.refresh_from_db()
    assert mani.status == Join.Status.ACCEPTED
    assert mani.asserted_by.startswith("kcurator")
    assert JoinSuggestion.objects.get(join=mani).note == "same hand"
    # deciding twice is refused with a message, not an error page
    again = client.post(f"/curate/joins/{mani.pid}/decide", {"decision": "reject"})
    assert again.status_code == 400 and b"suggested" in again.content
    assert client.post(f"/curate/joins/{mani.pid}/decide", {"decision": "maybe"}).status_code == 400
    # the accepted join now shows on the item page
    item_page = client.get(Item.objects.get(shelfmark="Or.8210/S.3969").get_absolute_url()).content.decode()
    assert "Pelliot chinois 3884" in item_page


@pytest.mark.django_db
def test_queue_needs_join_permission(demo: dict[str, int], client: Client) -> None:
    from django.contrib.auth import get_user_model

    staff = get_user_model().objects.create_user("plainstaff", password="x", is_staff=True)
    client.force_login(staff)
    assert client.get("/curate/joins/").status_code == 403
    assert client.post("/curate/joins/suggest").status_code == 403
