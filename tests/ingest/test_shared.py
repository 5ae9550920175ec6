"""The real data set through the importers: 2,457 works with English titles, scans grouped by book,
full texts as text-only works."""

from __future__ import annotations

import re

import pytest

from mogao.catalogue.models import Item, Transcription, Work
from mogao.ingest.shared import english_titles, load_shared_data

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.shared_data]


def test_english_titles(shared_data):
    titles = english_titles(shared_data / "catalogue" / "buddhist-dictionary_taisho_collections.csv")
    assert titles["T0235"][0].startswith("Diamond")
    assert "金" not in titles["T0235"][0]


def test_load_shared_data_twice(shared_data):
    lines = []
    summary = load_shared_data(shared_data, lines.append, ocr=False)
    assert summary["works"] == 2457 and Work.objects.count() == 2457
    diamond = Work.objects.get(identifiers__taisho="T0235")
    assert diamond.title["zh-Hant"] == ["金剛般若波羅蜜經"] and diamond.title["en"][0].startswith("Diamond")
    assert diamond.year_start == 402
    books = Item.objects.filter(institution__code="OGCV")
    assert books.count() == 4 and summary["pages"] == 16
    siku = books.get(local_id="siku_jianming_mulu_book1")
    assert siku.title["zh-Hant"] == ["欽定四庫全書簡明目錄"]
    assert [c.order for c in siku.canvases.all()] == list(range(1, 11))
    assert siku.canvases.get(order=10).image_id.endswith("0010")
    assert summary["texts"] == 4 and summary["sections"] == 20 + 14 + 320 + 305
    lunyu = Item.objects.get(institution__code="CPOETRY", local_id="lunyu")
    assert lunyu.title["zh-Hant"] == ["論語"] and lunyu.canvases.count() == 20
    first = lunyu.canvases.get(order=1)
    assert first.label == {"zh-Hans": ["学而篇"]} and not first.has_image
    assert Transcription.objects.get(canvas=first).text.startswith("子曰：“学而时习之")
    poems = Item.objects.get(institution__code="CPOETRY", local_id="tangshi-300")
    assert poems.canvases.get(order=2).label == {"zh-Hant": ["登鸛雀樓 · 王之渙"]}
    transcriptions = set(Transcription.objects.values_list("pk", "updated"))
    again = load_shared_data(shared_data, lines.append, ocr=False)
    assert again["works"] == 2457 and again["texts"] == 4
    assert any("0 created, 0 updated" in line for line in lines[len(lines) // 2:])
    assert any("texts: 4 text-only works" in line and "'unchanged': 4" in line for line in lines[len(lines) // 2:])
    assert set(Transcription.objects.values_list("pk", "updated")) == transcriptions


def test_text_only_works_are_readable(shared_data, client):
    from mogao.ingest.shared import load_texts

    load_texts(shared_data, lambda line: None)
    lunyu = Item.objects.get(local_id="lunyu")
    page = client.get(f"/items/{lunyu.pid}/read/1")
    assert page.status_code == 200
    html = page.content.decode()
    assert "学而时习之" in re.sub(r"<[^>]+>", "", html)  # one span per character
    assert 'lang="lzh-Hans"' in html
    assert client.get(lunyu.get_absolute_url()).status_code == 200
    text = client.get(f"/items/{lunyu.pid}/text.txt")
    assert text.status_code == 200 and "学而时习之" in text.content.decode()
    assert client.get(f"/iiif/items/{lunyu.pid}/manifest").status_code == 404  # no image: no manifest
    found = client.get("/search/", {"q": "学而时习"})  # transcriptions were indexed after the commit
    assert found.status_code == 200 and lunyu.pid in found.content.decode()
