"""The cluster on one machine under faults (#19), at a small size: ``bench/cluster/run.py``.

Two web nodes behind nginx, two workers, PostgreSQL, RabbitMQ, Redis and SeaweedFS; a CSV import and
an image import with OCR run under a wrk load of readers while one web node and one worker are
killed with SIGKILL and started again. No record may be lost or duplicated, every page must be built
and OCR'd exactly once in effect, fewer than 1 % of the readers' requests may fail, and both nodes
must serve the same pages and search results. Figures of time are written, never asserted.

Runs in the PostgreSQL run (``MOGAO_DATABASE_URL=postgres://…``: its server holds the scratch
database). Skipped when nginx, wrk, SeaweedFS, RabbitMQ or Redis is missing — except in CI, where
``.ci/run`` installs nginx and wrk and the services must answer.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest

REPO = Path(__file__).resolve().parents[2]
PG_URL = os.environ.get("MOGAO_DATABASE_URL", "")
SKIPPED = 77

pytestmark = [
    pytest.mark.skipif(not PG_URL.startswith(("postgres://", "postgresql://")),
                       reason="the cluster runs on PostgreSQL (set MOGAO_DATABASE_URL)"),
    pytest.mark.xdist_group("cluster"),
]


def test_a_cluster_under_faults_loses_nothing_and_does_nothing_twice(tmp_path: Path) -> None:
    server = urlparse(PG_URL)._replace(path="/postgres").geturl()
    env = {**os.environ, "MOGAO_BENCH_PG_URL": server}
    cmd = [sys.executable, str(REPO / "bench" / "cluster" / "run.py"), "--quick", "--records", "300",
           "--images", "6", "--calm", "4", "--ocr-backend", "fake", "--out", str(tmp_path), "--json"]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900, check=False, cwd=REPO)
    if done.returncode == SKIPPED:
        if os.environ.get("CI"):
            pytest.fail(f"the cluster test must run in CI: {done.stderr.strip()}")
        pytest.skip(done.stderr.strip())
    assert done.stdout.strip(), done.stderr[-6000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    check = result["check"]
    assert check["records_found"] == check["records_expected"] == 300 and check["records_missing"] == 0
    assert check["records_duplicated"] == 0 and check["records_unexpected"] == 0
    assert check["canvases"] == check["distinct_images"] == 6 and check["pages_without_pyramid"] == 0
    assert check["pages_ocr_once"] == 6 and check["pages_ocr_more"] == 0 and check["ocr_empty_text"] == 0
    assert result["kill"], "no node was killed"
    assert result["load"]["requests"] > 0 and result["load"]["error_rate"] < 0.01, result["load"]
    assert result["nodes_agree"]
    assert all(result["verdict"].values()), result["verdict"]
    assert done.returncode == 0, done.stderr[-4000:]
    assert (tmp_path / "RESULTS-quick.md").is_file()
