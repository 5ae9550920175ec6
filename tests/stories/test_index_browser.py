"""The index of stories and the home page's featured stories in Chromium, four languages, axe clean (#16)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mogao.demo.loader import demo_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLES = {
    "en": "The Diamond Sūtra of 868", "fr": "Le Sūtra du Diamant de 868",
    "zh-hans": "868年的《金刚经》", "zh-hant": "868年的《金剛經》",
}


@pytest.fixture
def story_site(live_server: Any) -> str:
    demo_load(echo=lambda _: None)
    return str(live_server.url)


@pytest.mark.parametrize("lang", list(TITLES))
def test_index_and_home_show_the_stories_with_their_covers(
    page: Any, story_site: str, axe: Any, artifacts: Path, lang: str,
) -> None:
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": story_site}])
    page.goto(story_site + "/stories/")
    assert TITLES[lang] in page.locator("main").inner_text()
    covers = page.locator("img.story-cover")
    assert covers.count() == 2
    page.wait_for_function(
        "() => [...document.querySelectorAll('img.story-cover')].every(i => i.complete && i.naturalWidth > 0)"
    )
    assert axe(page) == []
    page.screenshot(path=str(artifacts / f"stories-index-{lang}.png"), full_page=True)
    page.goto(story_site + "/")
    section = page.locator("section.featured-stories")
    assert TITLES[lang] in section.inner_text()
    assert section.get_by_role("link").first.get_attribute("href") == "/stories/diamond-sutra-868/"
    assert section.locator("img.story-cover").count() == 2
    assert axe(page) == []
    assert page.console_errors == []
