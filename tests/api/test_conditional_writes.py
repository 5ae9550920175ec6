"""Conditional writes (issue #12 fault 16): reads of writable records send ETag and Last-Modified,
PATCH honours If-Match and If-Unmodified-Since and answers 412 with a JSON message when stale."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils.http import http_date

from mogao.catalogue.models import Item

pytestmark = pytest.mark.django_db


def patch(client: Client, token: str, pid: str, body: dict[str, object], **headers: str):  # type: ignore[no-untyped-def]
    return client.patch(f"/api/v1/items/{pid}", data=json.dumps(body), content_type="application/json",
                        headers={"authorization": f"Bearer {token}", **headers})


def test_reads_send_validators_and_if_match_refuses_a_stale_write(client: Client, catalogue,
                                                                  bl_curator_token) -> None:
    pid = catalogue.public[0]
    read = client.get(f"/api/v1/items/{pid}")
    etag = read["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/") and read["Last-Modified"]
    assert client.get(f"/api/v1/items/{pid}", headers={"if-none-match": etag}).status_code == 304
    # two clients read the same version; the first write wins, the second is refused
    first = patch(client, bl_curator_token, pid, {"extent": "first"}, **{"if-match": etag})
    assert first.status_code == 200, first.content
    assert first["ETag"] and first["ETag"] != etag
    second = patch(client, bl_curator_token, pid, {"extent": "second"}, **{"if-match": etag})
    assert second.status_code == 412
    assert second["Content-Type"].startswith("application/json") and "If-Match" in second.json()["detail"]
    assert Item.objects.get(pid=pid).extent == "first"
    # the tag from the write's response (or a fresh read) goes through
    third = patch(client, bl_curator_token, pid, {"extent": "third"}, **{"if-match": first["ETag"]})
    assert third.status_code == 200
    fresh = client.get(f"/api/v1/items/{pid}", headers={"accept-language": "fr"})["ETag"]
    assert patch(client, bl_curator_token, pid, {"extent": "4"}, **{"if-match": fresh}).status_code == 200
    assert patch(client, bl_curator_token, pid, {"extent": "5"}, **{"if-match": "*"}).status_code == 200
    weak = f"W/{fresh}"
    assert patch(client, bl_curator_token, pid, {"extent": "6"}, **{"if-match": weak}).status_code == 412
    assert Item.objects.get(pid=pid).extent == "5"


def test_a_write_by_another_path_makes_the_etag_stale(client: Client, catalogue, bl_curator_token) -> None:
    pid = catalogue.public[1]
    etag = client.get(f"/api/v1/items/{pid}")["ETag"]
    Item.objects.filter(pid=pid).update(extent="importer")
    assert patch(client, bl_curator_token, pid, {"extent": "api"}, **{"if-match": etag}).status_code == 412
    assert Item.objects.get(pid=pid).extent == "importer"


def test_if_unmodified_since(client: Client, catalogue, bl_curator_token) -> None:
    pid = catalogue.public[2]
    item = Item.objects.get(pid=pid)
    before = http_date((item.updated - timedelta(hours=1)).timestamp())
    stale = patch(client, bl_curator_token, pid, {"extent": "late"}, **{"if-unmodified-since": before})
    assert stale.status_code == 412 and stale.json()["detail"]
    assert Item.objects.get(pid=pid).extent != "late"
    after = http_date((item.updated + timedelta(hours=1)).timestamp())
    ok = patch(client, bl_curator_token, pid, {"extent": "on time"}, **{"if-unmodified-since": after})
    assert ok.status_code == 200 and ok["Last-Modified"]
    assert patch(client, bl_curator_token, pid, {"extent": "plain"}).status_code == 200  # no precondition
