"""The embedded default engine: tantivy over pre-tokenized bigrams with their real positions.

Each text field is indexed from the terms of :mod:`mogao.text.tokens` laid out by position
(:func:`field_stream`: a whitespace-separated stream with empty positions filled, split by
tantivy's whitespace tokenizer), so bigram phrases are exact and BM25 scores each field; the
``u:`` unigrams go to a field of their own without positions. Filters are raw
fast fields (facet counts by terms aggregation), year bounds are i64 fast fields (BCE is
negative), and the shelfmark key is a text fast field for sorting. The original text and payload
are stored as one JSON blob, from which highlights are computed.

Outside :meth:`TantivyBackend.bulk` every write commits and reloads the reader, so a changed
record is searchable as soon as ``add`` returns; the writer (bounded heap, one thread) is released
after each commit so another process (the task worker, ``mogao index``) can write next.

Bulk writes (rebuilds, the benchmark) run :func:`prepare` — tokens, streams, the stored JSON — in
worker processes (``analysis.prepare_many``) and only build and add tantivy documents here; a
bulk block over an empty index skips the delete-by-id of ids it has not written yet.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import unquote, urlparse

import tantivy

from mogao.search.backends import analysis
from mogao.search.backends.base import SearchBackend
from mogao.search.query import (
    UNIGRAM_PREFIX,
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
from mogao.search.types import (
    FILTER_FIELDS,
    TEXT_FIELDS,
    FacetValue,
    Hit,
    SearchDocument,
    SearchQuery,
    SearchResults,
)
from mogao.text.tokens import position_terms

#: Bump when the schema changes: a new sub-folder is used and the index must be rebuilt.
SCHEMA_VERSION = 2
_WRITER_HEAP = 64_000_000
_BULK_HEAP = 256_000_000
_LOCK_WAIT_S = 10.0


#: Fills a position that holds no word or bigram (the last character of a CJK run, the gap
#: between two values), so tantivy's whitespace tokenizer counts positions as the tokenizer did.
#: No query token can equal it.
FILLER = "|"
_MAX_FILL = 64


def text_field(name: str) -> str:
    """Words, bigrams and shelfmarks of a text field, with positions (phrases)."""
    return f"t_{name}"


def unigram_field(name: str) -> str:
    """The ``u:`` unigrams of a text field (one-character queries need no positions)."""
    return f"u_{name}"


def term_field(name: str, term: str) -> str:
    return unigram_field(name) if term.startswith(UNIGRAM_PREFIX) else text_field(name)


def filter_field(name: str) -> str:
    return f"f_{name}"


def build_schema() -> tantivy.Schema:
    """The index schema: id, stored source, token fields, filter fields, years, sort key."""
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw", index_option="basic")
    sb.add_bytes_field("src", stored=True)
    for name in TEXT_FIELDS:
        sb.add_text_field(text_field(name), tokenizer_name="whitespace", index_option="position")
        sb.add_text_field(unigram_field(name), tokenizer_name="whitespace", index_option="freq")
    for name in FILTER_FIELDS:
        sb.add_text_field(filter_field(name), fast=True, tokenizer_name="raw", index_option="basic")
    sb.add_integer_field("ys", indexed=True, fast=True)
    sb.add_integer_field("ye", indexed=True, fast=True)
    sb.add_text_field("sk", fast=True, tokenizer_name="raw", index_option="basic")
    return sb.build()


def index_path(url: str) -> Path:
    """``tantivy://`` -> ``settings.HOME/search``; ``tantivy:///abs/dir`` -> that folder."""
    parsed = urlparse(url)
    raw = unquote(parsed.netloc + parsed.path)
    if raw:
        return Path(raw).expanduser()
    from django.conf import settings

    return Path(settings.HOME) / "search"


def field_stream(values: list[str]) -> tuple[str, str]:
    """A text field's word stream (whitespace-separated, empty positions filled) and its unigrams.

    Joining strings and letting tantivy's whitespace tokenizer split them is several times
    cheaper than handing it a Python token object per token. Positions are the tokenizer's: a
    value's terms keep their exact spacing, the first term of the field is at position 0, and
    successive values are :data:`~mogao.search.backends.analysis.VALUE_GAP` positions apart
    (at most :data:`_MAX_FILL` fillers), so a phrase never spans two values.
    """
    out: list[str] = []
    singles: list[str] = []
    pending = 0  # empty positions since the last term written, filled before the next one
    for value in values:
        if not isinstance(value, str) or not value:
            continue
        terms, unigrams = position_terms(value, FILLER)
        n = len(terms)
        if not n:
            continue
        singles.extend(unigrams)
        lead = 0
        while lead < n and terms[lead] == FILLER:
            lead += 1
        if lead == n:  # only one-character CJK runs: unigrams and no positional term
            pending += n + analysis.VALUE_GAP
            continue
        trail = 0
        while terms[n - 1 - trail] == FILLER:
            trail += 1
        if out:
            out.extend([FILLER] * min(pending + lead, _MAX_FILL))
        out.extend(terms[lead : n - trail])
        pending = trail + analysis.VALUE_GAP
    return " ".join(out), " ".join(singles)


class Prepared(NamedTuple):
    """One document ready for the index: everything but the tantivy object, cheap to pickle.

    Made by :func:`prepare` (in the analysis worker processes of a rebuild), turned into a
    ``tantivy.Document`` by :meth:`TantivyBackend.add_prepared`.
    """

    id: str
    src: bytes
    streams: list[tuple[str, str, str]]  # (field, word stream, unigram stream)
    filters: dict[str, list[str]]
    years: tuple[int, int]
    sort: str


def prepare(doc: SearchDocument) -> Prepared:
    """Tokenize and serialize one document for tantivy (the costly, parallelizable part)."""
    src = {"id": doc.id, "doc_type": doc.doc_type, "payload": doc.payload, "text": doc.text}
    streams = []
    for name, values in doc.text.items():
        if name in TEXT_FIELDS:
            words, singles = field_stream(values)
            if words or singles:
                streams.append((name, words, singles))
    start, end = analysis.year_bounds(doc)
    return Prepared(
        doc.id,
        json.dumps(src, ensure_ascii=False, default=str).encode(),
        streams,
        analysis.document_filters(doc),
        (analysis.NO_START if start is None else start, analysis.NO_END if end is None else end),
        analysis.sort_value(doc),
    )


class TantivyBackend(SearchBackend):
    """tantivy index in a folder; one instance per process (see ``get_backend``)."""

    name = "tantivy"
    supports_highlight = True
    supports_facets = True
    supports_phrase = True
    supports_boost = True

    def __init__(self, url: str = "tantivy://", options: dict[str, Any] | None = None) -> None:
        super().__init__(url, options)
        self.path = index_path(url) / f"v{SCHEMA_VERSION}"
        self._schema = build_schema()
        self._index: tantivy.Index | None = None
        self._writer: tantivy.IndexWriter | None = None
        self._bulk = 0
        # Inside a bulk block over an empty index: the ids written so far (see add_prepared).
        self._fresh_ids: set[str] | None = None
        self._lock = threading.RLock()

    # ------------------------------------------------------------------ plumbing

    def check(self) -> list[str]:
        try:
            self._open()
        except (OSError, ValueError) as exc:
            return [f"tantivy index at {self.path} cannot be opened: {exc}"]
        return []

    def _open(self) -> tantivy.Index:
        if self._index is None:
            with self._lock:
                if self._index is None:
                    self.path.mkdir(parents=True, exist_ok=True)
                    index = tantivy.Index(self._schema, path=str(self.path), reuse=True)
                    # Commits by other processes become visible without a restart.
                    index.config_reader("commit")
                    self._index = index
        return self._index

    def _get_writer(self) -> tantivy.IndexWriter:
        if self._writer is None:
            index = self._open()
            heap, threads = (_BULK_HEAP, 2) if self._bulk else (_WRITER_HEAP, 1)
            deadline = time.monotonic() + _LOCK_WAIT_S
            while True:
                try:
                    self._writer = index.writer(heap_size=heap, num_threads=threads)
                    break
                except ValueError:
                    # Another process holds the index lock: wait for it to commit.
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.05)
        return self._writer

    def _commit(self, force: bool = False) -> None:
        if self._writer is None or (self._bulk and not force):
            return
        self._writer.commit()
        if not self._bulk:
            self._writer.wait_merging_threads()  # releases the writer and its lock
            self._writer = None
        self._open().reload()

    @contextmanager
    def bulk(self) -> Iterator[None]:
        with self._lock:
            self._release_writer()
            self._bulk += 1
            try:
                if self._bulk == 1:
                    # Holding the writer (and its lock), no other process can write: when the
                    # index is empty now, an id needs deleting only if this block added it.
                    self._get_writer()
                    index = self._open()
                    index.reload()
                    self._fresh_ids = set() if index.searcher().num_docs == 0 else None
                yield
            finally:
                self._bulk -= 1
                if not self._bulk:
                    self._fresh_ids = None
                    if self._writer is not None:
                        self._writer.commit()
                        self._release_writer()
                        self._open().reload()

    def _release_writer(self) -> None:
        if self._writer is not None:
            self._writer.commit()
            self._writer.wait_merging_threads()
            self._writer = None

    def close(self) -> None:
        """Commit pending writes and release the writer and the index."""
        with self._lock:
            self._release_writer()
            self._index = None

    # ------------------------------------------------------------------ writes

    @staticmethod
    def _document(item: Prepared) -> tantivy.Document:
        out = tantivy.Document()
        out.add_text("id", item.id)
        out.add_bytes("src", item.src)
        for name, words, singles in item.streams:
            if words:
                out.add_text(text_field(name), words)
            if singles:
                out.add_text(unigram_field(name), singles)
        for name, values in item.filters.items():
            for value in values:
                out.add_text(filter_field(name), value)
        out.add_integer("ys", item.years[0])
        out.add_integer("ye", item.years[1])
        out.add_text("sk", item.sort)
        return out

    def preparer(self) -> Callable[[SearchDocument], object]:
        return prepare

    def add(self, documents: Iterable[SearchDocument]) -> int:
        return self.add_prepared(prepare(d) for d in documents)

    def add_prepared(self, prepared: Iterable[object]) -> int:
        n = 0
        with self._lock:
            writer = self._get_writer()
            fresh = self._fresh_ids
            for item in prepared:
                if not isinstance(item, Prepared):
                    raise TypeError(f"tantivy indexes what prepare() makes, not {type(item).__name__}")
                # Replacing by id costs a term lookup in every segment at commit (a third of
                # a rebuild's indexing time): skipped when the id cannot be in the index yet.
                if fresh is None or item.id in fresh:
                    writer.delete_documents_by_term("id", item.id)
                if fresh is not None:
                    fresh.add(item.id)
                writer.add_document(self._document(item))
                n += 1
            self._commit()
        return n

    def delete(self, ids: Iterable[str]) -> None:
        with self._lock:
            writer = self._get_writer()
            for doc_id in ids:
                writer.delete_documents_by_term("id", doc_id)
            self._commit()

    def clear(self) -> None:
        with self._lock:
            self._get_writer().delete_all_documents()
            self._commit(force=True)
            if self._bulk:
                self._fresh_ids = set()

    def refresh(self) -> None:
        with self._lock:
            self._commit(force=True)
            self._open().reload()

    def count(self) -> int:
        return int(self._open().searcher().num_docs)

    # ------------------------------------------------------------------ reads

    def _translate(self, node: Compiled) -> tantivy.Query:
        schema = self._schema
        Q, Occur = tantivy.Query, tantivy.Occur
        if isinstance(node, QAll):
            return Q.all_query()
        if isinstance(node, QNone):
            return Q.empty_query()
        if isinstance(node, QTerm | QPhrase):
            parts = []
            for name in node.fields:
                if isinstance(node, QTerm):
                    target = term_field(name, node.term)
                    q = Q.term_query(schema, target, node.term, index_option="freq")
                else:
                    q = Q.phrase_query(schema, text_field(name), list(node.terms))
                parts.append(Q.boost_query(q, field_boost(name)))
            if len(parts) == 1:
                return parts[0]
            return Q.boolean_query([(Occur.Should, p) for p in parts])
        if isinstance(node, QFilter):
            return Q.const_score_query(
                Q.term_query(schema, filter_field(node.field), node.value, index_option="basic"),
                0.0,
            )
        if isinstance(node, QAnd):
            clauses = [(Occur.Must, self._translate(c)) for c in node.must]
            clauses += [(Occur.MustNot, self._translate(c)) for c in node.must_not]
            return Q.boolean_query(clauses)
        if isinstance(node, QOr):
            return Q.boolean_query([(Occur.Should, self._translate(c)) for c in node.children])
        if isinstance(node, QBoost):
            return Q.boost_query(self._translate(node.child), node.factor)
        return Q.empty_query()

    def _full_query(self, compiled: Compiled, query: SearchQuery) -> tantivy.Query:
        schema = self._schema
        Q, Occur = tantivy.Query, tantivy.Occur
        clauses: list[tuple[tantivy.Occur, tantivy.Query]] = [(Occur.Must, self._translate(compiled))]
        for name, values in query.filters.items():
            wanted = [str(v) for v in values]
            if not wanted:
                continue
            if name not in FILTER_FIELDS:
                return Q.empty_query()
            clauses.append((Occur.Must, Q.const_score_query(Q.term_set_query(schema, filter_field(name), wanted), 0.0)))
        lo, hi, empty = analysis.year_range(query)
        if empty:
            return Q.empty_query()
        if hi is not None:
            rq = Q.range_query(schema, "ys", tantivy.FieldType.Integer, analysis.NO_END, hi)
            clauses.append((Occur.Must, Q.const_score_query(rq, 0.0)))
        if lo is not None:
            rq = Q.range_query(schema, "ye", tantivy.FieldType.Integer, lo, analysis.NO_START)
            clauses.append((Occur.Must, Q.const_score_query(rq, 0.0)))
        return clauses[0][1] if len(clauses) == 1 else Q.boolean_query(clauses)

    def search(self, query: SearchQuery) -> SearchResults:
        began = time.perf_counter()
        compiled = compile_query(query.root)
        full = self._full_query(compiled, query)
        searcher = self._open().searcher()
        offset, limit = analysis.paging(query)
        order: dict[str, Any] = {}
        if query.sort == "date":
            order = {"order_by_field": "ys", "order": tantivy.Order.Asc}
        elif query.sort == "-date":
            order = {"order_by_field": "ye", "order": tantivy.Order.Desc}
        elif query.sort == "shelfmark":
            order = {"order_by_field": "sk", "order": tantivy.Order.Asc}
        result = searcher.search(full, max(limit, 1), count=True, offset=offset, **order)
        terms = positive_terms(compiled) if query.highlight else {}
        hits: list[Hit] = []
        for key, address in result.hits[:limit]:
            src = json.loads(bytes(searcher.doc(address)["src"][0]))
            hits.append(
                Hit(
                    id=src["id"],
                    doc_type=src["doc_type"],
                    score=float(key) if not order else 0.0,
                    payload=src["payload"],
                    highlights=analysis.highlights(src["text"], terms)
                    if terms and analysis.wants_highlight(query, src["id"])
                    else {},
                    source=src["text"],
                )
            )
        facets = self._facets(searcher, full, query)
        took = (time.perf_counter() - began) * 1000
        return SearchResults(total=int(getattr(result, "count", 0) or 0), hits=hits, facets=facets, took_ms=took)

    def highlight(
        self, query: SearchQuery, ids: Collection[str], *, first_of: Sequence[str] | None = None
    ) -> dict[str, dict[str, list[str]]]:
        """Highlights of the documents ``ids``, fetched by id: the query is not run again."""
        wanted = list(dict.fromkeys(ids))
        terms = positive_terms(compile_query(query.root))
        if not wanted or not terms:
            return {}
        searcher = self._open().searcher()
        by_id = tantivy.Query.term_set_query(self._schema, "id", wanted)
        out: dict[str, dict[str, list[str]]] = {}
        for _score, address in searcher.search(by_id, len(wanted)).hits:
            src = json.loads(bytes(searcher.doc(address)["src"][0]))
            text = src["text"]
            out[src["id"]] = (
                analysis.highlights(text, terms)
                if first_of is None
                else analysis.first_highlight(text, terms, first_of)
            )
        return out

    def highlight_hits(
        self, query: SearchQuery, hits: Sequence[Hit], *, first_of: Sequence[str] | None = None
    ) -> dict[str, dict[str, list[str]]]:
        """Highlights made from the text the search already read with each hit (a rescored
        window's page: no second search by id, no second read of the stored documents)."""
        terms = positive_terms(compile_query(query.root))
        if not hits or not terms:
            return {}
        out: dict[str, dict[str, list[str]]] = {}
        missing: list[str] = []
        for hit in hits:
            text = hit.source
            if not isinstance(text, dict):
                missing.append(hit.id)
            elif first_of is None:
                out[hit.id] = analysis.highlights(text, terms)
            else:
                out[hit.id] = analysis.first_highlight(text, terms, first_of)
        if missing:
            out.update(self.highlight(query, missing, first_of=first_of))
        return out

    def _facets(
        self, searcher: tantivy.Searcher, full: tantivy.Query, query: SearchQuery
    ) -> dict[str, list[FacetValue]]:
        names = analysis.facet_fields(query)
        if not names:
            return {}
        aggs = {name: {"terms": {"field": filter_field(name), "size": analysis.FACET_SIZE * 4}} for name in names}
        raw = searcher.aggregate(full, aggs)
        out: dict[str, list[FacetValue]] = {}
        for name in names:
            buckets = raw.get(name, {}).get("buckets", [])
            counts = {str(b["key"]): int(b["doc_count"]) for b in buckets}
            out[name] = [FacetValue(v, c) for v, c in analysis.order_facet(counts)]
        return out
