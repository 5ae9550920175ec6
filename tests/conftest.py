"""Test configuration: an isolated MOGAO_HOME, shared-data location, and common fixtures."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

_HOME = tempfile.mkdtemp(prefix="mogao-test-")
os.environ.setdefault("MOGAO_HOME", _HOME)
os.environ.setdefault("MOGAO_TASKS_URL", "immediate://")
os.environ.setdefault("MOGAO_SEARCH_URL", "memory://")

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("MOGAO_SHARED_DATA", REPO.parent / "shared" / "data")).resolve()
ARTIFACTS = REPO / "artifacts"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real third-party data set; tests that need it skip when it is absent (never in CI)."""
    if not SHARED_DATA.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"../shared/data is missing at {SHARED_DATA}; CI must have it")
        pytest.skip(f"../shared/data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
