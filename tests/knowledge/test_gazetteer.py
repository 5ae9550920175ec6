"""The gazetteer matcher (pure) and automatic extraction into suggested mentions (database)."""

from __future__ import annotations

from typing import Any

import pytest

from mogao.knowledge.gazetteer import Entry, Gazetteer, romanize, surface_forms


def _gaz() -> Gazetteer:
    entries = [
        Entry("person", 1, "鳩摩羅什"), Entry("person", 2, "佛陀耶舍"), Entry("person", 3, "竺佛念"),
        Entry("person", 4, "法天"), Entry("person", 5, "一如"), Entry("place", 10, "長安"),
        Entry("period", 20, "開元"), Entry("person", 6, "Aurel Stein"), Entry("person", 7, "Hyecho"),
        Entry("place", 11, "草堂寺"), Entry("person", 8, "法成"), Entry("place", 12, "法成"),
    ]
    for form, romanized in surface_forms(["鳩摩羅什"]):
        entries.append(Entry("person", 1, form, romanized))
    return Gazetteer(entries)


def test_romanization_and_surface_forms() -> None:
    assert romanize("玄奘") == "Xuanzang"
    forms = dict(surface_forms(["鳩摩羅什", "Kumārajīva"]))
    assert forms == {"鳩摩羅什": False, "鸠摩罗什": False, romanize("鳩摩羅什"): True, "Kumārajīva": False}


def test_byline_roles_and_confidence() -> None:
    matches = _gaz().find("後秦 佛陀耶舍共竺佛念譯", context="byline")
    assert [(m.surface, m.role) for m in matches] == [("佛陀耶舍", "translator"), ("竺佛念", "translator")]
    assert all(m.confidence >= 0.9 for m in matches)
    text = "宋 法天譯"
    (m,) = _gaz().find(text, context="byline")
    assert (m.surface, m.start, m.end, m.role) == ("法天", 2, 4, "translator")
    assert text[m.start : m.end] == "法天"


def test_two_character_names_need_a_cue_in_running_text() -> None:
    poem = "一如春風吹又生"
    (m,) = _gaz().find(poem)
    assert m.surface == "一如" and m.confidence < 0.6
    (m,) = _gaz().find("沙門法天", context="text")
    assert m.confidence >= 0.6


def test_simplified_text_romanization_and_latin_names() -> None:
    gaz = _gaz()
    assert [m.pk for m in gaz.find("鸠摩罗什译")] == [1]
    roman = romanize("鳩摩羅什")
    latin = gaz.find(f"Texts collected by Aurel Stein and translated by {roman}; Hyecho's memoir.")
    assert [(m.surface, m.kind) for m in latin] == [("Aurel Stein", "person"), (roman, "person"),
                                                    ("Hyecho", "person")]
    assert latin[0].confidence > latin[1].confidence  # a two-word name beats a romanization
    assert gaz.find("Hyechoes") == []  # word boundaries


def test_places_periods_and_ambiguity() -> None:
    gaz = _gaz()
    (era,) = gaz.find("開元十九年")
    assert era.kind == "period" and era.confidence >= 0.8
    (place,) = gaz.find("於長安草堂寺", context="text")[:1]
    assert place.surface == "長安" and place.confidence >= 0.7
    ambiguous = gaz.find("法成")
    assert {m.kind for m in ambiguous} == {"person", "place"}
    assert all(m.confidence < 0.5 for m in ambiguous)


def test_longest_match_wins() -> None:
    (m,) = Gazetteer([Entry("place", 1, "長安"), Entry("place", 2, "長安城")]).find("入長安城")
    assert m.pk == 2


@pytest.mark.django_db
def test_extraction_creates_suggestions_curators_review(demo: dict[str, int], curator: Any) -> None:
    from mogao.catalogue.models import Canvas, Item, Transcription
    from mogao.knowledge import extraction, services
    from mogao.knowledge.models import Mention

    item = Item.objects.get(shelfmark="Or.8210/P.2")
    auto = Mention.objects.filter(item=item, source="automatic")
    assert auto.exists()  # the demo receiver ran extraction
    assert all(m.status == "suggested" and 0 < m.confidence <= 1 for m in auto)
    era = auto.get(field="date_expression", surface="咸通")
    assert era.entity.pid == "xiantong" and (era.span_start, era.span_end) == (0, 2)
    # a transcription mention carries its page and span
    canvas = Canvas.objects.create(item=item, order=50)
    tr = Transcription.objects.create(canvas=canvas, text="沙門鳩摩羅什譯")
    assert extraction.mentions_extract_item(item=item) >= 1
    found = Mention.objects.get(transcription=tr)
    assert found.canvas == canvas and tr.text[found.span_start : found.span_end] == "鳩摩羅什"
    assert found.role == "translator"
    # reject it; extraction never proposes it again
    services.mentions_review(mentions=[found], status="rejected", user=curator)
    assert extraction.mentions_extract_item(item=item) == 0
    found.refresh_from_db()
    assert found.status == "rejected" and found.reviewed_by == curator and found.reviewed_at


@pytest.mark.django_db
def test_admin_confirm_action(demo: dict[str, int], admin_client: Any) -> None:
    from mogao.knowledge.models import Mention

    pending = list(Mention.objects.filter(status="suggested").values_list("pk", flat=True)[:3])
    response = admin_client.post("/admin/knowledge/mention/", {
        "action": "confirm", "_selected_action": [str(pk) for pk in pending],
    })
    assert response.status_code == 302
    assert set(Mention.objects.filter(pk__in=pending).values_list("status", flat=True)) == {"confirmed"}
    assert admin_client.get("/admin/knowledge/mention/").status_code == 200
    assert admin_client.get("/admin/knowledge/joinsuggestion/").status_code == 200
