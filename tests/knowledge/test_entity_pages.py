"""Entity pages: one per demo person, place and period, in four languages, listing linked records."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils.html import escape

from mogao.core import langmap
from mogao.knowledge import services
from mogao.knowledge.models import Period, Person, Place, Subject

LANGUAGES = ("en", "fr", "zh-hans", "zh-hant")


def _get(client: Client, url: str, language: str) -> str:
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200, (url, language, response.status_code)
    return response.content.decode()


@pytest.mark.django_db
def test_every_demo_person_place_and_period_has_a_page_in_four_languages(demo: dict[str, int], client: Client) -> None:
    entities = [*Person.objects.all(), *Place.objects.all(), *Period.objects.all()]
    assert len(entities) >= demo["people"] + demo["places"] + demo["periods"]
    prefix = {Person: "/people/", Place: "/places/", Period: "/periods/"}
    for entity in entities:
        for language in LANGUAGES:
            html = _get(client, f"{prefix[type(entity)]}{entity.pid}", language)
            assert escape(langmap.pick(entity.name, language)) in html


@pytest.mark.django_db
def test_page_text_follows_the_interface_language(demo: dict[str, int], client: Client) -> None:
    en = _get(client, "/people/kumarajiva", "en")
    zh = _get(client, "/people/kumarajiva", "zh-hant")
    assert "Kumārajīva" in en and "鳩摩羅什" in zh
    assert '<html lang="zh-Hant"' in zh


@pytest.mark.django_db
def test_person_page_lists_works_and_items(demo: dict[str, int], client: Client) -> None:
    html = _get(client, "/people/kumarajiva", "en")
    assert "/works/t0235-diamond-sutra" in html and "/works/t0262-lotus-sutra" in html
    assert "translator" in html
    # the printed Diamond Sutra carries a work he translated
    assert "Or.8210/P.2" in html
    stein = _get(client, "/people/aurel-stein", "en")
    assert "Or.8210/S.3326" in stein and "acquired by" in stein
    wang_jie = _get(client, "/people/wang-jie", "en")
    assert "Or.8210/P.2" in wang_jie and "commissioner" in wang_jie


@pytest.mark.django_db
def test_place_and_period_pages_list_items_and_works(demo: dict[str, int], client: Client) -> None:
    cave = _get(client, "/places/mogao-library-cave", "en")
    assert 'id="kn-place-map-data"' in cave and "holder:bl" in cave  # its dispersal on a mini-map
    assert "Or.8210/P.2" in cave and "Pelliot chinois 3884" in cave and "BD00256" in cave
    tang = _get(client, "/periods/tang", "en")
    # Tang lists its reign eras and the records dated to them (Xiantong: the Diamond Sutra of 868)
    assert "/periods/xiantong" in tang and "Or.8210/P.2" in tang
    assert 'data-start="618"' in tang


@pytest.mark.django_db
def test_authority_links_are_shown_as_links(demo: dict[str, int], client: Client) -> None:
    person = Person.objects.get(pid="kumarajiva")
    services.authority_link_add(entity=person, scheme="dila-person", identifier="A001583")
    services.authority_link_add(entity=person, scheme="wikidata", identifier="Q310899")
    html = _get(client, "/people/kumarajiva", "en")
    assert '<a href="https://www.wikidata.org/wiki/Q310899"' in html
    assert 'href="https://authority.dila.edu.tw/person/?fromInner=A001583"' in html


@pytest.mark.django_db
def test_subject_page_and_indexes(demo: dict[str, int], client: Client) -> None:
    subject, _ = services.entity_upsert(model=Subject, name={"en": ["Manichaeism"], "zh-Hant": ["摩尼教"]})
    assert "Manichaeism" in _get(client, f"/subjects/{subject.pid}", "en")
    for url, expected in (("/people/", "Aurel Stein"), ("/places/", "Dunhuang"), ("/periods/", "Tang"),
                          ("/subjects/", "Manichaeism")):
        assert expected in _get(client, url, "en")


@pytest.mark.django_db
def test_unknown_entity_is_404(client: Client) -> None:
    assert client.get("/people/nobody-at-all").status_code == 404
    assert client.get("/periods/nothing").status_code == 404


@pytest.mark.django_db
def test_entity_index_is_paged(client: Client) -> None:
    Person.objects.bulk_create([Person(pid=f"p{i:04d}", name={"en": [f"Person {i:04d}"]}) for i in range(250)])
    first = _get(client, "/people/", "en")
    assert "Person 0000" in first and "Person 0249" not in first and 'rel="next"' in first
    assert "Person 0249" in _get(client, "/people/?page=3", "en")
    assert client.get("/people/?page=abc").status_code == 200
