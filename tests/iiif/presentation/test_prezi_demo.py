"""Conformance: every manifest and collection emitted for the demo library validates (IIIF 3.0 schema)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from mogao.catalogue import services
from mogao.catalogue.models import Collection, Institution, Item, Join, Work
from mogao.demo.loader import demo_load
from mogao.iiif.presentation import selectors


def emitted(client: Client, url: str) -> tuple[int, dict[str, Any]]:
    response = client.get(url)
    return response.status_code, json.loads(response.content)


def validate_everything(client: Client, assert_valid: Any) -> dict[str, int]:
    """Fetch every manifest, collection and join manifest the server emits and validate each."""
    counts = {"manifests": 0, "collections": 0, "joins": 0}
    for item in Item.objects.all():
        status, body = emitted(client, f"/iiif/items/{item.pid}/manifest")
        assert status == (200 if selectors.item_has_manifest(item=item) else 404), item.pid
        if status == 200:
            assert_valid(body)
            counts["manifests"] += 1
    urls = ["/iiif/collections/top", "/iiif/collections/works"]
    urls += [f"/iiif/collections/institution/{i.pid}" for i in Institution.objects.all()]
    urls += [f"/iiif/collections/collection/{c.pid}" for c in Collection.objects.all()]
    urls += [f"/iiif/collections/work/{w.pid}" for w in Work.objects.filter(visibility="public")]
    for url in urls:
        status, body = emitted(client, url)
        assert status == 200, url
        assert_valid(body)
        counts["collections"] += 1
    with_images = set(selectors.joins_with_manifest().values_list("pid", flat=True))
    for join in Join.objects.all():
        status, body = emitted(client, f"/iiif/joins/{join.pid}/manifest")
        assert status == (200 if join.pid in with_images else 404), join.pid
        if status == 200:
            assert_valid(body)
            counts["joins"] += 1
    return counts


@pytest.mark.django_db
def test_demo_library_as_loaded_validates(client: Client, assert_valid: Any) -> None:
    demo_load(echo=lambda *a, **k: None)
    counts = validate_everything(client, assert_valid)
    assert counts["collections"] >= 1 + Institution.objects.count()


@pytest.mark.django_db
def test_every_demo_item_and_join_validates_once_each_has_images(client: Client, assert_valid: Any) -> None:
    """Give every demo item a page (remote v2, remote v3 or local ids alternate) and validate all.

    This runs the builders over all the demo's metadata: languages, BCE dates, periods, places, works.
    """
    demo_load(echo=lambda *a, **k: None)
    services_cycle = [
        {"service_url": "https://gallica.bnf.fr/iiif/ark:/12148/btv1b0000/f1"},
        {"service_url": "https://images.example.org/iiif/3/demo"},
        {"image_id": "demo-local"},
    ]
    items = list(Item.objects.filter(visibility="public"))
    for n, item in enumerate(items):
        if not selectors.item_has_manifest(item=item):
            services.canvas_upsert(item=item, order=900, width=2000, height=3000, **services_cycle[n % 3])
    counts = validate_everything(client, assert_valid)
    assert counts["manifests"] == len(items)
    assert counts["joins"] == Join.objects.filter(status=Join.Status.ACCEPTED).count()
