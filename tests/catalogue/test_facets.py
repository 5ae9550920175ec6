"""Browse facets: the count beside each value is the number of items its link lists (issue #12 fault 6)."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

from mogao.demo.loader import demo_load

pytestmark = pytest.mark.django_db

FACET = re.compile(r'<li><a href="(\?[^"]*)"[^>]*>.*?</a> <span class="count">(\d+)</span></li>', re.S)
NEXT = re.compile(r'<a rel="next" href="(\?[^"]*)"')
CARD = '<article class="card">'


@pytest.fixture
def demo(db: None) -> None:
    demo_load(echo=lambda _: None)


def _page(client: Client, query: str) -> str:
    response = client.get(f"/browse/{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, query
    return response.content.decode()


def _listed(client: Client, query: str) -> int:
    """Items the browse page lists for ``query``, counted card by card over every page."""
    n, seen = 0, set()
    while query not in seen:
        seen.add(query)
        body = _page(client, query)
        n += body.count(CARD)
        more = NEXT.search(body)
        if more is None:
            break
        query = html.unescape(more.group(1))
    return n


def _facets(body: str) -> list[tuple[str, int]]:
    aside = body[body.index('<aside class="facets"'):body.index("</aside>")]
    return [(html.unescape(href), int(count)) for href, count in FACET.findall(aside)]


@pytest.mark.parametrize("start", ["", "?institution=bl", "?period=tang", "?status=digitized"])
def test_every_facet_count_equals_what_its_link_lists(client: Client, demo: None, start: str) -> None:
    facets = _facets(_page(client, start))
    assert len(facets) >= 3
    wrong = {href: (count, listed) for href, count in facets if (listed := _listed(client, href)) != count}
    assert not wrong, f"facet count != items listed (count, listed): {wrong}"


def test_a_holder_with_many_items_shows_their_number(client: Client, demo: None) -> None:
    counts = [count for _, count in _facets(_page(client, ""))]
    assert max(counts) > 1


def test_browse_cards_say_what_they_carry_and_show_a_first_page(client: Client, demo: None) -> None:
    """#13 item 3: a card names the works it carries (with Taishō number) and its period, and a
    digitized item shows a small image of its first page served by this site."""
    body = _page(client, "?status=digitized")
    card = body.split('href="/items/bl-or-8210-p-2"', 1)[0].rsplit(CARD, 1)[1] + body.split(
        'href="/items/bl-or-8210-p-2"', 1)[1].split("</article>", 1)[0]
    assert "Diamond Sūtra (T0235)" in card
    thumb = re.search(r'<img class="card-thumb" src="(/iiif/3/[^"]+)"', card)
    assert thumb, card
    assert client.get(thumb.group(1)).status_code == 200
