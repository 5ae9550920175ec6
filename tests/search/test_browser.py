"""A reader searches in a real Chromium: box, as-you-type suggestions, htmx facets, paging, a11y."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

@pytest.fixture
def site(live_server: Any) -> str:
    from mogao.demo.loader import demo_load

    demo_load(echo=lambda *_: None)
    return str(live_server.url)


def test_reader_searches_refines_and_pages(page: Any, site: str, artifacts: Path, axe: Any) -> None:
    page.goto(site + "/search/")
    assert axe(page) == []
    box = page.get_by_label("Search for")
    box.fill("jin gang")  # as-you-type suggestions arrive through htmx
    page.locator("#search-suggestions a").first.wait_for()
    assert "Diamond" in page.locator("#search-suggestions").inner_text()
    box.fill("jin gang jing")
    box.press("Enter")  # htmx swaps the results in and pushes the URL (no page load)
    results = page.locator("#search-results")
    results.get_by_text("Also searched:").wait_for()
    page.wait_for_function("() => new URLSearchParams(location.search).get('q') === 'jin gang jing'")
    assert "金剛經" in results.inner_text()
    assert page.locator(".hit mark").count() > 0
    page.screenshot(path=str(artifacts / "search-results.png"), full_page=True)
    assert axe(page) == []

    page.goto(site + "/search/?q=Dunhuang")
    page.locator(".facets").get_by_role("link", name="Places").click()  # htmx swaps the results
    page.wait_for_function("() => location.search.includes('type=place')")
    page.locator(".hit").first.wait_for()
    assert page.locator(".hit").count() >= 1
    assert all("place" in t for t in page.locator(".hit .badge").all_inner_texts())
    assert axe(page) == []

    page.goto(site + "/search/?institution=bl&per_page=3")
    page.get_by_role("link", name="Next").click()
    page.wait_for_function("() => location.search.includes('page=2')")
    page.locator(".pager").get_by_text("Page 2 of").wait_for()

    page.goto(site + "/search/?q=Dunhuang&year_from=900&year_to=800")
    assert "swap them" in page.locator("[role=alert]").inner_text()
    assert axe(page) == []


def test_translations_of_one_text_are_one_accessible_card(page: Any, site: str, artifacts: Path, axe: Any) -> None:
    from mogao.catalogue.models import Work, WorkCreator
    from mogao.knowledge.models import Person
    from mogao.search.services import index_rebuild

    for pid, taisho, name in [("t0236-diamond-sutra-bodhiruci", "T0236", "Bodhiruci"),
                              ("t0237-diamond-sutra-paramartha", "T0237", "Paramārtha")]:
        work = Work.objects.create(pid=pid, title={"en": ["Diamond Sūtra"]}, identifiers={"taisho": taisho})
        person = Person.objects.create(pid=name.lower(), name={"en": [name]})
        WorkCreator.objects.create(work=work, person=person, role=WorkCreator.Role.TRANSLATOR)
    index_rebuild()
    page.goto(site + "/search/?q=Diamond+Sutra")
    group = page.locator(".hit-group")
    assert group.count() == 1
    assert "3 translations" in group.inner_text()
    assert group.locator(".translations > li").count() == 3
    group.screenshot(path=str(artifacts / "search-translations-group.png"))
    assert axe(page) == []
