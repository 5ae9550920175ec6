"""sitemap.xml (index and sections) and robots.txt."""

from __future__ import annotations

import pytest
from django.test import Client
from lxml import etree

from mogao.catalogue.models import Item, Work

pytestmark = pytest.mark.django_db
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def parse(content: bytes) -> etree._Element:
    return etree.fromstring(content, etree.XMLParser(resolve_entities=False, no_network=True))


def test_index_lists_sections_and_sections_list_public_pages(client: Client, demo) -> None:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    locations = [e.text for e in parse(response.content).iterfind("s:sitemap/s:loc", NS)]
    assert "https://mogao.example/sitemaps/items.xml" in locations
    assert "https://mogao.example/sitemaps/works.xml" in locations
    urls: set[str] = set()
    for location in locations:
        section = client.get(location.removeprefix("https://mogao.example"))
        assert section.status_code == 200
        urls |= {e.text for e in parse(section.content).iterfind("s:url/s:loc", NS)}
    public = Item.objects.filter(visibility="public")
    assert {f"https://mogao.example/items/{i.pid}" for i in public} <= urls
    assert f"https://mogao.example/items/{demo.private.pid}" not in urls
    assert f"https://mogao.example/items/{demo.deleted_pid}" not in urls
    assert {f"https://mogao.example/works/{w.pid}" for w in Work.objects.filter(visibility="public")} <= urls
    assert any(u.startswith("https://mogao.example/people/") for u in urls)


def test_sections_page_and_reject_unknown_names(client: Client, demo, monkeypatch) -> None:
    from mogao.discovery.sitemaps import ItemSitemap

    monkeypatch.setattr(ItemSitemap, "limit", 2)
    index = parse(client.get("/sitemap.xml").content)
    item_pages = [e.text for e in index.iterfind("s:sitemap/s:loc", NS) if "/items.xml" in e.text]
    total = Item.objects.filter(visibility="public").count()
    assert len(item_pages) == (total + 1) // 2
    assert client.get("/sitemaps/nothing.xml").status_code == 404
    assert client.get("/sitemaps/items.xml?p=999").status_code == 404
    assert client.get("/sitemaps/items.xml?p=x").status_code == 404


def test_robots_txt_points_to_the_sitemap(client: Client, db) -> None:
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: https://mogao.example/sitemap.xml" in text
    assert "Disallow: /admin/" in text
