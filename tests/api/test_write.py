"""Curators' writes with API tokens: authentication, object permissions, admin-grade validation."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from mogao.api.models import ApiToken
from mogao.catalogue.models import Item

pytestmark = pytest.mark.django_db

NEW_ITEM = {
    "institution": "bl", "shelfmark": "Or.8210/S.99", "title": {"zh-Hant": ["新寫本"], "en": ["New manuscript"]},
    "item_type": "scroll", "languages": ["lzh"], "year_start": 868, "year_end": 868, "period": "tang",
    "collection": "bl-stein",
}


def post(client: Client, token: str | None, body: object, path: str = "/api/v1/items", method: str = "post"):  # type: ignore[no-untyped-def]
    headers = {"authorization": f"Bearer {token}"} if token else {}
    send = getattr(client, method)
    return send(path, data=json.dumps(body), content_type="application/json", headers=headers)


def test_create_and_update_an_item(client: Client, catalogue, bl_curator_token) -> None:
    response = post(client, bl_curator_token, NEW_ITEM)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["collection"]["pid"] == "bl-stein" and body["period"]["pid"] == "tang"
    pid = body["pid"]
    response = post(client, bl_curator_token, {"extent": "1 scroll", "visibility": "private"},
                    f"/api/v1/items/{pid}", "patch")
    assert response.status_code == 200 and response.json()["extent"] == "1 scroll"
    assert Item.objects.get(pid=pid).visibility == "private"
    assert client.get(f"/api/v1/items/{pid}").status_code == 404
    assert ApiToken.objects.get().last_used is not None


@pytest.mark.parametrize(
    ("change", "field", "status"),
    [
        ({"title": {"xx-bogus-tag": ["x"]}}, "title", 400),
        ({"title": {}}, "title", 400),
        ({"title": "just text"}, "title", 422),
        ({"year_start": 900, "year_end": 800}, "year_end", 400),
        ({"year_start": 99999}, "year_start", 422),
        ({"item_type": "papyrus"}, "item_type", 422),
        ({"rights": "all rights reserved"}, "rights", 422),
        ({"collection": "nowhere"}, "collection", 400),
        ({"period": "atlantis"}, "period", 400),
        ({"find_place": "x"}, "find_place", 400),
        ({"languages": "lzh"}, "languages", 422),
        ({"institution": "nowhere"}, "institution", 400),
        ({"shelfmark": "x" * 121}, "shelfmark", 422),
        ({"visibility": None}, "visibility", 400),
    ],
)
def test_invalid_items_are_refused_naming_the_field(client: Client, catalogue, bl_curator_token, change, field,
                                                    status) -> None:
    before = Item.objects.count()
    response = post(client, bl_curator_token, {**NEW_ITEM, **change})
    assert response.status_code == status, response.content
    assert field in {e["field"] for e in response.json()["errors"]}, response.json()
    assert Item.objects.count() == before


def test_patch_validation_and_unique_shelfmark(client: Client, catalogue, bl_curator_token) -> None:
    pid = catalogue.public[0]
    response = post(client, bl_curator_token, {"year_start": 900, "year_end": 800}, f"/api/v1/items/{pid}", "patch")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "year_end"
    response = post(client, bl_curator_token, {"shelfmark": "Or.8210/S.1"}, f"/api/v1/items/{pid}", "patch")
    assert response.status_code == 400 and "shelfmark" in response.json()["detail"] + str(response.json()["errors"])
    response = post(client, bl_curator_token, {"shelfmark": "Or.8210/S.1"}, "/api/v1/items/nope", "patch")
    assert response.status_code == 404
    response = post(client, bl_curator_token, {**NEW_ITEM, "shelfmark": "Or.8210/S.1"})
    assert response.status_code == 409 and "shelfmark" in response.json()["detail"]
    response = post(client, bl_curator_token, "not an object", f"/api/v1/items/{pid}", "patch")
    assert 400 <= response.status_code < 500


def test_authentication_and_object_permissions(client: Client, catalogue, bl_curator_token, reader_token) -> None:
    assert post(client, None, NEW_ITEM).status_code == 401
    assert post(client, "mogao_forged", NEW_ITEM).status_code == 401
    assert post(client, reader_token, NEW_ITEM).status_code == 403
    bnf_item = {**NEW_ITEM, "institution": "BnF", "collection": None}
    assert post(client, bl_curator_token, bnf_item).status_code == 403
    bnf_pid = next(p for p in catalogue.public if p.startswith("bnf"))
    assert post(client, bl_curator_token, {"extent": "x"}, f"/api/v1/items/{bnf_pid}", "patch").status_code == 403


def test_revoked_and_expired_tokens_are_refused(client: Client, catalogue, bl_curator_token) -> None:
    token = ApiToken.objects.get()
    token.expires = timezone.now() - timedelta(seconds=1)
    token.save()
    assert post(client, bl_curator_token, NEW_ITEM).status_code == 401
    token.expires = None
    token.revoked = True
    token.save()
    assert post(client, bl_curator_token, NEW_ITEM).status_code == 401


def test_export_is_for_administrators_only(client: Client, catalogue, admin_token, bl_curator_token) -> None:
    assert client.get("/api/v1/export").status_code == 401
    assert client.get("/api/v1/export", headers={"authorization": f"Bearer {bl_curator_token}"}).status_code == 403
    auth = {"authorization": f"Bearer {admin_token}"}
    jsonl = client.get("/api/v1/export?format=jsonl", headers=auth)
    assert jsonl.status_code == 200 and jsonl["Content-Type"].startswith("application/x-ndjson")
    kinds = [json.loads(line)["type"] for line in jsonl.content.decode().splitlines()]
    assert kinds.count("item") == len(catalogue.public) + 1
    csv_response = client.get("/api/v1/export?format=csv", headers=auth)
    assert csv_response.content.decode().startswith("pid,institution")
    bag = client.get("/api/v1/export?format=bagit", headers=auth)
    assert bag.status_code == 200 and bag["Content-Type"] == "application/zip"
    assert client.get("/api/v1/export?format=xml", headers=auth).status_code == 400


def test_literals_match_the_catalogue_models() -> None:
    from typing import get_args

    from mogao.api import schemas
    from mogao.catalogue.models import Item as ItemModel
    from mogao.catalogue.models import Rights, Visibility

    assert set(get_args(schemas.ItemType)) == set(ItemModel.Type.values)
    assert set(get_args(schemas.ItemStatus)) == set(ItemModel.Status.values)
    assert set(get_args(schemas.VisibilityValue)) == set(Visibility.values)
    assert set(get_args(schemas.RightsURI)) == set(Rights.values)
