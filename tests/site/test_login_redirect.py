"""Signing in with a refused `next` lands on a page that exists, never /accounts/profile/ (#12, fault 18)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password-42"


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", "/accounts/profile/", None])
def test_login_with_a_refused_or_missing_next_lands_on_the_admin_index(next_url: str | None) -> None:
    get_user_model().objects.create_user("curator", password=PASSWORD, is_staff=True)
    client = Client()
    data = {"username": "curator", "password": PASSWORD}
    query = "" if next_url is None else f"?next={next_url}"
    if next_url is not None:
        data["next"] = next_url
    response = client.post(f"/admin/login/{query}", data)
    assert response.status_code == 302
    landing = response["Location"]
    assert "evil.example" not in landing
    if next_url != "/accounts/profile/":  # a safe next is followed, as it should be
        assert landing == "/admin/"
        assert client.get(landing).status_code == 200
