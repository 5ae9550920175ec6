"""Browser test of the map: the Library Cave's dispersal drawn over the offline basemap."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_map_shows_the_dispersal_of_the_demo_items(live_server: Any, page: Any, artifacts: Path, axe: Any) -> None:
    from mogao.demo.loader import demo_load
    from mogao.knowledge.selectors import map_data

    demo_load(echo=lambda _msg: None)
    expected = map_data(language="en")
    cave_lines = [line for line in expected["lines"] if line["from"] == "find:mogao-library-cave"]
    assert {line["to_name"] for line in cave_lines} >= {"British Library", "Bibliothèque nationale de France"}
    assert len(cave_lines) == 5  # London, Paris, Beijing, St Petersburg, Kyoto

    page.goto(f"{live_server.url}/map/")
    page.wait_for_selector("#kn-map[data-ready='1']")
    markers = page.locator("#kn-map path.kn-marker").count()
    lines = page.locator("#kn-map path.kn-dispersal-line").count()
    assert markers == len(expected["markers"])
    assert lines == len(expected["lines"])
    assert page.locator("#kn-map path.kn-marker-holder").count() >= 5
    assert page.locator("#kn-map path.kn-marker-find").count() >= 1
    # the offline basemap is drawn (country shapes), with no request to a tile server
    assert page.locator("#kn-map .leaflet-overlay-pane path").count() > markers + lines + 50
    assert page.console_errors == []
    page.screenshot(path=str(artifacts / "knowledge-map.png"), full_page=False)
    assert axe(page) == []


def test_item_page_mini_map_and_timeline(live_server: Any, page: Any, artifacts: Path, axe: Any) -> None:
    from mogao.catalogue.models import Item
    from mogao.demo.loader import demo_load

    demo_load(echo=lambda _msg: None)
    item = Item.objects.get(shelfmark="Or.8210/P.2")
    page.goto(f"{live_server.url}{item.get_absolute_url()}")
    page.wait_for_selector("#kn-item-map[data-ready='1']")
    assert page.locator("#kn-item-map path.kn-marker").count() == 2
    assert page.locator("#kn-item-map path.kn-dispersal-line").count() == 1
    page.locator("#kn-item-map").screenshot(path=str(artifacts / "knowledge-item-map.png"))
    assert page.locator(".kn-related [data-reason]").count() >= 1
    assert axe(page) == []
    page.goto(f"{live_server.url}/people/kumarajiva")
    assert axe(page) == []
    page.goto(f"{live_server.url}/places/mogao-library-cave")
    page.wait_for_selector("#kn-place-map[data-ready='1']")
    assert page.locator("#kn-place-map path.kn-dispersal-line").count() == 5
    assert axe(page) == []
    page.goto(f"{live_server.url}/timeline/")
    page.screenshot(path=str(artifacts / "knowledge-timeline.png"), full_page=True)
    assert axe(page) == []
    page.goto(f"{live_server.url}/graph/")
    page.wait_for_selector("#kn-graph[data-ready='1']")
    page.screenshot(path=str(artifacts / "knowledge-graph.png"), full_page=False)
    assert axe(page) == []


@pytest.mark.parametrize("viewport", [(1366, 900), (390, 844)], ids=["desktop", "phone"])
def test_no_marker_hides_under_the_zoom_control(
    live_server: Any, page: Any, artifacts: Path, viewport: tuple[int, int],
) -> None:
    from mogao.catalogue import services
    from mogao.catalogue.models import Institution, Item
    from mogao.demo.loader import demo_load
    from mogao.knowledge.models import Place

    demo_load(echo=lambda _msg: None)
    # A find place north and west of every other marker: fitted to the corner of the map, where
    # the zoom buttons are.
    corner = Place.objects.create(pid="far-corner", name={"en": ["Far corner"]}, latitude=64.0, longitude=-20.0)
    services.item_upsert(institution=Institution.objects.get(code="BL"), shelfmark="Test 1",
                         title={"en": ["Corner find"]}, item_type=Item.Type.FRAGMENT, find_place=corner)
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    # The map of all places, and a place page's own map (the same code, a smaller box).
    for path, map_id in [("/map/", "kn-map"), ("/places/far-corner", "kn-place-map")]:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_selector(f"#{map_id}[data-ready='1']")
        page.wait_for_timeout(500)  # the fit animation
        assert page.locator(f"#{map_id} path.kn-marker").count() >= 2
        assert markers_under_zoom_control(page, map_id) == [], path
        page.locator(f"#{map_id}").screenshot(path=str(artifacts / f"knowledge-{map_id}-{viewport[0]}.png"))
        assert page.evaluate("document.documentElement.scrollWidth") == viewport[0]


def markers_under_zoom_control(page: Any, map_id: str) -> list[list[float]]:
    """The boxes of the markers of map ``map_id`` that overlap its zoom buttons."""
    control = page.locator(f"#{map_id} .leaflet-control-zoom").bounding_box()
    assert control
    hidden = []
    for box in page.locator(f"#{map_id} path.kn-marker").evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })"
    ):
        left, top, right, bottom = box
        if (left < control["x"] + control["width"] and right > control["x"]
                and top < control["y"] + control["height"] and bottom > control["y"]):
            hidden.append(box)
    return hidden
