"""The story reader in a real Chromium (#16): played by keyboard, by scroll and by autoplay.

Stories are built on the demo's drawn pages of the Diamond Sūtra (tests/stories/reader_helpers.py)
and the two demo stories themselves. At each image step the OpenSeadragon viewport must contain the
step's region (in canvas pixels, within a tolerance, and not much larger in its tight dimension); a
text step highlights exactly its lines; a map step shows its markers; deep links (#step-n and IIIF
Content State) open on their step; reduced motion sets views at once; an embed in another page
plays; a 50-step story loads only the images of the steps reached; axe is clean in four languages.
Screenshots go to artifacts/.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import pyvips
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from tests.stories.reader_helpers import build_story, load_demo, silent_wav

from mogao.catalogue import services
from mogao.catalogue.models import Item
from mogao.iiif.image.store import ImageStore
from mogao.stories.models import Step, StepKind, Story, StoryStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UI = {"en": "en", "fr": "fr", "zh-hans": "zh-Hans", "zh-hant": "zh-Hant"}
LOADED = "() => { const b = window.mogaoStory.viewerBounds('main'); return b && b.settled && b.loaded; }"
COUNTERS = {"en": "Step 1 of 6", "fr": "Étape 1 sur 6", "zh-hans": "第 1 步，共 6 步", "zh-hant": "第 1 步，共 6 步"}
TITLES = {"en": "The Diamond Sūtra of 868", "fr": "Le Sūtra du diamant de 868",
          "zh-hans": "868年的《金刚经》", "zh-hant": "868年的《金剛經》"}


@pytest.fixture
def story_site(live_server: Any, settings: Any, tmp_path: Path) -> tuple[str, Story]:
    settings.BASE_URL = str(live_server.url)
    settings.AUDIENCE_ENABLED = True
    wav = tmp_path / "narration.wav"
    silent_wav(wav, 0.8)
    name = default_storage.save("stories/test-narration.wav", ContentFile(wav.read_bytes()))
    return str(live_server.url), build_story(load_demo(), audio=name)


def open_story(page: Any, url: str) -> dict[str, Any]:
    page.goto(url)
    page.wait_for_selector("[data-story][data-ready='1']")
    return dict(page.evaluate("() => fetch(document.querySelector('[data-story]').dataset.src).then(r => r.json())"))


def wait_step(page: Any, n: int) -> None:
    try:
        page.wait_for_function("(n) => document.querySelector('[data-story]').dataset.step === String(n)", arg=n)
    except Exception as error:
        state = page.evaluate("() => [location.href, scrollY, document.querySelector('[data-story]').dataset.step]")
        raise AssertionError(f"step {n} not reached: {state}") from error


def press(page: Any, key: str) -> None:
    """Press ``key`` as a reader would: once the player's own scrolling or flight is over (a key pressed
    mid-scroll is taken back by the scroll that was under way)."""
    page.wait_for_function("() => !window.mogaoStory.moving()")
    page.keyboard.press(key)


def scroll_to(page: Any, n: int) -> None:
    """Scroll step ``n`` to the middle as a reader would, once the player's own scrolling is over."""
    page.wait_for_function("() => !window.mogaoStory.moving()")
    page.evaluate("(n) => document.getElementById('step-' + n).scrollIntoView({block: 'center'})", n)


def settled_bounds(page: Any, which: str, info: str, n: int) -> dict[str, float]:
    """The viewer's bounds at step ``n`` once it shows ``info`` and has stopped moving (polled)."""
    # settled, and unchanged since the previous poll (a view passing through is not taken for the end)
    page.wait_for_function(
        """([which, info, n]) => { const b = window.mogaoStory.viewerBounds(which);
               const ok = b && b.step === n && b.settled && b.info && b.info.endsWith(info.split('/iiif/')[1]);
               const key = ok ? [which, n, b.x, b.y, b.width, b.height].join() : '';
               const stable = ok && window.__lastBounds === key;
               window.__lastBounds = key;
               return stable; }""",
        arg=[which, info, n], polling=100,
    )
    return dict(page.evaluate("(w) => window.mogaoStory.viewerBounds(w)", which))


def assert_contains(bounds: dict[str, float], region: list[float], canvas: dict[str, Any]) -> None:
    tol = 0.02 * max(canvas["width"], canvas["height"])
    x, y, w, h = region
    assert bounds["x"] <= x + tol and bounds["y"] <= y + tol, (bounds, region)
    assert bounds["x"] + bounds["width"] >= x + w - tol, (bounds, region)
    assert bounds["y"] + bounds["height"] >= y + h - tol, (bounds, region)
    # fitted, not merely somewhere inside a far view: the tight dimension matches the region
    assert min(bounds["width"] / w, bounds["height"] / h) <= 1.15, (bounds, region)


def text_region(step: dict[str, Any]) -> list[float]:
    boxes = [line["box"] for line in step["lines"] if step["highlight"][0] <= line["n"] <= step["highlight"][1]]
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[0] + b[2] for b in boxes), max(b[1] + b[3] for b in boxes)
    return [x0, y0, x1 - x0, y1 - y0]


def check_step(page: Any, step: dict[str, Any]) -> None:
    """What the stage must show for ``step`` (as the document describes it)."""
    wait_step(page, step["n"])
    kind = step["kind"]
    if kind in ("image", "media", "text") and step.get("canvas"):
        canvas = step["canvas"]
        full = [0, 0, canvas["width"], canvas["height"]]
        if kind == "text" and not step.get("region"):
            assert_contains(settled_bounds(page, "main", canvas["info"], step["n"]), text_region(step), canvas)
        else:
            assert_contains(settled_bounds(page, "main", canvas["info"], step["n"]), step.get("region") or full, canvas)
    if kind == "text":
        lit = page.eval_on_selector_all(".stage-lines li.is-highlighted", "els => els.map(e => +e.dataset.line)")
        first, last = step["highlight"]
        assert lit == list(range(first, last + 1))
        assert page.locator(".stage-lines li").count() == len(step["lines"])
    if kind == "comparison":
        for which, canvas, region in (("a", step["canvas"], step.get("region")),
                                      ("b", step["canvas2"], step.get("region2"))):
            full = [0, 0, canvas["width"], canvas["height"]]
            assert_contains(settled_bounds(page, which, canvas["info"], step["n"]), region or full, canvas)
    if kind == "map":
        page.wait_for_function("(n) => document.querySelector('#story-map').dataset.markers === String(n)",
                               arg=len(step["places"]))
        assert page.locator("#story-map .story-marker-place").count() == len(step["places"])
        assert int(page.get_attribute("#story-map", "data-lines") or 0) == len(step["dispersal"])
    if kind == "timeline" and step.get("timeline"):
        assert page.get_attribute(".story-timeline", "data-start") == str(step["timeline"]["start"])
        assert page.locator(".tl-band").count() == len(step["timeline"]["bands"])
    if step.get("audio"):
        assert page.locator(".stage-audio audio track").count() == len(step["captions"])
    progress = page.locator("[role=progressbar]")
    assert progress.get_attribute("aria-valuenow") == str(step["n"])


def play_by_keyboard(page: Any, doc: dict[str, Any]) -> None:
    check_step(page, doc["steps"][0])
    page.locator("#step-1").focus()
    for step in doc["steps"][1:]:
        press(page, "ArrowDown")
        check_step(page, step)
    assert page.evaluate("location.hash") == f"#step-{len(doc['steps'])}"


def test_play_by_keyboard_in_four_languages(browser: Any, story_site: tuple[str, Story], artifacts: Path,
                                            axe: Any) -> None:
    site, story = story_site
    for code, tag in UI.items():
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=tag)
        context.add_cookies([{"name": "django_language", "value": code, "url": site}])
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        doc = open_story(page, site + story.get_absolute_url())
        assert page.locator("h1").inner_text() == TITLES[code]
        assert page.evaluate("document.documentElement.lang") == tag
        assert page.locator(".story-counter").inner_text() == COUNTERS[code]
        if code == "en":
            play_by_keyboard(page, doc)
            assert page.evaluate("window.mogaoStory.animations()") > 0  # without reduced motion, the view flies
            press(page, "Home")
            check_step(page, doc["steps"][0])
            press(page, "End")
            wait_step(page, 6)
            press(page, "ArrowUp")
            wait_step(page, 5)
            page.get_by_role("button", name="Previous step").click()
            check_step(page, doc["steps"][3])
            page.get_by_role("button", name="Next step").click()
            wait_step(page, 5)
        page.locator("#step-1").focus()
        press(page, "Home")
        wait_step(page, 1)
        press(page, "ArrowDown")
        check_step(page, doc["steps"][1])
        page.wait_for_function("() => window.mogaoStory.viewerBounds('main').loaded")
        page.screenshot(path=str(artifacts / f"story-reader-step2-{code}.png"))
        assert axe(page) == [], code
        assert errors == [], errors
        context.close()


RESTING = """(n) => { const r = document.getElementById('step-' + n).getBoundingClientRect();
    const most = document.documentElement.scrollHeight - innerHeight;
    const top = Math.max(0, Math.min(most, r.top + scrollY + r.height / 2 - innerHeight / 2));
    return Math.abs(top - scrollY); }"""


def test_a_jump_lasts_until_the_window_stops(page: Any, story_site: tuple[str, Story]) -> None:
    """A key moves one step from where the reader is going: the player reports itself moving until the
    window has stopped on the target (not merely once the target crosses the middle), and the steps
    the view passes on its way never become current, so a key pressed as soon as it is still cannot
    count from a step flown over. (CI once saw ArrowDown after Home land on step 3.)"""
    site, story = story_site
    open_story(page, site + story.get_absolute_url())
    press(page, "End")
    wait_step(page, 6)
    page.evaluate("""() => { window.__steps = [];
        new MutationObserver(() => window.__steps.push(document.querySelector('[data-story]').dataset.step))
          .observe(document.querySelector('[data-story]'), {attributes: true, attributeFilter: ['data-step']}); }""")
    press(page, "Home")
    # polled every frame: the first frame at which the player says it is still
    off = page.wait_for_function(f"() => !window.mogaoStory.moving() && [({RESTING})(1)]").json_value()
    assert off[0] <= 2, f"still while {off[0]} px from step 1's place"
    assert page.evaluate("window.__steps") == ["1"]
    press(page, "ArrowDown")
    off = page.wait_for_function(f"() => !window.mogaoStory.moving() && [({RESTING})(2)]").json_value()
    assert off[0] <= 2
    assert page.evaluate("window.__steps") == ["1", "2"]
    assert page.evaluate("location.hash") == "#step-2"


def test_play_by_scroll(page: Any, story_site: tuple[str, Story]) -> None:
    site, story = story_site
    doc = open_story(page, site + story.get_absolute_url())
    check_step(page, doc["steps"][0])
    for step in doc["steps"][1:]:
        scroll_to(page, step["n"])
        check_step(page, step)
    # and back up by the mouse wheel
    page.mouse.move(1000, 500)
    for _ in range(40):
        page.mouse.wheel(0, -400)
        if page.evaluate("document.querySelector('[data-story]').dataset.step") == "1":
            break
        page.wait_for_timeout(50)
    check_step(page, doc["steps"][0])
    assert page.console_errors == []


def test_autoplay_advances_with_narration_and_pauses(page: Any, story_site: tuple[str, Story]) -> None:
    from mogao.audience import recorder
    from mogao.audience.models import Event

    recorder.discard()
    site, story = story_site
    doc = open_story(page, site + story.get_absolute_url())
    page.evaluate("() => { window.mogaoStory.readingScale = 0.15; }")
    play = page.locator("[data-action='play']")
    play.click()
    assert play.get_attribute("aria-pressed") == "true"
    page.wait_for_function("() => window.mogaoStory.current() >= 2")
    play.click()  # pause
    assert play.get_attribute("aria-pressed") == "false"
    paused_at = int(page.evaluate("window.mogaoStory.current()"))
    page.wait_for_timeout(1500)  # a pause holds (longer than any scaled reading time)
    assert int(page.evaluate("window.mogaoStory.current()")) == paused_at
    play.click()
    # the last step has a narration: its end stops the autoplay there
    page.wait_for_function("() => window.mogaoStory.current() === 6 && !window.mogaoStory.playing()",
                           timeout=60_000)
    check_step(page, doc["steps"][5])
    assert page.evaluate("document.querySelector('.stage-audio audio').ended")
    # step views and the completion reached the audience log through the beacon
    page.goto("about:blank")
    recorder.flush()
    rows = set(Event.objects.filter(target_type="story", target_id=story.pk).values_list("kind", "page"))
    assert {("story_step", n) for n in range(1, 7)} <= rows
    assert ("story_done", 6) in rows


def test_deep_links_open_on_their_step(page: Any, story_site: tuple[str, Story]) -> None:
    site, story = story_site
    doc = open_story(page, site + story.get_absolute_url() + "#step-4")
    check_step(page, doc["steps"][3])
    assert page.locator("#step-4").get_attribute("aria-current") == "step"
    state = doc["steps"][5]["content_state"]
    link = page.locator("#step-6 .step-cs")
    assert link.get_attribute("href") == f"{story.get_absolute_url()}?iiif-content={state}"
    open_story(page, site + f"{story.get_absolute_url()}?iiif-content={state}")
    check_step(page, doc["steps"][5])
    assert page.evaluate("location.hash") == "#step-6"
    open_story(page, site + story.get_absolute_url() + "#step-2")
    check_step(page, doc["steps"][1])


def test_language_switch_keeps_the_step(page: Any, story_site: tuple[str, Story]) -> None:
    site, story = story_site
    doc = open_story(page, site + story.get_absolute_url() + "#step-3")
    check_step(page, doc["steps"][2])
    # the switch in the story's bar, within reach at every step (the header's one is at the top of the page)
    page.select_option("#story-lang-select", "fr")
    page.locator(".story-lang button[type=submit]").click()
    page.wait_for_function("() => document.documentElement.lang === 'fr'")
    page.wait_for_selector("[data-story][data-ready='1']")
    wait_step(page, 3)
    assert page.evaluate("location.hash") == "#step-3"
    assert page.locator("h1").inner_text() == TITLES["fr"]
    press(page, "ArrowDown")
    wait_step(page, 4)
    assert page.get_attribute(".lang-switch input[name=next]", "value") == f"{story.get_absolute_url()}#step-4"


def test_reduced_motion_sets_the_view_at_once(browser: Any, story_site: tuple[str, Story]) -> None:
    site, story = story_site
    context = browser.new_context(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    page = context.new_page()
    doc = open_story(page, site + story.get_absolute_url())
    assert page.evaluate("window.mogaoStory.reduced()")
    check_step(page, doc["steps"][0])
    page.locator("#step-1").focus()
    for step in doc["steps"][1:]:
        press(page, "ArrowDown")
        check_step(page, step)
    # not one OpenSeadragon animation: every view was set at once (fitBounds(rect, true))
    assert page.evaluate("window.mogaoStory.animations()") == 0
    # back on the first step's page and viewer: the region is there in the same task
    press(page, "Home")
    check_step(page, doc["steps"][0])
    press(page, "ArrowDown")
    check_step(page, doc["steps"][1])
    bounds = page.evaluate("() => { window.mogaoStory.go(1); return window.mogaoStory.viewerBounds('main'); }")
    assert not bounds["animating"] and bounds["step"] == 1
    assert_contains(bounds, doc["steps"][0]["region"], doc["steps"][0]["canvas"])
    assert page.evaluate("window.mogaoStory.animations()") == 0
    assert page.evaluate("getComputedStyle(document.querySelector('.story-progress-bar')).transitionDuration") == "0s"
    context.close()


def test_embed_in_another_page_plays(page: Any, story_site: tuple[str, Story], artifacts: Path) -> None:
    site, story = story_site
    src = f"{site}/stories/{story.slug}/embed/"
    # A page of the site (any page works: its policy lets it frame its own origin) gets the snippet's
    # iframe; headless Chromium refuses a page from elsewhere loading localhost (local network access
    # checks), so "elsewhere" cannot be faked here. The embed's frame-ancestors * is checked server side.
    page.goto(site + "/stories/")
    page.evaluate("""(src) => {
        const h = document.createElement('h2'); h.textContent = "A teacher's page"; document.body.appendChild(h);
        for (const [id, url] of [['s', src], ['d', src.replace('/embed/', '/')]]) {
            const f = document.createElement('iframe');
            f.id = id; f.src = url; f.title = 'Story ' + id; f.width = 1000; f.height = 700;
            document.body.appendChild(f);
        }
    }""", src)
    frame = page.frame_locator("#s")
    frame.locator("[data-story][data-ready='1']").wait_for()
    frame.get_by_role("button", name="Next step").click()
    handle = page.frame(url=lambda u: "/embed/" in u)
    assert handle is not None
    handle.wait_for_function("() => document.querySelector('[data-story]').dataset.step === '2'")
    handle.wait_for_function(LOADED)
    assert handle.locator(".stage-lines li.is-highlighted").count() == 2
    page.locator("#s").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "story-reader-embed.png"))
    # the reader page itself is not framed (X-Frame-Options: DENY, frame-ancestors 'none')
    page.wait_for_function("() => document.getElementById('d').contentWindow !== null")
    denied = page.frame(url=lambda u: u.endswith(f"/stories/{story.slug}/"))
    assert denied is None or denied.evaluate("() => !document.querySelector('[data-story]')")
    # the reader page itself cannot be framed (X-Frame-Options DENY), the embed button gives the snippet
    page.goto(site + story.get_absolute_url())
    page.get_by_role("button", name="Embed").click()
    code = page.locator("#embed-code").input_value()
    assert code.startswith(f'<iframe src="{src}"') and 'title="The Diamond Sūtra of 868"' in code


def test_phone_layout_stage_on_top(browser: Any, story_site: tuple[str, Story], artifacts: Path, axe: Any) -> None:
    site, story = story_site
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  device_scale_factor=2)
    page = context.new_page()
    doc = open_story(page, site + story.get_absolute_url())
    check_step(page, doc["steps"][0])
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    stage = page.locator(".story-stage").bounding_box()
    first = page.locator("#step-1 .step-card").bounding_box()
    assert stage["y"] < first["y"] and stage["width"] >= 370
    # on a phone a step becomes current below the stage, where its text is read
    page.evaluate("""() => { const el = document.getElementById('step-2');
        window.scrollTo(0, el.getBoundingClientRect().top + scrollY - innerHeight * 0.7); }""")
    check_step(page, doc["steps"][1])
    card = page.locator("#step-2 .step-card").bounding_box()
    stage = page.locator(".story-stage").bounding_box()
    assert card["y"] >= stage["y"] + stage["height"] - 1 and card["y"] < 844, (card, stage)
    page.wait_for_function("() => window.mogaoStory.viewerBounds('main').loaded")
    page.screenshot(path=str(artifacts / "story-reader-phone-390.png"))
    page.get_by_role("button", name="Next step").click()
    check_step(page, doc["steps"][2])
    card = page.locator("#step-3 .step-card").bounding_box()
    assert page.locator(".story-stage").bounding_box()["y"] + stage["height"] - 1 <= card["y"] < 844
    assert axe(page) == []
    context.close()


def _tiny_page(tmp_path: Path, identifier: str) -> None:
    xy = pyvips.Image.xyz(320, 240)
    img = ((xy[0] + xy[1]) % 256).cast("uchar")
    path = tmp_path / f"{identifier}.jpg"
    img.bandjoin([img, img]).copy(interpretation="srgb").jpegsave(str(path), Q=70)
    store = ImageStore(root=Path(django_settings.IMAGE_ROOT), max_pixels=int(django_settings.IMAGE_MAX_PIXELS))
    store.register(path, identifier)


def test_fifty_steps_load_only_the_images_of_the_first(page: Any, live_server: Any, settings: Any,
                                                        tmp_path: Path) -> None:
    settings.BASE_URL = str(live_server.url)
    bl, _ = services.institution_upsert(code="BLX", name={"en": ["British Library"]})
    item, _ = services.item_upsert(institution=bl, shelfmark="Long.1", title={"en": ["A long scroll"]},
                                   item_type=Item.Type.SCROLL, digitization_status=Item.Status.DIGITIZED)
    story = Story.objects.create(slug="fifty", institution=bl, status=StoryStatus.PUBLISHED,
                                 title={"en": ["Fifty pages"]})
    for n in range(1, 51):
        _tiny_page(tmp_path, f"fifty-{n}")
        canvas, _ = services.canvas_upsert(item=item, order=n, label={"en": [f"p. {n}"]}, image_id=f"fifty-{n}",
                                           width=320, height=240)
        Step.objects.create(story=story, position=n, kind=StepKind.IMAGE, canvas=canvas, region="10,10,100,80",
                            text={"en": [f"<p>Page {n}.</p>"]})
    images: set[str] = set()
    page.on("request", lambda r: images.add(r.url.split("/iiif/3/")[1].split("/")[0])
            if "/iiif/3/" in r.url else None)
    open_story(page, site_url(live_server) + "/stories/fifty/")
    page.wait_for_function(LOADED)
    page.wait_for_load_state("networkidle")
    assert images == {"fifty-1"}, images
    page.locator("#step-1").focus()
    press(page, "ArrowDown")
    wait_step(page, 2)
    page.wait_for_function(LOADED)
    page.wait_for_load_state("networkidle")
    assert images == {"fifty-1", "fifty-2"}, images


def site_url(live_server: Any) -> str:
    return str(live_server.url)


@pytest.fixture
def demo_site(live_server: Any, settings: Any) -> str:
    from mogao.demo.loader import demo_load

    settings.BASE_URL = str(live_server.url)
    demo_load(echo=lambda _: None)
    return str(live_server.url)


@pytest.mark.parametrize("slug", ["diamond-sutra-868", "compendium-of-mani-reunited"])
def test_demo_stories_play_by_keyboard_scroll_and_autoplay(page: Any, demo_site: str, slug: str,
                                                            artifacts: Path, axe: Any) -> None:
    doc = open_story(page, f"{demo_site}/stories/{slug}/")
    play_by_keyboard(page, doc)
    page.screenshot(path=str(artifacts / f"story-demo-{slug}-last.png"))
    assert axe(page) == []
    press(page, "Home")
    check_step(page, doc["steps"][0])
    for step in doc["steps"][1:]:
        scroll_to(page, step["n"])
        check_step(page, step)
    press(page, "Home")
    wait_step(page, 1)
    page.evaluate("() => { window.mogaoStory.readingScale = 0.05; }")
    page.locator("[data-action='play']").click()
    page.wait_for_function("(n) => window.mogaoStory.current() === n && !window.mogaoStory.playing()",
                           arg=len(doc["steps"]), timeout=60_000)
    assert page.console_errors == []
