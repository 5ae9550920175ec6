"""The home page (#13): what Mogao holds, pictures that exist, the Library Cave's story, ways to
explore, curated featured items and works, holders without a "0" — in every language."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from mogao.accounts import policy
from mogao.accounts.models import Curatorship
from mogao.catalogue.models import Canvas, Institution, Item, Work
from mogao.demo.loader import demo_load
from mogao.search.models import FeaturedWork
from mogao.showcase import explore
from mogao.showcase.models import FeaturedItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    demo_load(echo=lambda *a, **k: None)


def home(client: Client, lang: str = "en") -> str:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    return response.content.decode()


def strip_items(html: str) -> list[str]:
    strip = html.split('<ul class="strip">', 1)[1].split("</ul>", 1)[0] if '<ul class="strip">' in html else ""
    return re.findall(r'href="/items/([^"]+)"', strip)


@pytest.mark.parametrize("lang", ["en", "fr", "zh-hans", "zh-hant"])
def test_home_shows_no_placeholder(client: Client, demo: None, lang: str) -> None:
    html = home(client, lang)
    assert '<span class="shelfmark">—</span>' not in html and "()" not in html
    assert not re.search(r"[^\d,.\s]\s*0 (items|documents)|· 0 ", html)
    for pid in strip_items(html):  # every picture of the strip is a page image of that item
        assert Canvas.objects.filter(item__pid=pid).exclude(image_id="").exists(), pid
    assert strip_items(html), "the demo's digitized Diamond Sūtra has pictures"
    assert re.search(r'<img src="/iiif/3/[^"]+/full/[^"]+/0/default\.jpg"', html)


def test_home_leads_to_every_way_in_and_the_map(client: Client, demo: None) -> None:
    html = home(client)
    for url in ("/map/", "/timeline/", "/graph/", "/works/", "/people/", "/places/", "/browse/"):
        assert f'href="{url}"' in html, url
    nav = html.split('<ul class="nav">', 1)[1].split("</ul>", 1)[0]
    assert 'href="/works/"' in nav and 'href="/graph/"' in nav
    assert "Library Cave" in html and 'href="/places/mogao-library-cave"' in html
    # The stories app mounts stories:index (#16): the slot shows, in the navigation too.
    assert 'href="/stories/"' in nav and "Stories" in html


def test_a_registered_way_appears_once_its_page_exists(client: Client, demo: None, settings: object) -> None:
    assert [link.way.key for link in explore.links(nav=True)] == ["stories"]  # mounted by #16
    way = explore.Way("atlas", "Atlas", "Maps of the Silk Road.", "catalogue:browse", order=1, in_nav=True)
    explore.register(way)
    try:
        html = home(client)
        assert "Atlas" in html and "Maps of the Silk Road." in html
        nav = html.split('<ul class="nav">', 1)[1].split("</ul>", 1)[0]
        assert "Atlas" in nav
    finally:
        explore.unregister("atlas")
    assert "Atlas" not in home(client)


def test_curated_items_come_first_with_their_caption_and_private_ones_never(client: Client, demo: None) -> None:
    star = Item.objects.get(shelfmark="Or.8210/S.3326")  # catalogued, no image
    diamond = Item.objects.get(shelfmark="Or.8210/P.2")  # digitized
    hidden = Item.objects.get(shelfmark="Or.8210/P.6")
    Item.objects.filter(pk=hidden.pk).update(visibility="private")
    FeaturedItem.objects.create(item=star, position=1, caption={"en": ["The oldest star atlas"],
                                                                "fr": ["Le plus ancien atlas céleste"]})
    FeaturedItem.objects.create(item=diamond, position=2, caption={"en": ["The oldest dated printed book"]})
    FeaturedItem.objects.create(item=hidden, position=0)
    html = home(client)
    cards = html.split('id="featured-h"', 1)[1]
    found = re.findall(r'href="/items/([^"]+)"', cards.split("</section>", 1)[0])
    assert found[:2] == [star.pid, diamond.pid] and hidden.pid not in html
    assert "The oldest star atlas" in html and "Le plus ancien atlas céleste" in home(client, "fr")
    assert strip_items(html)[0] == diamond.pid and star.pid not in strip_items(html)  # no image, no picture


def test_featured_works_curated_first_then_the_most_witnessed(client: Client, demo: None) -> None:
    quiet = Work.objects.filter(item_works__isnull=True).order_by("pid").first()
    assert quiet is not None
    FeaturedWork.objects.create(work=quiet, provenance="test")
    section = home(client).split('id="works-h"', 1)[1].split("</section>", 1)[0]
    pids = re.findall(r'href="/works/([^"]+)"', section)
    assert pids[0] == quiet.pid and len(pids) > 1
    assert "witnesses in Mogao" in section or "witness in Mogao" in section


def test_holders_are_counted_right_and_empty_ones_never_show_zero(client: Client, demo: None) -> None:
    Institution.objects.create(code="EMPTY", pid="empty", name={"en": ["Empty Library"]})
    html = home(client)
    bl = Institution.objects.get(code="BL")
    n = Item.objects.filter(institution=bl, visibility="public").count()
    assert re.search(rf'href="/institutions/{bl.pid}">British Library</a>.*?· {n} items', html)
    assert "Empty Library" not in html
    assert "Ōtani collection" in html  # RYU: no item yet, its collection described instead of "0 items"
    assert "0 items" not in client.get("/institutions/").content.decode()


def test_works_index_lists_witnessed_works_and_on_request_all(client: Client, demo: None) -> None:
    html = client.get("/works/").content.decode()
    assert 'href="/works/t0235-diamond-sutra"' in html
    witnessed = Work.objects.filter(item_works__isnull=False).distinct().count()
    assert len(set(re.findall(r'<li><a href="/works/([^"]+)"', html))) == min(witnessed, 50)
    every = client.get("/works/?all=1", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    listed = re.findall(r'<li><a href="/works/([^"]+)"', every)
    assert "Œuvres" in every and len(listed) == min(Work.objects.count(), 50)


def test_a_curator_features_only_the_items_of_their_institution(demo: None) -> None:
    curator = User.objects.create_user("bl-curator", password="pw-12345-abc", is_staff=True)
    Curatorship.objects.create(user=curator, institution=Institution.objects.get(code="BL"))
    own = FeaturedItem(item=Item.objects.get(shelfmark="Or.8210/P.2"))
    other = FeaturedItem(item=Item.objects.get(shelfmark="Pelliot chinois 3532"))
    assert policy.can(curator, "add", own) and policy.can(curator, "change", own)
    assert not policy.can(curator, "add", other) and not policy.can(curator, "change", other)


def test_admin_adds_a_featured_item(client: Client, demo: None) -> None:
    client.force_login(User.objects.create_superuser("root", password="pw-root-12345"))
    item = Item.objects.get(shelfmark="Or.8210/P.2")
    response = client.post("/admin/showcase/featureditem/add/", {
        "item": item.pk, "position": 3, "caption-lang-0": "en", "caption-text-0": "A printed book of 868",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    mark = FeaturedItem.objects.get(item=item)
    assert (mark.position, mark.caption) == (3, {"en": ["A printed book of 868"]})
    assert "A printed book of 868" in home(client)
