"""Fault #1 of issue 12: edits made in the admin reach the search index after the commit."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from mogao.catalogue.models import Item

pytestmark = pytest.mark.django_db


def _form(item: Item, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "institution": item.institution_id, "collection": item.collection_id or "", "shelfmark": item.shelfmark,
        "local_id": item.local_id, "item_type": item.item_type, "date_expression": item.date_expression,
        "year_start": "" if item.year_start is None else item.year_start,
        "year_end": "" if item.year_end is None else item.year_end, "period": item.period_id or "",
        "dimensions": item.dimensions, "extent": item.extent, "languages": json.dumps(item.languages),
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
    data.update(overrides)
    return data


def _api_hits(client: Client, q: str) -> set[str]:
    return {h["id"] for h in client.get("/api/v1/search", {"q": q}).json()["hits"] if h["type"] == "item"}


def test_admin_title_edit_and_private_item_reach_search(
    demo: dict[str, int], client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    admin = Client()
    admin.force_login(get_user_model().objects.create_superuser("root", password="x-unused-password-1"))
    item = Item.objects.get(shelfmark="Or.8210/P.2")
    url = f"/admin/catalogue/item/{item.pk}/change/"
    rows = sum(len(v) for v in item.title.values())
    data = _form(item, **{f"title-lang-{rows}": "de", f"title-text-{rows}": "Quokkadiamant"})
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert item.pid in _api_hits(client, "Quokkadiamant"), "a title edited in the admin is not searchable"

    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(url, _form(Item.objects.get(pk=item.pk), visibility="private"))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert client.get(item.get_absolute_url()).status_code == 404
    assert item.pid not in _api_hits(client, "Quokkadiamant"), "a private item stays in /api/v1/search"
    page = client.get("/search/", {"q": "Quokkadiamant"}).content.decode()
    assert item.get_absolute_url() not in page, "a private item stays in /search/"
