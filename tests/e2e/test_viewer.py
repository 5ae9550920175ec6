"""The reading room in a real Chromium: OpenSeadragon draws Mogao's own tiles from the item manifest.

A right-to-left Chinese scroll with two local pages: tiles drawn, thumbnail strip reversed and
keyboard-driven, page navigation, rotation, "download this view" as a IIIF region URL, axe clean.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import pyvips
from django.conf import settings

from mogao.catalogue import services
from mogao.catalogue.models import Item
from mogao.iiif.image.store import ImageStore

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def make_page(tmp_path: Path, identifier: str, width: int, height: int) -> None:
    """Register a structured test image (gradient and checkerboard) and build its pyramid."""
    xy = pyvips.Image.xyz(width, height)
    red = (xy[0] * 255 / width).cast("uchar")
    green = (xy[1] * 255 / height).cast("uchar")
    blue = (((xy[0] // 64 + xy[1] // 64) % 2) * 200).cast("uchar")
    path = tmp_path / f"{identifier}.jpg"
    red.bandjoin([green, blue]).copy(interpretation="srgb").jpegsave(str(path), Q=85)
    store = ImageStore(root=Path(settings.IMAGE_ROOT), max_pixels=int(settings.IMAGE_MAX_PIXELS))
    store.register(path, identifier)
    store.build_pyramid(identifier)


def chinese_scroll(tmp_path: Path) -> Item:
    bl, _ = services.institution_upsert(code="BL", name={"en": ["British Library"], "zh-Hant": ["大英圖書館"]})
    item, _ = services.item_upsert(
        institution=bl, shelfmark="Or.8210/P.2", title={"zh-Hant": ["金剛般若波羅蜜經"], "en": ["Diamond Sūtra"]},
        item_type=Item.Type.SCROLL, languages=["lzh"], year_start=868, digitization_status=Item.Status.DIGITIZED,
    )
    make_page(tmp_path, "e2e-p1", 2400, 1600)
    make_page(tmp_path, "e2e-p2", 1600, 2400)
    for order, label, image, (width, height) in ((1, "Frontispiece", "e2e-p1", (2400, 1600)),
                                                 (2, "Colophon", "e2e-p2", (1600, 2400))):
        services.canvas_upsert(
            item=item, order=order, label={"en": [label]}, image_id=image, width=width, height=height,
        )
    return item


def is_error(message: Any) -> bool:
    """A console error, except the browser's own request for /favicon.ico (the site has none)."""
    return message.type == "error" and not str(message.location.get("url", "")).endswith("/favicon.ico")


def drawn_pixels(page: Any, selector: str) -> int:
    """How many sampled pixels of the first canvas under ``selector`` are not blank."""
    return int(page.evaluate(
        """(selector) => {
            const canvas = document.querySelector(selector + ' canvas');
            if (!canvas || !canvas.width) return 0;
            const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
            let n = 0;
            for (let i = 0; i < data.length; i += 4 * 97) {
                if (data[i + 3] > 0 && (data[i] + data[i + 1] + data[i + 2]) > 30) n++;
            }
            return n;
        }""",
        selector,
    ))


@pytest.fixture
def scroll_site(live_server: Any, tmp_path: Path, settings: Any) -> tuple[str, Item]:
    settings.BASE_URL = str(live_server.url)
    return str(live_server.url), chinese_scroll(tmp_path)


def test_openseadragon_draws_the_item_and_navigates_right_to_left(
    page: Any, scroll_site: tuple[str, Item], artifacts: Path, axe: Any,
) -> None:
    site, item = scroll_site
    console: list[str] = []
    page.on("console", lambda msg: console.append(msg.text) if is_error(msg) else None)
    tiles: list[str] = []
    page.on("response", lambda r: tiles.append(r.url) if "/iiif/3/e2e-p" in r.url and r.status == 200 else None)

    page.goto(site + item.get_absolute_url())
    page.wait_for_selector("[data-viewer][data-state='drawn']")
    page.wait_for_function("() => window.mogaoViewers && window.mogaoViewers[0].viewer.world.getItemAt(0)"
                           " && window.mogaoViewers[0].viewer.world.getItemAt(0).getFullyLoaded()")
    assert drawn_pixels(page, ".osd") > 50
    assert any(url.endswith("/info.json") for url in tiles)
    assert any(url.endswith("/default.jpg") for url in tiles)

    strip = page.locator(".thumbs")
    assert strip.get_attribute("dir") == "rtl"
    thumbs = page.locator("button.thumb")
    assert thumbs.count() == 2
    # Right to left: the first page sits to the right of the second.
    first, second = thumbs.nth(0).bounding_box(), thumbs.nth(1).bounding_box()
    assert first["x"] > second["x"]
    assert page.locator(".viewer-status").inner_text().startswith("Page 1 of 2")
    page.screenshot(path=str(artifacts / "viewer-osd-page1.png"))

    # Keyboard: in a right-to-left strip ArrowLeft goes to the next page.
    thumbs.nth(0).focus()
    page.keyboard.press("ArrowLeft")
    assert thumbs.nth(1).get_attribute("aria-current") == "page"
    assert page.evaluate("document.activeElement.classList.contains('thumb')")
    assert page.locator(".viewer-status").inner_text().startswith("Page 2 of 2")
    page.get_by_role("button", name="Previous page").click()
    assert page.locator(".viewer-status").inner_text().startswith("Page 1 of 2")
    page.get_by_role("button", name="Next page").click()
    page.wait_for_function(
        "() => { const it = window.mogaoViewers[0].viewer.world.getItemAt(0);"
        " return it && it.source.width === 1600 && it.getFullyLoaded(); }"
    )
    assert page.get_by_role("button", name="Next page").is_disabled()

    # Rotation and "download this view": a IIIF region URL of the viewport, fetched for real.
    page.get_by_role("button", name="Rotate right").click()
    page.get_by_role("button", name="Zoom in").click()
    page.get_by_role("button", name="Zoom in").click()
    page.wait_for_timeout(1500)
    href = page.locator("[data-action='download-view']").get_attribute("href")
    assert href.startswith(site + "/iiif/3/e2e-p2/")
    assert href.endswith("/max/90/default.jpg")
    region = href.split("/iiif/3/e2e-p2/")[1].split("/")[0]
    x, y, w, h = (int(v) for v in region.split(","))
    assert x >= 0 and y >= 0 and w < 1600 and h < 2400
    response = page.request.get(href)
    assert response.status == 200 and response.headers["content-type"] == "image/jpeg"
    page_href = page.locator("[data-action='download-page']").get_attribute("href")
    assert page_href == f"/items/{item.pid}/canvases/2/download"
    assert page.request.get(site + page_href).status == 200

    assert axe(page) == []
    page.screenshot(path=str(artifacts / "viewer-osd-rotated.png"), full_page=True)
    assert console == [] and page.console_errors == []


def test_item_without_images_shows_the_notice(page: Any, live_server: Any, axe: Any) -> None:
    bl, _ = services.institution_upsert(code="BL", name={"en": ["British Library"]})
    item, _ = services.item_upsert(institution=bl, shelfmark="Or.8210/S.1", title={"en": ["Not digitized"]})
    page.goto(str(live_server.url) + item.get_absolute_url())
    assert "not yet digitized" in page.locator(".reading-room .notice").inner_text()
    assert page.locator("[data-viewer]").count() == 0
    assert axe(page) == []


@pytest.mark.parametrize("viewport", [(1366, 900), (390, 844)], ids=["desktop", "phone"])
def test_item_page_does_not_jump_on_load(
    page: Any, scroll_site: tuple[str, Item], artifacts: Path, viewport: tuple[int, int],
) -> None:
    """The viewer marks its first thumbnail without scrolling the page: the title stays on screen."""
    site, item = scroll_site
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    page.goto(site + item.get_absolute_url())
    page.wait_for_selector("[data-viewer][data-state='drawn']")
    page.wait_for_function("() => document.querySelector('button.thumb[aria-current=\"page\"]')")
    page.wait_for_timeout(300)
    assert page.evaluate("window.scrollY") == 0
    assert page.locator("h1").first.bounding_box()["y"] >= 0
    # Paging still brings the current thumbnail into the strip's view, and still not the page.
    page.get_by_role("button", name="Next page").click()
    assert page.evaluate("window.scrollY") == 0
    page.screenshot(path=str(artifacts / f"item-no-jump-{viewport[0]}.png"))
