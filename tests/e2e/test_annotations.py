"""Draw a region annotation on the deep-zoom page, see it after reload and in Mirador; annotate a line (#15)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import pyvips
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.test import Client

from mogao.accounts.models import Profile
from mogao.catalogue import services
from mogao.catalogue.models import Transcription
from mogao.iiif.image.store import ImageStore

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def make_page(tmp_path: Path, identifier: str, width: int, height: int) -> None:
    xy = pyvips.Image.xyz(width, height)
    red = (xy[0] * 255 / width).cast("uchar")
    green = (xy[1] * 255 / height).cast("uchar")
    path = tmp_path / f"{identifier}.jpg"
    red.bandjoin([green, green]).copy(interpretation="srgb").jpegsave(str(path), Q=85)
    store = ImageStore(root=Path(django_settings.IMAGE_ROOT), max_pixels=int(django_settings.IMAGE_MAX_PIXELS))
    store.register(path, identifier)
    store.build_pyramid(identifier)


@pytest.fixture
def annotated_site(live_server: Any, tmp_path: Path, settings: Any, page: Any) -> tuple[str, str]:
    settings.BASE_URL = str(live_server.url)
    bl, _ = services.institution_upsert(code="BL", name={"en": ["British Library"]})
    item, _ = services.item_upsert(institution=bl, shelfmark="Or.8210/S.9", title={"en": ["Annotated sutra"]},
                                   languages=["lzh"])
    make_page(tmp_path, "anno-e2e-1", 1600, 1000)
    canvas, _ = services.canvas_upsert(item=item, order=1, image_id="anno-e2e-1", width=1600, height=1000)
    Transcription.objects.create(canvas=canvas, text="如是我聞\n一時佛在")
    user = get_user_model().objects.create_user(username="reader", password=None)
    Profile.objects.update_or_create(user=user, defaults={"trusted": True})
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie,
                               "url": str(live_server.url)}])
    return str(live_server.url), item.pid


def fill_and_save(page: Any, text: str) -> None:
    page.fill("#anno-text", text)
    page.select_option("#anno-language", "en")
    page.check("input[name=tag][value=seal]")
    page.check("input[name=visibility][value=public]")
    page.click("text=Save the annotation")
    page.wait_for_selector(f".anno-list >> text={text}", timeout=60_000)


@pytest.mark.xfail(reason="not passing yet (#15): after the drag on the viewer the annotation form does not "
                   "open in headless Chromium (Annotorious/PixiJS under --disable-gpu?); undiagnosed", strict=False)
def test_draw_region_reload_and_mirador(annotated_site: tuple[str, str], page: Any, axe: Any) -> None:
    base, pid = annotated_site
    page.set_default_timeout(90_000)
    page.goto(f"{base}/items/{pid}")
    page.wait_for_function("() => document.querySelector('[data-viewer]').dataset.state === 'drawn'")
    page.wait_for_function("() => !!window.AnnotoriousOSD")
    page.click("[data-action=draw]")
    box = page.locator(".osd").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.4, box["y"] + box["height"] * 0.4)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.55, box["y"] + box["height"] * 0.6, steps=8)
    page.mouse.up()
    page.wait_for_selector(".anno-form:not([hidden])")
    fill_and_save(page, "A seal of the monastery")
    page.reload()
    page.wait_for_selector(".anno-list >> text=A seal of the monastery", timeout=60_000)
    assert axe(page) == []
    manifest = f"{base}/iiif/items/{pid}/manifest"
    page.goto(f"{base}/compare/?manifest={manifest}")
    page.wait_for_selector(".mirador-viewer")
    page.wait_for_function("() => document.querySelectorAll('.mirador-window .openseadragon-canvas canvas').length")
    page.get_by_role("button", name=re.compile("annotations", re.I)).first.click()
    page.wait_for_selector("text=A seal of the monastery", timeout=60_000)


def test_annotate_a_transcription_line(annotated_site: tuple[str, str], page: Any, axe: Any) -> None:
    base, pid = annotated_site
    page.set_default_timeout(90_000)
    page.goto(f"{base}/items/{pid}/read/1")
    page.wait_for_selector(".line .ch")
    page.evaluate("""() => {
        const chars = document.querySelectorAll('#l2 .ch');
        const range = document.createRange();
        range.setStartBefore(chars[0]); range.setEndAfter(chars[1]);
        const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
    }""")
    page.click("[data-action=annotate-text]")
    page.wait_for_selector(".anno-form:not([hidden])")
    assert "一時" in page.inner_text(".anno-target")
    fill_and_save(page, "The time formula")
    page.reload()
    page.wait_for_selector(".anno-list >> text=The time formula", timeout=60_000)
    assert "一時" in page.inner_text(".anno-list")
    assert axe(page) == []
