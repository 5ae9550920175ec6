"""Plain SQLite FTS5 over the same tokens, as the baseline the engines are compared with.

Not a product engine: it indexes each field's token stream (bigrams and words in position
order, then the ``u:`` unigrams) in one FTS5 column, ranks with column-weighted ``bm25()``, counts
facets with ``GROUP BY`` over a side table, and computes highlights like the real engines.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from mogao.search.backends import analysis
from mogao.search.query import (
    Compiled,
    QAll,
    QAnd,
    QBoost,
    QOr,
    QPhrase,
    QTerm,
    compile_query,
    positive_terms,
)
from mogao.search.types import TEXT_FIELDS, FacetValue, Hit, SearchDocument, SearchQuery, SearchResults

COLUMNS = list(TEXT_FIELDS)


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _match(node: Compiled) -> str | None:
    """An FTS5 MATCH expression for the token tree (None for nodes FTS5 cannot express)."""
    if isinstance(node, QTerm):
        cols = "" if len(node.fields) == len(COLUMNS) else "{" + " ".join(node.fields) + "}: "
        return f"{cols}{_quote(node.term)}"
    if isinstance(node, QPhrase):
        return " + ".join(_quote(t) for _, t in node.terms)
    if isinstance(node, QBoost):
        return _match(node.child)
    if isinstance(node, QAnd):
        must = [m for m in (_match(c) for c in node.must) if m is not None]
        if not must:
            return None
        expr = "(" + " AND ".join(must) + ")"
        for c in node.must_not:
            m = _match(c)
            if m is not None:
                expr = f"({expr} NOT {m})"
        return expr
    if isinstance(node, QOr):
        kids = [_match(c) for c in node.children]
        if any(k is None for k in kids):
            return None
        return "(" + " OR ".join(str(k) for k in kids) + ")"
    return None


class Fts5Index:
    """An FTS5 table plus a facet side table in one SQLite file."""

    name = "fts5"

    def __init__(self, path: Path) -> None:
        self.path = path
        path.unlink(missing_ok=True)
        self.db = sqlite3.connect(str(path))
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("PRAGMA synchronous=OFF")
        cols = ", ".join(COLUMNS)
        self.db.execute(
            f"CREATE VIRTUAL TABLE fts USING fts5({cols}, tokenize = \"unicode61 remove_diacritics 0 tokenchars ':'\")"
        )
        self.db.execute("CREATE TABLE meta (rowid INTEGER PRIMARY KEY, id TEXT, doc_type TEXT, src TEXT)")
        self.db.execute("CREATE TABLE facet (rowid INTEGER, field TEXT, value TEXT)")

    def preparer(self) -> Callable[[SearchDocument], analysis.Analyzed]:
        return analysis.analyze

    def add_prepared(self, items: Iterable[analysis.Analyzed]) -> int:
        return self.add_analyzed(items)

    def add_analyzed(self, items: Iterable[analysis.Analyzed]) -> int:
        n = 0
        rows, metas, facets = [], [], []
        for item in items:
            n += 1
            cols = []
            for name in COLUMNS:
                terms, positions = item.fields.get(name, ([], []))
                ordered = sorted(zip(positions, terms, strict=True))
                words = [t for _, t in ordered if not t.startswith("u:")]
                singles = [t for _, t in ordered if t.startswith("u:")]
                cols.append(" ".join(words + singles))
            rows.append((n, *cols))
            doc = item.doc
            metas.append(
                (n, doc.id, doc.doc_type, json.dumps({"payload": doc.payload, "text": doc.text}, ensure_ascii=False))
            )
            facets.extend((n, f, v) for f, vs in item.filters.items() for v in vs)
            if len(rows) >= 5000:
                self._flush(rows, metas, facets)
                rows, metas, facets = [], [], []
        self._flush(rows, metas, facets)
        self.db.execute("CREATE INDEX IF NOT EXISTS facet_rowid ON facet (rowid, field)")
        self.db.commit()
        return n

    def _flush(
        self, rows: list[tuple[object, ...]], metas: list[tuple[object, ...]], facets: list[tuple[object, ...]]
    ) -> None:
        marks = ", ".join("?" for _ in range(len(COLUMNS) + 1))
        self.db.executemany(f"INSERT INTO fts (rowid, {', '.join(COLUMNS)}) VALUES ({marks})", rows)
        self.db.executemany("INSERT INTO meta VALUES (?, ?, ?, ?)", metas)
        self.db.executemany("INSERT INTO facet VALUES (?, ?, ?)", facets)

    def optimize(self) -> None:
        self.db.execute("INSERT INTO fts(fts) VALUES ('optimize')")
        self.db.commit()

    def size(self) -> int:
        return self.path.stat().st_size

    def search(self, query: SearchQuery) -> SearchResults:
        began = time.perf_counter()
        compiled = compile_query(query.root)
        expr = _match(compiled)
        if expr is None and not isinstance(compiled, QAll):
            return SearchResults(total=0, hits=[])
        weights = ", ".join(str(TEXT_FIELDS[c]) for c in COLUMNS)
        offset, limit = analysis.paging(query)
        total = self.db.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", [expr]).fetchone()[0]
        rows = self.db.execute(
            f"SELECT m.id, m.doc_type, m.src, -bm25(fts, {weights}) FROM fts JOIN meta m ON m.rowid = fts.rowid"
            " WHERE fts MATCH ? ORDER BY bm25(fts, " + weights + ") LIMIT ? OFFSET ?",
            [expr, limit, offset],
        ).fetchall()
        facets: dict[str, list[FacetValue]] = {}
        names = analysis.facet_fields(query)
        if names:
            marks = ", ".join("?" for _ in names)
            counts: dict[str, dict[str, int]] = {n: {} for n in names}
            for field, value, count in self.db.execute(
                f"SELECT field, value, count(*) FROM facet WHERE field IN ({marks}) AND rowid IN"
                " (SELECT rowid FROM fts WHERE fts MATCH ?) GROUP BY field, value",
                [*names, expr],
            ):
                counts[field][value] = count
            facets = {n: [FacetValue(v, c) for v, c in analysis.order_facet(counts[n])] for n in names}
        terms = positive_terms(compiled) if query.highlight else {}
        hits = []
        for doc_id, doc_type, src, score in rows:
            data = json.loads(src)
            hits.append(
                Hit(
                    doc_id,
                    doc_type,
                    float(score),
                    data["payload"],
                    analysis.highlights(data["text"], terms) if terms else {},
                )
            )
        return SearchResults(total=total, hits=hits, facets=facets, took_ms=(time.perf_counter() - began) * 1000)
