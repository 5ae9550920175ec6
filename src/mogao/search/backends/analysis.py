"""What every engine derives from a document: token streams, filters, year bounds, sort key.

Engines index exactly these values, so they agree on what matches; highlights are computed here
too, from the original text and the tokens' character offsets, so they look the same everywhere.
"""

from __future__ import annotations

import gc
import html
import re
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.pool import AsyncResult
from typing import TypeVar

from mogao.search.query import UNIGRAM_PREFIX, TokenSpan, index_tokens
from mogao.search.types import FILTER_FIELDS, TEXT_FIELDS, SearchDocument, SearchQuery

T = TypeVar("T")

#: Positions left empty between two values of one field, so a phrase never spans two values.
VALUE_GAP = 8
#: Sort key of documents without one: after every real shelfmark.
LAST = "\uffff"
#: Sentinels for missing year bounds: a missing start sorts last ascending, a missing end last
#: descending, and neither overlaps any requested range.
NO_START = 2**62
NO_END = -(2**62)
#: Bounds on paging so any query stays cheap (a reader never pages this far).
MAX_LIMIT = 1000
MAX_OFFSET = 100_000
#: Most values returned per facet.
FACET_SIZE = 100


@dataclass(frozen=True)
class FieldTokens:
    """Tokens of every value of one text field, positions made unique across values."""

    field: str
    tokens: list[TokenSpan]


def analyze_text(text: dict[str, list[str]]) -> dict[str, list[TokenSpan]]:
    """Field -> tokens of all its values, later values shifted past earlier ones by a gap.

    Character offsets stay relative to each value (they are only used for highlights, which
    re-tokenize the value).
    """
    out: dict[str, list[TokenSpan]] = {}
    for name, values in text.items():
        if name not in TEXT_FIELDS:
            continue
        base = 0
        tokens: list[TokenSpan] = []
        for value in values:
            if not isinstance(value, str) or not value:
                continue
            toks = index_tokens(value)
            if not toks:
                continue
            tokens.extend(TokenSpan(t.term, t.position + base, t.start, t.end) for t in toks)
            base += max(t.position for t in toks) + 1 + VALUE_GAP
        if tokens:
            out[name] = tokens
    return out


def document_filters(doc: SearchDocument) -> dict[str, list[str]]:
    """Filter field -> distinct non-empty values; ``doc_type`` always holds the document's type."""
    out: dict[str, list[str]] = {}
    for name, values in doc.filters.items():
        if name not in FILTER_FIELDS or name == "doc_type":
            continue
        clean = [v for v in dict.fromkeys(map(str, values)) if v]
        if clean:
            out[name] = clean
    out["doc_type"] = [doc.doc_type]
    return out


def year_bounds(doc: SearchDocument) -> tuple[int | None, int | None]:
    """``(start, end)`` with a lone bound copied to the other and inverted bounds swapped."""
    start, end = doc.year_start, doc.year_end
    if start is None and end is None:
        return None, None
    if start is None:
        start = end
    if end is None:
        end = start
    assert start is not None and end is not None
    return (start, end) if start <= end else (end, start)


def sort_value(doc: SearchDocument) -> str:
    """The shelfmark sort key, bounded in length; missing keys sort last."""
    return doc.sort_key[:200] if doc.sort_key else LAST


def paging(query: SearchQuery) -> tuple[int, int]:
    """``(offset, limit)`` clamped to sane bounds."""
    offset = min(max(int(query.offset), 0), MAX_OFFSET)
    limit = min(max(int(query.limit), 0), MAX_LIMIT)
    return offset, limit


def year_range(query: SearchQuery) -> tuple[int | None, int | None, bool]:
    """``(year_from, year_to, empty)``: ``empty`` when the range is inverted and finds nothing."""
    lo, hi = query.year_from, query.year_to
    if lo is not None and hi is not None and lo > hi:
        return lo, hi, True
    return lo, hi, False


def facet_fields(query: SearchQuery) -> list[str]:
    """The requested facets that are real filter fields, in request order, without repeats."""
    return [f for f in dict.fromkeys(query.facets) if f in FILTER_FIELDS]


def order_facet(counts: dict[str, int]) -> list[tuple[str, int]]:
    """Facet values by count, then value; at most :data:`FACET_SIZE`."""
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:FACET_SIZE]


# ---------------------------------------------------------------------------- whole documents


@dataclass(frozen=True)
class Analyzed:
    """Everything an engine indexes for one document, compact enough to pass between processes.

    ``fields`` maps a text field to its terms and their positions (parallel lists).
    """

    doc: SearchDocument
    fields: dict[str, tuple[list[str], list[int]]]
    filters: dict[str, list[str]]
    years: tuple[int | None, int | None]
    sort: str


def _field_streams(text: dict[str, list[str]]) -> dict[str, tuple[list[str], list[int]]]:
    """Field -> (terms, positions), positions shifted across values as in :func:`analyze_text`.

    The hot loop of indexing for the engines that take analyzed documents (PostgreSQL, memory):
    it reads the tokenizer's tuples directly (no intermediate objects).
    """
    from mogao.text.tokens import tokenize_raw

    out: dict[str, tuple[list[str], list[int]]] = {}
    for name, values in text.items():
        if name not in TEXT_FIELDS:
            continue
        base = 0
        terms: list[str] = []
        positions: list[int] = []
        for value in values:
            if not isinstance(value, str) or not value:
                continue
            last = -1
            for term, position, _start, _end in tokenize_raw(value):
                terms.append(term)
                positions.append(position + base)
                last = position  # positions never decrease within a value
            if last >= 0:
                base += last + 1 + VALUE_GAP
        if terms:
            out[name] = (terms, positions)
    return out


def analyze(doc: SearchDocument) -> Analyzed:
    """Tokenize and normalize one document (the costly, parallelizable part of indexing)."""
    return Analyzed(doc, _field_streams(doc.text), document_filters(doc), year_bounds(doc), sort_value(doc))


def _prepare_chunk(prepare: Callable[[SearchDocument], T], docs: list[SearchDocument]) -> list[T]:
    return [prepare(d) for d in docs]


#: Collector thresholds while a bulk preparation runs. Its objects are short-lived, acyclic
#: tuples, lists and dicts freed by reference counting, but with the default thresholds (700)
#: each batch is scanned several times on its way through the generations: measured here,
#: unpickling a batch took 6 us per document with the collector off and 23 us with it on.
BULK_GC_THRESHOLD = (50_000, 50, 50)


def _worker_init() -> None:
    # A worker inherits the parent's SIGTERM handler (a server's, or one a native library installed):
    # one that does not end the process made Pool.terminate() wait forever (a test run hung there).
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    gc.freeze()  # what the worker inherited is never scanned again
    gc.set_threshold(*BULK_GC_THRESHOLD)


@contextmanager
def _bulk_collector() -> Iterator[None]:
    previous = gc.get_threshold()
    gc.set_threshold(*BULK_GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*previous)


def prepare_many(
    docs: Iterable[SearchDocument],
    prepare: Callable[[SearchDocument], T],
    *,
    processes: int = 1,
    chunk: int = 256,
) -> Iterator[T]:
    """``prepare`` every document, in order, with ``processes`` worker processes when more than one.

    Used by rebuilds and benchmarks: tokenizing is pure Python and dominates indexing time, so
    spreading it over the machine's cores shortens a full build nearly in proportion.
    ``prepare`` must be a module-level function (it is sent to the workers by name); an
    engine's :meth:`~mogao.search.backends.base.SearchBackend.preparer` is one. At most
    ``2 * processes`` chunks are in flight, so memory stays bounded whatever the consumer's pace.
    """
    if processes <= 1:
        yield from (prepare(d) for d in docs)
        return
    import multiprocessing

    def chunks() -> Iterator[list[SearchDocument]]:
        batch: list[SearchDocument] = []
        for d in docs:
            batch.append(d)
            if len(batch) >= chunk:
                yield batch
                batch = []
        if batch:
            yield batch

    # A bounded window of chunks in flight: ``Pool.imap`` would buffer every finished result
    # while a slower consumer (the engine) catches up, holding the whole corpus in memory.
    window: deque[AsyncResult[list[T]]] = deque()
    with _bulk_collector(), multiprocessing.get_context("fork").Pool(processes, initializer=_worker_init) as pool:
        for batch in chunks():
            window.append(pool.apply_async(_prepare_chunk, (prepare, batch)))
            if len(window) >= 2 * processes:
                yield from window.popleft().get()
        while window:
            yield from window.popleft().get()


def analyze_many(docs: Iterable[SearchDocument], *, processes: int = 1, chunk: int = 256) -> Iterator[Analyzed]:
    """:func:`analyze` every document, in order (see :func:`prepare_many`)."""
    return prepare_many(docs, analyze, processes=processes, chunk=chunk)


# ---------------------------------------------------------------------------- highlights

SNIPPET_CHARS = 160
SNIPPETS_PER_FIELD = 3
_LEAD = 30  # characters of context shown before the first hit


def _probes(terms: set[str]) -> list[str]:
    """Cheap substrings whose absence from a folded value proves no term can match in it.

    CJK and other non-ASCII terms appear as they are in the folded text; shelfmark terms
    (``s3326``) keep their number; English stems may change all but the first letter
    (``dying`` -> ``die``), so for them only that letter is certain.
    """
    probes = []
    for term in terms:
        bare = term[len(UNIGRAM_PREFIX) :] if term.startswith(UNIGRAM_PREFIX) else term
        if not bare.isascii():
            probes.append(bare)
        else:
            digits = re.search(r"\d+[a-z]?$", bare)
            probes.append(digits.group().rstrip("abcdefghijklmnopqrstuvwxyz") if digits else bare[:1])
    return probes


def _spans(value: str, terms: set[str], probes: list[str] | None = None) -> list[tuple[int, int]]:
    from mogao.text.fold import fold

    folded = fold(value).lower()
    if not any(p in folded for p in (_probes(terms) if probes is None else probes)):
        return []  # skip tokenizing values that cannot hold a hit (long bodies, other fields)
    from mogao.text.tokens import tokenize_raw

    # the same tokens as index_tokens(value), as plain tuples: a results page highlights twenty
    # hits, often in long bodies, and building a dataclass per token costs more than finding it
    size = len(value)
    spans = sorted((s, e) for term, _pos, s, e in tokenize_raw(value) if term in terms and 0 <= s < e <= size)
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def snippet(value: str, terms: set[str], probes: list[str] | None = None) -> str | None:
    """An HTML snippet of ``value`` around its first hit, text escaped, hits in ``<mark>``
    (``probes``: :func:`_probes` of ``terms``, when the caller made them once for many values)."""
    spans = _spans(value, terms, probes)
    if not spans:
        return None
    lo = max(0, spans[0][0] - _LEAD)
    hi = min(len(value), lo + SNIPPET_CHARS)
    parts: list[str] = ["…"] if lo > 0 else []
    cursor = lo
    for start, end in spans:
        if start >= hi:
            break
        end = min(end, hi)
        parts.append(html.escape(value[cursor:start]))
        parts.append(f"<mark>{html.escape(value[start:end])}</mark>")
        cursor = end
    parts.append(html.escape(value[cursor:hi]))
    if hi < len(value):
        parts.append("…")
    return "".join(parts)


def first_highlight(
    text: dict[str, list[str]], terms: dict[str, set[str]], fields: Sequence[str]
) -> dict[str, list[str]]:
    """The one snippet a results page shows: of the first of ``fields`` (in that order) where the
    query's tokens occur, its first value that holds them; ``{field: [snippet]}`` or ``{}``.

    The same snippet as ``highlights(text, terms)[field][0]`` for that field, without the others.
    """
    for name in fields:
        wanted = terms.get(name)
        if not wanted:
            continue
        probes = _probes(wanted)
        for value in text.get(name, []):
            if isinstance(value, str) and (snip := snippet(value, wanted, probes)) is not None:
                return {name: [snip]}
    return {}


def wants_highlight(query: SearchQuery, doc_id: str) -> bool:
    """Whether a hit's highlights are asked for (``query.highlight_ids`` narrows them)."""
    return query.highlight_ids is None or doc_id in query.highlight_ids


def highlights(text: dict[str, list[str]], terms: dict[str, set[str]]) -> dict[str, list[str]]:
    """Field -> up to three snippets of the values where the query's tokens occur."""
    out: dict[str, list[str]] = {}
    for name, values in text.items():
        wanted = terms.get(name)
        if not wanted:
            continue
        found: list[str] = []
        probes = _probes(wanted)
        for value in values:
            if not isinstance(value, str):
                continue
            snip = snippet(value, wanted, probes)
            if snip is not None:
                found.append(snip)
            if len(found) >= SNIPPETS_PER_FIELD:
                break
        if found:
            out[name] = found
    return out
