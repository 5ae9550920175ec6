"""A reader browses the demo in a real Chromium: home, browse, language switch, item page, a11y."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mogao.catalogue.models import Item
from mogao.demo.loader import demo_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGS = {"en": "Browse", "zh-hans": "浏览", "zh-hant": "瀏覽", "fr": "Parcourir"}


@pytest.fixture
def demo_site(live_server: Any) -> str:
    demo_load(echo=lambda _: None)
    return str(live_server.url)


def test_reader_browses_switches_language_and_opens_an_item(page: Any, demo_site: str, axe: Any) -> None:
    page.goto(demo_site + "/")
    assert page.locator("h1").inner_text().startswith("Ancient books")
    assert axe(page) == []

    page.get_by_role("link", name="Browse", exact=True).first.click()
    page.wait_for_url("**/browse/")
    assert "16 items" in page.locator("#results").inner_text()
    page.locator(".facets").get_by_role("link", name="digitized").click()
    assert "Or.8210/P.2" in page.locator("#results").inner_text()
    assert "Or.8210/P.6" not in page.locator("#results").inner_text()
    assert axe(page) == []

    page.select_option("#lang-select", "fr")
    page.locator(".lang-switch button").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("link", name="Parcourir", exact=True).count() == 1

    page.get_by_role("link", name="Sūtra du Diamant, rouleau imprimé de 868").click()
    page.wait_for_url("**/items/bl-or-8210-p-2")
    assert "咸通九年四月十五日" in page.content()
    assert axe(page) == []


@pytest.mark.parametrize("lang", list(LANGS))
def test_item_page_in_each_language_is_accessible(
    page: Any, demo_site: str, artifacts: Path, axe: Any, lang: str
) -> None:
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": demo_site}])
    for item in Item.objects.filter(shelfmark__in=["Or.8210/P.2", "Or.8210/S.3969"]):
        page.goto(demo_site + item.get_absolute_url())
        assert page.get_by_role("link", name=LANGS[lang], exact=True).count() == 1
        violations = axe(page)
        assert violations == [], violations
    page.goto(demo_site + "/items/bl-or-8210-p-2")
    page.screenshot(path=str(artifacts / f"item-bl-or-8210-p-2-{lang}.png"), full_page=True)
    assert page.console_errors == []


def test_keyboard_reaches_content_through_the_skip_link(page: Any, demo_site: str) -> None:
    page.goto(demo_site + "/browse/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "Skip to content" in focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
