"""A curator builds a three-step story in the browser (#16): region drawn, text passage, map; reorders
by keyboard and by drag, submits, publishes. Screenshots of the editor (desktop, 390 px), axe clean."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import pyvips
from django.conf import settings as django_settings
from django.test import Client

from mogao.iiif.image.store import ImageStore
from mogao.stories.models import Story

from .conftest import World

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
def site(world: World, live_server: Any, tmp_path: Path, settings: Any, page: Any) -> str:
    settings.BASE_URL = str(live_server.url)
    for (inst, vis), canvas in world.pages.items():
        if vis == "public":
            make_page(tmp_path, canvas.image_id, 1000, 800)
    client = Client()
    client.force_login(world.users["curator_a"])
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie,
                               "url": str(live_server.url)}])
    return str(live_server.url)


def add_step(page: Any, kind: str, text: str) -> None:
    page.select_option("#new-kind", kind)
    page.click("text=Add a step")
    page.wait_for_selector("[data-step-form]")
    page.fill("#text-en", text)


def choose_page(page: Any, query: str, shelfmark: str) -> None:
    page.fill("#q", query)
    page.click("[data-search=canvas]")
    page.wait_for_selector(f"[data-page-results=canvas] >> text={shelfmark}")
    item = page.locator("[data-page-results=canvas] .page-item", has_text=shelfmark)
    item.locator("input[name=canvas]").first.check()


def step_kinds(slug: str) -> list[str]:
    return list(Story.objects.get(slug=slug).steps.order_by("position").values_list("kind", flat=True))


def test_curator_builds_a_story_in_the_browser(site: str, world: World, page: Any, axe: Any,
                                               artifacts: Path) -> None:
    base = site
    page.set_default_timeout(60_000)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{base}/stories/new/")
    assert axe(page) == []
    page.fill("#slug", "from-scratch")
    page.fill("#title-en", "A journey from scratch")
    page.click("text=Create the story")
    page.wait_for_selector("[data-story-editor]")

    # 1. an image region, drawn on another holder's public page
    add_step(page, "image", "The seal of the Bibliothèque nationale.")
    choose_page(page, "ST-B", "ST-B-public")
    page.wait_for_function("() => document.querySelector('[data-region-viewer]').dataset.state === 'ready'")
    assert axe(page) == []
    page.screenshot(path=str(artifacts / "stories-step-editor.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(artifacts / "stories-step-editor-390.png"), full_page=True)
    assert axe(page) == []
    page.set_viewport_size({"width": 1280, "height": 900})
    page.click("[data-action=draw]")
    osd = page.locator("#region-osd")
    osd.scroll_into_view_if_needed()
    box = osd.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.4, box["y"] + box["height"] * 0.35)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.65, steps=8)
    page.mouse.up()
    page.wait_for_function("() => document.querySelector('#region').value !== ''")
    x, y, w, h = (int(n) for n in page.input_value("#region").split(","))
    assert w > 50 and h > 50 and x + w <= 1000 and y + h <= 800
    page.click("[data-save]")
    page.wait_for_selector("[data-story-editor]")

    # 2. a text passage: its lines appear once the page is chosen
    add_step(page, "text", "The opening words: thus have I heard.")
    choose_page(page, "ST-A-public", "ST-A-public")
    page.wait_for_selector("[data-lines] >> text=如是我聞")
    page.fill("#first_line", "1")
    page.fill("#last_line", "2")
    page.click("[data-save]")
    page.wait_for_selector("[data-story-editor]")

    # 3. a map (the language tabs show which languages are written)
    add_step(page, "map", "Dunhuang, where the library cave was found.")
    page.click("#text-tab-fr")
    page.fill("#text-fr", "Dunhuang, où la grotte fut trouvée.")
    assert "filled" in (page.get_attribute("#text-tab-fr", "class") or "")
    page.select_option("#places", str(world.place.pk))
    page.click("[data-save]")
    page.wait_for_selector("[data-story-editor]")
    assert step_kinds("from-scratch") == ["image", "text", "map"]
    story = Story.objects.get(slug="from-scratch")
    assert story.steps.get(kind="image").region == f"{x},{y},{w},{h}"
    assert story.steps.get(kind="text").last_line == 2

    # reorder by keyboard: the map moves up, the focus stays on its button
    map_step = story.steps.get(kind="map")
    page.focus(f"#step-{map_step.pk} [data-move=up]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_selector(f"#step-{map_step.pk} .step-n >> text=2")
    page.wait_for_function(f"() => document.activeElement && document.activeElement.closest('#step-{map_step.pk}')")
    assert step_kinds("from-scratch") == ["image", "map", "text"]
    # and by drag: the image goes below the map
    image_step = story.steps.get(kind="image")
    target = page.locator(f"#step-{map_step.pk}")
    tbox = target.bounding_box()
    page.drag_and_drop(f"#step-{image_step.pk} .drag-handle", f"#step-{map_step.pk}",
                       target_position={"x": 20, "y": tbox["height"] - 4})
    page.wait_for_function("() => document.querySelector('[data-step-list]').dataset.saved === '1'")
    assert step_kinds("from-scratch") == ["map", "image", "text"]
    assert "Step moved to position 2 of 3." in page.inner_text(".reorder-status")

    # the languages table: English complete, French one step of three
    assert "1 of 3" in page.inner_text("tr[data-lang=fr]")
    assert axe(page) == []
    page.screenshot(path=str(artifacts / "stories-editor-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(artifacts / "stories-editor-390.png"), full_page=True)
    assert axe(page) == []
    page.set_viewport_size({"width": 1280, "height": 900})

    page.click("text=Submit for review")
    page.wait_for_selector(".badge[data-status=review]")
    page.click("button:has-text('Publish')")
    page.wait_for_selector(".badge[data-status=published]")
    story.refresh_from_db()
    assert story.status == "published"
    history = page.inner_text(".editor-history")
    assert "draft → in review" in history and "in review → published" in history
    assert not [e for e in errors if "favicon" not in e and "404" not in e], errors


@pytest.mark.parametrize("language", ["fr", "zh-hans", "zh-hant"])
def test_editor_speaks_each_language_and_is_axe_clean(site: str, world: World, page: Any, axe: Any,
                                                      artifacts: Path, language: str) -> None:
    story = world.story("A", slug=f"lang-{language}", steps=2)
    page.context.add_cookies([{"name": django_settings.LANGUAGE_COOKIE_NAME, "value": language, "url": site}])
    page.goto(f"{site}/stories/{story.slug}/edit/")
    html_lang = page.get_attribute("html", "lang")
    assert html_lang and html_lang.lower() == language
    assert "Move up" not in page.inner_text("main")  # translated
    assert axe(page) == []
    page.screenshot(path=str(artifacts / f"stories-editor-{language}.png"), full_page=True)
    step = story.steps.order_by("position").first()
    assert step is not None
    page.goto(f"{site}/stories/{story.slug}/edit/steps/{step.pk}/")
    page.wait_for_function("() => document.querySelector('[data-region-viewer]').dataset.state === 'ready'")
    assert "Save the step" not in page.inner_text("main")
    assert axe(page) == []
