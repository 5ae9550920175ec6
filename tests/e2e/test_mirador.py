"""Mirador 4 in headless Chromium: two item manifests side by side, and a reunification manifest.

Both items are Chinese manuscripts held by different institutions; Mirador must load the
manifests, fetch info.json and draw tiles from Mogao's Image API with no console errors.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
import pyvips
from django.conf import settings as django_settings

from mogao.catalogue import services
from mogao.catalogue.models import Item, Join
from mogao.iiif.image.store import ImageStore

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TILE = re.compile(r"/iiif/3/(mir-[ab]-\d)/(\d+,\d+,\d+,\d+|full)/[^/]+/0/default\.jpg$")


def make_page(tmp_path: Path, identifier: str, width: int, height: int) -> None:
    """Register a structured test image (gradient and checkerboard) and build its pyramid.

    (tests/e2e is not a package, so this small helper is repeated from test_viewer.py.)
    """
    xy = pyvips.Image.xyz(width, height)
    red = (xy[0] * 255 / width).cast("uchar")
    green = (xy[1] * 255 / height).cast("uchar")
    blue = (((xy[0] // 64 + xy[1] // 64) % 2) * 200).cast("uchar")
    path = tmp_path / f"{identifier}.jpg"
    red.bandjoin([green, blue]).copy(interpretation="srgb").jpegsave(str(path), Q=85)
    store = ImageStore(root=Path(django_settings.IMAGE_ROOT), max_pixels=int(django_settings.IMAGE_MAX_PIXELS))
    store.register(path, identifier)
    store.build_pyramid(identifier)


def is_error(message: Any) -> bool:
    """A console error, except the browser's own request for /favicon.ico (the site has none)."""
    return message.type == "error" and not str(message.location.get("url", "")).endswith("/favicon.ico")


def own_violations(page: Any) -> list[str]:
    """Serious/critical axe-core violations outside the Mirador host element."""
    # from the site: the Content-Security-Policy refuses inline scripts, add_script_tag(path=) included
    page.add_script_tag(url=urljoin(page.url, "/static/vendor/axe-core/axe.min.js"))
    result = page.evaluate(
        "async () => await axe.run({exclude: [['#mirador']]}, {resultTypes: ['violations']})"
    )
    return [v["id"] for v in result["violations"] if v["impact"] in {"serious", "critical"}]


def two_holders(tmp_path: Path) -> tuple[Item, Item, Join]:
    bl, _ = services.institution_upsert(code="BL", name={"en": ["British Library"], "zh-Hant": ["大英圖書館"]})
    bnf, _ = services.institution_upsert(code="BnF", name={"fr": ["Bibliothèque nationale de France"]})
    a, _ = services.item_upsert(
        institution=bl, shelfmark="Or.8210/S.1", title={"zh-Hant": ["金剛經"], "en": ["Diamond Sūtra, part 1"]},
        languages=["lzh"], digitization_status=Item.Status.DIGITIZED,
    )
    b, _ = services.item_upsert(
        institution=bnf, shelfmark="Pelliot chinois 1", title={"zh-Hant": ["金剛經"], "fr": ["Sūtra du Diamant, 2"]},
        languages=["lzh"], digitization_status=Item.Status.DIGITIZED,
    )
    for item, prefix in ((a, "mir-a"), (b, "mir-b")):
        for order in (1, 2):
            make_page(tmp_path, f"{prefix}-{order}", 1800, 1200)
            services.canvas_upsert(item=item, order=order, image_id=f"{prefix}-{order}", width=1800, height=1200)
    join, _ = services.join_upsert(items=[a, b], label_map={"en": ["Diamond Sūtra reunited"]})
    return a, b, join


@pytest.fixture
def mirador_site(live_server: Any, tmp_path: Path, settings: Any) -> tuple[str, Item, Item, Join]:
    settings.BASE_URL = str(live_server.url)
    return (str(live_server.url), *two_holders(tmp_path))


def open_mirador(page: Any, url: str, expected_windows: int) -> set[str]:
    """Open ``url``, wait for Mirador's windows and their tiles; return the images tiles came from."""
    console: list[str] = []
    page.on("console", lambda msg: console.append(msg.text) if is_error(msg) else None)
    tiles: set[str] = set()

    def seen(response: Any) -> None:
        match = TILE.search(response.url)
        if match and response.status == 200 and response.request.resource_type in {"image", "fetch", "xhr"}:
            tiles.add(match.group(1))

    page.on("response", seen)
    # Mirador is 2.3 MB of JavaScript: on a busy shared machine parsing alone can take many seconds.
    page.set_default_timeout(90_000)
    failed: list[str] = []
    page.on("requestfailed", lambda r: failed.append(f"{r.url} {r.failure}"))
    page.goto(url)
    try:
        page.wait_for_selector(".mirador-viewer")
    except Exception as exc:  # say why, so an intermittent failure on a busy machine can be read
        state = page.evaluate(
            "() => [typeof window.Mirador, document.getElementById('mirador').outerHTML.slice(0, 300)]"
        )
        raise AssertionError(f"Mirador did not start: {state}, console={console}, failed={failed}") from exc
    page.wait_for_function(
        f"() => document.querySelectorAll('.mirador-window').length === {expected_windows}", timeout=90_000
    )
    page.wait_for_function(
        "() => document.querySelectorAll('.mirador-window .openseadragon-canvas canvas').length >= "
        f"{expected_windows}", timeout=90_000,
    )
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1000)
    assert console == [], console
    assert page.console_errors == []
    return tiles


def test_mirador_opens_two_items_side_by_side(
    page: Any, mirador_site: tuple[str, Item, Item, Join], artifacts: Path,
) -> None:
    site, a, b, _ = mirador_site
    tiles = open_mirador(page, f"{site}/compare/items/{a.pid}/{b.pid}", expected_windows=2)
    # Each window draws the first canvas of its manifest from Mogao's tiles.
    assert {"mir-a-1", "mir-b-1"} <= tiles, tiles
    titles = page.locator(".mirador-window-top-bar h2, .mirador-window-top-bar [class*='title']").all_inner_texts()
    assert any("Diamond" in t or "金剛" in t for t in titles), titles
    page.screenshot(path=str(artifacts / "mirador-two-items.png"), full_page=True)
    # Mogao's own part of the page is accessible; Mirador's internals are checked by its project.
    assert own_violations(page) == []


def test_mirador_opens_a_reunification_manifest(
    page: Any, mirador_site: tuple[str, Item, Item, Join], artifacts: Path,
) -> None:
    site, _, _, join = mirador_site
    tiles = open_mirador(page, f"{site}/compare/join/{join.pid}", expected_windows=1)
    assert "mir-a-1" in tiles, tiles
    # The third canvas is the first fragment held in Paris: select it in the thumbnail strip.
    page.locator(".mirador-thumbnail-nav-canvas-2").first.click()
    page.wait_for_function("() => document.body.innerText.includes('3 of 4')")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1000)
    assert "mir-b-1" in tiles, tiles
    page.screenshot(path=str(artifacts / "mirador-reunification.png"), full_page=True)
