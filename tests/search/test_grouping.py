"""Translations of one text grouped on the results page (#13 item 3): a pure function over the
page's rows, the HTML card in English and French, and the real Taishō works of ``--data``."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client

from mogao.search.grouping import TranslationGroup, group_translations, title_key


def two_diamond_sutras() -> None:
    """Two more translations beside the demo's Kumārajīva (T0235), as in --data."""
    from mogao.catalogue.models import Work, WorkCreator
    from mogao.knowledge.models import Person

    for pid, taisho, name in [
        ("t0236-diamond-sutra-bodhiruci", "T0236", "Bodhiruci"),
        ("t0237-diamond-sutra-paramartha", "T0237", "Paramārtha"),
    ]:
        work = Work.objects.create(
            pid=pid, title={"en": ["Diamond Sūtra"], "zh-Hant": ["金剛般若波羅蜜經"]},
            identifiers={"taisho": taisho},
        )
        person = Person.objects.create(pid=name.lower(), name={"en": [name]})
        WorkCreator.objects.create(work=work, person=person, role=WorkCreator.Role.TRANSLATOR)


def row(
    pid: str, title: str, translators: tuple[str, ...] = (), doc_type: str = "work", en: str = ""
) -> Any:
    hit = SimpleNamespace(pid=pid, title=title, doc_type=doc_type, titles={"en": [en]} if en else {})
    return SimpleNamespace(hit=hit, translators=translators, is_group=False)


def test_title_key_folds_case_diacritics_and_punctuation() -> None:
    assert title_key("Diamond Sūtra") == title_key("diamond sutra") == title_key(" DIAMOND  SUTRA.")
    assert title_key("Sūtra du Diamant") == "sutra du diamant"
    assert title_key("金剛經") == "金剛經"


def test_translations_of_one_title_become_one_group_at_the_best_ranked_place() -> None:
    rows = [
        row("item-1", "Diamond Sūtra", doc_type="item"),
        row("t0235", "Diamond Sūtra", ("kumarajiva",)),
        row("t0001", "Long Discourses", ("buddhayasas",)),
        row("t0236", "diamond sutra", ("bodhiruci",)),
        row("t0237", "Diamond Sūtra", ("paramartha",)),
    ]
    out = group_translations(rows)
    assert [getattr(r, "hit", None) and r.hit.pid for r in out] == ["item-1", None, "t0001"]
    group = out[1]
    assert isinstance(group, TranslationGroup) and group.is_group
    assert [r.hit.pid for r in group.rows] == ["t0235", "t0236", "t0237"]
    assert group.lead is rows[1] and group.title == "Diamond Sūtra"
    assert sum(len(r.rows) if r.is_group else 1 for r in out) == len(rows)  # nothing lost


def test_a_work_with_its_own_french_title_meets_those_with_only_an_english_one() -> None:
    rows = [
        row("t0235", "Sūtra du Diamant", ("kumarajiva",), en="Diamond Sūtra"),
        row("t0236", "Diamond Sūtra", ("bodhiruci",), en="Diamond Sūtra"),
        row("t0001", "Long Discourses", ("buddhayasas",), en="Long Discourses"),
        row("t0237", "Diamond Sutra", ("paramartha",)),
    ]
    out = group_translations(rows)
    assert [r.hit.pid for r in out[0].rows] == ["t0235", "t0236", "t0237"]
    assert out[0].title == "Sūtra du Diamant" and out[1] is rows[2] and len(out) == 2


def test_no_group_without_two_different_translators() -> None:
    same = [row("a", "Lotus Sūtra", ("kumarajiva",)), row("b", "Lotus Sutra", ("kumarajiva",))]
    assert group_translations(same) == same
    unknown = [row("a", "Lotus Sūtra"), row("b", "Lotus Sutra")]
    assert group_translations(unknown) == unknown
    alone = [row("a", "Lotus Sūtra", ("kumarajiva",)), row("b", "Heart Sūtra", ("xuanzang",))]
    assert group_translations(alone) == alone
    assert group_translations([]) == []


def group_card(html: str) -> str:
    found = re.search(r'<li class="hit card hit-group[^"]*">(.*?)</ul>', html, re.S)
    assert found, html
    return found.group(1)


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "q", "label"), [
    ("en", "Diamond Sutra", "translations"), ("fr", "diamond sutra", "traductions"),
])
def test_the_results_page_shows_one_group_with_its_translations(
    client: Client, demo: dict[str, int], on_commit: Any, language: str, q: str, label: str
) -> None:
    with on_commit():
        two_diamond_sutras()
    client.cookies["django_language"] = language
    html = client.get("/search/", {"q": q}).content.decode()
    assert html.count("hit card hit-group") == 1
    card = group_card(html)
    n = int(re.search(rf"(\d+) {label}", card).group(1))  # type: ignore[union-attr]
    assert n >= 2
    links = re.findall(r'<li><a href="(/works/[^"]+)">', card)
    assert len(links) == n and "/works/t0236-diamond-sutra-bodhiruci" in links
    assert "Bodhiruci" in card and "Paramārtha" in card
    # grouped works are not also shown as separate cards
    rest = html.replace(card, "")
    assert all(f'href="{link}"' not in rest for link in links)


@pytest.mark.django_db
def test_the_api_json_is_not_grouped(client: Client, demo: dict[str, int], on_commit: Any) -> None:
    with on_commit():
        two_diamond_sutras()
    html = client.get("/search/", {"q": "diamond sutra", "type": "work"}).content.decode()
    total = int(re.search(r"(\d+) results?", html).group(1))  # type: ignore[union-attr]
    from mogao.search import services

    page = services.search(services.params_from_query({"q": "diamond sutra", "type": "work"}, lang="en"))
    assert page.total == total and len(page.hits) >= 3  # the groups are only in the HTML


@pytest.mark.shared_data
@pytest.mark.django_db
@pytest.mark.parametrize(("language", "q", "label"), [
    ("en", "Diamond Sutra", "translations"), ("fr", "sutra du diamant", "traductions"),
])
def test_the_taisho_translations_of_the_diamond_sutra_are_grouped(
    client: Client, demo: dict[str, int], shared_data: Path, language: str, q: str, label: str
) -> None:
    from mogao.demo.shared import load_shared_data
    from mogao.search.services import index_rebuild

    load_shared_data(shared_data, echo=lambda *_: None)
    index_rebuild()
    client.cookies["django_language"] = language
    html = client.get("/search/", {"q": q}).content.decode()
    card = group_card(html)
    n = int(re.search(rf"(\d+) {label}", card).group(1))  # type: ignore[union-attr]
    assert n >= 2, card
    assert len(re.findall(r'<li><a href="/works/', card)) == n
    assert '<li><a href="/works/t0235-diamond-sutra">' in card  # the demo's Kumārajīva, with its own French title
