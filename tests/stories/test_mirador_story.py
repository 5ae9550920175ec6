"""A story's IIIF manifest opens in the vendored Mirador, whose annotation panel lists its steps (#16)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from mogao.demo.loader import demo_load
from mogao.stories.demo import DIAMOND

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def story_site(live_server: Any, settings: Any) -> str:
    settings.BASE_URL = str(live_server.url)
    demo_load(echo=lambda _: None)
    return str(live_server.url)


def test_story_manifest_opens_in_mirador_with_its_steps_as_annotations(
    page: Any, story_site: str, artifacts: Path,
) -> None:
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" and "favicon" not in str(
        m.location.get("url", "")) else None)
    manifest = f"{story_site}/stories/{DIAMOND}/manifest.json"
    page.set_default_timeout(90_000)
    page.goto(f"{story_site}/compare/?manifest={quote(manifest, safe='')}")
    page.wait_for_selector(".mirador-viewer")
    page.wait_for_function("() => document.querySelectorAll('.mirador-window .openseadragon-canvas canvas').length")
    titles = page.locator(".mirador-window-top-bar").all_inner_texts()
    assert any("Diamond Sūtra of 868" in t for t in titles), titles
    # Open the window's side bar, then its annotation panel: the first page's steps are listed.
    page.get_by_role("button", name="Toggle sidebar").first.click()
    page.get_by_role("tab", name="Annotations").first.click()
    page.wait_for_function("() => document.body.innerText.includes('five metres')")
    text = page.locator(".mirador-window").first.inner_text()
    assert "five metres" in text  # step 1, the frontispiece region on the first page
    assert "Wang Yuanlu" in text  # a map step, shown on the cover page
    page.screenshot(path=str(artifacts / "story-mirador-annotations.png"), full_page=True)
    # Mirador draws the step's region on the page (an SVG/canvas overlay) and shows no error.
    assert console == [], console
