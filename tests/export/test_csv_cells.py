"""CSV cells as a spreadsheet reads them (fault 13): formulas defused, empty cells left empty."""

from __future__ import annotations

import csv
import io

import pytest

from mogao.catalogue.models import Item
from mogao.export.writers import write_csv


@pytest.mark.parametrize(("value", "expected"), [
    ("", ""), ("plain", "plain"), ("=1+2", "'=1+2"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=cmd|' /C calc'!A0", "'\t=cmd|' /C calc'!A0"), ("\r=1", "'\r=1"), ("a=b", "a=b"), (-221, -221), (0, 0),
])
def test_only_formula_starts_get_the_quote(value: object, expected: object) -> None:
    from mogao.export.writers import spreadsheet_cell

    assert spreadsheet_cell(value) == expected


@pytest.mark.django_db
def test_export_keeps_empty_cells_empty_and_defuses_a_tab_prefixed_formula(rich_catalogue) -> None:
    Item.objects.filter(pid=rich_catalogue["closed"]).update(dimensions="\t=HYPERLINK(\"http://evil\")", local_id="")
    buffer = io.StringIO()
    write_csv(buffer)
    rows = {r["pid"]: r for r in csv.DictReader(io.StringIO(buffer.getvalue()))}
    closed = rows[rich_catalogue["closed"]]
    assert closed["dimensions"] == "'\t=HYPERLINK(\"http://evil\")"
    assert closed["local_id"] == "" and closed["period"] == "", "an empty cell is not a lone quote"
    assert "'" not in {value for row in rows.values() for value in row.values()}
    assert closed["year_start"] == "-221", "numbers are numbers"
