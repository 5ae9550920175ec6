"""My Mogao in Chromium (#15): every section populated (reactions, annotations, comments,
collections, recommendations), axe-clean in the four interface languages, the recommendations
fragment loaded by htmx, no script errors."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

_spec = importlib.util.spec_from_file_location(
    "glue_contribs", Path(__file__).resolve().parent.parent / "accounts" / "contribs.py")
assert _spec is not None and _spec.loader is not None
contribs = importlib.util.module_from_spec(_spec)
sys.modules["glue_contribs"] = contribs  # dataclasses look their module up
_spec.loader.exec_module(contribs)

@pytest.fixture
def site(live_server: Any, settings: Any) -> dict[str, Any]:
    settings.BASE_URL = str(live_server.url)
    where = contribs.place()
    reader = contribs.make_user("readerq", trusted=True)
    reader.profile.display_name = "Reader <b>Q</b>"
    reader.profile.save()
    contribs.contribute(reader, where)
    return {"url": str(live_server.url), "reader": reader, "where": where}


def _sign_in(page: Any, base: str, user: Any, lang: str) -> None:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    page.context.add_cookies([
        {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base},
        {"name": "django_language", "value": lang, "url": base},
    ])


@pytest.mark.parametrize("lang", ["en", "fr", "zh-hans", "zh-hant"])
def test_my_mogao_with_everything_is_axe_clean(page: Any, site: dict[str, Any], axe: Any, artifacts: Path,
                                               lang: str) -> None:
    base = site["url"]
    _sign_in(page, base, site["reader"], lang)
    page.goto(f"{base}/me/")
    page.wait_for_selector(".saved-recs-slot", state="detached")  # htmx swapped the recommendations in
    html_lang = page.locator("html").get_attribute("lang") or ""
    assert html_lang.lower().startswith(lang.split("-")[0])
    sections = page.locator("main section h2").all_inner_texts()
    assert len(sections) >= 6, sections
    text = page.locator("main").inner_text()
    for content in ("Public shelf", "Pubnote", "Pubcomment", "Reader <b>Q</b>"):
        assert content in text, content
    assert site["where"].other_item.shelfmark in text  # a recommendation, explained
    assert axe(page) == [], lang
    assert page.console_errors == []
    page.screenshot(path=str(artifacts / f"my-mogao-full-{lang}.png"), full_page=True)
