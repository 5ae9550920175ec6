"""The token admin: only administrators see it; a new token's secret is shown once and works."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from mogao.api.models import ApiToken

pytestmark = pytest.mark.django_db


def test_admin_issues_a_token_shown_once(client: Client, catalogue) -> None:
    admin = get_user_model().objects.create_superuser("root", password="x-unused-password-1")
    client.force_login(admin)
    response = client.post("/admin/api/apitoken/add/", {"user": admin.pk, "name": "nightly"}, follow=True)
    assert response.status_code == 200
    secret = re.search(r"mogao_[A-Za-z0-9_-]{20,}", response.content.decode()).group(0)
    token = ApiToken.objects.get()
    assert token.key_hash != secret and secret.split("_", 1)[1].startswith(token.prefix)
    created = client.get("/api/v1/export?format=csv", headers={"authorization": f"Bearer {secret}"})
    assert created.status_code == 200
    assert secret not in client.get(f"/admin/api/apitoken/{token.pk}/change/").content.decode()


def test_curators_cannot_see_tokens(client: Client, catalogue) -> None:
    staff = get_user_model().objects.create_user("staff", password="x-unused-password-1", is_staff=True)
    client.force_login(staff)
    assert client.get("/admin/api/apitoken/").status_code == 403
