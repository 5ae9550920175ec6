"""The search contract every engine shares: documents in, a query tree in, results out.

Engines are dumb on purpose: they index the folded tokens of :mod:`mogao.text.tokens` and match
the query tree. Understanding the reader (pinyin, Wade-Giles, English/French -> Chinese,
variant folding) happens before the tree is built, in :mod:`mogao.search.services`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

# ---------------------------------------------------------------------------- documents


@dataclass(frozen=True)
class SearchDocument:
    """One searchable record.

    ``text`` maps a text field name (see :data:`TEXT_FIELDS`) to its values in any script;
    ``filters`` maps a filter/facet field (see :data:`FILTER_FIELDS`) to exact string values;
    ``payload`` is stored and returned verbatim with each hit (URL, titles, shelfmark...).
    """

    id: str  # "<doc_type>:<pid>", e.g. "item:bl-or-8210-p-2"
    doc_type: str  # "item", "work", "person", "place", ...
    text: dict[str, list[str]]
    filters: dict[str, list[str]] = field(default_factory=dict)
    year_start: int | None = None  # negative = BCE
    year_end: int | None = None
    sort_key: str = ""  # shelfmark-like natural sort key
    payload: dict[str, Any] = field(default_factory=dict)


#: Text fields and their default boosts (engines apply these when no field is named).
TEXT_FIELDS: dict[str, float] = {
    "title": 5.0,  # titles in every language
    "alias": 3.0,  # other titles, other names, romanizations of titles
    "shelfmark": 6.0,  # shelfmarks and identifiers (Taisho numbers)
    "names": 2.0,  # people and places linked to the record
    "description": 1.0,  # descriptions and notes
    "body": 0.6,  # full text (transcriptions)
}

#: Exact-value fields usable as filters and facets.
FILTER_FIELDS: tuple[str, ...] = (
    "doc_type", "institution", "collection", "item_type", "period", "language", "status", "rights",
    "subject", "work",
)

# ---------------------------------------------------------------------------- query tree


@dataclass(frozen=True)
class Node:
    """A node of the query tree."""


@dataclass(frozen=True)
class MatchAll(Node):
    """Every document."""


@dataclass(frozen=True)
class Term(Node):
    """Free text: every token must match (AND of tokens) in ``field`` or in any text field."""

    text: str
    field: str | None = None


@dataclass(frozen=True)
class Phrase(Node):
    """Tokens adjacent and in order (CJK bigram positions make this exact for Chinese)."""

    text: str
    field: str | None = None


@dataclass(frozen=True)
class AtLeast(Node):
    """Free text where only a share of its tokens must match (the fallback stages of a search).

    ``share`` 1.0 means every token (like :class:`Term`), 0.0 any one token; in between, at least
    ``ceil(share * n)`` of the ``n`` distinct tokens (English and French stop words aside).
    Documents matching more tokens score higher.
    """

    text: str
    field: str | None = None
    share: float = 0.0


@dataclass(frozen=True)
class And(Node):
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or(Node):
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not(Node):
    """Excludes documents matching ``child`` (only meaningful inside an And)."""

    child: Node


@dataclass(frozen=True)
class Boost(Node):
    child: Node
    factor: float


SortOrder = Literal["relevance", "date", "-date", "shelfmark"]


@dataclass(frozen=True)
class SearchQuery:
    """A complete request to an engine.

    ``filters``: OR within a field, AND across fields. ``year_from``/``year_to``: documents whose
    [year_start, year_end] overlaps the range (either bound may be None).
    """

    root: Node = MatchAll()
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    year_from: int | None = None
    year_to: int | None = None
    facets: tuple[str, ...] = ()
    sort: SortOrder = "relevance"
    offset: int = 0
    limit: int = 20
    highlight: bool = True
    #: highlight only the hits with these ids (None: every hit returned)
    highlight_ids: frozenset[str] | None = None


# ---------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Hit:
    id: str
    doc_type: str
    score: float
    payload: dict[str, Any]
    #: field -> HTML snippets, text escaped, hits wrapped in <mark>...</mark>
    highlights: dict[str, list[str]] = field(default_factory=dict)
    #: the engine's own copy of the document's stored text, when the search already read it
    #: (tantivy), so the page's highlights need not fetch it again (``highlight_hits``)
    source: Any = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int


@dataclass(frozen=True)
class SearchResults:
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    took_ms: float = 0.0
    #: ``total`` is an estimate from a sample of the hits (an engine may do this above a number
    #: of hits, as search engines say "about 40,000 results"); pages and the API then say so
    total_approximate: bool = False
    #: the facet counts are estimates from a sample of the hits (an engine may do this above a
    #: number of hits; pages and the API then say the counts are approximate)
    facets_approximate: bool = False
