"""The real data set through the importers: 2,457 works with English titles, scans grouped by book."""

from __future__ import annotations

import pytest

from mogao.catalogue.models import Item, Work
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
    again = load_shared_data(shared_data, lines.append, ocr=False)
    assert again["works"] == 2457
    assert any("0 created, 0 updated" in line for line in lines[len(lines) // 2:])
