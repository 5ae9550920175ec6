"""Links follow the address a request came to unless MOGAO_BASE_URL is configured (#13)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from mogao.catalogue.models import Item
from mogao.cli.serve import served_url
from mogao.core.urls import base_url


def _item() -> Item:
    from mogao.demo.loader import demo_load

    demo_load(echo=lambda *_: None)
    return Item.objects.filter(canvases__isnull=False).order_by("pid").first()  # type: ignore[return-value]


def _ids(value: Any) -> list[str]:
    if isinstance(value, dict):
        found = [v for k, v in value.items() if k == "id" and isinstance(v, str) and v.startswith("http")]
        return found + [i for v in value.values() for i in _ids(v)]
    if isinstance(value, list):
        return [i for v in value for i in _ids(v)]
    return []


@pytest.mark.django_db
def test_unconfigured_base_url_follows_the_request_host(client: Client, settings: Any) -> None:
    settings.BASE_URL_FROM_REQUEST = True
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    item = _item()
    manifest = client.get(f"/iiif/items/{item.pid}/manifest", HTTP_HOST="localhost:8123").json()
    ids = [i for i in _ids(manifest) if "iiif.io" not in i]
    assert ids and all(i.startswith("http://localhost:8123/") for i in ids), ids[:5]
    page = client.get(f"/items/{item.pid}", HTTP_HOST="localhost:8123").content.decode()
    assert "http://localhost:8123/iiif/items/" in page
    assert "127.0.0.1:8000" not in page
    assert f"http://localhost:8123/items/{item.pid}" in page  # the citation's stable link
    # Outside a request the configured value is used again.
    assert base_url() == settings.BASE_URL


@pytest.mark.django_db
def test_configured_base_url_wins_over_the_request_host(client: Client, settings: Any) -> None:
    settings.BASE_URL_FROM_REQUEST = False
    settings.BASE_URL = "https://mogao.example"
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    item = _item()
    manifest = client.get(f"/iiif/items/{item.pid}/manifest", HTTP_HOST="localhost:8123").json()
    assert manifest["id"] == f"https://mogao.example/iiif/items/{item.pid}/manifest"


def test_served_url_names_a_reachable_address() -> None:
    assert served_url("127.0.0.1", 8123) == "http://127.0.0.1:8123"
    assert served_url("0.0.0.0", 9000) == "http://127.0.0.1:9000"
    assert served_url("::", 9000) == "http://[::1]:9000"
