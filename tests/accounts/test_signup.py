"""Reader sign-up, e-mail verification, sign-in, password reset and e-mail change (#15), with the mail
read from a real SMTP server on loopback (``smtp_server``, mogao.testing.smtp)."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

from mogao.testing.smtp import SMTPRecorder

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-reader-password-42"


@pytest.fixture(autouse=True)
def _fresh_limits() -> None:
    cache.clear()  # allauth counts its rate limits in the cache


def signup(client: Client, username: str = "reader", email: str = "reader@example.org", **extra: str):  # type: ignore[no-untyped-def]
    data = {"username": username, "email": email, "password1": PASSWORD, "password2": PASSWORD, **extra}
    return client.post("/accounts/signup/", data)


def confirmation_link(mail) -> str:  # type: ignore[no-untyped-def]
    links = [link for link in mail.links() if "/accounts/confirm-email/" in link]
    assert links, mail.body
    return links[0]


def test_sign_up_sends_a_verification_mail_through_smtp_and_the_link_verifies(smtp_server: SMTPRecorder) -> None:
    client = Client()
    response = signup(client)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = get_user_model().objects.get(username="reader")
    assert not EmailAddress.objects.get(user=user).verified
    mail = smtp_server.wait_for(to="reader@example.org")
    assert mail.subject.startswith("[Mogao]")
    link = confirmation_link(mail)
    path = re.sub(r"^https?://[^/]+", "", link)
    page = client.get(path)
    assert page.status_code == 200, "confirming takes a POST (no GET side effects)"
    confirmed = client.post(path)
    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert client.get("/me/").status_code == 200, "signed in on confirmation, landing on My Mogao"


def test_unverified_account_cannot_sign_in(smtp_server: SMTPRecorder) -> None:
    signup(Client())
    smtp_server.wait_for(to="reader@example.org")
    client = Client()
    response = client.post("/accounts/login/", {"login": "reader", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/accounts/confirm-email/"
    assert client.get("/me/").status_code == 302


def verified_reader(username: str = "reader", email: str = "reader@example.org"):  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user(username, email=email, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def test_sign_in_with_user_name_or_e_mail_lands_on_my_mogao() -> None:
    verified_reader()
    for login in ("reader", "reader@example.org"):
        client = Client()
        response = client.post("/accounts/login/", {"login": login, "password": PASSWORD})
        assert response.status_code == 302 and response["Location"] == "/me/", login
        me = client.get("/me/")
        assert me.status_code == 200 and "My Mogao" in me.content.decode()


def test_one_account_per_e_mail_address(smtp_server: SMTPRecorder) -> None:
    verified_reader()
    response = signup(Client(), username="other", email="READER@example.org")
    # allauth does not say the address is taken (no enumeration): it mails the owner instead
    assert get_user_model().objects.filter(username="other").count() == 0
    assert response.status_code in (200, 302)


def test_the_honeypot_fakes_success_and_creates_nobody(smtp_server: SMTPRecorder) -> None:
    response = signup(Client(), website="http://spam.example/")
    assert response.status_code == 302
    assert not get_user_model().objects.filter(username="reader").exists()
    assert smtp_server.messages == []


def test_the_honeypot_is_hidden_but_labelled_for_assistive_technology() -> None:
    html = Client().get("/accounts/signup/").content.decode()
    field = re.search(r"<input[^>]*name=\"website\"[^>]*>", html)
    assert field is not None
    assert 'tabindex="-1"' in field.group(0) and "aria-label=" in field.group(0) and "hp-field" in field.group(0)


def test_password_reset_mail_and_new_password(smtp_server: SMTPRecorder) -> None:
    verified_reader()
    client = Client()
    assert client.post("/accounts/password/reset/", {"email": "reader@example.org"}).status_code == 302
    mail = smtp_server.wait_for(to="reader@example.org")
    link = next(link for link in mail.links() if "/accounts/password/reset/key/" in link)
    path = re.sub(r"^https?://[^/]+", "", link)
    form = client.get(path, follow=True)
    assert form.status_code == 200
    action = form.redirect_chain[-1][0] if form.redirect_chain else path
    new = "another-long-password-77"
    done = client.post(action, {"password1": new, "password2": new})
    assert done.status_code == 302
    assert get_user_model().objects.get(username="reader").check_password(new)


def test_unknown_address_gets_no_reset_mail_and_the_page_does_not_tell(smtp_server: SMTPRecorder) -> None:
    response = Client().post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    # ACCOUNT_PREVENT_ENUMERATION: allauth may mail the unknown address that it has no account
    assert all("/accounts/password/reset/key/" not in m.body for m in smtp_server.messages)


def test_e_mail_change_is_verified_before_it_replaces_the_old_one(smtp_server: SMTPRecorder) -> None:
    user = verified_reader()
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post("/accounts/email/", {"action_add": "", "email": "new@example.org"})
    assert response.status_code == 302
    mail = smtp_server.wait_for(to="new@example.org")
    assert EmailAddress.objects.get(user=user, primary=True).email == "reader@example.org"
    path = re.sub(r"^https?://[^/]+", "", confirmation_link(mail))
    assert client.post(path).status_code == 302
    assert EmailAddress.objects.get(user=user, primary=True).email == "new@example.org"
    assert not EmailAddress.objects.filter(email="reader@example.org").exists()


def test_sign_out_is_a_post() -> None:
    user = verified_reader()
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/accounts/logout/").status_code == 200  # a confirmation page, still signed in
    assert client.get("/me/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/me/").status_code == 302


def test_curators_still_sign_in_to_the_admin() -> None:
    get_user_model().objects.create_user("curator", password=PASSWORD, is_staff=True)
    client = Client()
    assert client.get("/admin/").url.startswith("/admin/login/")
    response = client.post("/admin/login/?next=/admin/", {"username": "curator", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/admin/"
