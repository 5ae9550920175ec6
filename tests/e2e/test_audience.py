"""A scripted visit in Chromium — a search with no result, a search with results, a click on a result,
the item, the reading room, a reaction, a story step — then the audience dashboard shows each in the
right language bucket (named in the reader's language); dashboard and statistics are axe-clean and
photographed in the four languages (#18).

The story step is played in the real story reader (#16), whose beacon counts the step."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

from mogao.accounts.models import profile_of
from mogao.audience import recorder, rollup
from mogao.catalogue import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOCALES = {"en": "en-GB", "fr": "fr-FR", "zh-hans": "zh-CN", "zh-hant": "zh-TW"}
TITLES = {"en": "Audience dashboard", "fr": "Tableau de bord des publics", "zh-hans": "读者分析面板",
          "zh-hant": "讀者分析面板"}


@pytest.fixture
def site(live_server: Any, settings: Any) -> dict[str, Any]:
    settings.BASE_URL = str(live_server.url)
    cache.clear()
    recorder.discard()
    inst, _ = services.institution_upsert(code="BL", name={"en": ["British Library"]})
    item, _ = services.item_upsert(institution=inst, shelfmark="Or.8210/P.2", title={"en": ["Diamond Sutra"]})
    services.canvas_upsert(item=item, order=1)
    from mogao.stories.models import Step, Story

    story = Story.objects.create(slug="diamond-journey", institution=inst, status="published",
                                 title={"en": ["A journey with the Diamond Sutra"]})
    Step.objects.create(story=story, position=1, kind="timeline", text={"en": ["Printed in 868."]},
                        year_start=868, year_end=868)
    return {"url": str(live_server.url), "item": item, "story": story}


def session_for(username: str, *, manager: bool = False) -> str:
    user = get_user_model().objects.create_user(username, password="a-long-password-42")
    if manager:
        profile = profile_of(user)
        assert profile is not None
        profile.manager = True
        profile.save()
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def context(browser: Any, base: str, lang: str, session: str | None = None) -> Any:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale=LOCALES[lang])
    if session:
        ctx.add_cookies([{"name": "sessionid", "value": session, "url": base}])
    return ctx


def go(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")


def test_scripted_visit_then_the_dashboard(browser: Any, site: dict[str, Any], axe: Any, artifacts: Path) -> None:
    base, item = site["url"], site["item"]
    reader = context(browser, base, "fr", session_for("lectrice"))
    page = reader.new_page()
    go(page, base + "/search/?q=zzyzxqq")
    go(page, base + "/search/?q=Diamond")
    # the search index may hold other tests' records too: click this test's item
    page.locator(f'ol.hits a[data-doc][href$="/items/{item.pid}"]').first.click()
    page.wait_for_url(f"**/items/{item.pid}")
    page.wait_for_load_state("networkidle")
    page.locator(".reactions button[value=moved]").click()
    page.wait_for_selector(".reactions button[value=moved][aria-pressed=true]")
    go(page, base + f"/items/{item.pid}/read")
    go(page, base + f"/stories/{site['story'].slug}/")  # the reader counts the step it opens on
    reader.close()
    other = context(browser, base, "zh-hant")  # a second reader, anonymous, in Traditional Chinese
    go(other.new_page(), base + "/search/?q=" + "金剛經")
    other.close()

    def arrived() -> set[str]:
        return {e["kind"] for e in list(recorder._buffer)}

    for _ in range(600):  # beacons arrive on their own (polled, no clock: a loaded machine is slow)
        if {"click", "story_step"} <= arrived():
            break
        time.sleep(0.1)
    assert {"click", "story_step"} <= arrived(), f"a beacon never arrived: {arrived()}"
    recorder.flush()
    rollup.run()

    manager = session_for("manager", manager=True)
    for lang in LOCALES:
        ctx = context(browser, base, lang, manager)
        dash = ctx.new_page()
        errors: list[str] = []
        dash.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
        go(dash, base + "/dashboard/")
        assert dash.locator("h1").inner_text() == TITLES[lang]
        dash.wait_for_selector("#chart-languages svg")
        assert axe(dash) == [], lang
        assert errors == [], errors
        if lang == "en":
            rows = dash.locator("#h-languages ~ details tbody tr")
            cells = {r.locator("td").first.inner_text(): [c.inner_text() for c in r.locator("td").all()]
                     for r in rows.all()}
            # Language, Visits, Searches, Shown, Clicks, CTR, Visits with a search, …read, Conversion, Reads
            # the buckets are named in the reader's language, never by their codes
            assert cells["French"][1:5] == ["1", "2", "1", "1"], cells["French"]
            assert cells["French"][5] == "100.0" and cells["French"][7] == "1"
            assert cells["Traditional Chinese"][1:3] == ["1", "1"], cells["Traditional Chinese"]
            zero = dash.locator("#h-zero ~ details tbody").inner_text()
            assert "zzyzxqq" in zero and "French" in zero
            items = dash.locator("#h-items ~ details tbody tr").first.inner_text()
            assert items.startswith("French") and "Diamond Sutra" in items
            reacts = dash.locator("#h-reactions ~ details tbody tr").first.inner_text()
            assert reacts.startswith("French") and "Moved" in reacts
            steps = dash.locator("#h-stories ~ details tbody tr").first.inner_text()
            assert steps.startswith("French") and "A journey with the Diamond Sutra" in steps and "Step 1" in steps
        if lang == "fr":
            assert "français" in dash.locator("#h-languages ~ details tbody").inner_text()
        if lang == "zh-hant":
            assert "法語" in dash.locator("#h-languages ~ details tbody").inner_text()
        dash.screenshot(path=str(artifacts / f"audience-dashboard-{lang}.png"), full_page=True)
        ctx.close()

    stats = context(browser, base, "en").new_page()
    go(stats, base + "/statistics/")
    stats.wait_for_selector("#chart-languages svg")
    assert "Diamond Sutra" in stats.locator("#h-items ~ div").inner_text()
    assert axe(stats) == []
    stats.screenshot(path=str(artifacts / "audience-statistics-en.png"), full_page=True)
