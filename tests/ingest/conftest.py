"""Fixtures for the ingest tests: an institution, works, and writers of CSV files with planted errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from mogao.catalogue import services

HEADER = "identifier,institution,shelfmark,title@zh-Hant,title@en,languages,date,type,works,description@en"


@pytest.fixture
def institution(db):
    inst, _ = services.institution_upsert(code="BL", name={"en": ["British Library"]})
    return inst


@pytest.fixture
def diamond(db):
    work, _ = services.work_upsert(
        key=("taisho", "T0235"), title={"zh-Hant": ["金剛般若波羅蜜經"], "en": ["Diamond Sutra"]},
        identifiers={"taisho": "T0235"},
    )
    return work


def good_rows(n: int, start: int = 1) -> list[str]:
    return [
        f"Or.8210/S.{i},BL,Or.8210/S.{i},金剛經 {i},Diamond Sutra copy {i},lzh,{800 + i % 100},scroll,"
        f"taisho:T0235,A scroll"
        for i in range(start, start + n)
    ]


@pytest.fixture
def write_csv(tmp_path: Path):
    def write(lines: list[str] | bytes, name: str = "items.csv") -> Path:
        path = tmp_path / name
        if isinstance(lines, bytes):
            path.write_bytes(lines)
        else:
            path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
        return path

    return write
