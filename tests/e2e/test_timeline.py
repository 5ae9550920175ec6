"""The timeline in a real Chromium: opens on the demo manuscripts, fits the screen, labels apart."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [(1366, 900), (390, 844)], ids=["desktop", "phone"])
def test_timeline_default_view_holds_the_manuscripts_and_fits(
    live_server: Any, page: Any, artifacts: Path, axe: Any, viewport: tuple[int, int],
) -> None:
    from mogao.catalogue import services
    from mogao.catalogue.models import Item
    from mogao.demo.loader import demo_load

    demo_load(echo=lambda _msg: None)
    # An old work far from the manuscripts must not decide the default view.
    services.work_upsert(pid="shijing", title={"en": ["Book of Odes"]}, year_start=-1000, year_end=-600)
    # A long title without a break (Sanskrit, as in the canon) must wrap, not widen the page.
    services.work_upsert(pid="long-title", year_start=700, year_end=710,
                         title={"en": ["Mahāmaṇivipulavimānaviśvasupratiṣṭhitaguhyaparamarahasyakalparājadhāraṇī"]})
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    page.goto(f"{live_server.url}/timeline/")

    width = page.evaluate("document.documentElement.scrollWidth")
    assert width == viewport[0]
    # Every dated demo manuscript is in the default view, the Diamond Sūtra of 868 among them.
    listed = set(page.locator(".kn-timeline-list a").evaluate_all("els => els.map(e => e.getAttribute('href'))"))
    cave = Item.objects.filter(year_start__isnull=False, find_place__pid="mogao-library-cave")
    dated = {i.get_absolute_url() for i in cave}
    assert Item.objects.get(shelfmark="Or.8210/P.2").get_absolute_url() in dated
    assert dated <= listed
    assert "Book of Odes" not in page.locator(".kn-timeline-list").inner_text()
    # A dense histogram, not one bar per record: each bar links to a zoomed view.
    bars = page.locator(".tl-hist a")
    assert 3 <= bars.count() <= 2 * 49
    # Dynasty labels never overlap: bands in a row are disjoint and text stays inside its band.
    boxes = page.evaluate("""() => [...document.querySelectorAll('.tl-lane')].map(lane =>
        [...lane.querySelectorAll('.tl-band')].map(b => {
            const r = b.getBoundingClientRect();
            return {left: r.left, right: r.right, clipped: b.scrollWidth > b.clientWidth + 1,
                    overflow: getComputedStyle(b).overflow};
        }))""")
    assert any(boxes)
    for lane in boxes:
        for a, b in itertools.pairwise(lane):
            assert a["right"] <= b["left"] + 1
        assert all(box["overflow"] == "hidden" for box in lane)
    page.screenshot(path=str(artifacts / f"timeline-{viewport[0]}.png"), full_page=False)

    # Zoom in on the bar of 868, then the list holds the Diamond Sūtra.
    target = page.locator(".tl-hist a").filter(has_text="868")
    if target.count() == 0:
        hrefs = page.locator(".tl-hist a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        target = page.locator(f".tl-hist a[href='{next(h for h in hrefs if _covers(h, 868))}']")
    target.first.click()
    page.wait_for_load_state()
    assert "Or.8210/P.2" in page.locator(".kn-timeline-list").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") == viewport[0]
    assert axe(page) == []


def _covers(href: str, year: int) -> bool:
    params = dict(part.split("=") for part in href.lstrip("?").replace("&amp;", "&").split("&"))
    return int(params["from"]) <= year <= int(params["to"])
