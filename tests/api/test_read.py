"""Read operations: lists, details, cursor paging, filters, language negotiation and ETags."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def follow(client: Client, url: str, **headers: str) -> list[dict]:
    out: list[dict] = []
    while url:
        response = client.get(url, headers=headers)
        assert response.status_code == 200, response.content
        body = response.json()
        out += body["results"]
        url = body["next"]
    return out


def test_cursor_paging_returns_every_public_item_once(client: Client, catalogue) -> None:
    results = follow(client, "/api/v1/items?limit=2")
    assert [r["pid"] for r in results] == catalogue.public
    assert catalogue.private not in {r["pid"] for r in results}


def test_item_detail_with_related_records(client: Client, catalogue) -> None:
    pid = catalogue.public[0]
    body = client.get(f"/api/v1/items/{pid}").json()
    assert body["institution"]["pid"] == "bl" and body["collection"]["pid"] == "bl-stein"
    assert body["works"][0]["work"]["label"] == "Diamond Sūtra"
    assert body["period"]["url"].endswith("/periods/tang") and body["find_place"]["pid"] == "dunhuang"
    assert body["canvas_count"] == 1 and body["manifest"].endswith(f"/iiif/items/{pid}/manifest")
    assert client.get(f"/api/v1/items/{catalogue.private}").status_code == 404


def test_canvases_and_transcriptions(client: Client, catalogue) -> None:
    pid = catalogue.public[0]
    canvases = client.get(f"/api/v1/items/{pid}/canvases").json()
    assert canvases == [{"order": 1, "label": {"en": ["f. 1"]}, "width": 1000, "height": 800,
                         "image_service": None, "transcriptions": 1}]
    texts = client.get(f"/api/v1/items/{pid}/canvases/1/transcriptions").json()
    assert texts[0]["text"] == "如是我聞" and texts[0]["layout"] == {"direction": "vertical-rl"}
    assert client.get(f"/api/v1/items/{pid}/canvases/9/transcriptions").status_code == 404


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("institution=bnf", 2), ("collection=bl-stein", 3), ("work=t0235-diamond-sutra", 2), ("type=scroll", 3),
        ("status=catalogued", 7), ("year_from=900", 3), ("year_to=760", 2), ("year_from=760&year_to=800", 2),
        ("year_from=900&year_to=800", 0),
        ("language=lzh", 7), ("language=fr", 0), ("institution=nowhere", 0),
    ],
)
def test_item_filters(client: Client, catalogue, query: str, expected: int) -> None:
    assert len(follow(client, f"/api/v1/items?limit=100&{query}")) == expected


def test_other_lists_and_details(client: Client, catalogue) -> None:
    assert [i["code"] for i in follow(client, "/api/v1/institutions")] == ["BL", "BnF"]
    assert [c["pid"] for c in follow(client, "/api/v1/collections?institution=bl")] == ["bl-stein"]
    works = follow(client, "/api/v1/works?identifier=taisho:T0235")
    assert works[0]["creators"][0] == {"person": {"pid": "kumarajiva", "label": "Kumārajīva",
                                                  "url": "http://testserver/people/kumarajiva"}, "role": "translator"}
    assert follow(client, "/api/v1/works?period=tang")[0]["pid"] == works[0]["pid"]
    person = client.get("/api/v1/people/kumarajiva").json()
    assert person["authorities"][0]["scheme"] == "dila-person"
    assert client.get("/api/v1/places/dunhuang").json()["latitude"] == 40.14
    assert client.get("/api/v1/periods/tang").json()["period_kind"] == "dynasty"
    for path in ("/api/v1/people/nobody", "/api/v1/institutions/x", "/api/v1/collections/x", "/api/v1/works/x"):
        response = client.get(path)
        assert response.status_code == 404 and response.json()["detail"]


def test_language_negotiation(client: Client, catalogue) -> None:
    path = f"/api/v1/items/{catalogue.public[0]}"
    assert client.get(path).json()["label"] == "Diamond Sūtra copy 0"
    response = client.get(path, headers={"accept-language": "zh-Hant,zh;q=0.9"})
    assert response.json()["label"] == "金剛經 0" and response["Content-Language"] == "zh-hant"
    assert client.get(path + "?lang=zh-hans").json()["label"] == "金刚经 0"
    assert client.get(path + "?lang=fr", headers={"accept-language": "zh-Hant"})["Content-Language"] == "fr"
    assert "Accept-Language" in client.get(path)["Vary"]


def test_etags_and_conditional_get(client: Client, catalogue) -> None:
    path = f"/api/v1/items/{catalogue.public[0]}"
    first = client.get(path)
    etag = first["ETag"]
    again = client.get(path, headers={"if-none-match": etag})
    assert again.status_code == 304 and again["ETag"] == etag and again.content == b""
    assert client.get(path + "?lang=zh-hant", headers={"if-none-match": etag}).status_code == 200
    assert client.get("/api/v1/items", headers={"if-none-match": etag}).status_code == 200


def test_openapi_document_and_docs(client: Client) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    assert {"/api/v1/items", "/api/v1/items/{pid}", "/api/v1/people", "/api/v1/export"} <= set(spec["paths"])
    assert client.get("/api/v1/docs").status_code == 200
