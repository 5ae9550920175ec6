"""Atomic and resumable: a CLI import killed with SIGKILL midway, then resumed, equals an uninterrupted one."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

MOGAO = str(Path(sys.executable).parent / "mogao")
ROWS = 1200


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MOGAO_", "DJANGO_"))}
    env.update(MOGAO_HOME=str(home), MOGAO_TASKS_URL="immediate://", MOGAO_SEARCH_URL="memory://")
    return env


def _mogao(home: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run([MOGAO, *args], env=_env(home), capture_output=True, text=True, check=check, timeout=600)


def _dump(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT local_id, shelfmark, title, languages, year_start, year_end, item_type, pid "
            "FROM catalogue_item ORDER BY local_id"
        ).fetchall()


def test_sigkill_then_resume_equals_uninterrupted(tmp_path):
    csv_path = tmp_path / "big.csv"
    lines = ["identifier,institution,shelfmark,title@zh-Hant,title@en,languages,date,type"]
    lines += [f"K{i:05d},KILL,S{i:05d},經 {i},Sutra {i},lzh,{600 + i % 300},scroll" for i in range(ROWS)]
    csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    killed, clean = tmp_path / "killed", tmp_path / "clean"
    killed.mkdir()
    _mogao(killed, "manage", "migrate", "-v", "0")
    _mogao(killed, "import", "csv", str(tmp_path / "missing.csv"), "--institution", "KILL",
           "--institution-name", "Kill test", check=False)
    shutil.copytree(killed, clean)
    db = killed / "mogao.sqlite3"

    proc = subprocess.Popen([MOGAO, "import", "csv", str(csv_path), "--batch-size", "25"],
                            env=_env(killed), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    position = 0
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
        try:
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
                row = conn.execute("SELECT position FROM ingest_ingestrun WHERE kind='csv' AND source=? ",
                                   (str(csv_path),)).fetchone()
        except sqlite3.OperationalError:
            continue
        position = row[0] if row else 0
        if position >= ROWS // 4:
            break
    assert proc.poll() is None, "the import finished before it could be killed; raise ROWS"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 0 < position < ROWS

    with sqlite3.connect(db) as conn:
        status, committed, created = conn.execute(
            "SELECT status, position, created_count FROM ingest_ingestrun WHERE source=?", (str(csv_path),)
        ).fetchone()
        items = conn.execute("SELECT COUNT(*) FROM catalogue_item").fetchone()[0]
    assert status == "running" and committed < ROWS
    assert items == committed == created  # nothing partial: exactly the committed batches

    resumed = _mogao(killed, "import", "csv", str(csv_path), "--resume", "--batch-size", "25")
    assert f"created {ROWS:,}" in resumed.stdout, resumed.stdout  # counts carried over, not redone
    _mogao(clean, "import", "csv", str(csv_path), "--batch-size", "25")
    assert _dump(db) == _dump(clean / "mogao.sqlite3")
    assert len(_dump(db)) == ROWS
    again = _mogao(killed, "import", "csv", str(csv_path))
    assert f"unchanged {ROWS:,}" in again.stdout
