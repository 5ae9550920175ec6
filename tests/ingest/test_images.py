"""Image folders: grouping, natural page order, derivatives, OCR queued, pixel limit."""

from __future__ import annotations

import pytest
import pyvips

from mogao.catalogue.models import Item, Transcription
from mogao.ingest.models import IngestError
from mogao.ingest.pipeline import run_source, run_start
from mogao.ingest.sources.images import ImageFolderSource, natural_key

pytestmark = pytest.mark.django_db(transaction=True)


def page(path, w=120, h=160, value=200):
    path.parent.mkdir(parents=True, exist_ok=True)
    (pyvips.Image.black(w, h) + value).cast("uchar").write_to_file(str(path))
    return path


def run_images(folder, institution, **kw):
    run = run_start(kind="images", source=str(folder), institution_code=institution.code)
    return run_source(ImageFolderSource(folder, institution=institution, **kw), run)


def test_natural_order():
    names = ["p10.png", "p2.png", "p1.png"]
    assert sorted(names, key=natural_key) == ["p1.png", "p2.png", "p10.png"]


def test_one_item_per_folder_with_ocr(tmp_path, institution, settings):
    settings.OCR_BACKEND = "fake"
    for name in ("p10.png", "p2.png", "p1.png"):
        page(tmp_path / "scans" / "bookA" / name, value=len(name) * 10)
    page(tmp_path / "scans" / "bookB" / "001.jpg")
    run = run_images(tmp_path / "scans", institution, ocr=True, ocr_backend="fake")
    assert run.created_count == 2, list(IngestError.objects.values_list("message", flat=True))
    book = Item.objects.get(local_id="bookA")
    assert [c.label["none"][0] for c in book.canvases.order_by("order")] == ["1", "2", "3"]
    assert all(c.image_id and c.width == 120 for c in book.canvases.all())
    ocr = Transcription.objects.get(canvas=book.canvases.get(order=1))
    assert ocr.source == "ocr" and ocr.engine == "fake"
    assert ocr.layout["direction"] == "vertical-rl"
    assert ocr.layout["lines"][0]["text"] == "金剛般若波羅蜜經"  # right column first
    assert ocr.layout["lines"][0]["chars"][0] == {"text": "金", "box": [160, 100, 50, 50], "confidence": 0.9}
    again = run_images(tmp_path / "scans", institution, ocr=True, ocr_backend="fake")
    assert again.unchanged_count == 2


def test_grouping_by_file_name(tmp_path, institution):
    for name in ("siku_p02.png", "siku_p01.png", "qizheng_page_110.png", "single.jpg"):
        page(tmp_path / name)
    run = run_images(tmp_path, institution, mode="filename")
    assert run.created_count == 3
    assert Item.objects.get(local_id="siku").canvases.count() == 2


def test_image_over_the_pixel_limit_is_refused(tmp_path, institution, settings):
    settings.IMAGE_MAX_PIXELS = 100 * 100
    page(tmp_path / "big" / "p1.png", 200, 200)
    page(tmp_path / "ok" / "p1.png", 50, 50)
    run = run_images(tmp_path, institution)
    assert run.created_count == 1 and run.failed_count == 1
    error = IngestError.objects.get(run=run)
    assert "p1.png" in error.message and error.field == "source"
    assert not Item.objects.filter(local_id="big").exists()
