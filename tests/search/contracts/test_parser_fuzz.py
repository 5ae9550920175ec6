"""Fuzzing the search box parser: no input raises anything but QueryError, every tree runs everywhere."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from search_contract_kit import CORPUS, ENGINES, make_engine, postgres_reachable

from mogao.search.backends.base import SearchBackend
from mogao.search.parser import QueryError, parse
from mogao.search.types import SearchQuery


@cache
def _engine(name: str) -> SearchBackend | None:
    """One loaded engine per kind for the whole fuzz run (None when postgres is unreachable)."""
    if name == "postgres" and postgres_reachable() is not None:
        return None
    folder = Path(tempfile.mkdtemp(prefix="mogao-fuzz-"))
    engine = make_engine(name, folder)
    engine.add(CORPUS)
    engine.refresh()
    return engine


@pytest.fixture(scope="module", autouse=True)
def _drop_engines() -> Iterator[None]:
    yield
    for name in ENGINES:
        engine = _engine(name)
        if engine is not None:
            for hook in ("drop", "close"):
                fn = getattr(engine, hook, None)
                if callable(fn):
                    fn()
    _engine.cache_clear()


_ALPHABET = st.sampled_from(list("金剛般若經心 \"“」-+:|()ORANDNOT\\'*~^titlealiasinstitution\x00\x1f🙂\u3000\t\nab1."))
_QUERIES = st.one_of(
    st.text(max_size=80),
    st.text(alphabet=_ALPHABET, max_size=60),
    st.lists(
        st.sampled_from(["金剛", '"般若', "OR", "-", "NOT", "title:", "institution:BL", "x:y", "|", "經", "P:2"]),
        max_size=8,
    ).map(" ".join),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(q=_QUERIES)
def test_fuzz_parser_raises_only_query_error_and_engines_run_every_tree(q: str) -> None:
    try:
        parsed = parse(q, allow_empty=True)
    except QueryError:
        return
    for name in ENGINES:
        engine = _engine(name)
        if engine is None:
            continue
        filters = dict(parsed.filters)
        res = engine.search(SearchQuery(root=parsed.root, filters=filters, facets=("institution",)))
        assert res.total >= 0
