"""The engines under contract: memory, tantivy (temp folder) and postgres (own temp table)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from mogao.search.backends.base import SearchBackend

PG_URL = os.environ.get("MOGAO_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
ENGINES = ("memory", "tantivy", "postgres")


def _postgres_reachable() -> str | None:
    """None when PostgreSQL answers, else the reason it does not."""
    try:
        import psycopg

        with psycopg.connect(PG_URL.replace("postgres://", "postgresql://", 1), connect_timeout=3):
            return None
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"


def make_engine(name: str, tmp_path: Path) -> SearchBackend:
    """A fresh, empty engine of the named kind."""
    if name == "memory":
        from mogao.search.backends.memory import MemoryBackend

        return MemoryBackend("memory://")
    if name == "tantivy":
        from mogao.search.backends.tantivy_backend import TantivyBackend

        return TantivyBackend(f"tantivy://{tmp_path / 'index'}")
    reason = _postgres_reachable()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL unreachable at {PG_URL} in CI: {reason}")
        pytest.skip(f"PostgreSQL unreachable at {PG_URL} ({reason}); CI runs these")
    from mogao.search.backends.postgres import PostgresBackend

    table = f"mogao_search_t{uuid.uuid4().hex[:12]}"
    return PostgresBackend(f"{PG_URL}?table={table}")


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
