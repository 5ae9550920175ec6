"""Collections: top, per institution, per named collection, per work (across holders), and paging."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from mogao.catalogue import services
from mogao.iiif.presentation import collections

from .prezi_support import Library

BASE = "http://127.0.0.1:8000"


def get_json(client: Client, url: str, status: int = 200) -> dict[str, Any]:
    response = client.get(url)
    assert response.status_code == status, response.content[:300]
    assert response["Access-Control-Allow-Origin"] == "*"
    return json.loads(response.content)


@pytest.mark.django_db
def test_top_collection_lists_institutions_with_images(
    client: Client, library: Library, assert_valid: Any, settings: Any,
) -> None:
    settings.BASE_URL = BASE
    services.institution_upsert(code="NLC", name={"zh-Hant": ["中國國家圖書館"]})  # no items: left out
    top = get_json(client, "/iiif/collections/top")
    assert_valid(top)
    assert top["id"] == f"{BASE}/iiif/collections/top"
    assert top["type"] == "Collection"
    assert [c["id"] for c in top["items"]] == [
        f"{BASE}/iiif/collections/institution/{library.bl.pid}",
        f"{BASE}/iiif/collections/institution/{library.bnf.pid}",
        f"{BASE}/iiif/collections/works",
    ]
    assert top["items"][0]["label"]["zh-Hans"] == ["大英图书馆"]
    works = get_json(client, "/iiif/collections/works")
    assert_valid(works)
    assert [w["id"] for w in works["items"]] == [f"{BASE}/iiif/collections/work/{library.work.pid}"]


@pytest.mark.django_db
def test_institution_collection_has_named_collections_then_loose_items(
    client: Client, library: Library, assert_valid: Any, settings: Any,
) -> None:
    settings.BASE_URL = BASE
    c = get_json(client, f"/iiif/collections/institution/{library.bl.pid}")
    assert_valid(c)
    ids = [entry["id"] for entry in c["items"]]
    assert ids == [
        f"{BASE}/iiif/collections/collection/{library.stein.pid}",
        f"{BASE}/iiif/items/{library.tibetan.pid}/manifest",
    ]
    assert c["requiredStatement"]["value"]["en"] == ["British Library"]
    assert c["provider"][0]["label"]["en"] == ["British Library"]
    # Not digitized and private items are never listed.
    assert all(library.undigitized.pid not in i and library.private.pid not in i for i in ids)


@pytest.mark.django_db
def test_named_collection_lists_its_manifests(client: Client, library: Library, assert_valid: Any) -> None:
    c = get_json(client, f"/iiif/collections/collection/{library.stein.pid}")
    assert_valid(c)
    assert [e["type"] for e in c["items"]] == ["Manifest"]
    assert c["items"][0]["id"].endswith(f"/iiif/items/{library.scroll.pid}/manifest")
    assert c["items"][0]["label"]["zh-Hant"] == ["金剛般若波羅蜜經"]
    assert c["partOf"][0]["id"].endswith(f"/iiif/collections/institution/{library.bl.pid}")


@pytest.mark.django_db
def test_work_collection_gathers_witnesses_across_holders(client: Client, library: Library, assert_valid: Any) -> None:
    c = get_json(client, f"/iiif/collections/work/{library.work.pid}")
    assert_valid(c)
    assert c["label"]["en"] == ["Diamond Sūtra"]
    assert c["label"]["zh-Hans"] == ["金刚般若波罗蜜经"]
    labels = [e["label"]["en"][0] for e in c["items"]]
    assert labels == [
        "Diamond Sūtra (printed scroll) · British Library · Or.8210/P.2",
        # No English title: the site's fallback (traditional Chinese) stands in.
        "金剛經殘卷 · National Library of France · Pelliot chinois 2000",
    ]
    assert c["items"][1]["label"]["fr"] == [
        "Sūtra du Diamant (fragment) · Bibliothèque nationale de France · Pelliot chinois 2000"
    ]
    assert c["homepage"][0]["id"].endswith(f"/works/{library.work.pid}")


@pytest.mark.django_db
def test_large_collections_are_split_into_pages(
    client: Client, library: Library, assert_valid: Any, monkeypatch: pytest.MonkeyPatch, settings: Any,
) -> None:
    settings.BASE_URL = BASE
    monkeypatch.setattr(collections, "PAGE_SIZE", 1)
    parent = get_json(client, f"/iiif/collections/institution/{library.bl.pid}")
    assert_valid(parent)
    cid = f"{BASE}/iiif/collections/institution/{library.bl.pid}"
    assert [e["id"] for e in parent["items"]] == [f"{cid}?page=1", f"{cid}?page=2"]
    assert all(e["type"] == "Collection" for e in parent["items"])
    page2 = get_json(client, f"/iiif/collections/institution/{library.bl.pid}?page=2")
    assert_valid(page2)
    assert page2["id"] == f"{cid}?page=2"
    assert page2["partOf"][0]["id"] == cid
    assert [e["id"] for e in page2["items"]] == [f"{BASE}/iiif/items/{library.tibetan.pid}/manifest"]
    assert page2["label"]["en"] == ["British Library · 2/2"]


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "status"), [("page=0", 404), ("page=3", 404), ("page=x", 400), ("page=-1", 400)])
def test_bad_pages(client: Client, library: Library, query: str, status: int) -> None:
    body = get_json(client, f"/iiif/collections/institution/{library.bl.pid}?{query}", status=status)
    assert body["error"]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["institution", "collection", "work"])
def test_unknown_collections_are_404(client: Client, library: Library, kind: str) -> None:
    body = get_json(client, f"/iiif/collections/{kind}/nope", status=404)
    assert "nope" in body["error"]
