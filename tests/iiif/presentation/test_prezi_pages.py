"""Reader pages: the viewer on the item page and the Mirador comparison workspace."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client

from .prezi_support import Library


@pytest.mark.django_db
def test_item_page_embeds_the_viewer_with_its_manifest(client: Client, library: Library, settings: Any) -> None:
    settings.BASE_URL = "http://127.0.0.1:8000"
    html = client.get(f"/items/{library.scroll.pid}").content.decode()
    manifest = f"/iiif/items/{library.scroll.pid}/manifest"
    assert f'data-manifest="{manifest}"' in html
    assert "vendor/openseadragon/openseadragon.min.js" in html
    assert "iiif/viewer.js" in html
    assert "Download this view" in html
    assert f"/items/{library.scroll.pid}/download.pdf" in html
    assert f"/compare/?manifest={quote('http://127.0.0.1:8000' + manifest, safe='')}" in html
    # IIIF drag-and-drop: the logo links to the manifest with ?manifest= (the convention).
    absolute = "http://127.0.0.1:8000" + manifest
    assert f'href="{absolute}?manifest={quote(absolute, safe="")}"' in html
    assert f"/compare/join/{library.join.pid}" in html
    assert 'alt="IIIF manifest' in html


@pytest.mark.django_db
def test_no_download_controls_when_downloads_are_off(client: Client, library: Library) -> None:
    html = client.get(f"/items/{library.manuscript.pid}").content.decode()
    assert "Download this view" not in html
    assert "download.pdf" not in html
    assert "High-resolution downloads are switched off" in html
    assert 'data-download=""' in html


@pytest.mark.django_db
def test_item_page_without_images_shows_a_notice(client: Client, library: Library) -> None:
    html = client.get(f"/items/{library.undigitized.pid}").content.decode()
    assert "not yet digitized" in html
    assert "data-viewer" not in html
    assert "/manifest" not in html


@pytest.mark.django_db
def test_compare_page_opens_given_manifests_in_mirador(client: Client, library: Library) -> None:
    a = "https://example.org/iiif/a/manifest"
    b = "http://127.0.0.1:8000/iiif/items/x/manifest"
    response = client.get("/compare/", {"manifest": [a, b]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "vendor/mirador/mirador.min.js" in html
    assert f'["{a}", "{b}"]' in html
    assert 'id="mirador"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "manifests",
    [["javascript:alert(1)"], ["file:///etc/passwd"], ["//no-scheme"], ["https://x.org/m"] * 5],
)
def test_compare_refuses_bad_manifest_urls(client: Client, manifests: list[str]) -> None:
    response = client.get("/compare/", {"manifest": manifests})
    assert response.status_code == 400


@pytest.mark.django_db
def test_compare_escapes_manifest_urls(client: Client) -> None:
    evil = "https://x.org/</script><script>alert(1)</script>"
    html = client.get("/compare/", {"manifest": [evil]}).content.decode()
    assert "<script>alert(1)" not in html


@pytest.mark.django_db
def test_compare_join_and_two_items(client: Client, library: Library, settings: Any) -> None:
    settings.BASE_URL = "http://127.0.0.1:8000"
    html = client.get(f"/compare/join/{library.join.pid}").content.decode()
    assert f"http://127.0.0.1:8000/iiif/joins/{library.join.pid}/manifest" in html
    response = client.get(f"/compare/items/{library.scroll.pid}/{library.manuscript.pid}")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"/iiif/items/{library.scroll.pid}/manifest" in html
    assert f"/iiif/items/{library.manuscript.pid}/manifest" in html


@pytest.mark.django_db
def test_compare_unknown_targets_are_404(client: Client, library: Library) -> None:
    assert client.get(f"/compare/join/{library.suggested.pid}").status_code == 404
    assert client.get(f"/compare/items/{library.scroll.pid}/{library.undigitized.pid}").status_code == 404
    assert client.get("/compare/items/nope/nope-2").status_code == 404
