"""The home page in a browser (#13): at 1366 and 390 px in French and simplified Chinese it fits the
screen, its pictures load from the IIIF image service, every way in is reachable, axe is clean;
screenshots go to artifacts/ (home-{desktop,phone}-{lang}.png)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mogao.demo.loader import demo_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def demo_site(live_server: Any, settings: Any) -> str:
    settings.BASE_URL = str(live_server.url)
    demo_load(echo=lambda *a, **k: None)
    return str(live_server.url)


@pytest.mark.parametrize("lang", ["fr", "zh-hans"])
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_home_fits_shows_pictures_and_leads_everywhere(
    browser: Any, demo_site: str, artifacts: Path, axe: Any, lang: str, size: str
) -> None:
    viewport = VIEWPORTS[size]
    context = browser.new_context(viewport=viewport, is_mobile=size == "phone", has_touch=size == "phone")
    context.add_cookies([{"name": "django_language", "value": lang, "url": demo_site}])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(demo_site + "/")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(artifacts / f"home-{size}-{lang}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") == viewport["width"]
        pictures = page.locator(".strip img")
        assert pictures.count() >= 1
        for i in range(pictures.count()):
            pictures.nth(i).scroll_into_view_if_needed()
            page.wait_for_function("img => img.complete", arg=pictures.nth(i).element_handle())
            assert pictures.nth(i).evaluate("img => img.naturalWidth") > 0
        for href in ("/works/", "/graph/"):  # in the main menu
            assert page.locator(f".site-header nav a[href='{href}']").count() == 1
        for href in ("/map/", "/timeline/", "/graph/", "/works/", "/people/", "/places/"):
            assert page.locator(f".ways a[href='{href}']").count() == 1
        assert page.locator(".story a[href='/map/']").is_visible()
        text = page.locator("main").inner_text()
        assert "—\n" not in text and "()" not in text and " 0 " not in text
        assert axe(page) == []
        assert errors == []
    finally:
        context.close()
