"""Readers request and join; bad input gets field messages and writes nothing; CSRF on every POST."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from mogao.digitization.models import Pledge, Request, RequestReader, Transition

from .conftest import Lib

pytestmark = pytest.mark.django_db


def _client(lib: Lib, role: str | None, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    if role:
        client.force_login(lib.users[role])
    return client


def _post(client: Client, lib: Lib, key: str, **data: Any) -> Any:
    return client.post(reverse("digitization:item_request", args=[lib.items[key].pid]),
                       {"purpose": "research", "note": "", **data})


def _counts() -> tuple[int, int, int]:
    return Request.objects.count(), RequestReader.objects.count(), Transition.objects.count()


def test_a_second_reader_joins_and_the_item_page_says_how_many(lib: Lib, django_capture_on_commit_callbacks: Any,
                                                               mailoutbox: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        r1 = _post(_client(lib, "reader"), lib, "a", note="For my thesis on 變文.")
    assert r1.status_code == 302
    req = Request.objects.get(item=lib.items["a"])
    with django_capture_on_commit_callbacks(execute=True):
        r2 = _post(_client(lib, "reader2"), lib, "a", purpose="teaching")
    assert r2.status_code == 302 and r2.url == req.get_absolute_url()
    assert Request.objects.filter(item=lib.items["a"]).count() == 1
    assert RequestReader.objects.filter(request=req).count() == 2
    page = Client().get(lib.items["a"].get_absolute_url()).content.decode()
    assert "2 readers want this" in page and "data-viewer" not in page
    assert req.get_absolute_url() in page
    queue = Client().get(reverse("digitization:queue")).content.decode()
    assert "DG-a" in queue and "distinct readers (20)" in queue and "distinct purposes (10)" in queue
    # the holder's curator was told on site (once: a join is not a new request); mail comes as a digest
    from mogao.notify.models import Notification

    notes = Notification.objects.filter(kind="digitization.new_request")
    assert list(notes.values_list("recipient__username", flat=True)) == ["dg-curator_a"]
    assert mailoutbox == []


def test_a_duplicate_request_is_refused_and_nothing_is_saved(lib: Lib) -> None:
    client = _client(lib, "reader")
    assert _post(client, lib, "a").status_code == 302
    before = _counts()
    again = _post(client, lib, "a", purpose="teaching")
    assert again.status_code == 400
    assert "You have already asked for this" in again.content.decode()
    assert _counts() == before


def test_an_online_item_is_refused_with_its_link(lib: Lib) -> None:
    response = _post(_client(lib, "reader"), lib, "online")
    assert response.status_code == 400
    text = response.content.decode()
    assert "already online" in text and lib.items["online"].get_absolute_url() in text
    assert _counts() == (0, 0, 0)
    page = Client().get(lib.items["online"].get_absolute_url()).content.decode()
    assert "digitization-panel" not in page and "data-viewer" in page


def test_unknown_and_restricted_items(lib: Lib) -> None:
    reader = _client(lib, "reader")
    assert reader.post(reverse("digitization:item_request", args=["no-such-item"]),
                       {"purpose": "research"}).status_code == 404
    # a private item does not exist for a reader; its curator is told why it cannot be served
    assert _post(reader, lib, "private").status_code == 404
    curator = _post(_client(lib, "curator_a"), lib, "private")
    assert curator.status_code == 400 and "This item is not public" in curator.content.decode()
    assert _post(_client(lib, "curator_b"), lib, "private").status_code == 404
    assert _counts() == (0, 0, 0)


def test_anonymous_readers_are_sent_to_sign_in(lib: Lib) -> None:
    response = _post(Client(), lib, "a")
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert _counts() == (0, 0, 0)
    page = Client().get(lib.items["a"].get_absolute_url()).content.decode()
    assert "Sign in to request digitization." in page


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"note": "x" * 2001}, "note", "at most 2000 characters"),
    ({"purpose": "fun"}, "purpose", "Select a valid choice"),
    ({"pages": "9-9"}, "pages", "is not one of the available choices"),
])
def test_bad_input_gets_a_field_message(lib: Lib, data: dict[str, str], field: str, message: str) -> None:
    key = "partial" if field == "pages" else "a"
    response = _post(_client(lib, "reader"), lib, key, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _counts() == (0, 0, 0)


def test_markup_in_a_note_is_kept_as_plain_text_and_escaped(lib: Lib) -> None:
    note = '<script>alert(1)</script><b onmouseover="x()">bold</b> & 敦煌'
    assert _post(_client(lib, "reader"), lib, "a", note=note).status_code == 302
    assert RequestReader.objects.get().note == note  # stored as the reader typed it, never interpreted
    admin = _client(lib, "admin")
    page = admin.get(reverse("admin:digitization_request_change", args=[Request.objects.get().pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_partial_item_is_requested_by_its_missing_pages(lib: Lib) -> None:
    page = _client(lib, "reader").get(lib.items["partial"].get_absolute_url()).content.decode()
    assert "Missing pages" in page and 'value="3-4"' in page and "data-viewer" in page
    assert _post(_client(lib, "reader"), lib, "partial", pages="3-4").status_code == 302
    req = Request.objects.get()
    assert (req.first_canvas, req.last_canvas) == (3, 4)


def test_requests_are_rate_limited_per_account(lib: Lib, settings: Any) -> None:
    settings.DIGITIZATION_REQUEST_RATE = "2/hour"
    client = _client(lib, "reader")
    assert _post(client, lib, "a").status_code == 302
    assert _post(client, lib, "a2").status_code == 302
    refused = _post(client, lib, "b")
    assert refused.status_code == 400 and "Too many requests" in refused.content.decode()
    assert Request.objects.count() == 2


def _targets(lib: Lib) -> list[tuple[str, dict[str, Any]]]:
    from mogao.digitization import services

    req = services.request_digitization(user=lib.users["reader"], item=lib.items["a"], purpose="research")[0]
    return [
        (reverse("digitization:item_request", args=[lib.items["a2"].pid]), {"purpose": "research"}),
        (reverse("digitization:act", args=[req.pk]), {"to": "accepted"}),
        (reverse("digitization:inputs", args=[req.pk]), {"conservation_risk": "2"}),
        (reverse("digitization:pledge", args=[req.pk]),
         {"institution": lib.institutions["B"].pk, "kind": "funding"}),
    ]


@pytest.mark.parametrize("index", range(4))
def test_every_post_action_needs_the_csrf_token(lib: Lib, index: int) -> None:
    url, data = _targets(lib)[index]
    role = "curator_b" if "pledge" in url else "curator_a"
    before = (_counts(), Pledge.objects.count(), list(Request.objects.values_list("status", "conservation_risk")))
    client = _client(lib, role, csrf=True)
    assert client.post(url, data).status_code == 403
    after = (_counts(), Pledge.objects.count(), list(Request.objects.values_list("status", "conservation_risk")))
    assert after == before
    # the same POST with the token works (the check is the token, not the action)
    client.get(reverse("digitization:queue"))
    token = client.cookies["csrftoken"].value
    assert client.post(url, {**data, "csrfmiddlewaretoken": token}).status_code == 302


def test_curator_actions_through_the_pages(lib: Lib) -> None:
    from mogao.digitization import services

    req = services.request_digitization(user=lib.users["reader"], item=lib.items["a"], purpose="research")[0]
    curator = _client(lib, "curator_a")
    page = curator.get(req.get_absolute_url()).content.decode()
    assert "Curator actions" in page
    assert curator.post(reverse("digitization:act", args=[req.pk]), {"to": "scheduled"}).status_code == 400
    assert curator.post(reverse("digitization:act", args=[req.pk]), {"to": "accepted"}).status_code == 302
    bad = curator.post(reverse("digitization:act", args=[req.pk]), {"to": "scheduled", "expected_month": "2027-13"})
    assert bad.status_code == 400 and "YYYY-MM" in bad.content.decode()
    assert curator.post(reverse("digitization:act", args=[req.pk]),
                        {"to": "scheduled", "expected_month": "2027-04"}).status_code == 302
    no_reason = curator.post(reverse("digitization:inputs", args=[req.pk]),
                             {"conservation_risk": "3", "override_score": "99"})
    assert no_reason.status_code == 400 and "Record why the score is overridden." in no_reason.content.decode()
    assert Request.objects.get(pk=req.pk).override_score is None
    assert curator.post(reverse("digitization:inputs", args=[req.pk]),
                        {"conservation_risk": "3", "estimated_pages": "120", "override_score": "99",
                         "override_reason": "Exhibition in May"}).status_code == 302
    req.refresh_from_db()
    assert (req.status, req.score, req.override_reason, req.conservation_risk) == (
        "scheduled", 99, "Exhibition in May", 3)
    other = _client(lib, "curator_b")
    refused = other.post(reverse("digitization:act", args=[req.pk]), {"to": "imaging"})
    assert refused.status_code == 400 and "Only curators of the holding institution" in refused.content.decode()
    assert other.post(reverse("digitization:pledge", args=[req.pk]),
                      {"institution": lib.institutions["B"].pk, "kind": "capacity",
                       "note": "Two days of our camera in June"}).status_code == 302
    public = Client().get(req.get_absolute_url()).content.decode()
    assert "Two days of our camera in June" in public and "Curator actions" not in public
    assert curator.post(reverse("digitization:pledge", args=[req.pk]),
                        {"institution": lib.institutions["A"].pk, "kind": "capacity"}).status_code == 403
