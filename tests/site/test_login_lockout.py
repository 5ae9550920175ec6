"""Admin sign-in is locked after repeated failures (fault 14): django-axes per user name and address."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

pytestmark = pytest.mark.django_db

PASSWORD = "the-right-password-1"


def _attempt(client: Client, username: str, password: str):  # type: ignore[no-untyped-def]
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password})


def test_ten_wrong_passwords_then_the_right_one_is_refused_with_a_message() -> None:
    get_user_model().objects.create_user("curator", password=PASSWORD, is_staff=True)
    client = Client(REMOTE_ADDR="198.51.100.20")
    codes = [_attempt(client, "curator", f"wrong-{n}").status_code for n in range(10)]
    assert codes[0] == 200, "a wrong password re-shows the form"
    assert 429 in codes, "the lockout starts within ten failures"
    right = _attempt(client, "curator", PASSWORD)
    assert right.status_code == 429
    assert "Too many failed sign-ins" in right.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302, "still signed out"


def test_the_lock_holds_for_the_account_not_for_others_and_spoofed_addresses_do_not_help(settings) -> None:
    settings.PROXY_DEPTH = 0
    users = get_user_model().objects
    users.create_user("curator", password=PASSWORD, is_staff=True)
    users.create_user("colleague", password=PASSWORD, is_staff=True)
    client = Client(REMOTE_ADDR="198.51.100.21")
    for n in range(settings.AXES_FAILURE_LIMIT):
        # a client-written X-Forwarded-For does not make each attempt look like a new address
        client.post("/admin/login/", {"username": "curator", "password": "nope"},
                    headers={"x-forwarded-for": f"10.1.1.{n}"})
    assert _attempt(client, "curator", PASSWORD).status_code == 429
    assert _attempt(client, "colleague", PASSWORD).status_code == 302, "another account signs in"


def test_a_success_before_the_limit_resets_the_count(settings) -> None:
    get_user_model().objects.create_user("curator", password=PASSWORD, is_staff=True)
    client = Client(REMOTE_ADDR="198.51.100.22")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _attempt(client, "curator", "nope").status_code == 200
    assert _attempt(client, "curator", PASSWORD).status_code == 302
