"""The W3C Web Annotation Protocol, requirement by requirement (https://www.w3.org/TR/annotation-protocol/).

Section numbers refer to the Recommendation. Every JSON-LD document served here also passes the
W3C model validator (the autouse fixture in conftest).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from mogao.annotations import protocol
from mogao.annotations.models import Annotation

from .conftest import PROFILE, SERVED, Site, container, region, text_range

pytestmark = pytest.mark.django_db
PREFER = 'return=representation;include="http://www.w3.org/ns/oa#Prefer{}"'


def post(client: Client, site: Site, data: Any, **headers: str) -> Any:
    body = data if isinstance(data, (str, bytes)) else json.dumps(data)
    return client.post(container(site), body, content_type=headers.pop("content_type", PROFILE),
                       headers=headers)


def created(site: Site, role: str = "author", **kwargs: Any) -> tuple[Client, Any]:
    client = site.client(role)
    response = post(client, site, region(site, **kwargs))
    assert response.status_code == 201, response.content
    return client, response


# ---------------------------------------------------------------- 4. Annotation Retrieval


def test_get_annotation_has_type_link_etag_allow_and_profile(site: Site) -> None:
    client, response = created(site)
    got = client.get(response["Location"], headers={"Accept": PROFILE})
    assert got.status_code == 200
    assert got["Content-Type"] == PROFILE
    assert 'rel="type"' in got["Link"] and "ldp#Resource" in got["Link"]
    assert got["ETag"] == response["ETag"]
    assert set(got["Allow"].replace(" ", "").split(",")) >= {"GET", "HEAD", "OPTIONS", "PUT", "DELETE"}
    assert "Accept" in got["Vary"]
    data = got.json()
    assert data["id"] == response["Location"] and data["type"] == "Annotation"


def test_head_and_options(site: Site) -> None:
    client, response = created(site)
    assert client.head(response["Location"]).status_code == 200
    options = client.options(response["Location"])
    assert options.status_code == 200 and "PUT" in options["Allow"]
    options = client.options(container(site))
    assert options.status_code == 200 and "POST" in options["Allow"] and options["Accept-Post"] == PROFILE


def test_if_none_match_answers_304(site: Site) -> None:
    client, response = created(site)
    assert client.get(response["Location"], headers={"If-None-Match": response["ETag"]}).status_code == 304


def test_unacceptable_accept_is_406(site: Site) -> None:
    client, response = created(site)
    assert client.get(response["Location"], headers={"Accept": "text/turtle"}).status_code == 406
    refused = client.get(container(site), headers={"Accept": "text/html"})
    assert refused.status_code == 406 and refused.json()["field"] == "Accept"
    assert client.get(container(site), headers={"Accept": "application/ld+json"}).status_code == 200


# ---------------------------------------------------------------- 5. Containers


def test_container_is_basic_container_and_collection(site: Site) -> None:
    created(site)
    response = site.client("author").get(container(site), headers={"Accept": PROFILE})
    assert response.status_code == 200
    assert response["Content-Type"] == PROFILE
    assert "ldp#BasicContainer" in response["Link"] and "constrainedBy" in response["Link"]
    assert response["Accept-Post"] == PROFILE and "ETag" in response
    assert "Prefer" in response["Vary"]
    data = response.json()
    assert data["@context"] == ["http://www.w3.org/ns/anno.jsonld", "http://www.w3.org/ns/ldp.jsonld"]
    assert set(data["type"]) == {"BasicContainer", "AnnotationCollection"}
    assert data["total"] == 1
    assert data["first"]["items"][0]["type"] == "Annotation"  # descriptions by default
    assert data["last"].endswith("page=0")


def test_prefer_iris_descriptions_and_minimal(site: Site) -> None:
    created(site)
    client = site.client("author")
    iris = client.get(container(site), headers={"Prefer": PREFER.format("ContainedIRIs")})
    assert iris["Preference-Applied"] == "return=representation"
    assert isinstance(iris.json()["first"]["items"][0], str)
    assert "iris=1" in iris.json()["last"]
    full = client.get(container(site), headers={"Prefer": PREFER.format("ContainedDescriptions")}).json()
    assert full["first"]["items"][0]["type"] == "Annotation"
    minimal = client.get(container(site), headers={
        "Prefer": 'return=representation;include="http://www.w3.org/ns/ldp#PreferMinimalContainer"'}).json()
    assert isinstance(minimal["first"], str)


def test_paging(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(protocol, "PAGE_SIZE", 2)
    client = site.client("author")
    for i in range(5):
        assert post(client, site, region(site, xywh=f"{i},0,10,10")).status_code == 201
    data = client.get(container(site)).json()
    assert data["total"] == 5 and data["last"].endswith("page=2")
    assert len(data["first"]["items"]) == 2 and data["first"]["next"].endswith("page=1")
    page = client.get(data["first"]["next"]).json()
    assert page["type"] == "AnnotationPage" and page["startIndex"] == 2
    assert page["partOf"]["total"] == 5 and page["prev"].endswith("page=0")
    last = client.get(data["last"]).json()
    assert len(last["items"]) == 1 and "next" not in last
    iris = client.get(container(site) + "?iris=1&page=1").json()
    assert all(isinstance(i, str) for i in iris["items"])
    assert client.get(container(site) + "?page=3").status_code == 404
    assert client.get(container(site) + "?page=x").json()["field"] == "page"


def test_empty_container(site: Site) -> None:
    data = site.client("anonymous").get(container(site)).json()
    assert data["total"] == 0 and "first" not in data


def test_unknown_container_is_404(site: Site) -> None:
    response = site.client("author").get("/annotations/canvas/999999/")
    assert response.status_code == 404 and response.json()["field"] == "canvas"


# ---------------------------------------------------------------- 6. Creation, update, deletion


def test_post_creates_with_201_location_etag(site: Site) -> None:
    _client, response = created(site, visibility="public")
    assert response["Location"].startswith(f"http://testserver{container(site)}")
    assert response["ETag"].startswith('"')
    assert response["Content-Type"] == PROFILE
    data = response.json()
    assert data["target"]["selector"]["value"] == "xywh=10,20,300,200"
    assert data["body"][0]["language"] == "en" and data["body"][1] == {"type": "TextualBody", "value": "seal",
                                                                        "purpose": "tagging"}
    annotation = Annotation.objects.get()
    assert annotation.status == "pending"  # public by an untrusted reader waits for review


def test_post_ignores_a_client_id(site: Site) -> None:
    data = region(site)
    data["id"] = "http://example.org/mine"
    response = post(site.client("author"), site, data)
    assert response.status_code == 201 and response.json()["id"] != "http://example.org/mine"


def test_text_position_selector(site: Site) -> None:
    response = post(site.client("author"), site, text_range(site, 5, 7))
    assert response.status_code == 201, response.content
    selectors = response.json()["target"]["selector"]
    assert selectors[0] == {"type": "TextPositionSelector", "start": 5, "end": 7}
    assert selectors[1] == {"type": "TextQuoteSelector", "exact": "一時"}


def test_put_needs_if_match(site: Site) -> None:
    client, response = created(site)
    url, changed = response["Location"], region(site, text="Changed")
    missing = client.put(url, json.dumps(changed), content_type=PROFILE)
    assert missing.status_code == 428 and missing.json()["field"] == "If-Match"
    stale = client.put(url, json.dumps(changed), content_type=PROFILE, headers={"If-Match": '"stale"'})
    assert stale.status_code == 412 and stale.json()["field"] == "If-Match"
    assert Annotation.objects.get().text == "A seal"
    ok = client.put(url, json.dumps(changed), content_type=PROFILE, headers={"If-Match": response["ETag"]})
    assert ok.status_code == 200 and ok.json()["body"][0]["value"] == "Changed"
    assert ok["ETag"] != response["ETag"]
    again = client.put(url, json.dumps(changed), content_type=PROFILE, headers={"If-Match": response["ETag"]})
    assert again.status_code == 412


def test_put_cannot_change_the_id(site: Site) -> None:
    client, response = created(site)
    data = region(site)
    data["id"] = "http://testserver/annotations/elsewhere"
    refused = client.put(response["Location"], json.dumps(data), content_type=PROFILE,
                         headers={"If-Match": response["ETag"]})
    assert refused.status_code == 400 and refused.json()["field"] == "id"


def test_delete_with_if_match(site: Site) -> None:
    client, response = created(site)
    assert client.delete(response["Location"]).status_code == 428
    assert client.delete(response["Location"], headers={"If-Match": '"x"'}).status_code == 412
    assert client.delete(response["Location"], headers={"If-Match": response["ETag"]}).status_code == 204
    assert client.get(response["Location"]).status_code == 404
    assert not Annotation.objects.exists()


def test_method_not_allowed(site: Site) -> None:
    response = site.client("author").patch(container(site), "{}", content_type=PROFILE)
    assert response.status_code == 405 and "POST" in response["Allow"]


# ---------------------------------------------------------------- bad input: 4xx naming the field


@pytest.mark.parametrize(("mutate", "status", "field"), [
    (lambda d: d.update({"@context": "http://schema.org"}), 400, "@context"),
    (lambda d: d.update({"type": "Note"}), 400, "type"),
    (lambda d: d.update({"colour": "red"}), 400, "colour"),
    (lambda d: d.update({"body": []}), 400, "body"),
    (lambda d: d["body"][0].update({"value": "x" * 4001}), 400, "body[0].value"),
    (lambda d: d["body"][0].update({"language": "not a tag!"}), 400, "body[0].language"),
    (lambda d: d["body"][0].update({"format": "text/html"}), 400, "body[0].format"),
    (lambda d: d["body"][0].update({"onload": "x"}), 400, "body[0].onload"),
    (lambda d: d["body"][1].update({"value": "nonsense"}), 400, "body[1].value"),
    (lambda d: d["target"]["selector"].update({"value": "xywh=a,b,c,d"}), 400, "target.selector.value"),
    (lambda d: d["target"]["selector"].update({"value": "xywh=900,700,200,200"}), 400, "target.selector.value"),
    (lambda d: d["target"]["selector"].update({"value": "xywh=0,0,0,10"}), 400, "target.selector.value"),
    (lambda d: d["target"]["selector"].update({"type": "SvgSelector"}), 400, "target.selector.type"),
    (lambda d: d["target"].update({"source": "http://testserver/iiif/items/nope/canvas/9"}), 404, "target.source"),
    (lambda d: d["target"].update({"source": 5}), 400, "target.source"),
    (lambda d: d.update({"audience": {"schema:audienceType": "everyone"}}), 400, "audience.schema:audienceType"),
    (lambda d: d.update({"audience": {"schema:audienceType": "group", "id": "/annotations/groups/nope/"}}),
     400, "audience.id"),
    (lambda d: d.update({"motivation": "painting"}), 400, "motivation"),
])
def test_bad_annotations_name_the_field(site: Site, mutate: Any, status: int, field: str) -> None:
    data = region(site)
    mutate(data)
    response = post(site.client("author"), site, data)
    assert response.status_code == status, response.content
    assert response.json()["field"] == field
    assert not Annotation.objects.exists()  # nothing half-saved


@pytest.mark.parametrize(("start", "end"), [(-1, 2), (3, 3), (0, 999), (2, 1)])
def test_text_positions_outside_the_text(site: Site, start: int, end: int) -> None:
    response = post(site.client("author"), site, text_range(site, start, end))
    assert response.status_code == 400 and response.json()["field"].startswith("target.selector")
    assert not Annotation.objects.exists()


def test_wrong_content_type_oversized_and_malformed(site: Site) -> None:
    client = site.client("author")
    wrong = post(client, site, region(site), content_type="text/plain")
    assert wrong.status_code == 415 and wrong.json()["field"] == "Content-Type"
    big = post(client, site, json.dumps(region(site, text="x" * 20000)))
    assert big.status_code == 413 and big.json()["field"] == "(body)"
    broken = post(client, site, "{not json")
    assert broken.status_code == 400 and broken.json()["field"] == "(body)"
    assert post(client, site, "[]").json()["field"] == "(body)"
    assert not Annotation.objects.exists()


def test_anonymous_and_csrf(site: Site) -> None:
    anonymous = post(site.client("anonymous"), site, region(site))
    assert anonymous.status_code == 401 and anonymous.json()["field"] == "authentication"
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(site.users["author"])
    refused = post(strict, site, region(site))
    assert refused.status_code == 403 and refused.json()["field"] == "X-CSRFToken"
    strict.get("/annotations/groups/")  # sets the CSRF cookie
    token = strict.cookies["csrftoken"].value
    assert post(strict, site, region(site), **{"X-CSRFToken": token}).status_code == 201


def test_rate_limit(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    from mogao.annotations import services

    monkeypatch.setattr(services, "CREATE_RATE", "2/hour")
    client = site.client("author")
    assert [post(client, site, region(site)).status_code for _ in range(3)] == [201, 201, 429]
    assert Annotation.objects.count() == 2


def test_rate_limit_on_edits(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    from mogao.annotations import services

    monkeypatch.setattr(services, "EDIT_RATE", "2/hour")
    client, response = created(site)
    etag, codes = response["ETag"], []
    for i in range(3):
        answer = client.put(response["Location"], json.dumps(region(site, text=f"Edit {i}")), content_type=PROFILE,
                            headers={"If-Match": etag})
        codes.append(answer.status_code)
        etag = answer.get("ETag", etag)
    assert codes == [200, 200, 429]
    assert Annotation.objects.get().text == "Edit 1"  # the refused edit changed nothing


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "body[0].language must be a BCP 47 tag"),
    ("fr", "body[0].language doit être une étiquette BCP 47"),
    ("zh-hans", "body[0].language 必须是 BCP 47 语言标签"),
    ("zh-hant", "body[0].language 必須是 BCP 47 語言標籤"),
])
def test_error_messages_speak_the_readers_language(site: Site, lang: str, expected: str) -> None:
    data = region(site)
    data["body"][0]["language"] = "not a tag!"
    response = post(site.client("author"), site, data, **{"Accept-Language": lang})
    assert response.status_code == 400 and response.json()["field"] == "body[0].language"
    assert response.json()["error"].startswith(expected)


def test_everything_served_was_validated(site: Site) -> None:
    """The validating wrapper really sees what the protocol serves (in this test's own requests, so
    the check holds whichever worker runs it)."""
    before = len(SERVED)
    client, response = created(site)
    assert client.get(response["Location"], HTTP_ACCEPT=PROFILE).status_code == 200
    assert client.get(container(site), HTTP_ACCEPT=PROFILE).status_code == 200
    assert len(SERVED) >= before + 3, "the validator saw no served document"
