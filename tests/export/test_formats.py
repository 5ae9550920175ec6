"""CSV rows and the BagIt bag: validity, contents, and rights-gated texts and images."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import bagit
import pytest
from click.testing import CliRunner

from mogao.catalogue.models import Item
from mogao.cli import main
from mogao.export.writers import CSV_COLUMNS, write_bag, write_csv

pytestmark = pytest.mark.django_db


def test_csv_has_one_row_per_item_and_defuses_formulas(rich_catalogue) -> None:
    buffer = io.StringIO()
    n = write_csv(buffer)
    rows = list(csv.DictReader(io.StringIO(buffer.getvalue())))
    assert n == len(rows) == Item.objects.count()
    assert list(rows[0]) == CSV_COLUMNS
    closed = next(r for r in rows if r["pid"] == rich_catalogue["closed"])
    assert json.loads(closed["title"]) == {"en": ["Non-commercial"], "zh-Hant": ["非商業"]}
    assert closed["year_start"] == "-221"
    assert not closed["description"].startswith("=")


def test_bag_validates_and_respects_rights(rich_catalogue, tmp_path: Path) -> None:
    bag = write_bag(tmp_path / "bag")
    again = bagit.Bag(str(tmp_path / "bag"))
    assert again.is_valid()
    data = tmp_path / "bag" / "data"
    records = [json.loads(line) for line in (data / "records.jsonl").read_text().splitlines()]
    assert rich_catalogue["private"] not in {r["pid"] for r in records}
    assert (data / "items.csv").exists()
    open_pid, closed_pid = rich_catalogue["open"], rich_catalogue["closed"]
    manifest = json.loads((data / "manifests" / f"{open_pid}.json").read_text())
    assert manifest["type"] == "Manifest"
    assert (data / "manifests" / f"{closed_pid}.json").exists(), "metadata is shared whatever the rights"
    assert "如是我聞" in (data / "transcriptions" / f"{open_pid}.txt").read_text()
    assert not (data / "transcriptions" / f"{closed_pid}.txt").exists()
    assert list((data / "images" / open_pid).glob("1.*"))
    assert not (data / "images" / closed_pid).exists()
    assert bag.info["Mogao-Images"] == "1" and bag.info["Mogao-Transcriptions"] == "1"


def test_tampered_bag_fails_validation(rich_catalogue, tmp_path: Path) -> None:
    write_bag(tmp_path / "bag")
    (tmp_path / "bag" / "data" / "items.csv").write_text("tampered")
    with pytest.raises(bagit.BagValidationError):
        bagit.Bag(str(tmp_path / "bag")).validate()


def test_cli_bag_refuses_a_non_empty_folder(rich_catalogue, tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["export", "--format", "bagit", str(tmp_path / "b")]).exit_code == 0
    result = runner.invoke(main, ["export", "--format", "bagit", str(tmp_path / "b")])
    assert result.exit_code == 2 and "not empty" in result.output
    assert runner.invoke(main, ["export", "--format", "csv", str(tmp_path / "x.csv")]).exit_code == 0
