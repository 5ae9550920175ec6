"""The engines under contract: memory, tantivy (temp folder) and postgres (own temp table)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from search_contract_kit import ENGINES, make_engine

from mogao.search.backends.base import SearchBackend


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
