"""One-click unsubscribe (#17): the link in every mail, RFC 8058 headers, the confirmation page,
CSRF everywhere but the one-click POST, and tokens that can only ever unsubscribe."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.test import Client

from mogao.notify import notify
from mogao.notify.models import Notification, Preference
from mogao.notify.services import UNSUBSCRIBE_SALT, unsubscribe_token
from mogao.testing.smtp import SMTPRecorder

from .conftest import KIND, TEMPLATE, make_reader, signed_in

pytestmark = pytest.mark.django_db


def _mail_to(user: Any, smtp: SMTPRecorder, capture: Any, count: int = 1) -> Any:
    with capture(execute=True):
        notify([user], KIND, template=TEMPLATE, context={"title": "t"}, url="/")
    return smtp.wait_for(to=user.email, count=count)


def _path(url: str) -> str:
    return urlsplit(url).path


def test_every_mail_carries_rfc_8058_headers_and_the_link_in_its_body(
    smtp_server: SMTPRecorder, django_capture_on_commit_callbacks: Any,
) -> None:
    ann = make_reader("ann")
    mail = _mail_to(ann, smtp_server, django_capture_on_commit_callbacks)
    header = str(mail.message["List-Unsubscribe"]).strip()
    assert header.startswith("<") and header.endswith(">")
    url = header[1:-1]
    assert "/notifications/unsubscribe/" in url and url.startswith("http")
    assert str(mail.message["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click"
    assert url in mail.links()


def test_one_click_post_unsubscribes_without_csrf_and_stops_the_mails_not_the_notifications(
    smtp_server: SMTPRecorder, django_capture_on_commit_callbacks: Any,
) -> None:
    ann = make_reader("ann")
    mail = _mail_to(ann, smtp_server, django_capture_on_commit_callbacks)
    url = str(mail.message["List-Unsubscribe"]).strip()[1:-1]
    # What a mail provider does (RFC 8058): a POST with no cookie, no CSRF token.
    response = Client(enforce_csrf_checks=True).post(_path(url), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Preference.objects.get(user=ann, kind=KIND).email is False
    with django_capture_on_commit_callbacks(execute=True):
        notify([ann], KIND, template=TEMPLATE, context={"title": "second"}, url="/")
    assert Notification.objects.filter(recipient=ann).count() == 2  # still on the site
    assert len(smtp_server.messages) == 1  # but no second mail


def test_get_only_asks_and_reveals_nothing() -> None:
    ann = make_reader("ann")
    response = Client().get(f"/notifications/unsubscribe/{unsubscribe_token(ann, KIND)}/")
    html = response.content.decode()
    assert response.status_code == 200 and "Test greetings" in html and "<form" in html
    assert "ann" not in html and "example.org" not in html
    assert response["Cache-Control"] == "no-store"
    assert not Preference.objects.exists()  # link scanners that GET the page unsubscribe nobody


def test_the_confirmation_form_needs_its_csrf_token() -> None:
    ann = make_reader("ann")
    path = f"/notifications/unsubscribe/{unsubscribe_token(ann, KIND)}/"
    client = Client(enforce_csrf_checks=True)
    assert client.post(path, {}).status_code == 403
    assert client.post(path, {"List-Unsubscribe": "Other"}).status_code == 403
    assert not Preference.objects.exists()
    client.get(path)
    token = client.cookies["csrftoken"].value
    response = client.post(path, {"csrfmiddlewaretoken": token})
    assert response.status_code == 200 and "no longer receive" in response.content.decode()
    assert Preference.objects.get(user=ann, kind=KIND).email is False


def test_anyone_holding_the_link_may_use_it_signed_in_as_someone_else_or_not() -> None:
    ann, bob = make_reader("ann"), make_reader("bob")
    path = f"/notifications/unsubscribe/{unsubscribe_token(ann, KIND)}/"
    assert signed_in(bob).post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert Preference.objects.get(user=ann, kind=KIND).email is False
    assert not Preference.objects.filter(user=bob).exists()  # the token's account, never the session's


@pytest.mark.parametrize("method", ["get", "post"])
def test_tampered_forged_or_stale_tokens_are_404(method: str) -> None:
    ann, bob = make_reader("ann"), make_reader("bob")
    genuine = unsubscribe_token(ann, KIND)
    _payload, _, signature = genuine.partition(":")
    forged_payload = signing.dumps([bob.pk, KIND], salt=UNSUBSCRIBE_SALT).partition(":")[0]
    other_salt = signing.dumps([ann.pk, KIND], salt="another.purpose")
    wrong_shape = signing.dumps({"u": ann.pk}, salt=UNSUBSCRIBE_SALT)
    for token in [genuine[:-2] + ("AA" if not genuine.endswith("AA") else "BB"), f"{forged_payload}:{signature}",
                  other_salt, wrong_shape, "x", "a" * 500]:
        response = getattr(Client(), method)(f"/notifications/unsubscribe/{token}/", {"List-Unsubscribe": "One-Click"})
        assert response.status_code == 404, token
    assert not Preference.objects.exists()
    bob_token = unsubscribe_token(bob, KIND)
    bob.delete()
    assert Client().get(f"/notifications/unsubscribe/{bob_token}/").status_code == 404
