"""Reader pages in four languages: every demo record appears, with metadata in the reader's language."""

from __future__ import annotations

import pytest
from django.test import Client

from mogao.catalogue.models import Collection, Institution, Item, Work
from mogao.demo import builtin
from mogao.demo.loader import demo_load

pytestmark = pytest.mark.django_db

LANGS = {"en": "en", "zh-hans": "zh-Hans", "zh-hant": "zh-Hant", "fr": "fr"}
BROWSE_WORD = {"en": "Browse", "zh-hans": "浏览", "zh-hant": "瀏覽", "fr": "Parcourir"}


@pytest.fixture
def demo(db: None) -> None:
    demo_load(echo=lambda _: None)


def get(client: Client, url: str, lang: str) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200, (url, lang, response.status_code)
    assert response["Content-Language"] == lang
    return response.content.decode()


@pytest.mark.parametrize("lang", list(LANGS))
def test_every_item_page_in_every_language(client: Client, demo: None, lang: str) -> None:
    tag = LANGS[lang]
    for spec in builtin.ITEMS:
        item = Item.objects.get(institution__code=spec["institution"], shelfmark=spec["shelfmark"],
                                local_id=spec.get("local_id", ""))
        html = get(client, item.get_absolute_url(), lang)
        assert spec["title"][tag][0].replace("'", "&#x27;") in html, (item.pid, lang)
        assert spec["shelfmark"] in html
        assert BROWSE_WORD[lang] in html
        inst = Institution.objects.get(code=spec["institution"])
        assert inst.name[tag][0].replace("'", "&#x27;") in html


@pytest.mark.parametrize("lang", list(LANGS))
def test_work_pages_list_witnesses_across_institutions(client: Client, demo: None, lang: str) -> None:
    for work in Work.objects.all():
        html = get(client, work.get_absolute_url(), lang)
        assert work.title[LANGS[lang]][0].replace("'", "&#x27;") in html
    mani = Work.objects.get(pid="t2141a-compendium-of-mani")
    html = get(client, mani.get_absolute_url(), lang)
    assert "Or.8210/S.3969" in html and "Pelliot chinois 3884" in html


@pytest.mark.parametrize("lang", list(LANGS))
def test_institution_and_collection_pages(client: Client, demo: None, lang: str) -> None:
    html = get(client, "/institutions/", lang)
    for inst in Institution.objects.all():
        assert inst.name[LANGS[lang]][0].replace("'", "&#x27;") in html
        get(client, inst.get_absolute_url(), lang)
    for coll in Collection.objects.all():
        assert coll.name[LANGS[lang]][0].replace("'", "&#x27;") in get(client, coll.get_absolute_url(), lang)


def test_home_counts_and_featured(client: Client, demo: None) -> None:
    html = get(client, "/", "en")
    holders = Institution.objects.filter(items__visibility="public").distinct().count()
    assert "<strong>16</strong> items" in html and f"<strong>{holders}</strong> holding institutions" in html


def test_browse_filters_and_facets(client: Client, demo: None) -> None:
    html = get(client, "/browse/?institution=bnf", "en")
    assert "Pelliot chinois 3532" in html and "Or.8210/P.2" not in html
    html = get(client, "/browse/?status=digitized", "en")
    assert "Or.8210/P.2" in html and "Or.8210/P.6" not in html
    html = get(client, "/browse/?period=tang", "en")  # a dynasty includes its reign eras
    assert "Or.8210/P.2" in html and "Or.8210/S.3326" in html and "Hébreu 1412" not in html
    html = get(client, "/browse/?type=nonsense&page=999", "en")  # unknown values never fail
    assert "0 items" in html


def test_item_page_shows_join_partner_citation_and_dates(client: Client, demo: None) -> None:
    item = Item.objects.get(shelfmark="Or.8210/S.3969")
    html = get(client, item.get_absolute_url(), "en")
    assert "Pelliot chinois 3884" in html and "Belongs with" in html
    p2 = Item.objects.get(shelfmark="Or.8210/P.2")
    html = get(client, p2.get_absolute_url(), "fr")
    assert "咸通九年四月十五日" in html and "868" in html and "@misc{bl_or_8210_p_2" in html


def test_unknown_and_private_records_are_404(client: Client, demo: None) -> None:
    assert client.get("/items/no-such-item").status_code == 404
    item = Item.objects.get(shelfmark="Or.8210/P.6")
    item.visibility = "private"
    item.save()
    assert client.get(item.get_absolute_url()).status_code == 404


def test_security_headers(client: Client, demo: None) -> None:
    response = client.get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "csrfmiddlewaretoken" in response.content.decode()


def test_markup_in_titles_is_escaped(client: Client, demo: None) -> None:
    item = Item.objects.get(shelfmark="Or.8210/P.6")
    item.title = {"en": ["<script>alert(1)</script>"]}
    item.save()
    html = client.get(item.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
