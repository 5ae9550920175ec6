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
from mogao.annotations.models import Annotation
from mogao.catalogue import services
from mogao.catalogue.models import Canvas, Transcription
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


def open_mirador_annotations(page: Any) -> None:
    """Open the sidebar of Mirador's window and its Annotations panel (the sidebar renders late)."""
    page.wait_for_selector(".mirador-window >> text=Annotated sutra")
    for _ in range(30):
        tab = page.get_by_role("tab", name="Annotations")
        if tab.count():
            tab.first.click()
            return
        toggle = page.get_by_role("button", name="Toggle sidebar").first
        if toggle.count() and toggle.get_attribute("aria-expanded") != "true":
            toggle.click()
        page.wait_for_timeout(500)
    raise AssertionError("Mirador shows no Annotations panel")


def fill_and_save(page: Any, text: str) -> None:
    page.fill("#anno-text", text)
    page.select_option("#anno-language", "en")
    page.check("input[name=tag][value=seal]")
    page.check("input[name=visibility][value=public]")
    page.click("text=Save the annotation")
    page.wait_for_selector(f".anno-list >> text={text}", timeout=60_000)


def test_draw_region_reload_and_mirador(annotated_site: tuple[str, str], page: Any, axe: Any) -> None:
    base, pid = annotated_site
    page.set_default_timeout(90_000)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    response = page.goto(f"{base}/items/{pid}")
    assert "unsafe-eval" not in response.headers["content-security-policy"]  # Annotorious runs without eval
    page.wait_for_function("() => document.querySelector('[data-viewer]').dataset.state === 'drawn'")
    page.wait_for_function("() => !!window.AnnotoriousOSD")
    page.click("[data-action=draw]")
    # the viewer must be on screen for the drag (the button below it may have scrolled it away)
    page.locator(".osd").scroll_into_view_if_needed()
    box = page.locator(".osd").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.4, box["y"] + box["height"] * 0.4)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.55, box["y"] + box["height"] * 0.6, steps=8)
    page.mouse.up()
    page.wait_for_selector(".anno-form:not([hidden])")
    fill_and_save(page, "A seal of the monastery")
    saved = Annotation.objects.get()
    assert saved.is_region and saved.status == "approved" and saved.w > 100 and saved.h > 100  # a real drag
    page.reload()
    page.wait_for_selector(".anno-list >> text=A seal of the monastery", timeout=60_000)
    assert axe(page) == []
    assert not [e for e in errors if "favicon" not in e], errors  # no CSP refusal, no PixiJS error
    # Another reader (anonymous, in a fresh browser: the author's browser may hold the manifest it fetched
    # before the note, cacheable for a minute) opens the manifest in Mirador and finds the public note.
    other = page.context.browser.new_context(viewport={"width": 1280, "height": 900})
    page = other.new_page()
    page.set_default_timeout(90_000)
    manifest = f"{base}/iiif/items/{pid}/manifest"
    page.goto(f"{base}/compare/?manifest={manifest}")
    page.wait_for_selector(".mirador-viewer")
    page.wait_for_function("() => document.querySelectorAll('.mirador-window .openseadragon-canvas canvas').length")
    # the public note of a trusted reader is in the manifest: Mirador lists it in its Annotations panel
    open_mirador_annotations(page)
    page.wait_for_selector(".mirador-window >> text=A seal of the monastery", timeout=60_000)
    assert "Showing 1 annotation" in page.inner_text(".mirador-window")
    other.close()


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


def test_edit_delete_and_waiting_for_review(annotated_site: tuple[str, str], page: Any, axe: Any) -> None:
    """A new (untrusted) reader's public note waits for review; they edit it (PUT) and delete it (DELETE)."""
    base, pid = annotated_site
    Profile.objects.filter(user__username="reader").update(trusted=False)
    page.set_default_timeout(90_000)
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{base}/items/{pid}/read/1")
    page.wait_for_selector(".line .ch")
    page.focus("#l1 .ch >> nth=0")
    page.click("[data-action=annotate-text]")
    page.wait_for_selector(".anno-form:not([hidden])")
    fill_and_save(page, "First thoughts")
    page.wait_for_selector(".anno-list .anno-pending >> text=Waiting for review")
    page.click(".anno-list .anno-edit")
    page.wait_for_selector(".anno-form:not([hidden])")
    assert page.input_value("#anno-text") == "First thoughts"
    assert page.is_checked("input[name=tag][value=seal]") and page.is_checked("input[name=visibility][value=public]")
    page.fill("#anno-text", "Second thoughts")
    page.click("text=Save the annotation")
    page.wait_for_selector(".anno-list >> text=Second thoughts")
    assert axe(page) == []
    page.reload()
    page.wait_for_selector(".anno-list >> text=Second thoughts")
    assert "First thoughts" not in page.inner_text(".anno-list")
    assert "Waiting for review" in page.inner_text(".anno-list")
    page.click(".anno-list .anno-delete")
    page.wait_for_selector(".anno-status >> text=Annotation deleted.")
    page.reload()
    page.wait_for_selector(".anno-status >> text=No annotations on this page yet.")
    assert not Annotation.objects.exists()


ENGLISH = ("Draw a region", "Your note", "Who can see it", "Save the annotation", "Waiting for review",
           "Edit", "Delete", "Language of the note", "Kind of note", "seal", "Region of the image", "Cancel")


def test_panel_in_four_languages(annotated_site: tuple[str, str], page: Any, axe: Any) -> None:
    """The panel (list, own-note controls, open form) is axe-clean and has no English left in fr/zh."""
    base, pid = annotated_site
    reader = get_user_model().objects.get(username="reader")
    Annotation.objects.create(canvas=Canvas.objects.get(), author=reader, text="印", language="lzh",
                              tags=["seal"], visibility="public", status="pending", x=10, y=10, w=100, h=100)
    page.set_default_timeout(90_000)
    for lang in ("en", "fr", "zh-hans", "zh-hant"):
        page.context.add_cookies([{"name": "django_language", "value": lang, "url": base}])
        page.goto(f"{base}/items/{pid}")
        page.wait_for_selector(".anno-list .anno-edit")
        page.click(".anno-list .anno-edit")
        page.wait_for_selector(".anno-form:not([hidden])")
        assert page.get_attribute("html", "lang").lower() == lang
        assert axe(page) == [], lang
        text = page.inner_text("section.annotations")
        if lang == "en":
            assert "Waiting for review" in text and "Save the annotation" in text
            continue
        left = [phrase for phrase in ENGLISH if re.search(rf"\b{phrase}\b", text)]
        assert not left, (lang, left)
        if lang.startswith("zh"):
            latin = set(re.findall(r"[A-Za-z]{3,}", text))
            assert not latin, (lang, latin)
