"""Downloads: a full-resolution page and a whole-item PDF, within the item's and holder's rights."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pikepdf
import pytest
import pyvips
from django.test import Client

from mogao.catalogue import services

from .prezi_support import REMOTE_V2, Library


@pytest.mark.django_db
def test_full_resolution_page_download(client: Client, library: Library) -> None:
    response = client.get(f"/items/{library.scroll.pid}/canvases/1/download")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == f'attachment; filename="{library.scroll.pid}-1.jpg"'
    image = pyvips.Image.new_from_buffer(response.content, "")
    assert (image.width, image.height) == (1200, 900)


@pytest.mark.django_db
def test_remote_page_download_redirects_to_the_holder_service(client: Client, library: Library) -> None:
    library.bnf.allow_download = True
    library.bnf.save()
    response = client.get(f"/items/{library.manuscript.pid}/canvases/1/download")
    assert response.status_code == 302
    assert response["Location"] == f"{REMOTE_V2}/full/full/0/default.jpg"


@pytest.mark.django_db
def test_downloads_refused_when_the_institution_switches_them_off(client: Client, library: Library) -> None:
    response = client.get(f"/items/{library.manuscript.pid}/canvases/1/download")
    assert response.status_code == 403
    assert b"switched off high-resolution downloads" in response.content
    assert b"remain viewable" in response.content
    assert client.get(f"/items/{library.manuscript.pid}/download.pdf").status_code == 403


@pytest.mark.django_db
def test_downloads_refused_when_the_item_switches_them_off(client: Client, library: Library) -> None:
    services.item_upsert(institution=library.bl, shelfmark="Or.8210/P.2", allow_download=False)
    assert client.get(f"/items/{library.scroll.pid}/canvases/1/download").status_code == 403
    response = client.get(f"/items/{library.scroll.pid}/download.pdf")
    assert response.status_code == 403
    assert b"for this item" in response.content
    # The manifest and its reduced views stay available.
    assert client.get(f"/iiif/items/{library.scroll.pid}/manifest").status_code == 200


@pytest.mark.django_db
def test_item_pdf_has_one_page_per_local_canvas(client: Client, library: Library) -> None:
    response = client.get(f"/items/{library.scroll.pid}/download.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{library.scroll.pid}.pdf"' in response["Content-Disposition"]
    data = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert data.startswith(b"%PDF")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 2
    # Built once, then served from the cache.
    again = client.get(f"/items/{library.scroll.pid}/download.pdf")
    assert b"".join(again.streaming_content) == data  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_pdf_cache_keeps_one_pdf_per_item(client: Client, library: Library, settings: Any) -> None:
    """A PDF built from changed pages replaces the item's older one; other items' PDFs stay."""
    from mogao.catalogue.models import Canvas

    cache = Path(settings.HOME) / "cache" / "pdf"
    neighbour = cache / f"{library.scroll.pid}-a-{'0' * 24}.pdf"  # another item whose pid extends this one's
    cache.mkdir(parents=True, exist_ok=True)
    neighbour.write_bytes(b"%PDF-1.4")
    built = client.get(f"/items/{library.scroll.pid}/download.pdf")
    assert built.status_code == 200
    assert b"".join(built.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    first = set(cache.glob(f"{library.scroll.pid}-*.pdf")) - {neighbour}
    assert len(first) == 1
    Canvas.objects.filter(item=library.scroll, order=2).delete()
    response = client.get(f"/items/{library.scroll.pid}/download.pdf")
    with pikepdf.open(io.BytesIO(b"".join(response.streaming_content))) as pdf:  # type: ignore[attr-defined]
        assert len(pdf.pages) == 1
    second = set(cache.glob(f"{library.scroll.pid}-*.pdf")) - {neighbour}
    assert len(second) == 1 and second != first
    assert neighbour.exists()


@pytest.mark.django_db
def test_pdf_of_remote_only_item_is_404_with_reason(client: Client, library: Library) -> None:
    library.bnf.allow_download = True
    library.bnf.save()
    response = client.get(f"/items/{library.manuscript.pid}/download.pdf")
    assert response.status_code == 404
    assert b"IIIF service" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/items/no-such-item/canvases/1/download",
        "/items/no-such-item/download.pdf",
        "/items/{scroll}/canvases/9/download",
        "/items/{undigitized}/download.pdf",
        "/items/{private}/canvases/1/download",
    ],
)
def test_bad_targets_are_404(client: Client, library: Library, url: str) -> None:
    url = url.format(scroll=library.scroll.pid, undigitized=library.undigitized.pid, private=library.private.pid)
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_missing_master_is_404_not_500(client: Client, library: Library) -> None:
    services.canvas_upsert(item=library.scroll, order=5, image_id="never-registered", width=10, height=10)
    response = client.get(f"/items/{library.scroll.pid}/canvases/5/download")
    assert response.status_code == 404
    assert b"missing from the image store" in response.content
