"""postgres specifics: bulk loads by COPY, RUM or its GIN fallback, facet counts from a sample."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from search_contract_kit import PG_URL, doc, make_engine

from mogao.search.backends.postgres import PostgresBackend
from mogao.search.types import SearchQuery, Term


@pytest.fixture
def pg(tmp_path: Path) -> Iterator[PostgresBackend]:
    engine = make_engine("postgres", tmp_path)
    assert isinstance(engine, PostgresBackend)
    yield engine
    engine.drop()
    engine.close()


def _indexes(engine: PostgresBackend) -> set[str]:
    with engine._cursor() as cur:
        cur.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s", [engine.table])
        return {row[0].removeprefix(engine.table + "_") for row in cur.fetchall()}


def _many(n: int, *, prefix: str = "item") -> list:
    periods = ["Tang", "Song", "Yuan", "Ming"]
    return [
        doc(f"{prefix}:{i}", title=f"star chart {i}", period=periods[i % 4], institution="BL" if i % 3 else "BnF")
        for i in range(n)
    ]


def test_bulk_load_copies_then_builds_the_indexes_and_keeps_the_last_duplicate(pg: PostgresBackend) -> None:
    with pg.bulk():
        pg.clear()
        pg.add([doc("item:a", title="first title"), *_many(30)])
        assert pg._loading and "pkey" not in _indexes(pg)  # no key or index while copying
        pg.add([doc("item:a", title="second title")])
    assert not pg._loading
    assert {"pkey", "filters", "years", "sk"} <= _indexes(pg)
    assert "tsv" in _indexes(pg)  # GIN always; RUM beside it when the extension is there
    assert ("rum" in _indexes(pg)) is bool(pg.rum)
    assert pg.count() == 31
    assert pg.search(SearchQuery(root=Term("second"))).total == 1
    assert pg.search(SearchQuery(root=Term("first"))).total == 0
    pg.add([doc("item:a", title="third title")])  # outside bulk: an upsert on the restored key
    assert pg.count() == 31 and pg.search(SearchQuery(root=Term("third"))).total == 1


def test_bulk_into_a_filled_table_upserts_and_keeps_the_indexes(pg: PostgresBackend) -> None:
    pg.add(_many(5))
    with pg.bulk():
        pg.add([doc("item:1", title="changed")])
        assert not pg._loading
    assert pg.count() == 5 and pg.search(SearchQuery(root=Term("changed"))).total == 1


def test_counts_beyond_the_exact_limit_are_sampled_and_marked(tmp_path: Path) -> None:
    table = f"mogao_search_t{uuid.uuid4().hex[:12]}"
    exact = PostgresBackend(f"{PG_URL}?table={table}")
    sampled = PostgresBackend(f"{PG_URL}?table={table}&facet_exact=50")
    try:
        exact.add(_many(1200))
        query = SearchQuery(root=Term("star"), facets=("period", "institution"))
        truth = exact.search(query)
        assert not truth.facets_approximate and not truth.total_approximate and truth.total == 1200
        periods = {f.value: f.count for f in truth.facets["period"]}
        assert periods == dict.fromkeys(("Tang", "Song", "Yuan", "Ming"), 300)
        guess = sampled.search(query)
        assert guess.facets_approximate and guess.total_approximate
        assert 800 <= guess.total <= 1600  # a hash sample of about 50 hits, scaled back
        assert [h.id for h in guess.hits] == [h.id for h in truth.hits]
        counts = {f.value: f.count for f in guess.facets["period"]}
        assert set(counts) <= {"Tang", "Song", "Yuan", "Ming"} and len(counts) >= 3
        assert sum(counts.values()) == pytest.approx(guess.total, rel=0.05)
        plain = sampled.search(SearchQuery(root=Term("star")))
        assert plain.total_approximate and 800 <= plain.total <= 1600 and not plain.facets_approximate
        few = sampled.search(SearchQuery(root=Term("star 7"), facets=("period",)))
        assert not few.facets_approximate and not few.total_approximate  # under the limit: exact
    finally:
        exact.drop()
        exact.close()
        sampled.close()


def test_up_to_twice_the_exact_limit_one_grouped_count_gives_exact_facets(tmp_path: Path) -> None:
    table = f"mogao_search_t{uuid.uuid4().hex[:12]}"
    engine = PostgresBackend(f"{PG_URL}?table={table}&facet_exact=1000")
    statements: list[str] = []
    try:
        engine.add(_many(1200))  # over the limit, under twice it
        _record(engine, statements)
        result = engine.search(SearchQuery(root=Term("star"), facets=("period",)))
        assert result.total == 1200 and not result.total_approximate and not result.facets_approximate
        assert {f.value: f.count for f in result.facets["period"]} == dict.fromkeys(("Tang", "Song", "Yuan", "Ming"),
                                                                                    300)
        counts = [sql for sql in statements if "count(*)" in sql]
        assert len(counts) == 2 and "zs|" not in str(counts[1])  # the 1/64 sample, then every hit once
    finally:
        engine.drop()
        engine.close()


def _record(engine: PostgresBackend, statements: list[str]) -> None:
    """Keep the text of every statement the engine's searches run."""
    from contextlib import contextmanager
    from typing import Any

    read_cursor = engine._read_cursor

    class Recording:
        def __init__(self, cur: Any) -> None:
            self.cur = cur

        def execute(self, sql: str, params: Any = ()) -> Any:
            statements.append(sql)
            return self.cur.execute(sql, params)

        def __getattr__(self, name: str) -> Any:
            return getattr(self.cur, name)

    @contextmanager
    def recording() -> Iterator[tuple[Any, bool]]:
        with read_cursor() as (cur, rum):
            yield Recording(cur), rum

    engine._read_cursor = recording  # type: ignore[method-assign]


def test_a_conjunction_with_few_hits_is_ranked_from_the_gin_bitmap_a_single_term_by_rum(
        pg: PostgresBackend) -> None:
    from mogao.search.types import And

    pg.add([
        *_many(40),
        doc("item:both", title="lotus sutra", description="lotus sutra lotus"),
        doc("item:one", title="lotus", description="sutra"),
        doc("item:body", title="x", description="lotus sutra"),
    ])
    if not pg.rum:
        pytest.skip("the rum extension is not installed here")
    statements: list[str] = []
    _record(pg, statements)
    hits = pg.search(SearchQuery(root=And((Term("lotus"), Term("sutra"))))).hits
    assert hits[0].id == "item:both" and {h.id for h in hits} == {"item:both", "item:one", "item:body"}
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    ranked = [sql for sql in statements if "LIMIT" in sql]
    assert len(ranked) == 1 and "ts_rank(" in ranked[0] and "<=>" not in ranked[0]
    statements.clear()
    pg.search(SearchQuery(root=Term("star")))
    assert "<=>" in next(sql for sql in statements if "LIMIT" in sql)
    statements.clear()
    filtered = pg.search(SearchQuery(root=Term("star"), filters={"period": ["Tang"]}))  # a filter narrows too
    assert filtered.total == 10 and "ts_rank(" in next(sql for sql in statements if "LIMIT" in sql)


def test_the_engine_never_prepares_its_searches_on_the_server(pg: PostgresBackend) -> None:
    """A prepared search goes to a generic plan after five runs, planned without its tsquery."""
    pg.add(_many(10))
    for _ in range(8):
        pg.search(SearchQuery(root=Term("star"), facets=("period",)))
    with pg._read_cursor() as (cur, _rum):
        cur.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cur.fetchone()[0] == 0


def test_searches_run_without_parallel_workers_or_jit(pg: PostgresBackend) -> None:
    """Rough tsquery estimates made PostgreSQL start workers and JIT for 0.2 ms queries (17-20 ms)."""
    pg.add(_many(3))
    with pg._read_cursor() as (cur, _rum):
        cur.execute("SHOW jit")
        assert cur.fetchone()[0] == "off"
        cur.execute("SHOW max_parallel_workers_per_gather")
        assert cur.fetchone()[0] == "0"


@pytest.mark.django_db(transaction=True)
def test_on_djangos_connection_the_search_settings_last_one_transaction() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the default database is not PostgreSQL here")
    engine = PostgresBackend(f"postgres://?table=mogao_search_t{uuid.uuid4().hex[:12]}")
    try:
        engine.add(_many(3))
        with engine._read_cursor() as (cur, _rum):
            cur.execute("SHOW jit")
            assert cur.fetchone()[0] == "off"
        assert engine.search(SearchQuery(root=Term("star"))).total == 3
        with connection.cursor() as cur:  # the application's own queries keep the server's settings
            cur.execute("SHOW max_parallel_workers_per_gather")
            assert cur.fetchone()[0] != "0"
    finally:
        engine.drop()


def test_sample_lexemes_nest() -> None:
    from mogao.search.backends.postgres_sql import SAMPLE_DEPTH, sample_lexemes

    shares = [0] * (SAMPLE_DEPTH + 1)
    for i in range(20_000):
        marks = sample_lexemes(f"item:{i}")
        assert marks == [f"'zs|{j}'" for j in range(1, len(marks) + 1)]  # zs|j implies zs|1..j-1
        shares[len(marks)] += 1
    at_least = [sum(shares[j:]) / 20_000 for j in range(SAMPLE_DEPTH + 1)]
    for j, share in enumerate(at_least):
        assert share == pytest.approx(2**-j, rel=0.25)


def test_without_rum_the_engine_falls_back_to_gin_and_warns(tmp_path: Path) -> None:
    engine = PostgresBackend(f"{PG_URL}?table=mogao_search_t{uuid.uuid4().hex[:12]}&rum=0")
    try:
        engine.add(_many(3))
        assert engine.rum is False
        assert "tsv" in _indexes(engine) and "rum" not in _indexes(engine)
        assert engine.warnings() and "GIN" in engine.warnings()[0]
        hits = engine.search(SearchQuery(root=Term("star"))).hits
        assert len(hits) == 3 and all(h.score > 0 for h in hits)
    finally:
        engine.drop()
        engine.close()


def test_ranked_hits_come_in_score_order(pg: PostgresBackend) -> None:
    pg.add([
        doc("item:body", title="x", description="lotus"),
        doc("item:title", title="lotus"),
        doc("item:both", title="lotus", description="lotus lotus"),
    ])
    hits = pg.search(SearchQuery(root=Term("lotus"))).hits
    assert hits[0].id == "item:both" and hits[-1].id == "item:body"
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_a_table_of_the_previous_version_gets_its_facet_keys(tmp_path: Path) -> None:
    table = f"mogao_search_t{uuid.uuid4().hex[:12]}"
    old = PostgresBackend(f"{PG_URL}?table={table}")
    try:
        with old._cursor() as cur:
            cur.execute(
                f"CREATE TABLE {table} (id text PRIMARY KEY, doc_type text NOT NULL, tsv tsvector NOT NULL,"
                " filters jsonb NOT NULL, ys bigint, ye bigint, sk text NOT NULL, src jsonb NOT NULL)"
            )
            cur.execute(
                f"INSERT INTO {table} VALUES ('item:1', 'item', '''ti|star'':1A', '{{\"period\": [\"Tang\"]}}',"
                " NULL, NULL, '', '{\"payload\": {}, \"text\": {}}')"
            )
        found = old.search(SearchQuery(root=Term("star"), facets=("period",)))
        assert found.total == 1 and [(f.value, f.count) for f in found.facets["period"]] == [("Tang", 1)]
    finally:
        old.drop()
        old.close()


def test_searches_go_to_the_read_replica_and_writes_do_not(tmp_path: Path) -> None:
    from urllib.parse import quote

    table = f"mogao_search_t{uuid.uuid4().hex[:12]}"
    # the "replica" is the same database on a read-only session, as a hot standby would be
    replica = PG_URL + ("&" if "?" in PG_URL else "?") + "options=-c%20default_transaction_read_only%3Don"
    engine = PostgresBackend(f"{PG_URL}?table={table}&replica={quote(replica, safe='')}")
    try:
        assert engine.search(SearchQuery(root=Term("star"))).total == 0  # no table on the replica yet
        assert engine._replica_conn is not None and engine._replica_rum is None
        engine.add(_many(12))
        found = engine.search(SearchQuery(root=Term("star"), facets=("period",)))
        assert found.total == 12 and len(found.hits) == 12
        assert engine._replica_rum is not None  # answered by the replica
        with engine._replica_conn.cursor() as cur:
            cur.execute("SHOW default_transaction_read_only")
            assert cur.fetchone()[0] == "on"
        engine.delete(["item:0"])
        assert engine.search(SearchQuery(root=Term("star"))).total == 11
    finally:
        engine.drop()
        engine.close()
    with pytest.raises(ValueError, match="replica"):
        PostgresBackend(f"{PG_URL}?replica=mysql://x")


def test_the_database_check_warns_without_rum(monkeypatch: pytest.MonkeyPatch) -> None:
    from mogao.search import backends, checks

    engine = PostgresBackend(f"{PG_URL}?table=mogao_search_t{uuid.uuid4().hex[:12]}&rum=0")
    monkeypatch.setattr(backends, "get_backend", lambda: engine)
    try:
        found = checks.search_backend_check()
        assert [m.id for m in found] == ["mogao.search.W001"] and "GIN" in found[0].msg
    finally:
        engine.drop()
        engine.close()
