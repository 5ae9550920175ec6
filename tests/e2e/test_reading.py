"""The reading room in a real Chromium, on the demo's Diamond Sūtra (exact character boxes) and on
a real 四庫全書 scan imported with its OCR layer.

Hovering a character draws its stored box over the image (checked through OpenSeadragon's own
viewport conversion), S/T toggle, vertical and horizontal layouts, keyboard navigation, a gloss with
pinyin and an English definition, search inside the item landing on the hit, axe clean.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from mogao.catalogue.models import Item, Transcription, Translation
from mogao.demo.loader import load_builtin, load_demo_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DIAMOND = "bl-or-8210-p-2"


@pytest.fixture
def demo_site(live_server: Any, settings: Any) -> str:
    settings.BASE_URL = str(live_server.url)
    load_builtin()
    load_demo_pages(echo=lambda *a, **k: None)
    return str(live_server.url)


def open_reading(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_function("() => window.mogaoReading && window.mogaoReading.viewer"
                           " && window.mogaoReading.viewer.world.getItemCount() > 0")


def overlay_vs_box(page: Any, selector: str) -> dict[str, Any]:
    """Hover ``selector``; return the overlay's screen rectangle and the stored box converted to
    screen pixels through OpenSeadragon's viewport (image -> viewer element -> page)."""
    page.hover(selector)
    page.wait_for_function("() => { const b = document.querySelector('.reading-box');"
                           " return b && b.getBoundingClientRect().width > 0; }")
    page.wait_for_timeout(300)
    return page.evaluate(
        """(selector) => {
            const r = window.mogaoReading, span = document.querySelector(selector);
            const box = r.charBox(span), v = r.viewer.viewport;
            const scale = r.viewer.world.getItemAt(0).getContentSize().x / r.data.width;
            const tl = v.imageToViewerElementCoordinates(new OpenSeadragon.Point(box[0] * scale, box[1] * scale));
            const br = v.imageToViewerElementCoordinates(
                new OpenSeadragon.Point((box[0] + box[2]) * scale, (box[1] + box[3]) * scale));
            const host = r.viewer.element.getBoundingClientRect();
            const o = document.querySelector('.reading-box').getBoundingClientRect();
            return {box: box, overlay: [o.left, o.top, o.width, o.height],
                    expected: [host.left + tl.x, host.top + tl.y, br.x - tl.x, br.y - tl.y]};
        }""",
        selector,
    )


def assert_same_rect(found: dict[str, Any], tolerance: float = 2.0) -> None:
    for got, want in zip(found["overlay"], found["expected"], strict=True):
        assert abs(got - want) <= tolerance, found


def test_split_view_on_the_demo(demo_site: str, page: Any, artifacts: Path, axe: Any) -> None:
    item = Item.objects.get(pid=DIAMOND)
    Translation.objects.create(item=item, language="en", text="Thus have I heard.", translator="A. Reader",
                               passages=[{"ref": "1", "source": "如是我聞", "text": "Thus have I heard."}])
    open_reading(page, f"{demo_site}/items/{DIAMOND}/read")
    # Hover 聞 (line 1, 4th character): its stored box is [296, 296, 72, 72].
    found = overlay_vs_box(page, 'li.line[data-line="0"] .ch[data-i="3"]')
    assert found["box"] == [296, 296, 72, 72]
    assert_same_rect(found)
    page.screenshot(path=str(artifacts / "reading-demo-hover.png"))

    # The reverse: pointing at a character on the image lights it in the text.
    target = page.evaluate(
        """() => { const r = window.mogaoReading, v = r.viewer.viewport;
            const scale = r.viewer.world.getItemAt(0).getContentSize().x / r.data.width;
            const p = v.imageToViewerElementCoordinates(new OpenSeadragon.Point(332 * scale, 548 * scale));
            const host = r.viewer.element.getBoundingClientRect();
            return [host.left + p.x, host.top + p.y]; }""")  # centre of 時, line 1, char 7
    page.mouse.move(target[0], target[1])
    page.wait_for_selector('li.line[data-line="0"] .ch[data-i="6"].is-active')

    # Gloss: pinyin and an English definition of 佛 (line 1, char 8).
    page.hover('li.line[data-line="0"] .ch[data-i="7"]')
    # Wait for this character's gloss, not the one still open from the previous hover.
    page.wait_for_function(
        "() => { const g = document.querySelector('#gloss');"
        " return g && !g.hidden && g.querySelector('.gloss-pinyin') && g.innerText.includes('佛'); }"
    )
    gloss = page.inner_text("#gloss")
    assert "fó" in gloss and "Buddha" in gloss
    page.screenshot(path=str(artifacts / "reading-demo-gloss.png"))

    # Simplified, then traditional again; 聞 <-> 闻, boxes unchanged.
    ch = 'li.line[data-line="0"] .ch[data-i="3"]'
    page.check('input[name="script"][value="simplified"]')
    assert page.inner_text(ch) == "闻"
    page.check('input[name="script"][value="traditional"]')
    assert page.inner_text(ch) == "聞"

    # Vertical by default, then horizontal; the overlay still matches after the switch.
    assert page.eval_on_selector("ol.lines", "e => getComputedStyle(e).writingMode") == "vertical-rl"
    page.check('input[name="layout"][value="horizontal"]')
    assert page.eval_on_selector("ol.lines", "e => getComputedStyle(e).writingMode") == "horizontal-tb"
    assert_same_rect(overlay_vs_box(page, 'li.line[data-line="1"] .ch[data-i="0"]'))
    page.screenshot(path=str(artifacts / "reading-demo-horizontal.png"))
    page.check('input[name="layout"][value="vertical"]')

    # Punctuation off hides 。 ; the pinyin line adds ruby.
    page.uncheck('input[name="punctuation"]')
    assert not page.is_visible('li.line[data-line="0"] .ch[data-i="4"]')
    page.check('input[name="punctuation"]')
    page.check('input[name="ruby"]')
    assert page.inner_text('li.line[data-line="0"] .ch[data-i="0"] rt') == "rú"
    page.screenshot(path=str(artifacts / "reading-demo-ruby.png"))
    page.uncheck('input[name="ruby"]')

    # Keyboard: one Tab stop; ArrowDown goes down the column, ArrowLeft to the next column.
    page.focus('li.line[data-line="0"] .ch[data-i="0"]')
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.dataset.i") == "1"
    page.keyboard.press("ArrowLeft")
    active = page.evaluate("[document.activeElement.closest('li').dataset.line, document.activeElement.dataset.i]")
    assert active == ["1", "1"]
    assert page.evaluate("document.querySelectorAll('ol.lines .ch[tabindex=\"0\"]').length") == 1

    violations = axe(page)
    assert not violations, violations
    assert not page.console_errors


def test_search_inside_the_item_lands_on_the_hit(demo_site: str, page: Any, artifacts: Path, axe: Any) -> None:
    open_reading(page, f"{demo_site}/items/{DIAMOND}/read/1")
    page.fill("#reading-q", "王玠")  # only in the colophon, page 2
    page.press("#reading-q", "Enter")
    page.wait_for_selector(".reading-hits a")
    page.click(".reading-hits a >> nth=0")
    page.wait_for_url(f"**/items/{DIAMOND}/read/2?q=*")
    page.wait_for_selector(".ch.is-hit")
    page.wait_for_function("() => document.activeElement && document.activeElement.classList.contains('is-hit')")
    assert page.evaluate("document.querySelectorAll('.ch.is-hit').length") == 2
    page.wait_for_selector(".reading-hit-box")
    page.screenshot(path=str(artifacts / "reading-demo-search.png"))
    assert not axe(page)

    # A line's stable URL lands on it: first character focused, the line's box drawn.
    open_reading(page, f"{demo_site}/items/{DIAMOND}/read/1#l3")
    page.wait_for_function("() => document.activeElement && document.activeElement.closest('#l3')")
    page.wait_for_selector(".reading-box")


def test_real_scan_with_its_ocr_layer(
    live_server: Any, settings: Any, page: Any, shared_data: Path, tmp_path: Path, artifacts: Path, axe: Any
) -> None:
    from mogao.cli import main

    settings.BASE_URL = str(live_server.url)
    scans = tmp_path / "scans" / "siku_jianming_mulu_book1"
    scans.mkdir(parents=True)
    shutil.copy(shared_data / "images" / "siku_jianming_mulu_book1_p01.png", scans / "p01.png")
    result = CliRunner().invoke(main, ["import", "images", str(tmp_path / "scans"), "--institution", "SKQS",
                                       "--institution-name", "Siku", "--ocr", "--ocr-backend", "rapidocr"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    item = Item.objects.get(local_id="siku_jianming_mulu_book1")
    transcription = Transcription.objects.get(canvas__item=item)
    assert transcription.source == "ocr" and transcription.layout["lines"]
    open_reading(page, f"{live_server.url}/items/{item.pid}/read")
    line = next(i for i, row in enumerate(transcription.layout["lines"]) if len(row["chars"]) >= 3)
    found = overlay_vs_box(page, f'li.line[data-line="{line}"] .ch[data-i="1"]')
    assert found["box"] == transcription.layout["lines"][line]["chars"][1]["box"]
    assert_same_rect(found)
    page.screenshot(path=str(artifacts / "reading-real-scan.png"))
    assert not axe(page)

    # The PDF of the real scan carries its OCR text, searchable.
    import io

    from pypdf import PdfReader

    response = page.request.get(f"{live_server.url}/items/{item.pid}/text.pdf")
    assert response.status == 200
    extracted = "".join(PdfReader(io.BytesIO(response.body())).pages[0].extract_text().split())
    longest = max((row["text"] for row in transcription.layout["lines"]), key=len)
    assert longest in extracted


def test_search_inside_the_item_works_in_mirador(demo_site: str, page: Any, artifacts: Path) -> None:
    """Mirador 4 finds the Content Search 1.0 service in the manifest, searches, and lists the hit."""
    from urllib.parse import quote

    manifest = f"{demo_site}/items/{DIAMOND}/read/manifest"
    page.goto(f"{demo_site}/compare/?manifest={quote(manifest, safe='')}")
    page.wait_for_selector(".mirador-viewer")
    # The comparison workspace starts with side bars closed: open it, then its search panel.
    page.locator('button[aria-label="Toggle sidebar"]').first.click()
    search_button = page.locator('button[aria-label="Search"]').first
    search_button.wait_for()
    search_button.click()
    box = page.locator('input[id^="search-cw-"]').first
    box.fill("世尊")
    box.press("Enter")
    # Mirador lists the hit with its context (from the 1.0 response's before/match/after).
    page.wait_for_function("() => document.body.innerText.includes('1 of 1')"
                           " && document.body.innerText.includes('爾時 世尊 食時')", timeout=20_000)
    page.wait_for_timeout(1000)
    page.screenshot(path=str(artifacts / "reading-mirador-search.png"))
