"""The notification pages (#17): one's list and e-mail settings, one notification, "mark all read",
"My Mogao" and the header badge; only the recipient sees or marks a notification; CSRF on forms."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from mogao.notify import notify
from mogao.notify.models import Notification, Preference

from .conftest import DIGEST_KIND, KIND, TEMPLATE, make_reader, signed_in

pytestmark = pytest.mark.django_db


def _note(user: Any, title: str = "A scroll") -> Notification:
    notify([user], KIND, template=TEMPLATE, context={"title": title}, url="/items/x/", email=False)
    return Notification.objects.filter(recipient=user).order_by("-pk")[0]


def _csrf(client: Client, path: str = "/me/notifications/") -> str:
    client.get(path)
    return str(client.cookies["csrftoken"].value)


def test_the_list_shows_ones_own_newest_first_with_unread_marked() -> None:
    ann, bob = make_reader("ann"), make_reader("bob")
    _note(ann, "first <b>one</b>")
    second = _note(ann, "second")
    second.read_at = second.created
    second.save()
    _note(bob, "bobs secret")
    html = signed_in(ann).get("/me/notifications/").content.decode()
    assert html.index("second") < html.index("first &lt;b&gt;one&lt;/b&gt;")  # newest first, escaped
    assert "bobs secret" not in html
    assert html.count('class="notify-unread"') == 1 and html.count('class="notify-read"') == 1
    assert 'value="notifytest.hello" checked' in html and "Test greetings" in html and "Test queue digest" in html


def test_the_list_needs_a_sign_in() -> None:
    response = Client().get("/me/notifications/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_settings_form_saves_each_registered_kind_and_needs_csrf() -> None:
    ann = make_reader("ann")
    client = signed_in(ann, enforce_csrf_checks=True)
    assert client.post("/me/notifications/", {"email": [DIGEST_KIND]}).status_code == 403
    assert not Preference.objects.exists()
    token = _csrf(client)
    response = client.post("/me/notifications/", {"email": [DIGEST_KIND, "unknown.kind"], "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    saved = dict(Preference.objects.filter(user=ann).values_list("kind", "email"))
    # every registered kind is saved (other apps register theirs too); the unknown one is ignored
    assert {KIND: False, DIGEST_KIND: True}.items() <= saved.items() and "unknown.kind" not in saved
    assert not any(v for k, v in saved.items() if k not in (KIND, DIGEST_KIND))
    html = client.get("/me/notifications/").content.decode()
    assert 'value="notifytest.hello">' in html and 'value="notifytest.queue" checked' in html


def test_mark_all_read_needs_csrf_and_marks_only_ones_own() -> None:
    ann, bob = make_reader("ann"), make_reader("bob")
    _note(ann), _note(ann), _note(bob)
    client = signed_in(ann, enforce_csrf_checks=True)
    assert client.post("/me/notifications/read/").status_code == 403
    assert Notification.objects.filter(read_at__isnull=True).count() == 3
    assert client.post("/me/notifications/read/", {"csrfmiddlewaretoken": _csrf(client)}).status_code == 302
    assert not Notification.objects.filter(recipient=ann, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=bob, read_at__isnull=True).count() == 1
    assert Client().post("/me/notifications/read/").status_code == 302  # to the sign-in page
    assert client.get("/me/notifications/read/").status_code == 405


def test_opening_a_notification_marks_it_read_for_its_recipient_only() -> None:
    ann, bob = make_reader("ann"), make_reader("bob")
    note = _note(ann, "private <i>matter</i>")
    path = f"/me/notifications/{note.pk}/"
    for client in (Client(), signed_in(bob)):
        assert client.get(path).status_code == 404
        assert client.post(path).status_code == 404
    note.refresh_from_db()
    assert note.read_at is None
    assert Client().get("/me/notifications/999999/").status_code == 404
    response = signed_in(ann).get(path)
    html = response.content.decode()
    assert response.status_code == 200 and "private &lt;i&gt;matter&lt;/i&gt;" in html and 'href="/items/x/"' in html
    note.refresh_from_db()
    assert note.read_at is not None


def test_marking_one_read_by_post_needs_csrf() -> None:
    ann = make_reader("ann")
    note = _note(ann)
    client = signed_in(ann, enforce_csrf_checks=True)
    assert client.post(f"/me/notifications/{note.pk}/").status_code == 403
    note.refresh_from_db()
    assert note.read_at is None
    token = _csrf(client)
    assert client.post(f"/me/notifications/{note.pk}/", {"csrfmiddlewaretoken": token}).status_code == 302
    note.refresh_from_db()
    assert note.read_at is not None


def test_my_mogao_shows_the_unread_count_and_the_latest() -> None:
    ann = make_reader("ann")
    for i in range(7):
        _note(ann, f"title-{i}")
    html = signed_in(ann).get("/me/").content.decode()
    assert 'id="my-notifications"' in html and "7 unread notifications" in html
    assert "title-6" in html and "title-2" in html and "title-1" not in html  # the latest five


def test_header_badge_for_signed_in_people_and_no_query_for_anonymous_readers() -> None:
    ann = make_reader("ann")
    _note(ann), _note(ann)
    html = signed_in(ann).get("/privacy/").content.decode()
    assert 'class="badge notify-badge"' in html and "2 unread notifications" in html
    with CaptureQueriesContext(connection) as queries:
        html = Client().get("/privacy/").content.decode()
    assert "notify-badge" not in html
    assert not [q for q in queries.captured_queries if "notify_" in q["sql"]]
    mark = signed_in(ann)
    mark.post("/me/notifications/read/")
    assert "notify-badge" not in mark.get("/privacy/").content.decode()


def test_pages_speak_the_readers_language() -> None:
    ann = make_reader("ann")
    _note(ann)
    client = signed_in(ann, HTTP_ACCEPT_LANGUAGE="zh-hant")
    html = client.get("/me/notifications/").content.decode()
    assert "全部標為已讀" in html and "寄郵件給我" in html
