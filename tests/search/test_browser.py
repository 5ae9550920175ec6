"""A reader searches in a real Chromium: box, as-you-type suggestions, htmx facets, paging, a11y."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "src" / "mogao" / "site" / "static" / "vendor" / "axe-core" / "axe.min.js"
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop beside the ORM


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is not installed (apt-get install chromium fonts-noto-cjk)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


@pytest.fixture
def site(live_server: Any) -> str:
    from mogao.demo.loader import demo_load

    demo_load(echo=lambda *_: None)
    return str(live_server.url)


def serious_violations(page: Any) -> list[dict[str, Any]]:
    if not AXE.exists():
        pytest.skip(f"{AXE} is missing: run `make setup`")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"][:3]]}
        for v in result["violations"] if v["impact"] in ("serious", "critical")
    ]


def test_reader_searches_refines_and_pages(page: Any, site: str, artifacts: Path) -> None:
    page.goto(site + "/search/")
    assert serious_violations(page) == []
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
    assert serious_violations(page) == []

    page.goto(site + "/search/?q=Dunhuang")
    page.locator(".facets").get_by_role("link", name="Places").click()  # htmx swaps the results
    page.wait_for_function("() => location.search.includes('type=place')")
    page.locator(".hit").first.wait_for()
    assert page.locator(".hit").count() >= 1
    assert all("place" in t for t in page.locator(".hit .badge").all_inner_texts())
    assert serious_violations(page) == []

    page.goto(site + "/search/?institution=bl&per_page=3")
    page.get_by_role("link", name="Next").click()
    page.wait_for_function("() => location.search.includes('page=2')")
    page.locator(".pager").get_by_text("Page 2 of").wait_for()

    page.goto(site + "/search/?q=Dunhuang&year_from=900&year_to=800")
    assert "swap them" in page.locator("[role=alert]").inner_text()
    assert serious_violations(page) == []
