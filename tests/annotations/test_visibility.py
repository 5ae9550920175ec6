"""Who sees, changes and deletes which annotation (the policy matrix), the manifest, groups and XSS."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from mogao.annotations import services
from mogao.annotations.models import Annotation
from mogao.community.models import ReaderGroup

from . import w3c
from .conftest import PROFILE, ROLES, Site, container, region

pytestmark = pytest.mark.django_db
VISIBILITIES = ("private", "group", "public")

#: (role, visibility) -> (view, change, delete), written from the issue, not from the policy.
#: Public annotations here are approved (a pending one is seen by moderators and curators of the holder).
EXPECTED = {
    **{("author", v): (True, True, True) for v in VISIBILITIES},
    **{("anonymous", v): (v == "public", False, False) for v in VISIBILITIES},
    **{("other", v): (v == "public", False, False) for v in VISIBILITIES},
    **{("member", v): (v != "private", False, False) for v in VISIBILITIES},
    **{("moderator", v): (v == "public", False, False) for v in VISIBILITIES},
    **{("curator", v): (v == "public", False, False) for v in VISIBILITIES},
    **{("other_curator", v): (v == "public", False, False) for v in VISIBILITIES},
}


def make(site: Site, visibility: str, *, status: str = "approved", text: str = "note") -> Annotation:
    annotation = Annotation.objects.create(
        canvas=site.canvas, author=site.users["author"], visibility=visibility, status=status, text=text,
        language="en", x=1, y=1, w=10, h=10, group=site.group if visibility == "group" else None)
    return annotation


def url(site: Site, annotation: Annotation) -> str:
    return f"/annotations/canvas/{site.canvas.pk}/{annotation.uid}"


@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("role", ROLES)
def test_policy_matrix(site: Site, role: str, visibility: str) -> None:
    annotation = make(site, visibility)
    view, change, delete = EXPECTED[(role, visibility)]
    client = site.client(role)
    assert (client.get(url(site, annotation)).status_code == 200) is view
    listed = client.get(container(site)).json()
    assert (listed["total"] == 1) is view
    body = json.dumps(region(site, text="edited"))
    put = client.put(url(site, annotation), body, content_type=PROFILE, headers={"If-Match": annotation.etag})
    assert (put.status_code == 200) is change
    if not change:
        assert put.status_code in (401, 403, 404)
        assert Annotation.objects.get(pk=annotation.pk).text == "note"
    annotation.refresh_from_db()
    gone = client.delete(url(site, annotation), headers={"If-Match": annotation.etag})
    assert (gone.status_code == 204) is delete
    if not delete:
        assert Annotation.objects.filter(pk=annotation.pk).exists()


@pytest.mark.parametrize("role", ["moderator", "curator"])
def test_pending_public_is_seen_by_its_moderators_only(site: Site, role: str) -> None:
    annotation = make(site, "public", status="pending")
    assert site.client(role).get(url(site, annotation)).status_code == 200
    for outsider in ("other", "other_curator", "anonymous", "member"):
        assert site.client(outsider).get(url(site, annotation)).status_code == 404


def test_private_item_canvas_is_hidden(site: Site) -> None:
    from mogao.catalogue.models import Item

    annotation = make(site, "public")
    Item.objects.filter(pk=site.canvas.item_id).update(visibility="private")
    assert site.client("other").get(url(site, annotation)).status_code == 404
    assert site.client("other").get(container(site)).status_code == 404


def test_trusted_publish_at_once_and_status_follows_visibility(site: Site) -> None:
    trusted = Client()
    trusted.force_login(site.users["trusted"])
    response = trusted.post(container(site), json.dumps(region(site, visibility="public")), content_type=PROFILE)
    assert response.status_code == 201
    assert Annotation.objects.get().status == "approved"


# ------------------------------------------------------------------ the manifest


def manifest(site: Site) -> dict[str, Any]:
    response = Client().get(f"/iiif/items/{site.canvas.item.pid}/manifest")
    assert response.status_code == 200
    return response.json()


def test_manifest_carries_public_approved_annotations_only(site: Site) -> None:
    for visibility in VISIBILITIES:
        make(site, visibility, text=f"{visibility} note")
    pending = make(site, "public", status="pending", text="pending note")
    canvas = manifest(site)["items"][0]
    pages = canvas["annotations"]
    texts = [b["value"] for a in pages[0]["items"] for b in a["body"]]
    assert texts == ["public note"]
    for page in pages:
        w3c.validate_page(page, embedded=True)
        for a in page["items"]:
            assert a["motivation"] in ("commenting", "describing", "tagging")
            assert a["target"].startswith(canvas["id"] + "#xywh=")
    # approval makes it visible at once (the manifest is built on every request)
    services.moderate(site.users["moderator"], pending, "approved")
    texts = [b["value"] for a in manifest(site)["items"][0]["annotations"][0]["items"] for b in a["body"]]
    assert "pending note" in texts
    services.moderate(site.users["moderator"], pending, "hidden")
    texts = [b["value"] for a in manifest(site)["items"][0]["annotations"][0]["items"] for b in a["body"]]
    assert "pending note" not in texts


def test_text_annotation_in_manifest_targets_the_characters(site: Site) -> None:
    Annotation.objects.create(canvas=site.canvas, transcription=site.transcription, author=site.users["author"],
                              visibility="public", status="approved", text="thus", language="en",
                              text_start=0, text_end=2, exact="如是")
    item = manifest(site)["items"][0]["annotations"][0]["items"][0]
    assert item["target"].endswith("#xywh=100,100,50,200")


# ------------------------------------------------------------------ groups


def test_group_pages(site: Site) -> None:
    owner = site.client("author")
    assert owner.get("/annotations/groups/").status_code == 200
    response = owner.post("/annotations/groups/", {"name": "Seminar"})
    assert response.status_code == 302
    group = ReaderGroup.objects.get(name="Seminar")
    assert owner.post(response["Location"], {"username": "nobody"}).status_code == 400
    assert owner.post(response["Location"], {"username": "other"}).status_code == 302
    assert group.members.filter(username="other").exists()
    # a member sees the group but may not manage it; an outsider gets 404
    assert site.client("other").get(response["Location"]).status_code == 200
    assert site.client("other").post(response["Location"], {"username": "member"}).status_code == 404
    assert site.client("member").get(response["Location"]).status_code == 404
    remove = f"{response['Location']}members/{site.users['other'].pk}/remove"
    assert site.client("other").post(remove).status_code == 404
    assert owner.post(remove).status_code == 302
    assert not group.members.filter(username="other").exists()
    assert site.client("anonymous").get("/annotations/groups/").status_code == 302


# ------------------------------------------------------------------ stored XSS corpus

XSS = [
    '<script>alert("x")</script>',
    '<img src=x onerror=alert(1)>',
    'javascript:alert(document.cookie)',
    '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>',
    "abc\u202edcba\u2066evil\u2069",
    '"><a href="javascript:alert(1)">click</a>',
]


@pytest.mark.parametrize("payload", XSS)
def test_xss_corpus_is_inert_everywhere(site: Site, payload: str) -> None:
    trusted = Client()
    trusted.force_login(site.users["trusted"])
    response = trusted.post(container(site), json.dumps(region(site, text=payload, visibility="public")),
                            content_type=PROFILE)
    assert response.status_code == 201, response.content
    annotation = Annotation.objects.get()
    assert "\u202e" not in annotation.text and "\u2066" not in annotation.text  # bidi controls removed
    served = [
        response.content.decode(),
        trusted.get(container(site)).content.decode(),
        trusted.get(response["Location"]).content.decode(),
    ]
    for text in served:  # JSON-LD: no raw markup at all
        assert "<" not in text and ">" not in text
        assert json.loads(text)
    raw = Client().get(f"/iiif/items/{site.canvas.item.pid}/manifest")
    assert raw["Content-Type"].startswith("application/ld+json")
    values = [b["value"] for a in raw.json()["items"][0]["annotations"][0]["items"] for b in a["body"]]
    assert annotation.text in values  # carried as a JSON string, for Mirador to show as text
    from django.template.loader import render_to_string

    html = render_to_string("annotations/_mymogao.html", {"annotations": [annotation]})
    assert "<script>" not in html and "<svg" not in html and "<img" not in html and 'href="javascript' not in html
