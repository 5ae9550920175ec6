"""The in-memory reference engine: exact semantics in plain Python, the double used by tests.

It scans every document for every query (fine for tests and demos of a few thousand records)
and scores with BM25 per field times the field's boost, like the tantivy engine.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

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
    field_boost,
    positive_terms,
)
from mogao.search.types import FacetValue, Hit, SearchDocument, SearchQuery, SearchResults

_K1 = 1.2
_B = 0.75


@dataclass
class _Entry:
    doc: SearchDocument
    postings: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    lengths: dict[str, int] = field(default_factory=dict)
    filters: dict[str, list[str]] = field(default_factory=dict)
    years: tuple[int | None, int | None] = (None, None)


class MemoryBackend(SearchBackend):
    """Holds documents in a dict; every write is visible at once."""

    name = "memory"
    supports_highlight = True
    supports_facets = True
    supports_phrase = True
    supports_boost = True

    def __init__(self, url: str = "memory://", options: dict[str, object] | None = None) -> None:
        super().__init__(url, options)
        self._entries: dict[str, _Entry] = {}
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ writes

    def add(self, documents: Iterable[SearchDocument]) -> int:
        return self.add_analyzed(analysis.analyze(d) for d in documents)

    def add_analyzed(self, analyzed: Iterable[analysis.Analyzed]) -> int:
        entries = [self._entry(item) for item in analyzed]
        with self._lock:
            for entry in entries:
                self._entries[entry.doc.id] = entry
        return len(entries)

    @staticmethod
    def _entry(item: analysis.Analyzed) -> _Entry:
        entry = _Entry(item.doc, filters=item.filters, years=item.years)
        for name, (terms, positions) in item.fields.items():
            postings: dict[str, list[int]] = {}
            for term, position in zip(terms, positions, strict=True):
                postings.setdefault(term, []).append(position)
            entry.postings[name] = postings
            entry.lengths[name] = len(terms)
        return entry

    def delete(self, ids: Iterable[str]) -> None:
        with self._lock:
            for doc_id in ids:
                self._entries.pop(doc_id, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def count(self) -> int:
        return len(self._entries)

    # ------------------------------------------------------------------ reads

    def search(self, query: SearchQuery) -> SearchResults:
        began = time.perf_counter()
        with self._lock:
            entries = list(self._entries.values())
        compiled = compile_query(query.root)
        stats = _Stats(entries)
        lo, hi, empty = analysis.year_range(query)
        matched: list[tuple[float, _Entry]] = []
        if not empty:
            for entry in entries:
                if not _passes_filters(entry, query, lo, hi):
                    continue
                score = _score(compiled, entry, stats)
                if score is not None:
                    matched.append((score, entry))
        facets = _facets(matched, query)
        _sort(matched, query)
        offset, limit = analysis.paging(query)
        terms = positive_terms(compiled) if query.highlight else {}
        hits = [
            Hit(
                id=e.doc.id,
                doc_type=e.doc.doc_type,
                score=score if query.sort == "relevance" else 0.0,
                payload=dict(e.doc.payload),
                highlights=analysis.highlights(e.doc.text, terms)
                if terms and analysis.wants_highlight(query, e.doc.id)
                else {},
            )
            for score, e in matched[offset : offset + limit]
        ]
        took = (time.perf_counter() - began) * 1000
        return SearchResults(total=len(matched), hits=hits, facets=facets, took_ms=took)


class _Stats:
    """Collection statistics for BM25, computed lazily per field and term."""

    def __init__(self, entries: list[_Entry]) -> None:
        self.entries = entries
        self._avg: dict[str, float] = {}
        self._idf: dict[tuple[str, str], float] = {}

    def avg_len(self, name: str) -> float:
        if name not in self._avg:
            lengths = [e.lengths.get(name, 0) for e in self.entries]
            self._avg[name] = (sum(lengths) / len(lengths)) if lengths else 1.0
        return self._avg[name] or 1.0

    def idf(self, name: str, term: str) -> float:
        key = (name, term)
        if key not in self._idf:
            n = len(self.entries)
            df = sum(1 for e in self.entries if term in e.postings.get(name, {}))
            self._idf[key] = math.log(1 + (n - df + 0.5) / (df + 0.5))
        return self._idf[key]

    def bm25(self, name: str, term: str, tf: int, length: int) -> float:
        norm = _K1 * (1 - _B + _B * length / self.avg_len(name))
        return self.idf(name, term) * tf * (_K1 + 1) / (tf + norm)


def _passes_filters(entry: _Entry, query: SearchQuery, lo: int | None, hi: int | None) -> bool:
    for name, wanted in query.filters.items():
        if not wanted:
            continue
        if not set(entry.filters.get(name, ())) & {str(w) for w in wanted}:
            return False
    if lo is not None or hi is not None:
        start, end = entry.years
        if start is None or end is None:
            return False
        if hi is not None and start > hi:
            return False
        if lo is not None and end < lo:
            return False
    return True


def _phrase_count(postings: dict[str, list[int]], terms: tuple[tuple[int, str], ...]) -> int:
    first_offset, first_term = terms[0]
    starts = postings.get(first_term)
    if not starts:
        return 0
    sets = [(off - first_offset, set(postings.get(t, ()))) for off, t in terms[1:]]
    return sum(1 for p in starts if all(p + off in pos for off, pos in sets))


def _score(node: Compiled, entry: _Entry, stats: _Stats) -> float | None:
    """The score of ``entry`` for ``node``, or None when it does not match."""
    if isinstance(node, QAll):
        return 1.0
    if isinstance(node, QNone):
        return None
    if isinstance(node, QTerm):
        total: float | None = None
        for name in node.fields:
            positions = entry.postings.get(name, {}).get(node.term)
            if positions:
                s = stats.bm25(name, node.term, len(positions), entry.lengths[name])
                total = (total or 0.0) + field_boost(name) * s
        return total
    if isinstance(node, QPhrase):
        found: float | None = None
        for name in node.fields:
            postings = entry.postings.get(name)
            if not postings:
                continue
            tf = _phrase_count(postings, node.terms)
            if tf:
                s = sum(stats.bm25(name, t, tf, entry.lengths[name]) for _, t in node.terms)
                found = (found or 0.0) + field_boost(name) * s
        return found
    if isinstance(node, QFilter):
        return 0.0 if node.value in entry.filters.get(node.field, ()) else None
    if isinstance(node, QAnd):
        summed = 0.0
        for child in node.must:
            part = _score(child, entry, stats)
            if part is None:
                return None
            summed += part
        if any(_score(child, entry, stats) is not None for child in node.must_not):
            return None
        return summed
    if isinstance(node, QOr):
        scores = [s for s in (_score(c, entry, stats) for c in node.children) if s is not None]
        return sum(scores) if scores else None
    if isinstance(node, QBoost):
        inner = _score(node.child, entry, stats)
        return None if inner is None else inner * node.factor
    return None


def _facets(matched: list[tuple[float, _Entry]], query: SearchQuery) -> dict[str, list[FacetValue]]:
    out: dict[str, list[FacetValue]] = {}
    for name in analysis.facet_fields(query):
        counts: dict[str, int] = {}
        for _, entry in matched:
            for value in entry.filters.get(name, ()):
                counts[value] = counts.get(value, 0) + 1
        out[name] = [FacetValue(v, c) for v, c in analysis.order_facet(counts)]
    return out


def _sort(matched: list[tuple[float, _Entry]], query: SearchQuery) -> None:
    if query.sort == "date":
        matched.sort(key=lambda se: (_start(se[1]), se[1].doc.id))
    elif query.sort == "-date":
        matched.sort(key=lambda se: (-_end(se[1]), se[1].doc.id))
    elif query.sort == "shelfmark":
        matched.sort(key=lambda se: (analysis.sort_value(se[1].doc), se[1].doc.id))
    else:
        matched.sort(key=lambda se: (-se[0], se[1].doc.id))


def _start(entry: _Entry) -> int:
    return analysis.NO_START if entry.years[0] is None else entry.years[0]


def _end(entry: _Entry) -> int:
    return analysis.NO_END if entry.years[1] is None else entry.years[1]
