"""The panel's side channel: the reader's own annotations of a page with ETag and review status (#15)."""

from __future__ import annotations

import json

import pytest

from mogao.annotations.models import Annotation
from mogao.community.models import Status

from .conftest import PROFILE, Site, container, region

pytestmark = pytest.mark.django_db


def mine_url(site: Site) -> str:
    return f"/annotations/canvas/{site.canvas.pk}/mine"


def test_own_annotations_with_etag_and_pending_status(site: Site) -> None:
    author = site.client("author")
    public = author.post(container(site), json.dumps(region(site, visibility="public")), content_type=PROFILE)
    private = author.post(container(site), json.dumps(region(site, text="Mine only")), content_type=PROFILE)
    site.client("other").post(container(site), json.dumps(region(site, visibility="public")), content_type=PROFILE)
    response = author.get(mine_url(site), headers={"Accept-Language": "en"})
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    items = {i["id"]: i for i in response.json()["items"]}
    assert set(items) == {public["Location"], private["Location"]}  # never another reader's
    assert items[public["Location"]]["etag"] == public["ETag"]
    assert items[public["Location"]]["status"] == Status.PENDING
    assert items[public["Location"]]["statusLabel"] == "Waiting for review"
    assert items[private["Location"]]["statusLabel"] == ""  # nobody else sees it: nothing to review
    assert all(i["editable"] and i["deletable"] for i in items.values())
    zh = author.get(mine_url(site), headers={"Accept-Language": "zh-hant"}).json()["items"]
    assert {i["statusLabel"] for i in zh} - {""} and "Waiting" not in json.dumps(zh, ensure_ascii=False)


def test_approved_shows_no_status_and_anonymous_is_refused(site: Site) -> None:
    trusted = site.client("trusted")
    trusted.post(container(site), json.dumps(region(site, visibility="public")), content_type=PROFILE)
    assert Annotation.objects.get().status == Status.APPROVED
    assert [i["statusLabel"] for i in trusted.get(mine_url(site)).json()["items"]] == [""]
    assert site.client("anonymous").get(mine_url(site)).status_code == 401
    assert site.client("author").get(f"/annotations/canvas/{site.canvas.pk + 999}/mine").status_code == 404
    assert site.client("author").post(mine_url(site)).status_code == 405
