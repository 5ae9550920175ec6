"""The search box language: words, "quoted phrases", ``field:value``, ``-exclusion`` and ``OR``.

Grammar (forgiving: anything a reader can type parses or gets a :class:`QueryError` that names
the offending field; nothing else is ever raised):

* words separated by spaces (ASCII or ideographic) must all match; a run of plain words becomes
  one :class:`~mogao.search.types.Term` (same meaning as separate terms, but the service can
  expand ``jin gang jing`` as a whole);
* ``"..."`` (also “...”, 「...」, 『...』) is a phrase; an unclosed quote is closed at the end
  with a warning;
* ``field:value`` / ``field:"a phrase"`` for the text fields (title, alias, shelfmark, names,
  description, body, with a few aliases such as ``author:``) and the filter fields
  (institution, collection, period, ...); an unknown ``word:`` prefix is an error naming the
  field, unless the colon is clearly part of the text (``P:3532``, ``12:30``, ``http://``);
* ``-x`` or ``NOT x`` excludes; ``a OR b`` (also ``|``) matches either and binds tighter than
  the implicit AND; ``AND`` and a leading ``+`` are accepted and change nothing;
* control characters are removed (with a warning); more than :data:`MAX_LENGTH` characters is
  an error.

Positive filter-field clauses outside an OR chain are returned in :attr:`ParsedQuery.filters`
(OR within a field, as facets behave) rather than in the tree.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from mogao.search.types import FILTER_FIELDS, TEXT_FIELDS, And, MatchAll, Node, Not, Or, Phrase, Term

MAX_LENGTH = 500

#: Friendly names accepted in front of a colon, mapped to the real field.
FIELD_ALIASES: dict[str, str] = {
    "author": "names",
    "name": "names",
    "person": "names",
    "translator": "names",
    "text": "body",
    "fulltext": "body",
    "desc": "description",
    "note": "description",
    "notes": "description",
    "type": "item_type",
    "inst": "institution",
    "library": "institution",
    "lang": "language",
    "script": "language",
    "dynasty": "period",
    "shelf": "shelfmark",
    "id": "shelfmark",
}

_QUOTES = {'"': '"', "“": "”", "「": "」", "『": "』", "＂": "＂"}
_SPACE = re.compile(r"\s+")
_FIELD = re.compile(r"^([A-Za-z_]{2,30}):(.*)$", re.DOTALL)


class QueryError(ValueError):
    """A query the search box cannot run; ``field`` names the culprit (``q`` for the whole)."""

    def __init__(self, message: str, *, field: str = "q") -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class ParsedQuery:
    """What the reader asked for.

    ``root`` is the query tree; ``terms`` the plain word runs and ``phrases`` the quoted phrases
    that may be expanded (romanization, translation); ``filters`` exact filter values;
    ``warnings`` explain what was repaired; ``match_all`` is set when nothing was typed.
    """

    root: Node
    terms: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    match_all: bool = False


@dataclass
class _Clause:
    text: str
    field: str | None = None  # a text or filter field
    phrase: bool = False
    negated: bool = False
    op: str | None = None  # "OR", "AND", "NOT" for operator words


def _clean(q: str, warnings: list[str]) -> str:
    out = []
    removed = False
    for ch in q:
        if ch in "\t\n\r\x0b\x0c\u2028\u2029":
            out.append(" ")
        elif unicodedata.category(ch) in {"Cc", "Cs", "Co", "Cn"} or ch in "\ufeff\u200b":
            removed = True
        else:
            out.append(ch)
    if removed:
        warnings.append("control characters were removed")
    return "".join(out)


def _resolve_field(name: str) -> str | None:
    low = name.lower()
    low = FIELD_ALIASES.get(low, low)
    if low in TEXT_FIELDS or low in FILTER_FIELDS:
        return low
    return None


def _lex(q: str, warnings: list[str]) -> list[_Clause]:
    """Split the query into clauses (words, phrases, fielded values, operators)."""
    clauses: list[_Clause] = []
    i, n = 0, len(q)
    while i < n:
        ch = q[i]
        if ch.isspace():
            i += 1
            continue
        negated = False
        if ch in "-+" and i + 1 < n and not q[i + 1].isspace():
            negated = ch == "-"
            i += 1
            ch = q[i]
        if ch in _QUOTES:
            text, i = _quoted(q, i, warnings)
            clauses.append(_Clause(text, phrase=True, negated=negated))
            continue
        j = i
        while j < n and not q[j].isspace() and q[j] not in _QUOTES:
            j += 1
        word = q[i:j]
        m = _FIELD.match(word)
        if m and (m.group(2) or (j < n and q[j] in _QUOTES)):
            value = m.group(2)
            target = _resolve_field(m.group(1))
            if target is None and _looks_like_field(m.group(1), value):
                raise QueryError(
                    f"unknown field {m.group(1)!r} (known: {', '.join(_known_fields())})",
                    field=m.group(1),
                )
            if target is not None:
                if not value and j < n and q[j] in _QUOTES:
                    text, j = _quoted(q, j, warnings)
                    clauses.append(_Clause(text, field=target, phrase=True, negated=negated))
                else:
                    clauses.append(_Clause(value, field=target, negated=negated))
                i = j
                continue
        if not negated and word in {"OR", "AND", "NOT", "|", "&&", "||"}:
            op = {"|": "OR", "||": "OR", "&&": "AND"}.get(word, word)
            clauses.append(_Clause(word, op=op))
        elif word not in {"-", "+"}:
            clauses.append(_Clause(word, negated=negated))
        i = j
    return clauses


def _quoted(q: str, i: int, warnings: list[str]) -> tuple[str, int]:
    close = _QUOTES[q[i]]
    end = q.find(close, i + 1)
    if end < 0:
        warnings.append("an unclosed quote was closed at the end of the query")
        return q[i + 1 :], len(q)
    return q[i + 1 : end], end + 1


def _looks_like_field(name: str, value: str) -> bool:
    """True when ``name:value`` reads as a field prefix rather than text (``P:3532``, ``http://``)."""
    return not value or value[0].isalpha() or value[0] in _QUOTES


def _known_fields() -> list[str]:
    return sorted({*TEXT_FIELDS, *FILTER_FIELDS})


def _node(c: _Clause) -> Node:
    if c.phrase:
        return Phrase(c.text, field=c.field)
    return Term(c.text, field=c.field)


def parse(q: str, *, allow_empty: bool = False) -> ParsedQuery:
    """Parse a search box query; raises :class:`QueryError` (only) for what cannot run.

    With ``allow_empty`` a query with nothing in it returns ``match_all=True`` and a
    :class:`~mogao.search.types.MatchAll` root instead of raising.
    """
    if not isinstance(q, str):
        raise QueryError("the query must be text")
    if len(q) > MAX_LENGTH:
        raise QueryError(f"the query is too long ({len(q)} characters; at most {MAX_LENGTH})")
    warnings: list[str] = []
    clauses = _lex(_clean(q, warnings), warnings)
    groups = _group(clauses, warnings)

    terms: list[str] = []
    phrases: list[str] = []
    excluded: list[str] = []
    filters: dict[str, list[str]] = {}
    nodes: list[Node] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            text = " ".join(run)
            terms.append(text)
            nodes.append(Term(text))
            run.clear()

    for group in groups:
        if len(group) > 1:
            flush()
            nodes.append(Or(tuple(_node(c) for c in group)))
            for c in group:
                if c.field is None or c.field in TEXT_FIELDS:
                    (phrases if c.phrase else terms).append(c.text)
            continue
        c = group[0]
        if not c.text.strip():
            continue
        if c.field is None and not c.phrase and not c.negated:
            run.append(c.text)
            continue
        flush()
        if c.negated:
            excluded.append(c.text)
            nodes.append(Not(_node(c)))
        elif c.field in FILTER_FIELDS:
            filters.setdefault(c.field, []).append(c.text.strip())
        else:
            (phrases if c.phrase else terms).append(c.text)
            nodes.append(_node(c))
    flush()

    frozen = {k: tuple(dict.fromkeys(v)) for k, v in filters.items()}
    positive = [n for n in nodes if not isinstance(n, Not)]
    if not nodes and not frozen:
        if not allow_empty:
            raise QueryError("the query is empty")
        return ParsedQuery(root=MatchAll(), warnings=tuple(warnings), match_all=True)
    if not positive:
        nodes.insert(0, MatchAll())
    root = nodes[0] if len(nodes) == 1 else And(tuple(nodes))
    return ParsedQuery(
        root=root,
        terms=tuple(terms),
        phrases=tuple(phrases),
        excluded=tuple(excluded),
        filters=frozen,
        warnings=tuple(warnings),
    )


def _group(clauses: list[_Clause], warnings: list[str]) -> list[list[_Clause]]:
    """Resolve operators: OR chains become groups; NOT negates the next clause; AND vanishes."""
    groups: list[list[_Clause]] = []
    pending_or = False
    pending_not = False
    for c in clauses:
        if c.op == "OR":
            if groups and not pending_or:
                pending_or = True
            else:
                warnings.append("'OR' needs a term on each side and was ignored")
            continue
        if c.op == "AND":
            continue
        if c.op == "NOT":
            pending_not = True
            continue
        if pending_not:
            c.negated = not c.negated
            pending_not = False
        if pending_or and groups and not c.negated and not any(x.negated for x in groups[-1]):
            groups[-1].append(c)
        else:
            if pending_or:
                warnings.append("'OR' cannot join an exclusion and was ignored")
            groups.append([c])
        pending_or = False
    if pending_or:
        warnings.append("'OR' needs a term on each side and was ignored")
    if pending_not:
        warnings.append("'NOT' at the end was ignored")
    return groups
