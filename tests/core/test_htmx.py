"""Pages that answer htmx with a fragment vary on it, and history restores get the page (#12, fault 22)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from mogao.ingest.models import IngestRun

pytestmark = pytest.mark.django_db

FRAGMENT = {"HTTP_HX_REQUEST": "true"}
RESTORE = {"HTTP_HX_REQUEST": "true", "HTTP_HX_HISTORY_RESTORE_REQUEST": "true"}


def _vary(response: object) -> set[str]:
    header = response.get("Vary", "")  # type: ignore[attr-defined]
    return {part.strip().lower() for part in header.split(",") if part.strip()}


@pytest.fixture
def staff_client() -> Client:
    user = get_user_model().objects.create_superuser("admin", "a@example.org", "pw-123456-long")
    client = Client()
    client.force_login(user)
    return client


def _pages(staff_client: Client) -> list[tuple[Client, str]]:
    run = IngestRun.objects.create(kind="csv", source="x.csv", status="running", position=5, total=10)
    return [
        (Client(), "/browse/"),
        (Client(), "/browse/?page=1"),
        (Client(), "/search/?q=Dunhuang"),
        (staff_client, reverse("admin:ingest_progress", args=[run.pk])),
    ]


def test_every_fragment_or_page_view_sends_vary(staff_client: Client) -> None:
    for client, url in _pages(staff_client):
        for headers in ({}, FRAGMENT, RESTORE):
            response = client.get(url, **headers)
            assert response.status_code == 200, (url, headers)
            assert {"hx-request", "hx-history-restore-request"} <= _vary(response), (url, headers)


def test_fragments_for_htmx_and_whole_pages_for_history_restores(staff_client: Client) -> None:
    for client, url in _pages(staff_client):
        page = client.get(url).content.decode()
        fragment = client.get(url, **FRAGMENT).content.decode()
        restored = client.get(url, **RESTORE).content.decode()
        assert "<html" in page and "<html" not in fragment, url
        assert "<html" in restored, url  # never a bare fragment swapped in as the whole page
        assert 'name="htmx-config"' in restored and '"historyCacheSize": 0' in restored


def test_views_that_do_not_look_at_htmx_do_not_vary_on_it() -> None:
    response = Client().get("/")
    assert response.status_code == 200
    assert "hx-request" not in _vary(response)
    assert '"refreshOnHistoryMiss": true' in response.content.decode()
