"""The annotation panel on the item page and in the reading room, and its Content-Security-Policy."""

from __future__ import annotations

import pytest

from .conftest import Site

pytestmark = pytest.mark.django_db


def test_item_page_and_reading_room_carry_the_panel(site: Site) -> None:
    pid = site.canvas.item.pid
    reader = site.client("author")
    for url in (f"/items/{pid}", f"/items/{pid}/read/1"):
        response = reader.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "data-annotations" in html and 'id="anno-config"' in html
        assert "anno-form" in html
        # Mogao's build of Annotorious uses PixiJS's eval-free path: the editor's page keeps the strict policy
        csp = response["Content-Security-Policy"]
        assert "unsafe" not in csp.split("script-src")[1].split(";")[0]
    assert 'data-action="annotate-text"' in reader.get(f"/items/{pid}/read/1").content.decode()
    anonymous = site.client("anonymous").get(f"/items/{pid}")
    assert "'unsafe-eval'" not in anonymous["Content-Security-Policy"]
    assert "anno-form" not in anonymous.content.decode()
