"""Real page scans (../shared/data/images: 四庫全書 imprints, PNG and JPEG, colour and grey) as an item.

Manifest and PDF are built from them; the time and size of the PDF are printed for the record.
"""

from __future__ import annotations

import io
import json
import time
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from django.conf import settings
from django.test import Client

from mogao.catalogue import services
from mogao.iiif.image.store import ImageStore

from .prezi_support import Library

pytestmark = pytest.mark.shared_data


@pytest.mark.django_db
def test_pdf_and_manifest_of_real_scans(
    client: Client, library: Library, shared_data: Path, assert_valid: Any,
) -> None:
    scans = sorted(p for p in (shared_data / "images").iterdir() if p.suffix.lower() in {".png", ".jpg"})
    assert len(scans) >= 10
    store = ImageStore(root=Path(settings.IMAGE_ROOT), max_pixels=int(settings.IMAGE_MAX_PIXELS))
    item, _ = services.item_upsert(
        institution=library.bl, shelfmark="Real scans", title={"zh-Hant": ["欽定四庫全書簡明目錄"]},
        item_type="printed", languages=["lzh"], digitization_status="digitized",
    )
    for order, path in enumerate(scans, start=1):
        info = store.register(path, f"real-{order}")
        services.canvas_upsert(item=item, order=order, image_id=info.identifier, width=info.width, height=info.height)
    manifest = json.loads(client.get(f"/iiif/items/{item.pid}/manifest").content)
    assert_valid(manifest)
    assert len(manifest["items"]) == len(scans)
    assert manifest["viewingDirection"] == "right-to-left" and manifest["behavior"] == ["paged"]

    started = time.perf_counter()
    response = client.get(f"/items/{item.pid}/download.pdf")
    data = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == len(scans)
    print(f"\nPDF of {len(scans)} real scans: {elapsed:.2f} s, {len(data) / 1e6:.1f} MB")
    page = client.get(f"/items/{item.pid}/canvases/1/download")
    assert page.status_code == 200 and page.content[:2] == b"\xff\xd8"
