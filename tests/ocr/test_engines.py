"""OCR engines on a real scan, and the canvas transcription written by the OCR service."""

from __future__ import annotations

from pathlib import Path

import pytest

from mogao.ocr.accuracy import char_accuracy
from mogao.ocr.backends import OcrUnavailable, get_backend
from mogao.ocr.layout import layout_text
from mogao.ocr.page import recognize_page

FIXTURES = Path(__file__).parent / "fixtures"


def test_unknown_backend():
    with pytest.raises(OcrUnavailable, match="unknown OCR backend"):
        get_backend("nope")


@pytest.mark.shared_data
def test_rapidocr_reads_a_real_page_offline(shared_data):
    backend = get_backend("rapidocr")
    if backend.check():
        pytest.skip(backend.check()[0])
    layout = recognize_page(shared_data / "images" / "siku_jianming_mulu_book1_p01.png", backend)
    reference = (FIXTURES / "siku_jianming_mulu_book1_p01.txt").read_text(encoding="utf-8")
    assert char_accuracy(reference, layout_text(layout)) >= 0.95
    first = layout["lines"][0]
    assert first["text"].startswith("欽定四庫全書")  # the rightmost column comes first
    assert first["chars"] and len(first["chars"][0]["box"]) == 4
    assert layout["lines"][0]["box"][0] > layout["lines"][-1]["box"][0]


@pytest.mark.django_db
def test_ocr_canvas_stores_the_layout_and_respects_curated_text(tmp_path):
    from mogao.catalogue import services
    from mogao.catalogue.models import Transcription
    from mogao.ocr.services import ocr_canvas

    inst, _ = services.institution_upsert(code="T", name={"en": ["T"]})
    item, _ = services.item_upsert(institution=inst, local_id="x", title={"en": ["x"]})
    canvas, _ = services.canvas_upsert(item=item, order=1)
    fake = get_backend("fake")
    image = tmp_path / "p.png"
    image.write_bytes(b"")
    t = ocr_canvas(canvas=canvas, backend=fake, path=image)
    assert t.source == "ocr" and t.engine == "fake" and t.is_primary
    assert t.text == "金剛般若波羅蜜經\n如是我聞" and t.confidence == pytest.approx(0.9)
    again = ocr_canvas(canvas=canvas, backend=fake, path=image)
    assert again.pk == t.pk and canvas.transcriptions.count() == 1
    Transcription.objects.create(canvas=canvas, text="curated", source="curator", is_primary=True)
    third = ocr_canvas(canvas=canvas, backend=fake, path=image)
    assert not third.is_primary


@pytest.mark.django_db
def test_remote_canvas_is_not_ocrd():
    from mogao.catalogue import services
    from mogao.ocr.services import canvas_image_path

    inst, _ = services.institution_upsert(code="T", name={"en": ["T"]})
    item, _ = services.item_upsert(institution=inst, local_id="x", title={"en": ["x"]})
    canvas, _ = services.canvas_upsert(item=item, order=1, service_url="https://iiif.example.org/img")
    with pytest.raises(OcrUnavailable, match="remote"):
        canvas_image_path(canvas)


@pytest.mark.django_db(transaction=True)
def test_two_deliveries_of_one_ocr_task_at_once_write_one_layer(tmp_path):
    """A broker may deliver an OCR task again while the first run goes on (#19): one OCR layer results."""
    import threading

    from django.db import connection, connections

    from mogao.catalogue import services
    from mogao.ocr.services import ocr_canvas

    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL (MOGAO_DATABASE_URL); SQLite serialises writers")
    inst, _ = services.institution_upsert(code="OCRC", name={"en": ["OCR concurrency"]})
    item, _ = services.item_upsert(institution=inst, local_id="twice", title={"en": ["twice"]})
    canvas, _ = services.canvas_upsert(item=item, order=1)
    image = tmp_path / "p.png"
    image.write_bytes(b"")
    barrier, errors = threading.Barrier(4), []

    def deliver() -> None:
        try:
            barrier.wait()
            ocr_canvas(canvas=canvas, backend=get_backend("fake"), path=image)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    assert canvas.transcriptions.filter(source="ocr").count() == 1
