"""The item form for curators (#13 item 11): language tags, textareas for prose, holders in the admin's language."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import translation

from mogao.catalogue.models import Institution, Item
from mogao.demo.loader import load_builtin

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_zh(db: None) -> Client:
    load_builtin()
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(User.objects.create_superuser("boss", password="pw-admin-123"))
    return client


def _form(item: Item, languages: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "institution": item.institution_id, "collection": item.collection_id or "", "shelfmark": item.shelfmark,
        "local_id": item.local_id, "item_type": item.item_type, "date_expression": item.date_expression,
        "year_start": item.year_start or "", "year_end": item.year_end or "", "period": item.period_id or "",
        "dimensions": item.dimensions, "extent": item.extent, "languages": languages,
        "find_place": item.find_place_id or "", "acquired_by": item.acquired_by_id or "",
        "acquisition_year": item.acquisition_year or "", "rights": item.rights, "allow_download": "on",
        "digitization_status": item.digitization_status, "visibility": item.visibility,
        "item_works-TOTAL_FORMS": "0", "item_works-INITIAL_FORMS": "0",
        "canvases-TOTAL_FORMS": "0", "canvases-INITIAL_FORMS": "0",
    }
    for name in ("title", "description", "material", "provenance", "notes"):
        rows = [(tag, text) for tag, texts in getattr(item, name).items() for text in texts]
        for i, (tag, text) in enumerate([*rows, ("", "")]):
            data[f"{name}-lang-{i}"] = tag
            data[f"{name}-text-{i}"] = text
    return data


def test_languages_are_a_list_of_tags_not_json(admin_client_zh: Client) -> None:
    item = Item.objects.get(shelfmark="Or.8212/161")
    html = admin_client_zh.get(f"/admin/catalogue/item/{item.pk}/change/").content.decode()
    assert 'name="languages"' in html and 'value="otk, lzh"' in html
    assert "&quot;otk&quot;" not in html  # no raw JSON
    assert '<textarea name="languages"' not in html


def test_tags_are_normalized_and_saved(admin_client_zh: Client) -> None:
    item = Item.objects.get(shelfmark="Or.8212/161")
    response = admin_client_zh.post(f"/admin/catalogue/item/{item.pk}/change/", _form(item, "OTK, lzh ZH-hant"))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.languages == ["otk", "lzh", "zh-Hant"]


def test_a_bad_tag_is_a_field_error_and_nothing_is_saved(admin_client_zh: Client) -> None:
    item = Item.objects.get(shelfmark="Or.8212/161")
    data = _form(item, "lzh, chinese")
    data["shelfmark"] = "Or.8212/161 changed"
    response = admin_client_zh.post(f"/admin/catalogue/item/{item.pk}/change/", data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["languages"]
    assert "chinese" in errors["languages"][0] and "BCP 47" in errors["languages"][0]
    item.refresh_from_db()
    assert item.languages == ["otk", "lzh"] and item.shelfmark == "Or.8212/161"


def test_descriptions_and_notes_are_textareas_titles_stay_one_line(admin_client_zh: Client) -> None:
    item = Item.objects.get(shelfmark="Or.8210/P.2")
    html = admin_client_zh.get(f"/admin/catalogue/item/{item.pk}/change/").content.decode()
    for name in ("description", "notes", "provenance"):
        assert f'<textarea name="{name}-text-0"' in html, name
        assert f'<input type="text" name="{name}-text-0"' not in html, name
    assert '<input type="text" name="title-text-0"' in html
    assert "core/langmap.css" in html
    assert 'size="60"' not in html


def test_chinese_admin_names_records_in_chinese(admin_client_zh: Client) -> None:
    html = admin_client_zh.get("/admin/catalogue/item/").content.decode()
    assert "大英图书馆" in html and ">British Library<" not in html
    item = Item.objects.get(shelfmark="Or.8210/P.2")
    form = admin_client_zh.get(f"/admin/catalogue/item/{item.pk}/change/").content.decode()
    assert "大英图书馆</option>" in form
    # the form's own heading, the period and the person chosen: all in the admin's language
    assert "Or.8210/P.2 — 金刚般若波罗蜜经" in form and "咸通</option>" in form and "斯坦因</option>" in form
    with translation.override("en"):
        assert str(Institution.objects.get(code="BL")) == "British Library"
    with translation.override("fr"):
        assert str(Institution.objects.get(code="NLC")) == "Bibliothèque nationale de Chine"
