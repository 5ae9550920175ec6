"""`mogao import …`: reports, exit codes (0 / 1 failed records / 2 unreadable source), dry run."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from mogao.catalogue.models import Item
from mogao.cli import main

pytestmark = pytest.mark.django_db(transaction=True)


def invoke(*args):
    return CliRunner().invoke(main, ["import", *args], catch_exceptions=False)


def test_csv_exit_codes_and_dry_run(tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("identifier,title@en\nA1,One\nA2,Two\n", encoding="utf-8")
    dry = invoke("csv", str(good), "--institution", "NEW", "--institution-name", "New library", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "dry run: nothing written" in dry.output and "created 2" in dry.output
    assert not Item.objects.exists()
    ok = invoke("csv", str(good), "--institution", "NEW")
    assert ok.exit_code == 0 and "created 2" in ok.output
    bad = tmp_path / "bad.csv"
    bad.write_text("identifier,title@en\nA3,Three\n,Missing\n", encoding="utf-8")
    partial = invoke("csv", str(bad), "--institution", "NEW")
    assert partial.exit_code == 1
    assert "error: bad.csv line 3 column identifier: required column “identifier” is empty" in partial.output
    missing = invoke("csv", str(tmp_path / "nope.csv"), "--institution", "NEW")
    assert missing.exit_code == 2 and "cannot read" in missing.output


def test_iiif_and_oai_refuse_unsafe_targets(settings):
    settings.INGEST_ALLOW_HOSTS = []
    result = invoke("iiif", "http://169.254.169.254/manifest.json", "--institution", "X", "--institution-name", "X")
    assert result.exit_code == 2 and "non-public address" in result.output
    result = invoke("oai", "http://127.0.0.1:9/oai", "--institution", "X", "--identify")
    assert result.exit_code == 1 and "non-public address" in result.output


def test_images_command(tmp_path, settings):
    import pyvips

    settings.OCR_BACKEND = "fake"
    (tmp_path / "scans" / "b1").mkdir(parents=True)
    (pyvips.Image.black(40, 60) + 255).cast("uchar").write_to_file(str(tmp_path / "scans" / "b1" / "p1.png"))
    result = invoke("images", str(tmp_path / "scans"), "--institution", "IMG", "--institution-name", "Images",
                    "--ocr", "--ocr-backend", "fake")
    assert result.exit_code == 0, result.output
    item = Item.objects.get(local_id="b1")
    assert item.canvases.get().transcriptions.get().engine == "fake"
