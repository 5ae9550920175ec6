"""`mogao demo --data ../shared/data --no-serve`, run as a user would: counts, titles, idempotence."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.shared_data


def _demo(home: Path, data: Path) -> str:
    env = {
        **os.environ, "MOGAO_HOME": str(home), "MOGAO_DATABASE_URL": "", "MOGAO_SEARCH_URL": "tantivy://",
        # The worker is not running with --no-serve: OCR and other tasks stay queued, as for a user.
        "MOGAO_TASKS_URL": "database://",
    }
    done = subprocess.run(
        [sys.executable, "-c", "from mogao.cli import main; main()", "demo", "--data", str(data), "--no-serve"],
        env=env, capture_output=True, text=True, timeout=900, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        tables = ["catalogue_work", "catalogue_item", "catalogue_canvas", "catalogue_institution",
                  "catalogue_join", "knowledge_person", "knowledge_place", "knowledge_period"]
        return {t: conn.execute(f"select count(*) from {t}").fetchone()[0] for t in tables}


def test_demo_with_real_data_loads_dila_works_and_scans_twice_identically(
    shared_data: Path, tmp_path: Path
) -> None:
    out = _demo(tmp_path, shared_data)
    assert "2,457" in out
    db = tmp_path / "mogao.sqlite3"
    first = _counts(db)
    with sqlite3.connect(db) as conn:
        taisho = conn.execute(
            "select count(*) from catalogue_work where json_extract(identifiers, '$.taisho') is not null"
        ).fetchone()[0]
        english = conn.execute(
            "select count(*) from catalogue_work where json_extract(identifiers, '$.taisho') is not null "
            "and json_extract(title, '$.en') is not null"
        ).fetchone()[0]
        scans = conn.execute(
            "select count(*) from catalogue_canvas where image_id != '' and image_id not like 'demo-%'"
        ).fetchone()[0]
        diamond = conn.execute(
            "select title from catalogue_work where json_extract(identifiers, '$.taisho') = 'T0235'"
        ).fetchone()[0]
    assert taisho == 2457
    assert english >= 2200  # the dictionary has English titles for most of the canon
    assert scans == 16
    # The demo's curated record keeps its four languages after the real data is merged in.
    for tag in ("zh-Hant", "zh-Hans", "en", "fr"):
        assert f'"{tag}"' in diamond, diamond
    _demo(tmp_path, shared_data)
    assert _counts(db) == first
