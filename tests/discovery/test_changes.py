"""IIIF Change Discovery 1.0: the activity stream of created, updated and deleted manifests."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from mogao.catalogue import services
from mogao.catalogue.models import Canvas, Item
from mogao.iiif.presentation.selectors import manifest_item_qs

pytestmark = pytest.mark.django_db
CONTEXT = "http://iiif.io/api/discovery/1/context.json"


def all_activities(client: Client) -> list[dict]:
    collection = client.get("/iiif/discovery/collection.json").json()
    out: list[dict] = []
    url = collection["first"]["id"]
    while url:
        page = client.get(url.removeprefix("https://mogao.example")).json()
        assert page["@context"] == CONTEXT and page["type"] == "OrderedCollectionPage"
        assert page["partOf"]["id"] == collection["id"]
        assert page["startIndex"] == len(out)
        out += page["orderedItems"]
        url = page.get("next", {}).get("id")
    assert len(out) == collection["totalItems"]
    return out


def test_stream_has_creates_updates_and_deletes(client: Client, demo, settings) -> None:
    settings.DISCOVERY_PAGE_SIZE = 2
    old = timezone.now() - timedelta(days=2)
    Item.objects.filter(pk=demo.item.pk).update(created=old, updated=old + timedelta(hours=1))
    response = client.get("/iiif/discovery/collection.json")
    assert response["Content-Type"].startswith("application/ld+json")
    assert response.json()["@context"] == CONTEXT and response.json()["type"] == "OrderedCollection"
    activities = all_activities(client)
    by_object = {a["object"]["id"]: a for a in activities}
    manifest = f"https://mogao.example/iiif/items/{demo.item.pid}/manifest"
    assert by_object[manifest]["type"] == "Update"
    assert by_object[f"https://mogao.example/iiif/items/{demo.deleted_pid}/manifest"]["type"] == "Delete"
    assert len(by_object) == len(activities), "each manifest appears once"
    assert {a["object"]["type"] for a in activities} == {"Manifest"}
    times = [a["endTime"] for a in activities]
    assert times == sorted(times) and all(t.endswith("Z") for t in times)
    public_with_manifest = {f"https://mogao.example/iiif/items/{i.pid}/manifest" for i in manifest_item_qs()}
    assert public_with_manifest <= set(by_object)
    assert f"https://mogao.example/iiif/items/{demo.private.pid}/manifest" not in by_object


def test_new_item_appears_as_create_at_the_end(client: Client, demo) -> None:
    item, _ = services.item_upsert(institution=demo.item.institution, shelfmark="New 1", title={"en": ["New"]})
    Canvas.objects.create(item=item, order=1, width=10, height=10, image_id="new-1")
    last = all_activities(client)[-1]
    assert last["type"] == "Create" and last["object"]["id"].endswith(f"/iiif/items/{item.pid}/manifest")


def test_pages_out_of_range_are_404(client: Client, demo) -> None:
    assert client.get("/iiif/discovery/pages/999.json").status_code == 404
    assert client.get("/iiif/discovery/pages/0.json").status_code == 200
