"""The PostgreSQL engine's text side: lexemes, tsvector literals, tsquery and SQL conditions.

Lexemes are ``<field code>|<token>`` (see :data:`FIELD_CODES`) at the tokens' real positions,
weighted A-D by field. Every document also carries the sample lexemes ``zs|1`` .. ``zs|j`` where
``2**j`` divides a hash of its id: ``zs|j`` marks a fixed, load-order-independent 1/2**j of the
documents, which counting uses to read a bounded share of very many hits.
"""

from __future__ import annotations

import json
import re
import zlib
from typing import Any

from mogao.search.backends import analysis
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
    positive_terms,
)
from mogao.search.types import TEXT_FIELDS

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
RANK_WEIGHTS = "{0.1,0.2,0.4,1.0}"  # RUM's own weights, so both indexes rank alike
#: Separator of field and value in the ``fk`` facet keys.
FACET_SEP = "\x1f"
#: Nested samples: ``zs|j`` is on the documents whose id hash is a multiple of 2**j (j <= SAMPLE_DEPTH).
SAMPLE_DEPTH = 6
#: Facet counts read at most about this many hits (a sample beyond); totals are exact up to twice it.
FACET_EXACT = 5000
#: With RUM: a conjunction or a filtered query with at most this many hits is ranked from the GIN
#: bitmap with ts_rank (about 3 µs a hit) rather than by RUM's ordered scan, which for an AND reads
#: every posting of each term with its positions (at 1M records: 30-50 ms against 70-135 ms).
BITMAP_RANK_MAX = 30_000
#: maintenance_work_mem for the index builds of a bulk load.
BUILD_MEMORY = "1GB"
MAX_POSITION = 16383
TABLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,50}$")
CHUNK = 500
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


def sample_lexemes(doc_id: str) -> list[str]:
    """The nested sample lexemes of a document: ``zs|j`` for every j with 2**j dividing its hash."""
    h = zlib.crc32(doc_id.encode())
    return [f"'zs|{j}'" for j in range(1, SAMPLE_DEPTH + 1) if h % (1 << j) == 0]


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
    parts = sample_lexemes(item.doc.id)
    for key, found in entries.items():
        w = weights[key]
        unique = sorted(found)[:256]  # PostgreSQL keeps at most 256 positions per lexeme
        parts.append(key + ":" + ",".join(f"{p}{w}" for p in unique))
    return " ".join(parts)


def tsquery_text(node: Compiled) -> str | None:
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
        return tsquery_text(node.child)
    if isinstance(node, QAnd):
        must = [tsquery_text(c) for c in node.must]
        nots = [tsquery_text(c) for c in node.must_not]
        if any(m is None for m in must) or any(n is None for n in nots):
            return None
        return "(" + " & ".join([*(str(m) for m in must), *(f"!{n}" for n in nots)]) + ")"
    if isinstance(node, QOr):
        kids = [tsquery_text(c) for c in node.children]
        if any(k is None for k in kids):
            return None
        return "(" + " | ".join(str(k) for k in kids) + ")"
    return None


def where_sql(node: Compiled, params: list[Any]) -> str:
    """A SQL condition for ``node``, appending its parameters to ``params``."""
    tsq = tsquery_text(node)
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
        return where_sql(node.child, params)
    if isinstance(node, QAnd):
        parts = [where_sql(c, params) for c in node.must]
        parts += [f"NOT ({where_sql(c, params)})" for c in node.must_not]
        return "(" + " AND ".join(parts) + ")"
    if isinstance(node, QOr):
        return "(" + " OR ".join(where_sql(c, params) for c in node.children) + ")"
    return "FALSE"


def rank_query(node: Compiled) -> str | None:
    """An OR of every positive token, used only to rank the matches."""
    terms = positive_terms(node)
    lexemes = sorted({lexeme(f, t) for f, ts in terms.items() for t in ts})
    return " | ".join(lexemes) if lexemes else None
