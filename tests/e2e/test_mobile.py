"""A reader on a phone (390×844) in each of the four languages: no page is wider than the screen,
the first search hit is on the first screen, the filters open in a panel from the keyboard, the
header stays compact, axe is clean (the 404 page included); a screenshot of every page in every
language goes to artifacts/. The desktop sweep of the same pages is tests/e2e/test_first_visit.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mogao.demo.loader import demo_load
from mogao.knowledge.models import Place

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGS = ["en", "zh-hans", "zh-hant", "fr"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
ITEM = "bl-or-8210-p-2"


@pytest.fixture
def demo_site(live_server: Any, settings: Any) -> str:
    settings.BASE_URL = str(live_server.url)
    demo_load(echo=lambda *a, **k: None)
    return str(live_server.url)


def reader_pages() -> dict[str, str]:
    place = Place.objects.order_by("pid").first()
    assert place is not None
    return {
        "home": "/",
        "search-zh": "/search/?q=金剛經",
        "search-en": "/search/?q=diamond+sutra",
        "browse": "/browse/",
        "item": f"/items/{ITEM}",
        "reading": f"/items/{ITEM}/read",
        "timeline": "/timeline/",
        "people": "/people/",
        "place": f"/places/{place.pid}",
        "404": "/no-such-page/",
    }


def width_of(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def wider_than_screen(page: Any) -> list[str]:
    """The elements sticking out past the right edge of the screen (to say *what* overflows)."""
    return list(page.evaluate(
        """() => [...document.querySelectorAll('body *')].filter(e => {
             const r = e.getBoundingClientRect();
             return r.right > document.documentElement.clientWidth + 1 && r.width > 0
               && getComputedStyle(e).position !== 'fixed';
           }).slice(0, 8).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
             + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : ''))"""
    ))


def facet_rows_cut(page: Any) -> list[str]:
    """Facet rows whose count is pushed out of the row, or whose label is cut without a title."""
    return list(page.evaluate(
        """() => [...document.querySelectorAll('.facets li')].filter(li => {
             const a = li.querySelector('a'), n = li.querySelector('.count');
             const row = li.getBoundingClientRect(), count = n.getBoundingClientRect();
             const cut = a.scrollWidth > a.clientWidth + 1;
             return count.right > row.right + 1 || count.width === 0 || (cut && !a.title);
           }).map(li => li.textContent.trim())"""
    ))


def open_as(page: Any, site: str, lang: str, path: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": site}])
    page.goto(site + path)
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("lang", LANGS)
def test_every_reader_page_fits_a_phone_in_each_language(
    browser: Any, demo_site: str, artifacts: Path, axe: Any, lang: str
) -> None:
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    problems: dict[str, Any] = {}
    try:
        for name, path in reader_pages().items():
            open_as(page, demo_site, lang, path)
            if width_of(page) != PHONE["width"]:
                problems[f"{name} width"] = (width_of(page), wider_than_screen(page))
            header = page.locator(".site-header").bounding_box() if page.locator(".site-header").count() else None
            if header is not None and header["height"] > 120:
                problems[f"{name} header"] = header["height"]
            violations = axe(page)
            if violations:
                problems[f"{name} axe"] = violations
            page.screenshot(path=str(artifacts / f"phone-{name}-{lang}.png"), full_page=False)
        assert problems == {}
        assert errors == []
    finally:
        context.close()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("query", ["金剛經", "diamond sutra"])
def test_first_search_hit_is_on_the_first_phone_screen(
    browser: Any, demo_site: str, lang: str, query: str
) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        open_as(page, demo_site, lang, "/search/?q=" + query)
        first = page.locator(".hits > li").first.bounding_box()
        assert first is not None
        assert first["y"] < PHONE["height"], first
        search_button = page.locator(".search-box button").bounding_box()
        assert search_button["x"] + search_button["width"] <= PHONE["width"]
    finally:
        context.close()


@pytest.mark.parametrize("path", ["/search/?q=diamond+sutra", "/browse/"])
def test_filter_panel_opens_and_closes_from_the_keyboard_on_a_phone(
    browser: Any, demo_site: str, path: str
) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    page = context.new_page()
    try:
        open_as(page, demo_site, "fr", path)
        toggle = page.locator(".facet-panel > summary")
        facets = page.locator(".facet-panel .facets section").first
        assert not facets.is_visible()
        toggle.focus()
        page.keyboard.press("Enter")
        assert facets.is_visible()
        assert page.locator(".facet-panel").get_attribute("open") is not None
        page.keyboard.press("Enter")
        assert not facets.is_visible()
        page.keyboard.press(" ")
        assert facets.is_visible()
        assert facet_rows_cut(page) == []
        assert width_of(page) == PHONE["width"]
    finally:
        context.close()


def test_filters_are_shown_beside_the_results_on_a_desktop(browser: Any, demo_site: str, artifacts: Path) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        for lang in ["fr", "zh-hans"]:
            for name, path in [("search-en", "/search/?q=diamond+sutra"), ("search-zh", "/search/?q=金剛經"),
                               ("browse", "/browse/"), ("home", "/")]:
                open_as(page, demo_site, lang, path)
                if name != "home":
                    assert page.locator(".facets section").first.is_visible()
                    facet_box = page.locator(".facets").bounding_box()
                    results_box = page.locator(".results").bounding_box()
                    assert facet_box["x"] < results_box["x"]  # side by side, filters on the left
                    assert facet_rows_cut(page) == []
                    # facets.js (a static file under the CSP) opens the panel beside the results
                    page.wait_for_function("document.querySelector('.facet-panel').open")
                assert width_of(page) == DESKTOP["width"]
                page.screenshot(path=str(artifacts / f"desktop-{name}-{lang}.png"), full_page=False)
        assert refused == []
    finally:
        context.close()


def test_comparison_workspace_fits_a_phone(browser: Any, demo_site: str, artifacts: Path) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(90_000)  # Mirador is 2.3 MB of JavaScript on a shared machine
    try:
        open_as(page, demo_site, "fr", f"/compare/items/{ITEM}/{ITEM}")
        page.wait_for_selector(".mirador-viewer")
        page.wait_for_timeout(1000)
        assert width_of(page) == PHONE["width"], wider_than_screen(page)
        host = page.locator("#mirador").bounding_box()
        assert host is not None and host["x"] >= 0 and host["x"] + host["width"] <= PHONE["width"]
        page.screenshot(path=str(artifacts / "phone-compare-fr.png"))
    finally:
        context.close()
