"""Choosing an engine by URL: lazy loading, caching, reset, errors and the system checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import checks
from django.test import override_settings

from mogao.search import checks as search_checks
from mogao.search.backends import BackendError, get_backend, load_backend, reset_backend
from mogao.search.backends.memory import MemoryBackend
from mogao.search.backends.tantivy_backend import TantivyBackend, index_path


@pytest.fixture(autouse=True)
def _fresh() -> object:
    reset_backend()
    yield
    reset_backend()


def test_default_is_the_configured_url_and_is_cached() -> None:
    with override_settings(SEARCH_URL="memory://"):
        first = get_backend()
        assert isinstance(first, MemoryBackend)
        assert get_backend() is first
        reset_backend()
        assert get_backend() is not first


def test_tantivy_index_path(tmp_path: Path, settings: object) -> None:
    assert index_path(f"tantivy://{tmp_path}/idx") == tmp_path / "idx"
    assert index_path("tantivy:///abs/dir") == Path("/abs/dir")
    from django.conf import settings as dj

    assert index_path("tantivy://") == Path(dj.HOME) / "search"
    engine = get_backend(f"tantivy://{tmp_path}/idx")
    assert isinstance(engine, TantivyBackend)
    assert engine.check() == []


def test_unknown_scheme_names_the_setting() -> None:
    with pytest.raises(BackendError, match="MOGAO_SEARCH_URL"):
        load_backend("solr://localhost")


def test_postgres_table_name_is_validated() -> None:
    with pytest.raises(ValueError, match="table"):
        load_backend("postgres://h/db?table=x;drop")


def test_engines_are_imported_only_when_chosen() -> None:
    code = (
        "import sys, mogao.search.backends as b; "
        "assert 'tantivy' not in sys.modules and 'psycopg' not in sys.modules, sorted(sys.modules); "
        "b.load_backend('memory://'); assert 'tantivy' not in sys.modules"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "mogao.site.settings"}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, timeout=60)


def test_url_check_reports_unknown_engine() -> None:
    with override_settings(SEARCH_URL="elastic://x"):
        errors = search_checks.search_url_check()
    assert [e.id for e in errors] == ["mogao.search.E001"]
    with override_settings(SEARCH_URL="memory://"):
        assert search_checks.search_url_check() == []


def test_backend_check_reports_engine_problems(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with override_settings(SEARCH_URL=f"tantivy://{blocker}"):
        errors = search_checks.search_backend_check()
    assert [e.id for e in errors] == ["mogao.search.E002"]
    assert all(e.level == checks.ERROR for e in errors)


@pytest.mark.django_db
def test_postgres_on_a_sqlite_default_database_says_so() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        pytest.skip("the default database is PostgreSQL here")
    problems = load_backend("postgres://").check()
    assert problems and "PostgreSQL" in problems[0]


@pytest.mark.django_db
def test_postgres_on_the_default_database_when_it_is_postgresql() -> None:
    from django.db import connection

    from mogao.search.types import SearchDocument, SearchQuery, Term

    if connection.vendor != "postgresql":
        pytest.skip("the default database is not PostgreSQL (set MOGAO_DATABASE_URL to run this)")
    engine = load_backend("postgres://?table=mogao_search_default_db_test")
    assert engine.check() == []
    engine.add([SearchDocument(id="item:a", doc_type="item", text={"title": ["敦煌遺書"]})])
    assert engine.count() == 1
    assert [h.id for h in engine.search(SearchQuery(root=Term("敦煌"))).hits] == ["item:a"]
