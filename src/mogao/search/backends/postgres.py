"""The server engine: PostgreSQL full text over the same tokens, so a cluster needs no second engine.

One table (created on first use, raw SQL so it exists only where this engine runs) holds per
document a ``tsvector`` whose lexemes are ``<field code>|<token>`` at the tokens' real positions,
weighted A-D by field (shelfmark/title A, alias B, names C, description/body D), filters as JSONB
(GIN ``jsonb_path_ops``), the same filter values flattened to a ``text[]`` for facet counts
(``fk``), integer year bounds (BCE negative) and the shelfmark sort key. The stored source is
kept out of line (``toast_tuple_target``), so a scan over many hits reads narrow rows.

The text is indexed with RUM (the ``rum`` extension, Debian ``postgresql-15-rum``) when the
extension can be created: RUM keeps the positions in the index, so ``ORDER BY tsv <=> query
LIMIT k`` returns the best k hits in rank order without reading every hit's row. A GIN index sits
beside it: without positions its bitmap scans are 2-3x faster, so counts use it, and a conjunction
or a filtered query with at most :data:`~mogao.search.backends.postgres_sql.BITMAP_RANK_MAX` hits is
ranked with ``ts_rank`` from its bitmap rather than by RUM's ordered scan. Without RUM the engine
has GIN alone and ranks every hit with ``ts_rank`` (correct, slow past ~10,000 hits), and
:meth:`PostgresBackend.warnings` says so (system check ``mogao.search.W001``). ``?rum=0`` forces
GIN. Phrases are ``<N>`` tsquery chains; facets are one ``GROUP BY`` over ``unnest(fk)``;
highlights come from the stored original text, as in the other engines.

Bulk loads (``bulk()`` into an empty table: ``rebuild_index``, the benchmark) drop the indexes,
``COPY`` the rows, then build the indexes once with a large ``maintenance_work_mem`` and
``VACUUM ANALYZE`` (so counts can skip the heap); searches during such a load are slow.

``postgres://`` alone uses Django's default database (it must be PostgreSQL);
``postgres://user@host:port/db`` opens its own connection. ``?table=name`` picks the table.
Positions above 16383 collapse to 16383 (a PostgreSQL limit), so phrases deep inside very long
bodies may over-match; ``Boost`` nodes are accepted but do not change the ranking.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, cast
from urllib.parse import parse_qs, urlparse, urlunparse

from mogao.search.backends import analysis
from mogao.search.backends.base import SearchBackend
from mogao.search.backends.postgres_sql import (
    BITMAP_RANK_MAX,
    BUILD_MEMORY,
    CHUNK,
    FACET_EXACT,
    FACET_SEP,
    RANK_WEIGHTS,
    SAMPLE_DEPTH,
    TABLE_NAME,
    rank_query,
    scrub,
    tsvector_literal,
    where_sql,
)
from mogao.search.query import Compiled, QAnd, QBoost, compile_query, positive_terms
from mogao.search.types import (
    FILTER_FIELDS,
    FacetValue,
    Hit,
    SearchDocument,
    SearchQuery,
    SearchResults,
)

#: Session settings of the engine's searches. PostgreSQL's row estimates for a tsquery are rough (an OR
#: of rare words with 124 hits was planned as 40,000), and on such estimates it chose parallel workers
#: and JIT compilation, which cost 17-20 ms to start for a query that runs in 0.2 ms without them.
SEARCH_SESSION = "SET jit = off; SET max_parallel_workers_per_gather = 0"


class PostgresBackend(SearchBackend):
    """PostgreSQL full-text engine over one table."""

    name = "postgres"
    supports_highlight = True
    supports_facets = True
    supports_phrase = True
    supports_boost = False

    def __init__(self, url: str = "postgres://", options: dict[str, Any] | None = None) -> None:
        super().__init__(url, options)
        parsed = urlparse(url)
        query = parse_qs(parsed.query)
        self.table = (query.get("table") or ["mogao_search_entry"])[0]
        if not TABLE_NAME.match(self.table):
            raise ValueError(f"MOGAO_SEARCH_URL: table name {self.table!r} is not a plain identifier")
        self.facet_exact = int((query.get("facet_exact") or [str(FACET_EXACT)])[0])
        self.want_rum = (query.get("rum") or ["1"])[0].lower() not in {"0", "no", "false", "off"}
        own = bool(parsed.netloc or parsed.path.strip("/"))
        self._dsn = urlunparse(parsed._replace(scheme="postgresql", query="")) if own else None
        replica = (query.get("replica") or [""])[0]
        if replica and urlparse(replica).scheme not in {"postgres", "postgresql"}:
            raise ValueError("MOGAO_SEARCH_URL: replica= must be a postgres:// URL")
        #: searches go to this read replica (``?replica=postgres://...``, URL-encoded); writes never
        self._replica_dsn = urlunparse(urlparse(replica)._replace(scheme="postgresql")) if replica else None
        self._replica_conn: Any = None
        self._replica_lock = threading.RLock()
        self._replica_rum: bool | None = None
        self._conn: Any = None
        self._lock = threading.RLock()
        self._ready = False
        #: the text index is RUM (decided on first use; None before)
        self.rum: bool | None = None
        self._rum_problem = ""
        self._bulk_depth = 0
        self._loading = False  # inside bulk(), writing by COPY into a table without indexes

    # ------------------------------------------------------------------ plumbing

    @contextmanager
    def _cursor(self) -> Iterator[Any]:
        # The engine's own connections never prepare statements on the server: a prepared search
        # goes to a generic plan after five runs, planned without the tsquery, and that plan reads
        # the RUM index where the GIN bitmap is 2-3x faster (Django's connection binds client-side).
        if self._dsn is None:
            from django.db import connection

            if connection.vendor != "postgresql":
                raise RuntimeError(
                    "MOGAO_SEARCH_URL=postgres:// needs PostgreSQL as the default database "
                    f"(it is {connection.vendor}); set MOGAO_DATABASE_URL or give the search URL a database"
                )
            with connection.cursor() as cur:
                yield cur
            return
        with self._lock:
            if self._conn is None or self._conn.closed:
                import psycopg

                self._conn = psycopg.connect(self._dsn, autocommit=True, prepare_threshold=None)
                self._conn.execute(SEARCH_SESSION)
            with self._conn.cursor() as cur:
                yield cur

    @contextmanager
    def _read_cursor(self) -> Iterator[tuple[Any, bool]]:
        """A cursor for searches and whether the table has its RUM index.

        On the read replica when the URL names one (``?replica=``): nothing is created there (a
        replica is read-only); until the table has reached it, searches go to the primary.
        """
        if self._replica_dsn is not None:
            with self._replica_lock:
                if self._replica_conn is None or self._replica_conn.closed:
                    import psycopg

                    self._replica_conn = psycopg.connect(self._replica_dsn, autocommit=True, prepare_threshold=None)
                    self._replica_conn.execute(SEARCH_SESSION)
                with self._replica_conn.cursor() as cur:
                    if self._replica_rum is None:
                        cur.execute(
                            "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
                            " AND tablename = %s",
                            [self.table],
                        )
                        names = {row[0] for row in cur.fetchall()}
                        if f"{self.table}_pkey" in names:  # the table (with its key) is there
                            self._replica_rum = f"{self.table}_rum" in names
                    if self._replica_rum is not None:
                        yield cur, self._replica_rum
                        return
        if self._dsn is None:  # Django's connection: the settings hold for this transaction only
            from django.db import transaction

            with transaction.atomic(), self._cursor() as cur:
                self._ensure(cur)
                cur.execute(SEARCH_SESSION.replace("SET ", "SET LOCAL "))
                yield cur, bool(self.rum)
            return
        with self._cursor() as cur:
            self._ensure(cur)
            yield cur, bool(self.rum)

    def _detect_rum(self, cur: Any) -> bool:
        """Whether the RUM extension is there (creating it when it is available and allowed)."""
        if not self.want_rum:
            self._rum_problem = "RUM disabled by ?rum=0"
            return False
        cur.execute("SELECT installed_version IS NOT NULL FROM pg_available_extensions WHERE name = 'rum'")
        row = cur.fetchone()
        if row is None:
            self._rum_problem = "the rum extension is not installed on the server (Debian: postgresql-15-rum)"
            return False
        if row[0]:
            return True
        try:
            cur.execute("CREATE EXTENSION IF NOT EXISTS rum")
        except Exception as exc:  # no privilege (CREATE EXTENSION needs a superuser or the owner)
            self._rum_problem = f"CREATE EXTENSION rum failed: {str(exc).strip()}"
            return False
        return True

    def _index_ddl(self) -> list[str]:
        t = self.table
        rum = [f"CREATE INDEX IF NOT EXISTS {t}_rum ON {t} USING rum (tsv rum_tsvector_ops)"] if self.rum else []
        return [
            *rum,
            # GIN beside RUM: its bitmap scans (counts, conjunctions) read no positions and are ~3x faster
            f"CREATE INDEX IF NOT EXISTS {t}_tsv ON {t} USING gin (tsv)",
            f"CREATE INDEX IF NOT EXISTS {t}_filters ON {t} USING gin (filters jsonb_path_ops)",
            f"CREATE INDEX IF NOT EXISTS {t}_years ON {t} (ys, ye)",
            f'CREATE INDEX IF NOT EXISTS {t}_sk ON {t} (sk COLLATE "C")',
        ]

    def _ensure(self, cur: Any) -> None:
        if self._ready:
            return
        t = self.table
        self.rum = self._detect_rum(cur)
        cur.execute(
            f"CREATE TABLE IF NOT EXISTS {t} ("
            " id text PRIMARY KEY, doc_type text NOT NULL, tsv tsvector NOT NULL,"
            " filters jsonb NOT NULL, fk text[], ys bigint, ye bigint, sk text NOT NULL, src jsonb NOT NULL)"
            " WITH (toast_tuple_target = 256)"
        )
        cur.execute(
            "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()"
            " AND table_name = %s AND column_name = 'fk'",
            [t],
        )
        if cur.fetchone() is None:  # a table of an earlier version: add and fill the facet keys
            cur.execute(f"ALTER TABLE {t} ADD COLUMN fk text[]")
            cur.execute(
                f"UPDATE {t} SET fk = ARRAY(SELECT e.key || %s || v FROM jsonb_each(filters) e,"  # noqa: S608
                " jsonb_array_elements_text(e.value) v)",
                [FACET_SEP],
            )
        for ddl in self._index_ddl():
            cur.execute(ddl)
        self._ready = True

    def warnings(self) -> list[str]:
        """Degradations that are not errors: the GIN fallback when RUM is not available."""
        try:
            with self._cursor() as cur:
                self._ensure(cur)
        except Exception:  # reported by check()
            return []
        if self.rum:
            return []
        return [
            f"postgres search engine: no RUM index ({self._rum_problem}); using GIN, which ranks every "
            "hit, so queries with many hits are slow"
        ]

    def check(self) -> list[str]:
        try:
            with self._cursor() as cur:
                cur.execute("SELECT 1")
        except Exception as exc:  # any driver or configuration error is a check failure
            return [f"postgres search engine unavailable: {exc}"]
        return []

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
        with self._replica_lock:
            if self._replica_conn is not None:
                self._replica_conn.close()
                self._replica_conn = None

    def drop(self) -> None:
        """Drop the engine's table (tests, benchmarks)."""
        with self._cursor() as cur:
            cur.execute(f"DROP TABLE IF EXISTS {self.table}")
        self._ready = False
        self._replica_rum = None

    # ------------------------------------------------------------------ bulk loads

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """A load into an empty table goes by COPY with the indexes built once at the end."""
        self._bulk_depth += 1
        try:
            yield
        finally:
            self._bulk_depth -= 1
            if self._bulk_depth == 0 and self._loading:
                self._finish_load()

    def _start_load(self, cur: Any) -> None:
        """Drop the indexes and the key of the (empty) table: rows then go in by COPY."""
        t = self.table
        for name in ("rum", "tsv", "filters", "years", "sk"):
            cur.execute(f"DROP INDEX IF EXISTS {t}_{name}")
        cur.execute(f"ALTER TABLE {t} DROP CONSTRAINT IF EXISTS {t}_pkey")
        self._loading = True

    def _finish_load(self) -> None:
        """Keep the last row of each id, restore the key and indexes, VACUUM ANALYZE."""
        t = self.table
        self._loading = False
        with self._cursor() as cur:
            cur.execute(f"SET maintenance_work_mem = '{BUILD_MEMORY}'")
            if self._duplicates(cur):
                cur.execute(
                    f"DELETE FROM {t} WHERE ctid IN (SELECT ctid FROM (SELECT ctid, row_number() OVER"  # noqa: S608
                    f" (PARTITION BY id ORDER BY ctid DESC) AS n FROM {t}) d WHERE n > 1)"
                )
            cur.execute(f"ALTER TABLE {t} ADD CONSTRAINT {t}_pkey PRIMARY KEY (id)")
            for ddl in self._index_ddl():
                cur.execute(ddl)
            cur.execute("RESET maintenance_work_mem")
            # VACUUM (the visibility map) cannot run inside a transaction: Django's connection in
            # an atomic block (tests, a rebuild called from one) gets the statistics only
            from psycopg.pq import TransactionStatus

            raw = getattr(cur, "cursor", cur)
            idle = raw.connection.info.transaction_status == TransactionStatus.IDLE
            cur.execute(f"VACUUM ANALYZE {t}" if idle else f"ANALYZE {t}")

    def _duplicates(self, cur: Any) -> bool:
        cur.execute(f"SELECT count(*) > count(DISTINCT id) FROM {self.table}")  # noqa: S608
        return bool(cur.fetchone()[0])

    # ------------------------------------------------------------------ writes

    @staticmethod
    def _row(item: analysis.Analyzed) -> tuple[Any, ...]:
        doc = item.doc
        start, end = item.years
        src = scrub({"payload": doc.payload, "text": doc.text})
        filters = scrub(item.filters)
        return (
            scrub(doc.id),
            scrub(doc.doc_type),
            tsvector_literal(item),
            json.dumps(filters, ensure_ascii=False),
            [f"{k}{FACET_SEP}{v}" for k, values in filters.items() for v in values],
            start,
            end,
            scrub(item.sort),
            json.dumps(src, ensure_ascii=False, default=str),
        )

    def add(self, documents: Iterable[SearchDocument]) -> int:
        return self.add_analyzed(analysis.analyze(d) for d in documents)

    def add_analyzed(self, analyzed: Iterable[analysis.Analyzed]) -> int:
        return self._add_rows(self._row(item) for item in analyzed)

    def preparer(self) -> Callable[[SearchDocument], object]:
        return prepare_row

    def add_prepared(self, prepared: Iterable[object]) -> int:
        return self._add_rows(cast("Iterable[tuple[Any, ...]]", prepared))

    def _add_rows(self, rows: Iterable[tuple[Any, ...]]) -> int:
        n = 0
        batch: list[tuple[Any, ...]] = []
        with self._cursor() as cur:
            self._ensure(cur)
            if self._bulk_depth and not self._loading:
                cur.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {self.table})")  # noqa: S608
                if cur.fetchone()[0]:
                    self._start_load(cur)
            for row in rows:
                batch.append(row)
                if len(batch) >= CHUNK:
                    n += self._write(cur, batch)
                    batch = []
            if batch:
                n += self._write(cur, batch)
        return n

    _COLUMNS = "id, doc_type, tsv, filters, fk, ys, ye, sk, src"

    def _write(self, cur: Any, rows: Sequence[tuple[Any, ...]]) -> int:
        if self._loading:
            raw = getattr(cur, "cursor", cur)  # Django's wrapper holds the psycopg cursor
            with raw.copy(f"COPY {self.table} ({self._COLUMNS}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return len(rows)
        # Deduplicate within the batch: ON CONFLICT cannot touch one row twice in a statement.
        unique = list({row[0]: row for row in rows}.values())
        cur.executemany(
            f"INSERT INTO {self.table} ({self._COLUMNS})"  # noqa: S608
            " VALUES (%s, %s, %s::tsvector, %s::jsonb, %s::text[], %s, %s, %s, %s::jsonb)"
            " ON CONFLICT (id) DO UPDATE SET doc_type = EXCLUDED.doc_type, tsv = EXCLUDED.tsv,"
            " filters = EXCLUDED.filters, fk = EXCLUDED.fk, ys = EXCLUDED.ys, ye = EXCLUDED.ye,"
            " sk = EXCLUDED.sk, src = EXCLUDED.src",
            unique,
        )
        return len(rows)

    def delete(self, ids: Iterable[str]) -> None:
        wanted = [scrub(i) for i in ids]
        if not wanted:
            return
        with self._cursor() as cur:
            self._ensure(cur)
            cur.execute(f"DELETE FROM {self.table} WHERE id = ANY(%s)", [wanted])  # noqa: S608

    def clear(self) -> None:
        with self._cursor() as cur:
            self._ensure(cur)
            verb = "TRUNCATE" if self._bulk_depth else "DELETE FROM"  # TRUNCATE: a rebuild follows
            cur.execute(f"{verb} {self.table}")

    def count(self) -> int:
        with self._cursor() as cur:
            self._ensure(cur)
            cur.execute(f"SELECT count(*) FROM {self.table}")  # noqa: S608
            return int(cur.fetchone()[0])

    # ------------------------------------------------------------------ reads

    def _conditions(self, compiled: Compiled, query: SearchQuery) -> tuple[str, list[Any]]:
        params: list[Any] = []
        parts = [where_sql(compiled, params)]
        for name, values in query.filters.items():
            wanted = [str(v) for v in values]
            if not wanted:
                continue
            if name not in FILTER_FIELDS:
                return "FALSE", []
            ors = []
            for value in wanted:
                params.append(json.dumps({name: [scrub(value)]}, ensure_ascii=False))
                ors.append("filters @> %s::jsonb")
            parts.append("(" + " OR ".join(ors) + ")")
        lo, hi, empty = analysis.year_range(query)
        if empty:
            return "FALSE", []
        if hi is not None:
            parts.append("ys <= %s")
            params.append(hi)
        if lo is not None:
            parts.append("ye >= %s")
            params.append(lo)
        return " AND ".join(parts), params

    def _ordering(self, compiled: Compiled, query: SearchQuery, rum: bool) -> tuple[str, str, list[Any]]:
        """The score expression, ORDER BY and their parameters for ``query.sort``."""
        if query.sort == "relevance":
            rank = rank_query(compiled)
            if rank is not None and rum:
                # RUM orders by distance straight from the index; the score is RUM's own rank,
                # which is the inverse of that distance, so the order and the scores agree. No
                # tie-break on id: equal ranks (thousands of them for a common word) would have to
                # be read and sorted in full; ties come in the index's order.
                return "rum_ts_score(tsv, %s::tsquery)", "tsv <=> %s::tsquery", [rank, rank]
            if rank is not None:
                return f"ts_rank('{RANK_WEIGHTS}', tsv, %s::tsquery)", "score DESC, id", [rank]
        order = {
            "date": "ys ASC NULLS LAST, id",
            "-date": "ye DESC NULLS LAST, id",
            "shelfmark": 'sk COLLATE "C", id',
        }.get(query.sort, "id")
        return "0.0", order, []

    def search(self, query: SearchQuery) -> SearchResults:
        began = time.perf_counter()
        compiled = compile_query(query.root)
        where, params = self._conditions(compiled, query)
        offset, limit = analysis.paging(query)
        t = self.table
        with self._read_cursor() as (cur, rum):
            total, total_approximate, facets, approximate = self._tally(cur, where, params, query)
            if rum and total <= BITMAP_RANK_MAX and _narrowed(compiled, query):
                # RUM intersects position-carrying posting lists slowly: for a conjunction or a
                # filter with few enough hits, ranking them all from the GIN bitmap is 2-4x faster
                rum = False
            score, order, oparams = self._ordering(compiled, query, rum)
            rows: list[Any] = []
            if limit and total > offset:
                head, tail = oparams[:1], oparams[1:]
                cur.execute(
                    f"SELECT id, doc_type, src, {score} AS score FROM {t} WHERE {where}"  # noqa: S608
                    f" ORDER BY {order} LIMIT %s OFFSET %s",
                    [*head, *params, *tail, limit, offset],
                )
                rows = cur.fetchall()
        terms = positive_terms(compiled) if query.highlight else {}
        hits = []
        for doc_id, doc_type, src, score_value in rows:
            data = json.loads(src) if isinstance(src, str) else src
            hits.append(
                Hit(
                    id=doc_id,
                    doc_type=doc_type,
                    score=float(score_value),
                    payload=data["payload"],
                    highlights=analysis.highlights(data["text"], terms)
                    if terms and analysis.wants_highlight(query, doc_id)
                    else {},
                )
            )
        took = (time.perf_counter() - began) * 1000
        return SearchResults(
            total=total, hits=hits, facets=facets, took_ms=took,
            total_approximate=total_approximate, facets_approximate=approximate,
        )

    def _count(self, cur: Any, where: str, params: list[Any], depth: int, grouped: bool) -> list[tuple[Any, int]]:
        """``(facet keys, hits)`` of the hits in sample ``zs|depth`` (every hit for depth 0)."""
        cond, extra = (f"{where} AND tsv @@ %s::tsquery", [f"'zs|{depth}'"]) if depth else (where, [])
        if grouped:  # grouped by the whole list of facet keys (few distinct lists), spread in Python
            cur.execute(f"SELECT fk, count(*) FROM {self.table} WHERE {cond} GROUP BY fk", [*params, *extra])  # noqa: S608
            return [(keys, int(n)) for keys, n in cur.fetchall()]
        cur.execute(f"SELECT count(*) FROM {self.table} WHERE {cond}", [*params, *extra])  # noqa: S608
        return [(None, int(cur.fetchone()[0]))]

    def _tally(
        self, cur: Any, where: str, params: list[Any], query: SearchQuery
    ) -> tuple[int, bool, dict[str, list[FacetValue]], bool]:
        """The total and the facet counts, each with whether it is an estimate.

        Counting visits every hit's row, so it is bounded: a first count over the 1/64 sample
        (``zs|6``, read through the text index) estimates the hits. Up to ``2 * facet_exact`` the
        hits are then counted exactly, in one grouped count when facets are wanted (the total and
        exact facets at once); beyond, both come from the smallest nested sample ``zs|j`` (a hash
        of the id, so independent of load order) of about ``facet_exact`` hits, scaled by
        ``2**j``. The time stays flat however many hits.
        """
        names = analysis.facet_fields(query)
        limit = max(1, self.facet_exact)
        # the 1/64 sample, grouped when facets are wanted: for very many hits it is all there is
        first = self._count(cur, where, params, SAMPLE_DEPTH, grouped=bool(names))
        estimate = sum(n for _, n in first) << SAMPLE_DEPTH
        total_approximate = estimate > 2 * limit
        if not total_approximate:
            rows = self._count(cur, where, params, 0, grouped=bool(names))
            total = sum(n for _, n in rows)
            if not names or not total:
                return total, False, {name: [] for name in names}, False
            depth = 0
        else:
            depth = min(SAMPLE_DEPTH, math.ceil(math.log2(estimate / limit)))
            total = estimate
            if not names:
                if depth < SAMPLE_DEPTH:  # refine the estimate on the larger sample
                    total = self._count(cur, where, params, depth, grouped=False)[0][1] << depth
                return total, True, {}, False
            rows = first if depth == SAMPLE_DEPTH else self._count(cur, where, params, depth, grouped=True)
        seen = sum(n for _, n in rows)
        if depth and not seen:  # rows written before the sample lexemes existed: count them all
            rows, depth = self._count(cur, where, params, 0, grouped=True), 0
            seen = sum(n for _, n in rows)
        if total_approximate:
            total = seen << depth
        counts: dict[str, dict[str, int]] = {name: {} for name in names}
        for keys, n in rows:
            for key in keys or ():
                name, _, value = key.partition(FACET_SEP)
                if name in counts:
                    counts[name][value] = counts[name].get(value, 0) + n
        if depth:
            scale = total / max(1, seen)
            counts = {name: {v: max(1, round(c * scale)) for v, c in vals.items()} for name, vals in counts.items()}
        facets = {name: [FacetValue(v, c) for v, c in analysis.order_facet(counts[name])] for name in names}
        return total, total_approximate, facets, bool(depth)


def _narrowed(node: Compiled, query: SearchQuery) -> bool:
    """Whether the hits are an intersection (an AND of several clauses, a filter or a year range)."""
    if query.filters or query.year_from is not None or query.year_to is not None:
        return True
    while isinstance(node, QBoost):
        node = node.child
    return isinstance(node, QAnd) and len(node.must) + len(node.must_not) > 1


def prepare_row(document: SearchDocument) -> tuple[Any, ...]:
    """The table row of ``document`` (what :meth:`PostgresBackend.add_prepared` takes).

    Module-level, so a rebuild or the benchmark makes the rows (tokens, tsvector text, JSON) in
    its analysis worker processes and the writing process only streams them to COPY.
    """
    return PostgresBackend._row(analysis.analyze(document))
