"""Reunification manifests: fragments held by different institutions in one sequence."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from mogao.catalogue.models import Join, Visibility

from .prezi_support import REMOTE_V2, Library

BASE = "http://127.0.0.1:8000"


def join_manifest(client: Client, pid: str, status: int = 200) -> dict[str, Any]:
    response = client.get(f"/iiif/joins/{pid}/manifest")
    assert response.status_code == status, response.content[:300]
    assert response["Access-Control-Allow-Origin"] == "*"
    return json.loads(response.content)


@pytest.mark.django_db
def test_join_manifest_mixes_holders_and_services(
    client: Client, library: Library, assert_valid: Any, settings: Any,
) -> None:
    settings.BASE_URL = BASE
    m = join_manifest(client, library.join.pid)
    assert_valid(m)
    assert m["id"] == f"{BASE}/iiif/joins/{library.join.pid}/manifest"
    assert m["label"]["en"] == ["Diamond Sūtra, London + Paris"]
    assert m["summary"]["en"] == ["Matching tear line and hand."]
    # Canvases keep their own ids: two local pages in London, then two remote pages in Paris.
    assert [c["id"] for c in m["items"]] == [
        f"{BASE}/iiif/items/{library.scroll.pid}/canvas/1",
        f"{BASE}/iiif/items/{library.scroll.pid}/canvas/2",
        f"{BASE}/iiif/items/{library.manuscript.pid}/canvas/1",
        f"{BASE}/iiif/items/{library.manuscript.pid}/canvas/2",
    ]
    services_ = [c["items"][0]["items"][0]["body"]["service"][0] for c in m["items"]]
    assert services_[0]["type"] == "ImageService3" and services_[0]["id"].startswith(BASE)
    assert services_[2] == {
        "@id": REMOTE_V2, "@type": "ImageService2", "profile": "http://iiif.io/api/image/2/level1.json",
    }
    assert m["viewingDirection"] == "right-to-left"
    assert {p["label"]["en"][0] for p in m["provider"]} == {"British Library", "National Library of France"}
    assert m["requiredStatement"]["value"]["en"] == ["British Library; National Library of France"]


@pytest.mark.django_db
def test_each_canvas_names_its_holder_and_rights(client: Client, library: Library) -> None:
    m = join_manifest(client, library.join.pid)
    london, paris = m["items"][0], m["items"][2]
    assert london["requiredStatement"]["value"]["en"] == ["British Library, Or.8210/P.2"]
    assert paris["requiredStatement"]["value"]["fr"] == ["Bibliothèque nationale de France, Pelliot chinois 2000"]
    assert london["metadata"][0]["value"]["en"] == ["British Library"]
    assert paris["metadata"][1]["value"] == {"none": ["Pelliot chinois 2000"]}
    assert london["rights"] == "http://creativecommons.org/publicdomain/mark/1.0/"
    assert paris["rights"] == "http://creativecommons.org/licenses/by-nc/4.0/"
    # Mixed licences: no single manifest-level rights claim.
    assert "rights" not in m
    assert paris["partOf"][0]["id"].endswith(f"/iiif/items/{library.manuscript.pid}/manifest")


@pytest.mark.django_db
def test_one_range_per_member_item(client: Client, library: Library, settings: Any) -> None:
    settings.BASE_URL = BASE
    m = join_manifest(client, library.join.pid)
    assert [r["id"] for r in m["structures"]] == [
        f"{BASE}/iiif/joins/{library.join.pid}/range/1", f"{BASE}/iiif/joins/{library.join.pid}/range/2",
    ]
    assert m["structures"][0]["label"]["en"] == ["Or.8210/P.2 · British Library"]
    assert [i["id"] for i in m["structures"][1]["items"]] == [c["id"] for c in m["items"][2:]]
    assert all(i["type"] == "Canvas" for r in m["structures"] for i in r["items"])


@pytest.mark.django_db
def test_suggested_rejected_and_unknown_joins_are_404(client: Client, library: Library) -> None:
    assert "no accepted join" in join_manifest(client, library.suggested.pid, status=404)["error"]
    Join.objects.filter(pk=library.join.pk).update(status=Join.Status.REJECTED)
    join_manifest(client, library.join.pid, status=404)
    join_manifest(client, "no-such-join", status=404)


@pytest.mark.django_db
def test_private_members_are_left_out(client: Client, library: Library) -> None:
    library.manuscript.visibility = Visibility.PRIVATE
    library.manuscript.save()
    m = join_manifest(client, library.join.pid)
    assert len(m["items"]) == 2
    assert len(m["structures"]) == 1
    assert m["rights"] == "http://creativecommons.org/publicdomain/mark/1.0/"
