"""Cross-check of the reign-era table against DILA's authority database (read at run time)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from mogao.text.chronology import era_table
from mogao.text.fold import fold

# Dynasties whose eras date most of the library's manuscripts and imprints.
CHECKED = {"隋": "隋", "唐": "唐", "北宋": "北宋", "南宋": "南宋", "元": "元", "明": "明", "清": "清"}

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
        dynasty = CHECKED.get(era.dynasty)
        if dynasty is None or not era.canonical:
            continue
        years = dila.get((fold(dynasty), fold(era.name)))
        if years is None:
            continue
        checked += 1
        if era.start not in years:
            disagreements.append((era.dynasty, era.name, era.start, sorted(years)))
    print(f"\nchecked {checked} eras against DILA; disagreements: {disagreements}")
    assert checked > 150
    assert disagreements == []
