"""The engines under contract: memory, tantivy (temp folder) and postgres (own temp table)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from mogao.search.backends.base import SearchBackend

# The contract helpers sit beside this file; tests here are not a package (no __init__), so make
# the folder importable whichever test file pytest collects first.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from search_contract_kit import ENGINES, make_engine


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SearchBackend]:
    """Each contract test runs once per engine, on an empty index."""
    backend = make_engine(request.param, tmp_path)
    yield backend
    drop = getattr(backend, "drop", None)
    if callable(drop):
        drop()
    close = getattr(backend, "close", None)
    if callable(close):
        close()
