"""Results a person can tell apart (#13 item 3): works sharing an English title show what
distinguishes them (creators with their role, witnesses, Taishō number), and the Work facet
disambiguates identical labels."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from mogao.catalogue.models import Work, WorkCreator
from mogao.knowledge.models import Person


def two_diamond_sutras() -> None:
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


def lines_of(html: str, pid: str) -> str:
    card = html.split(f'href="/works/{pid}"', 1)[1].split("</li>", 1)[0]
    found = re.search(r'<p class="card-meta hit-details">(.*?)</p>', card, re.S)
    assert found, card
    return found.group(1).strip()


@pytest.mark.django_db
def test_works_with_the_same_title_show_different_distinguishing_lines(
    client: Client, demo: dict[str, int], on_commit: Any
) -> None:
    with on_commit():
        two_diamond_sutras()
    html = client.get("/search/", {"q": "diamond sutra", "type": "work"}).content.decode()
    a = lines_of(html, "t0236-diamond-sutra-bodhiruci")
    b = lines_of(html, "t0237-diamond-sutra-paramartha")
    assert a != b
    assert "Bodhiruci (translator)" in a and "0 witnesses" in a
    assert "Paramārtha (translator)" in b


@pytest.mark.django_db
def test_identical_work_facet_labels_are_told_apart_and_keep_a_title(
    client: Client, demo: dict[str, int], on_commit: Any
) -> None:
    from mogao.search import selectors
    from mogao.search.services import FacetCount

    with on_commit():
        two_diamond_sutras()
    facets = {"work": [FacetCount("t0236-diamond-sutra-bodhiruci", 1), FacetCount("t0237-diamond-sutra-paramartha", 1)]}
    groups = selectors.facet_groups(facets, {"q": ["diamond"]}, lang="en")
    labels = [link.label for group in groups for link in group.links]
    assert labels == ["Diamond Sūtra · T0236", "Diamond Sūtra · T0237"]
    html = client.get("/search/", {"q": "diamond sutra"}).content.decode()
    assert re.search(r'<a href="[^"]*work=[^"]*" title="[^"]+"><span class="facet-label">', html)


@pytest.mark.django_db
def test_a_digitized_hit_shows_a_thumbnail_served_by_this_site(client: Client, demo: dict[str, int]) -> None:
    html = client.get("/search/", {"q": "diamond sutra"}).content.decode()
    card = html.split('href="/items/bl-or-8210-p-2"', 1)[0].rsplit("<li", 1)[1]
    found = re.search(r'<img class="hit-thumb" src="(/iiif/3/[^"]+)"', card)
    assert found, card
    assert client.get(found.group(1)).status_code == 200
