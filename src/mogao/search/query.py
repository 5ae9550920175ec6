"""The query tree compiled to tokens: the one place where query text meets :mod:`mogao.text`.

Every engine translates the same compiled tree (:data:`Compiled`), so the meaning of a query is
decided here once and the engines only differ in how fast and how well they score:

* ``Term(text)`` -> every query token of ``text`` must occur, each in any searched field
  (tokens may be spread over several fields, as a reader typing two words expects);
* ``Phrase(text)`` -> the tokens occur in one field value at their relative positions; for
  Chinese the bigrams make this exact (金剛經 = 金剛@0 剛經@1, which 金剛般若波羅蜜經 lacks);
* a node whose text yields no token (punctuation, emoji, stop words) is *neutral*: it vanishes
  from ``And``/``Or``; a tree that vanishes entirely matches nothing;
* ``Term``/``Phrase`` naming a filter field (``institution``...) match that exact value;
  naming an unknown field they match nothing (the parser rejects such fields earlier);
* ``AtLeast(text, share)`` -> at least ``ceil(share * n)`` of the ``n`` distinct tokens of
  ``text`` (stop words of English and French left out), compiled to an ``Or`` of ``And`` groups
  (at most :data:`MAX_GROUPS` of them: the minimum rises for long queries); documents matching
  more tokens match more groups and score higher;
* ``Not`` outside an ``And`` means "everything except".
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from mogao.search.types import (
    FILTER_FIELDS,
    TEXT_FIELDS,
    And,
    AtLeast,
    Boost,
    MatchAll,
    Node,
    Not,
    Or,
    Phrase,
    Term,
)

#: Prefix marking one-character (unigram) tokens in :mod:`mogao.text.tokens`.
UNIGRAM_PREFIX = "u:"
#: At most this many ``And`` groups for one ``AtLeast`` (its minimum rises until they fit).
MAX_GROUPS = 64
#: Words that never count towards an ``AtLeast`` minimum (tokens as :mod:`mogao.text.tokens`
#: makes them: lowercase, accents removed).
STOP_WORDS = frozenset(
    "a an and the of in on for to from by with at or as is its it "
    "le la les l de du des d un une et en au aux a pour par sur dans".split()
)


@dataclass(frozen=True)
class TokenSpan:
    """A token with its position and character offsets in the original value."""

    term: str
    position: int
    start: int
    end: int


def _as_spans(raw: Iterable[Any]) -> list[TokenSpan]:
    spans: list[TokenSpan] = []
    for i, tok in enumerate(raw):
        if isinstance(tok, str):
            spans.append(TokenSpan(tok, i, 0, 0))
        else:
            spans.append(TokenSpan(str(tok.term), int(tok.position), int(tok.start), int(tok.end)))
    return spans


def index_tokens(text: str) -> list[TokenSpan]:
    """Tokens of a field value as indexed (bigrams, ``u:`` unigrams, stemmed Latin words)."""
    from mogao.text.tokens import tokenize  # imported late: engines load only when chosen

    return _as_spans(tokenize(text)) if text else []


def search_tokens(text: str) -> list[TokenSpan]:
    """Tokens of query text, as :func:`mogao.text.tokens.query_tokens` makes them."""
    from mogao.text.tokens import query_tokens

    return _as_spans(query_tokens(text)) if text else []


# ---------------------------------------------------------------------------- compiled tree


@dataclass(frozen=True)
class QAll:
    """Every document."""


@dataclass(frozen=True)
class QNone:
    """No document."""


@dataclass(frozen=True)
class QTerm:
    """One token in any of ``fields`` (scores add up over fields, each with its boost)."""

    term: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class QPhrase:
    """Tokens at relative ``(offset, term)`` positions inside one value of one of ``fields``."""

    terms: tuple[tuple[int, str], ...]
    fields: tuple[str, ...]


@dataclass(frozen=True)
class QFilter:
    """An exact value of a filter field."""

    field: str
    value: str


@dataclass(frozen=True)
class QAnd:
    """All of ``must`` and none of ``must_not`` (``must`` is never empty)."""

    must: tuple[Compiled, ...]
    must_not: tuple[Compiled, ...] = ()


@dataclass(frozen=True)
class QOr:
    """At least one child (two or more children)."""

    children: tuple[Compiled, ...]


@dataclass(frozen=True)
class QBoost:
    """``child`` with its score multiplied by ``factor``."""

    child: Compiled
    factor: float


Compiled = QAll | QNone | QTerm | QPhrase | QFilter | QAnd | QOr | QBoost


def field_boost(field: str) -> float:
    """The default boost of a text field (1.0 for anything unknown)."""
    return TEXT_FIELDS.get(field, 1.0)


def _fields(field: str | None) -> tuple[str, ...] | None:
    if field is None or field == "":
        return tuple(TEXT_FIELDS)
    if field in TEXT_FIELDS:
        return (field,)
    return None


def _leaf(node: Term | Phrase) -> Compiled | None:
    if node.field and node.field in FILTER_FIELDS:
        value = node.text.strip()
        return QFilter(node.field, value) if value else None
    fields = _fields(node.field)
    if fields is None:
        return QNone()
    tokens = search_tokens(node.text)
    if not tokens:
        return None
    words = [t for t in tokens if not t.term.startswith(UNIGRAM_PREFIX)]
    singles = [t for t in tokens if t.term.startswith(UNIGRAM_PREFIX)]
    if isinstance(node, Phrase) and len(words) > 1:
        # Unigrams only come alone (one-character queries); if they are mixed in, they join the
        # phrase as plain required terms so every engine agrees on the meaning.
        base = min(t.position for t in words)
        seen: dict[tuple[int, str], None] = {}
        for t in sorted(words, key=lambda t: (t.position, t.term)):
            seen[(t.position - base, t.term)] = None
        phrase: Compiled = QPhrase(tuple(seen), fields)
        if not singles:
            return phrase
        extra = tuple(QTerm(t.term, fields) for t in _unique(singles))
        return QAnd((phrase, *extra))
    terms = tuple(QTerm(t.term, fields) for t in _unique(tokens))
    return terms[0] if len(terms) == 1 else QAnd(terms)


def _at_least(node: AtLeast) -> Compiled | None:
    fields = _fields(node.field)
    if fields is None:
        return QNone()
    tokens = _unique(search_tokens(node.text))
    if not tokens:
        return None
    kept = [t for t in tokens if t.term not in STOP_WORDS] or tokens
    terms = [QTerm(t.term, fields) for t in kept]
    n = len(terms)
    if n == 1:
        return terms[0]
    share = min(max(node.share, 0.0), 1.0)
    k = max(1, math.ceil(share * n - 1e-9))
    while k < n and math.comb(n, k) > MAX_GROUPS:
        k += 1
    if k >= n:
        return QAnd(tuple(terms))
    if k == 1:
        return QOr(tuple(terms))
    return QOr(tuple(QAnd(group) for group in itertools.combinations(terms, k)))


def _unique(tokens: Sequence[TokenSpan]) -> list[TokenSpan]:
    seen: dict[str, TokenSpan] = {}
    for t in tokens:
        seen.setdefault(t.term, t)
    return list(seen.values())


def _compile(node: Node) -> Compiled | None:
    if isinstance(node, MatchAll):
        return QAll()
    if isinstance(node, Term | Phrase):
        return _leaf(node)
    if isinstance(node, AtLeast):
        if node.field and node.field in FILTER_FIELDS:
            return _leaf(Term(node.text, node.field))
        return _at_least(node)
    if isinstance(node, Boost):
        child = _compile(node.child)
        if child is None:
            return None
        factor = float(node.factor)
        if not factor > 0 or factor == float("inf"):
            factor = 1.0  # a NaN/zero/negative boost is meaningless: ignore it
        return QBoost(child, factor)
    if isinstance(node, Not):
        child = _compile(node.child)
        return None if child is None else QAnd((QAll(),), (child,))
    if isinstance(node, And):
        must: list[Compiled] = []
        must_not: list[Compiled] = []
        for c in node.children:
            if isinstance(c, Not):
                inner = _compile(c.child)
                if inner is not None:
                    must_not.append(inner)
                continue
            compiled = _compile(c)
            if compiled is not None:
                must.append(compiled)
        if not must and not must_not:
            return None
        if not must:
            must.append(QAll())
        if len(must) == 1 and not must_not:
            return must[0]
        return QAnd(tuple(must), tuple(must_not))
    if isinstance(node, Or):
        kids = [k for k in (_compile(c) for c in node.children) if k is not None]
        if not kids:
            return None
        return kids[0] if len(kids) == 1 else QOr(tuple(kids))
    return QNone()


def compile_query(root: Node) -> Compiled:
    """Compile a query tree into tokens; a tree with no token at all matches nothing."""
    compiled = _compile(root)
    return QNone() if compiled is None else compiled


def positive_terms(node: Compiled) -> dict[str, set[str]]:
    """Field -> tokens that a hit may show highlighted (everything not under a ``must_not``)."""
    out: dict[str, set[str]] = {}

    def walk(n: Compiled) -> None:
        if isinstance(n, QTerm):
            for f in n.fields:
                out.setdefault(f, set()).add(n.term)
        elif isinstance(n, QPhrase):
            for f in n.fields:
                out.setdefault(f, set()).update(t for _, t in n.terms)
        elif isinstance(n, QAnd):
            for c in n.must:
                walk(c)
        elif isinstance(n, QOr):
            for c in n.children:
                walk(c)
        elif isinstance(n, QBoost):
            walk(n.child)

    walk(node)
    return out
