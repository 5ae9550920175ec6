"""The server engine: PostgreSQL full text over the same tokens, so a cluster needs no second engine.

One table (created on first use, raw SQL so it exists only where this engine runs) holds per
document a ``tsvector`` whose lexemes are ``<field code>|<token>`` at the tokens' real positions,
weighted A-D by field (shelfmark/title A, alias B, names C, description/body D), a GIN index on
it, filters as JSONB (GIN ``jsonb_path_ops``), integer year bounds (BCE negative) and the
shelfmark sort key. Phrases are ``<N>`` tsquery chains; facets are one ``GROUP BY``; highlights
come from the stored original text, as in the other engines.

``postgres://`` alone uses Django's default database (it must be PostgreSQL);
``postgres://user@host:port/db`` opens its own connection. ``?table=name`` picks the table.
Positions above 16383 collapse to 16383 (a PostgreSQL limit), so phrases deep inside very long
bodies may over-match; ``Boost`` nodes are accepted but do not change the ranking.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qs, urlparse, urlunparse

from mogao.search.backends import analysis
from mogao.search.backends.base import SearchBackend
from mogao.search.query import (
    Compiled,
    QAll,
    QAnd,
    QBoost,
    QFilter,
    QNone,
    QOr,
    QPhrase,
    QTerm,
    compile_query,
    positive_terms,
)
from mogao.search.types import (
    FILTER_FIELDS,
    TEXT_FIELDS,
    FacetValue,
    Hit,
    SearchDocument,
    SearchQuery,
    SearchResults,
)

#: Short lexeme prefixes per text field, and the tsvector weight of each field.
FIELD_CODES: dict[str, str] = {
    "title": "ti",
    "alias": "al",
    "shelfmark": "sh",
    "names": "na",
    "description": "de",
    "body": "bo",
}
FIELD_WEIGHTS: dict[str, str] = {
    "title": "A",
    "alias": "B",
    "shelfmark": "A",
    "names": "C",
    "description": "D",
    "body": "D",
}
#: ts_rank weights for {D, C, B, A}.
RANK_WEIGHTS = "{0.1,0.2,0.5,1.0}"
MAX_POSITION = 16383
_TABLE = re.compile(r"^[a-z_][a-z0-9_]{0,50}$")
_CHUNK = 500
assert set(FIELD_CODES) == set(TEXT_FIELDS)


def scrub(value: Any) -> Any:
    """``value`` with NUL characters (which PostgreSQL text cannot hold) replaced by U+FFFD."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, dict):
        return {scrub(k): scrub(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [scrub(v) for v in value]
    return value


def lexeme(field: str, term: str) -> str:
    """The tsvector/tsquery literal of ``term`` in ``field``, quoted and escaped."""
    raw = f"{FIELD_CODES[field]}|{scrub(term)}"
    return "'" + raw.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(item: analysis.Analyzed) -> str:
    """The document's tokens as a tsvector literal (1-based positions with field weights)."""
    entries: dict[str, set[int]] = {}
    weights: dict[str, str] = {}
    for name, (terms, positions) in item.fields.items():
        weight = FIELD_WEIGHTS[name]
        for term, position in zip(terms, positions, strict=True):
            key = lexeme(name, term)
            entries.setdefault(key, set()).add(min(position + 1, MAX_POSITION))
            weights[key] = weight
    parts = []
    for key, found in entries.items():
        w = weights[key]
        unique = sorted(found)[:256]  # PostgreSQL keeps at most 256 positions per lexeme
        parts.append(key + ":" + ",".join(f"{p}{w}" for p in unique))
    return " ".join(parts)


def _tsquery(node: Compiled) -> str | None:
    """A tsquery for a pure text subtree, or None when the node needs SQL (filters, all)."""
    if isinstance(node, QTerm):
        return "(" + " | ".join(lexeme(f, node.term) for f in node.fields) + ")"
    if isinstance(node, QPhrase):
        chains = []
        for f in node.fields:
            chain = lexeme(f, node.terms[0][1])
            prev = node.terms[0][0]
            for off, term in node.terms[1:]:
                gap = off - prev
                op = "&" if gap <= 0 else ("<->" if gap == 1 else f"<{gap}>")
                chain = f"{chain} {op} {lexeme(f, term)}"
                prev = off
            chains.append(f"({chain})")
        return "(" + " | ".join(chains) + ")"
    if isinstance(node, QBoost):
        return _tsquery(node.child)
    if isinstance(node, QAnd):
        must = [_tsquery(c) for c in node.must]
        nots = [_tsquery(c) for c in node.must_not]
        if any(m is None for m in must) or any(n is None for n in nots):
            return None
        return "(" + " & ".join([*(str(m) for m in must), *(f"!{n}" for n in nots)]) + ")"
    if isinstance(node, QOr):
        kids = [_tsquery(c) for c in node.children]
        if any(k is None for k in kids):
            return None
        return "(" + " | ".join(str(k) for k in kids) + ")"
    return None


def _where(node: Compiled, params: list[Any]) -> str:
    """A SQL condition for ``node``, appending its parameters to ``params``."""
    tsq = _tsquery(node)
    if tsq is not None:
        params.append(tsq)
        return "tsv @@ %s::tsquery"
    if isinstance(node, QAll):
        return "TRUE"
    if isinstance(node, QNone):
        return "FALSE"
    if isinstance(node, QFilter):
        params.append(json.dumps({node.field: [scrub(node.value)]}, ensure_ascii=False))
        return "filters @> %s::jsonb"
    if isinstance(node, QBoost):
        return _where(node.child, params)
    if isinstance(node, QAnd):
        parts = [_where(c, params) for c in node.must]
        parts += [f"NOT ({_where(c, params)})" for c in node.must_not]
        return "(" + " AND ".join(parts) + ")"
    if isinstance(node, QOr):
        return "(" + " OR ".join(_where(c, params) for c in node.children) + ")"
    return "FALSE"


def _rank_query(node: Compiled) -> str | None:
    """An OR of every positive token, used only to rank the matches."""
    terms = positive_terms(node)
    lexemes = sorted({lexeme(f, t) for f, ts in terms.items() for t in ts})
    return " | ".join(lexemes) if lexemes else None


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
        if not _TABLE.match(self.table):
            raise ValueError(f"MOGAO_SEARCH_URL: table name {self.table!r} is not a plain identifier")
        own = bool(parsed.netloc or parsed.path.strip("/"))
        self._dsn = urlunparse(parsed._replace(scheme="postgresql", query="")) if own else None
        self._conn: Any = None
        self._lock = threading.RLock()
        self._ready = False

    # ------------------------------------------------------------------ plumbing

    @contextmanager
    def _cursor(self) -> Iterator[Any]:
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

                self._conn = psycopg.connect(self._dsn, autocommit=True)
            with self._conn.cursor() as cur:
                yield cur

    def _ensure(self, cur: Any) -> None:
        if self._ready:
            return
        t = self.table
        cur.execute(
            f"CREATE TABLE IF NOT EXISTS {t} ("
            " id text PRIMARY KEY, doc_type text NOT NULL, tsv tsvector NOT NULL,"
            " filters jsonb NOT NULL, ys bigint, ye bigint, sk text NOT NULL, src jsonb NOT NULL)"
        )
        cur.execute(f"CREATE INDEX IF NOT EXISTS {t}_tsv ON {t} USING gin (tsv)")
        cur.execute(f"CREATE INDEX IF NOT EXISTS {t}_filters ON {t} USING gin (filters jsonb_path_ops)")
        cur.execute(f"CREATE INDEX IF NOT EXISTS {t}_years ON {t} (ys, ye)")
        cur.execute(f'CREATE INDEX IF NOT EXISTS {t}_sk ON {t} (sk COLLATE "C")')
        self._ready = True

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

    def drop(self) -> None:
        """Drop the engine's table (tests, benchmarks)."""
        with self._cursor() as cur:
            cur.execute(f"DROP TABLE IF EXISTS {self.table}")
        self._ready = False

    # ------------------------------------------------------------------ writes

    @staticmethod
    def _row(item: analysis.Analyzed) -> tuple[Any, ...]:
        doc = item.doc
        start, end = item.years
        src = scrub({"payload": doc.payload, "text": doc.text})
        return (
            scrub(doc.id),
            scrub(doc.doc_type),
            tsvector_literal(item),
            json.dumps(scrub(item.filters), ensure_ascii=False),
            start,
            end,
            scrub(item.sort),
            json.dumps(src, ensure_ascii=False, default=str),
        )

    def add(self, documents: Iterable[SearchDocument]) -> int:
        return self.add_analyzed(analysis.analyze(d) for d in documents)

    def add_analyzed(self, analyzed: Iterable[analysis.Analyzed]) -> int:
        n = 0
        batch: list[tuple[Any, ...]] = []
        with self._cursor() as cur:
            self._ensure(cur)
            for item in analyzed:
                batch.append(self._row(item))
                if len(batch) >= _CHUNK:
                    n += self._write(cur, batch)
                    batch = []
            if batch:
                n += self._write(cur, batch)
        return n

    def _write(self, cur: Any, rows: Sequence[tuple[Any, ...]]) -> int:
        # Deduplicate within the batch: ON CONFLICT cannot touch one row twice in a statement.
        unique = list({row[0]: row for row in rows}.values())
        cur.executemany(
            f"INSERT INTO {self.table} (id, doc_type, tsv, filters, ys, ye, sk, src)"  # noqa: S608
            " VALUES (%s, %s, %s::tsvector, %s::jsonb, %s, %s, %s, %s::jsonb)"
            " ON CONFLICT (id) DO UPDATE SET doc_type = EXCLUDED.doc_type, tsv = EXCLUDED.tsv,"
            " filters = EXCLUDED.filters, ys = EXCLUDED.ys, ye = EXCLUDED.ye, sk = EXCLUDED.sk,"
            " src = EXCLUDED.src",
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
            cur.execute(f"DELETE FROM {self.table}")  # noqa: S608

    def count(self) -> int:
        with self._cursor() as cur:
            self._ensure(cur)
            cur.execute(f"SELECT count(*) FROM {self.table}")  # noqa: S608
            return int(cur.fetchone()[0])

    # ------------------------------------------------------------------ reads

    def _conditions(self, compiled: Compiled, query: SearchQuery) -> tuple[str, list[Any]]:
        params: list[Any] = []
        parts = [_where(compiled, params)]
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

    def search(self, query: SearchQuery) -> SearchResults:
        began = time.perf_counter()
        compiled = compile_query(query.root)
        where, params = self._conditions(compiled, query)
        offset, limit = analysis.paging(query)
        rank = _rank_query(compiled) if query.sort == "relevance" else None
        t = self.table
        if rank is not None:
            score = f"ts_rank('{RANK_WEIGHTS}', tsv, %s::tsquery)"
            order = "score DESC, id"
            head = [rank]
        else:
            score, head = "0.0", []
            order = {
                "date": "ys ASC NULLS LAST, id",
                "-date": "ye DESC NULLS LAST, id",
                "shelfmark": 'sk COLLATE "C", id',
            }.get(query.sort, "id")
        with self._cursor() as cur:
            self._ensure(cur)
            cur.execute(f"SELECT count(*) FROM {t} WHERE {where}", params)  # noqa: S608
            total = int(cur.fetchone()[0])
            rows: list[Any] = []
            if limit and total > offset:
                cur.execute(
                    f"SELECT id, doc_type, src, {score} AS score FROM {t} WHERE {where}"  # noqa: S608
                    f" ORDER BY {order} LIMIT %s OFFSET %s",
                    [*head, *params, limit, offset],
                )
                rows = cur.fetchall()
            facets = self._facets(cur, where, params, query) if total else self._empty_facets(query)
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
        return SearchResults(total=total, hits=hits, facets=facets, took_ms=took)

    @staticmethod
    def _empty_facets(query: SearchQuery) -> dict[str, list[FacetValue]]:
        return {name: [] for name in analysis.facet_fields(query)}

    def _facets(self, cur: Any, where: str, params: list[Any], query: SearchQuery) -> dict[str, list[FacetValue]]:
        names = analysis.facet_fields(query)
        if not names:
            return {}
        cur.execute(
            f"SELECT e.key, v.value, count(*) FROM {self.table} t,"  # noqa: S608
            " jsonb_each(t.filters) e, jsonb_array_elements_text(e.value) v"
            f" WHERE e.key = ANY(%s) AND {where} GROUP BY e.key, v.value",
            [names, *params],
        )
        counts: dict[str, dict[str, int]] = {name: {} for name in names}
        for key, value, n in cur.fetchall():
            counts[key][value] = int(n)
        return {name: [FacetValue(v, c) for v, c in analysis.order_facet(counts[name])] for name in names}
