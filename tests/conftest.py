"""Test configuration: the shared-data location and common fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# MOGAO_HOME, MOGAO_TASKS_URL and MOGAO_SEARCH_URL are set per run (and per xdist worker) by the
# plugin mogao.testing.pytest_plugin, loaded with -p before pytest-django reads the settings.

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
