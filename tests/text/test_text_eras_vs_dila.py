"""Cross-check of the reign-era table against DILA's authority database (read at run time)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from mogao.text.chronology import era_table
from mogao.text.fold import fold

pytestmark = pytest.mark.shared_data


def _dila_first_years(path: Path) -> dict[tuple[str, str], set[int]]:
    """(dynasty, era) -> possible Western years of the era's first year.

    DILA gives the day an era began; a start in January or February may still belong to the
    previous Chinese year, so both years are allowed there.
    """
    out: dict[tuple[str, str], set[int]] = {}
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            date = row["start_date_jul_greg"]
            if date.startswith("-"):
                continue
            year, month, _ = (int(x) for x in date.split("-"))
            first = year - (int(row["first_era_year"] or 1) - 1)
            years = {first, first - 1} if month <= 2 else {first}
            key = (fold(row["dynasty_name"]), fold(row["era_name"]))
            out.setdefault(key, set()).update(years)
    return out


def test_era_first_years_agree_with_dila(shared_data: Path) -> None:
    dila = _dila_first_years(shared_data / "authority" / "dila_chinese_reign_eras_derived.csv")
    checked, disagreements = 0, []
    for era in era_table():
        if not era.canonical or era.start < 0:  # BCE: DILA counts astronomically (year 0)
            continue
        years = dila.get((fold(era.dynasty), fold(era.name)))
        if years is None:
            continue
        checked += 1
        if era.start not in years:
            disagreements.append((era.dynasty, era.name, era.start, sorted(years)))
    print(f"\nchecked {checked} eras against DILA; disagreements: {disagreements}")
    assert checked > 400
    assert disagreements == []
