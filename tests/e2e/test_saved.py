"""Saved collections in Chromium (#15): save an item and a region from the viewer, make the
collection public, open its IIIF manifest in Mirador; every page axe-clean in four languages.

Until the accounts app lands, the reader is created directly and signed in with a session cookie.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
import pyvips
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.test import Client

from mogao.accounts.models import profile_of
from mogao.catalogue import services
from mogao.catalogue.models import Item
from mogao.iiif.image.store import ImageStore
from mogao.saved.models import ReaderCollection, SavedEntry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGS = {"en": "Save to a collection", "fr": "Garder dans une collection", "zh-hans": "保存到收藏集",
         "zh-hant": "儲存到收藏集"}
TILE = re.compile(r"/iiif/3/(sav-\d)/(\d+,\d+,\d+,\d+|full)/[^/]+/0/default\.jpg$")


def make_page(tmp_path: Path, identifier: str, width: int, height: int) -> None:
    """A structured test image with its pyramid (repeated from test_mirador.py: tests/e2e is no package)."""
    xy = pyvips.Image.xyz(width, height)
    red = (xy[0] * 255 / width).cast("uchar")
    green = (xy[1] * 255 / height).cast("uchar")
    blue = (((xy[0] // 64 + xy[1] // 64) % 2) * 200).cast("uchar")
    path = tmp_path / f"{identifier}.jpg"
    red.bandjoin([green, blue]).copy(interpretation="srgb").jpegsave(str(path), Q=85)
    store = ImageStore(root=Path(django_settings.IMAGE_ROOT), max_pixels=int(django_settings.IMAGE_MAX_PIXELS))
    store.register(path, identifier)
    store.build_pyramid(identifier)


def violations(page: Any, exclude: str = "") -> list[Any]:
    page.add_script_tag(url=urljoin(page.url, "/static/vendor/axe-core/axe.min.js"))
    scope = f"{{exclude: [['{exclude}']]}}" if exclude else "document"
    result = page.evaluate(f"async () => await axe.run({scope}, {{resultTypes: ['violations']}})")
    return [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in result["violations"]
            if v["impact"] in {"serious", "critical"}]


@pytest.fixture
def site(live_server: Any, tmp_path: Path, settings: Any) -> tuple[str, Item, Any]:
    settings.BASE_URL = str(live_server.url)
    bl, _ = services.institution_upsert(code="BL", name={"en": ["British Library"], "zh-Hant": ["大英圖書館"]})
    item, _ = services.item_upsert(
        institution=bl, shelfmark="Or.8210/S.5", title={"zh-Hant": ["金剛經"], "en": ["Diamond Sūtra"]},
        languages=["lzh"], digitization_status=Item.Status.DIGITIZED,
    )
    for order in (1, 2):
        make_page(tmp_path, f"sav-{order}", 1600, 1000)
        services.canvas_upsert(item=item, order=order, image_id=f"sav-{order}", width=1600, height=1000)
    reader = get_user_model().objects.create_user("reader", "reader@example.org", "pw-reader-123")
    profile = profile_of(reader)
    assert profile is not None
    profile.trusted = True  # publishes without waiting for review (moderation is tested elsewhere)
    profile.save()
    return str(live_server.url), item, reader


def sign_in(page: Any, base: str, user: Any, lang: str) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies([
        {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base},
        {"name": "django_language", "value": lang, "url": base},
    ])


def test_save_an_item_and_a_region_then_open_the_collection_in_mirador(
    page: Any, site: tuple[str, Item, Any], artifacts: Path,
) -> None:
    base, item, reader = site
    sign_in(page, base, reader, "en")
    page.goto(f"{base}{item.get_absolute_url()}")
    page.wait_for_selector("[data-viewer][data-state='drawn']")
    panel = page.locator("#saved-panel")
    # 1. the whole item, into a new collection
    panel.get_by_label("Item", exact=True).check()
    panel.get_by_label("Collection", exact=True).select_option("new")
    panel.get_by_label("Name of the new collection").fill("Colophons <b>I</b> love")
    panel.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_selector("#saved-panel [role=status]")
    assert "Saved to “Colophons I love”" in panel.inner_text()
    # 2. a region of the second page: turn the page, zoom in, save what is on screen
    page.locator("[data-viewer] [data-action='next']").click()
    page.wait_for_function("() => window.mogaoViewers && window.mogaoViewers[0].index === 1")
    for _ in range(2):
        page.locator("[data-viewer] [data-action='zoom-in']").click()
    page.wait_for_timeout(1500)  # let the zoom animation finish: the region is what is on screen
    panel.get_by_label("Region of a page").check()
    panel.get_by_label("Note", exact=True).fill("the ink changes here")
    panel.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_function("() => document.querySelector('#saved-panel [role=status]')"
                           " && document.querySelector('#saved-panel').innerText.includes('Saved to')"
                           " && !document.querySelector('#saved-panel textarea').value")
    collection = ReaderCollection.objects.get()
    entries = list(SavedEntry.objects.filter(collection=collection).order_by("position"))
    assert [e.kind for e in entries] == ["item", "region"]
    region = entries[1]
    assert region.canvas is not None and region.canvas.order == 2 and region.note == "the ink changes here"
    assert region.x is not None and region.y is not None and region.w is not None and region.h is not None
    assert 0 < region.w < 1600 and 0 < region.h < 1000 and region.x + region.w <= 1600
    assert violations(page) == [], "item page with the Save panel"
    # 3. make it public
    page.goto(f"{base}{collection.get_absolute_url()}")
    page.get_by_label("Public", exact=True).check()
    page.get_by_role("button", name="Save the settings").click()
    page.wait_for_selector("[data-sharing='public']")
    collection.refresh_from_db()
    assert collection.is_public
    assert "the ink changes here" in page.inner_text("main")
    assert violations(page) == [], "collection page"
    page.screenshot(path=str(artifacts / "saved-collection.png"), full_page=True)
    # an anonymous reader reads the manifest too
    anonymous = page.context.browser.new_context()
    try:
        response = anonymous.request.get(f"{base}/saved/{collection.pid}/manifest")
        assert response.status == 200 and len(response.json()["items"]) == 3
    finally:
        anonymous.close()
    # 4. open it in Mirador
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" and not
            str(m.location.get("url", "")).endswith("/favicon.ico") else None)
    tiles: set[str] = set()

    def seen(response: Any) -> None:
        match = TILE.search(response.url)
        if match and response.status == 200:
            tiles.add(match.group(1))

    page.on("response", seen)
    page.set_default_timeout(90_000)
    page.locator("[data-open-mirador]").click()
    page.wait_for_selector(".mirador-viewer")
    page.wait_for_function(
        "() => document.querySelectorAll('.mirador-window .openseadragon-canvas canvas').length >= 1")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1000)
    assert "sav-1" in tiles, tiles
    title = page.locator(".mirador-window-top-bar").first.inner_text()
    assert "Colophons I love" in title, title
    assert console == [] and page.console_errors == [], console
    page.screenshot(path=str(artifacts / "saved-mirador.png"), full_page=True)
    assert violations(page, exclude="#mirador") == []


@pytest.mark.parametrize("lang", ["en", "fr", "zh-hans", "zh-hant"])
def test_saved_pages_are_accessible_in_four_languages(page: Any, site: tuple[str, Item, Any], lang: str) -> None:
    base, item, reader = site
    from mogao.saved.services import create_collection, save_entry

    collection = create_collection(user=reader, name="金剛經 pages", sharing="public")
    save_entry(user=reader, collection=collection, item=item, kind="region", canvas=item.canvases.get(order=1),
               region=(10, 10, 400, 300), note="題記")
    sign_in(page, base, reader, lang)
    page.goto(f"{base}{item.get_absolute_url()}")
    assert LANGS[lang] in page.locator("#saved-panel h2").inner_text()
    page.wait_for_selector(".saved-recs")  # recommendations (here: none yet) load after the page
    assert violations(page) == [], (lang, "item")
    for path in (collection.get_absolute_url(), "/saved/"):
        page.goto(f"{base}{path}")
        assert page.locator("html").get_attribute("lang") in {"en", "fr", "zh-Hans", "zh-Hant"}
        assert violations(page) == [], (lang, path)
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": base}])
    page.goto(f"{base}{item.get_absolute_url()}")
    assert page.locator("#saved-panel a[href*='login']").count() == 1  # anonymous: invited to sign in
    assert page.locator(".saved-recs-slot, .saved-recs").count() == 0
    assert violations(page) == [], (lang, "anonymous item")
