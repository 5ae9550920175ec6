"""Entity indexes a reader can use (#13 item 10): pinyin beside characters, filter and initials,
paging, namesakes told apart, no link to an empty subjects page, graph links by name."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from mogao.knowledge import services
from mogao.knowledge.models import Person, Place, Subject


def _people(n: int) -> None:
    names = "玄奘 鳩摩羅什 法顯 義淨 道安 慧遠 僧肇 竺法護 曇無讖 不空 善導 智顗".split()
    for i in range(n):
        name = names[i % len(names)] + ("" if i < len(names) else str(i))
        Person.objects.create(pid=f"p-{i}", name={"zh-Hant": [name]})


@pytest.mark.django_db
def test_people_show_pinyin_filter_by_pinyin_or_characters_and_page(client: Client) -> None:
    _people(130)
    html = client.get("/people/").content.decode()
    assert "玄奘" in html and "xuán zàng" in html
    assert "130 names" in html
    assert html.count('class="kn-roman"') == 100  # a page of 100; the rest on page 2
    assert 'rel="next"' in html
    letters = re.findall(r'href="\?initial=([A-Z#])"', html)
    assert "X" in letters and "J" in letters and letters == sorted(letters, key=lambda c: (c == "#", c))
    # Filter by pinyin (with or without tones/spaces) and by characters.
    for query in ("xuanzang", "Xuán zàng", "玄奘"):
        found = client.get("/people/", {"q": query}).content.decode()
        assert "玄奘" in found and "鳩摩羅什" not in found, query
    by_letter = client.get("/people/", {"initial": "J"}).content.decode()
    assert "鳩摩羅什" in by_letter and "玄奘" not in by_letter
    assert "No name matches." in client.get("/people/", {"q": "zzzz"}).content.decode()


@pytest.mark.django_db
def test_namesakes_carry_what_tells_them_apart(client: Client) -> None:
    Place.objects.create(pid="luoyang-a", name={"zh-Hant": ["洛陽"]}, latitude=34.62, longitude=112.45)
    Place.objects.create(pid="luoyang-b", name={"zh-Hant": ["洛陽"]}, latitude=34.75, longitude=112.62)
    Place.objects.create(pid="dunhuang", name={"zh-Hant": ["敦煌"]}, latitude=40.14, longitude=94.66)
    html = client.get("/places/").content.decode()
    assert "34.62°, 112.45°" in html and "34.75°, 112.62°" in html
    assert "40.14°" not in html  # a unique name needs no distinction


@pytest.mark.django_db
def test_namesake_people_show_their_authority_record(client: Client) -> None:
    a = Person.objects.create(pid="houyuan-1", name={"en": ["Houyuan"]})
    Person.objects.create(pid="houyuan-2", name={"en": ["Houyuan"]})
    services.authority_link_add(entity=a, scheme="dila-person", identifier="A000123")
    html = client.get("/people/").content.decode()
    assert "dila-person A000123" in html and "houyuan-2" in html
    assert len(re.findall(r'class="kn-twin', html)) == 2


@pytest.mark.django_db
def test_subjects_are_linked_only_when_there_are_some(client: Client) -> None:
    assert 'href="/subjects/"' not in client.get("/people/").content.decode()
    Subject.objects.create(pid="astronomy", name={"en": ["Astronomy"]})
    assert 'href="/subjects/"' in client.get("/people/").content.decode()


@pytest.mark.django_db
def test_graph_text_alternative_names_the_records(demo: dict[str, int], client: Client) -> None:
    html = client.get("/graph/").content.decode()
    links = re.search(r'<ul class="kn-graph-links">(.*?)</ul>', html, re.S)
    assert links
    text = re.sub(r"<[^>]+>", "", links.group(1))
    assert "Diamond Sūtra" in text or "金剛" in text
    assert not re.search(r"\b(work|item|person|place|period|institution):[a-z0-9-]+", text), text[:300]


@pytest.mark.django_db
def test_dunhuang_rolls_up_the_library_cave_items(demo: dict[str, int], client: Client) -> None:
    from mogao.catalogue.models import Item

    cave_items = Item.objects.filter(find_place__pid="mogao-library-cave")
    assert cave_items.count() >= 10
    html = client.get("/places/dunhuang").content.decode()
    for item in cave_items:
        assert item.get_absolute_url() in html, item.pid
    assert "found at Mogao Caves, Library Cave (Cave 17)" in html
    cave = client.get("/places/mogao-library-cave").content.decode()
    assert 'href="/places/dunhuang"' in cave  # "Within: Dunhuang"


@pytest.mark.django_db
def test_a_place_cannot_lie_within_itself() -> None:
    from django.core.exceptions import ValidationError

    a = Place.objects.create(pid="a", name={"en": ["A"]})
    b = Place.objects.create(pid="b", name={"en": ["B"]}, within=a)
    a.within = b
    with pytest.raises(ValidationError) as caught:
        a.full_clean()
    assert "within" in caught.value.message_dict
