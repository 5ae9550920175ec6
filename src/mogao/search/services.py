"""Search's operations: validate a reader's request, expand and run it, and keep the index current.

* :func:`~mogao.search.params.params_from_query` (re-exported here) turns a query string into
  :class:`SearchParams`, raising :class:`SearchInputError` naming the field;
* :func:`search` parses the box, expands plain words (:mod:`mogao.search.expand`), runs the engine
  and returns a :class:`SearchPage` ready for a template or JSON, recording queries that found
  nothing (:class:`~mogao.search.models.ZeroResultQuery`, no personal data);
* :func:`index_documents` and :func:`index_rebuild` write documents to the configured engine.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import nh3
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from mogao.core import langmap
from mogao.search import documents, expand
from mogao.search.models import ZeroResultQuery
from mogao.search.params import MAX_PAGE, SearchInputError, SearchParams, params_from_query
from mogao.search.types import (
    FILTER_FIELDS,
    And,
    AtLeast,
    Boost,
    Hit,
    MatchAll,
    Node,
    Or,
    Phrase,
    SearchQuery,
    Term,
)

logger = logging.getLogger(__name__)

FEW_HITS = 3  # below this many hits the page offers "did you mean"
#: The first hits of a relevance search are re-ranked with the records' priors (prior.py).
RESCORE_WINDOW = 50
#: A query naming a person looks this far for the works they made.
PERSON_WINDOW = 300
#: Which stage of a search answered: every word, most words, any word (see :func:`search`).
MatchStage = Literal["all", "most", "any"]
#: Share of a query's words (or CJK bigrams) the "most words" stage requires.
MOST_SHARE = 0.6
_SNIPPET_FIELDS = ("body", "description", "alias", "names", "shelfmark", "title")


@dataclass(frozen=True)
class HitView:
    """One hit as readers (and the API) see it."""

    id: str
    doc_type: str
    pid: str
    url: str
    titles: dict[str, list[str]]
    title: str
    shelfmark: str
    holder: str
    taisho: str
    year_start: int | None
    year_end: int | None
    date: str
    snippet: SafeString | None
    score: float


@dataclass(frozen=True)
class FacetCount:
    value: str
    count: int
    label: str = ""


@dataclass
class SearchPage:
    """Everything a results page shows."""

    params: SearchParams
    total: int = 0
    hits: list[HitView] = field(default_factory=list)
    facets: dict[str, list[FacetCount]] = field(default_factory=dict)
    expansions: list[expand.Expansion] = field(default_factory=list)
    suggestions: list[expand.Suggestion] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # what the parser repaired
    unfiltered_total: int = 0  # hits without filters and dates, when those left none
    #: the total and the facet counts are estimates (the engine counted a sample of many hits)
    total_approximate: bool = False
    facets_approximate: bool = False
    took_ms: float = 0.0
    #: the stage that answered: "all" words, else "most" of them, else "any" of them
    stage: MatchStage = "all"

    @property
    def stage_message(self) -> str:
        """What the reader is told when not every word was found ("" when every word was)."""
        if self.stage == "most":
            return _("No record has every word; showing records with most of them.")
        if self.stage == "any":
            return _("No record has every word; showing records with some of them.")
        return ""

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.params.per_page))

    @property
    def has_next(self) -> bool:
        return self.params.page < min(self.num_pages, MAX_PAGE)

    @property
    def has_previous(self) -> bool:
        return self.params.page > 1

    @property
    def shown_expansions(self) -> list[str]:
        """Expansions to tell the reader about ("also searched: 金剛經")."""
        return [e.text for e in self.expansions]


def safe_snippet(html: str) -> SafeString:
    """Engine snippet HTML reduced to text and ``<mark>`` (defence in depth before ``|safe``)."""
    return mark_safe(nh3.clean(html, tags={"mark"}, attributes={}))  # nh3-cleaned


def _hit_view(hit: Hit, lang: str) -> HitView:
    p = hit.payload
    titles = p.get("titles") or {}
    snippet = next((h[0] for f in _SNIPPET_FIELDS if (h := hit.highlights.get(f))), None)
    if snippet and (lang or "").lower() == "zh-hans":
        # The texts are mostly traditional: a reader of the simplified interface reads the snippet simplified.
        from mogao.text.convert import to_simplified

        snippet = to_simplified(snippet)
    return HitView(
        id=hit.id,
        doc_type=hit.doc_type,
        pid=str(p.get("pid", hit.id.partition(":")[2])),
        url=str(p.get("url", "")),
        titles=titles,
        title=langmap.pick(titles, lang, default=hit.id),
        shelfmark=str(p.get("shelfmark") or ""),
        holder=langmap.pick(p.get("holder") or {}, lang),
        taisho=str(p.get("taisho") or ""),
        year_start=p.get("year_start"),
        year_end=p.get("year_end"),
        date=str(p.get("date") or ""),
        snippet=safe_snippet(snippet) if snippet else None,
        score=hit.score,
    )


@dataclass(frozen=True)
class ParsedBox:
    """The search box understood: its tree, filters typed as ``field:value``, repairs made."""

    root: Node
    filters: dict[str, tuple[str, ...]]
    warnings: tuple[str, ...]


def parse_box(q: str) -> ParsedBox:
    """Parse the search box; :class:`SearchInputError` (field ``q``) when it cannot run."""
    if not q:
        return ParsedBox(MatchAll(), {}, ())
    from mogao.search.parser import QueryError, parse

    try:
        parsed = parse(q, allow_empty=True)
    except QueryError as exc:
        raise SearchInputError("q", exc.message) from exc
    return ParsedBox(parsed.root, dict(parsed.filters), tuple(parsed.warnings))


def _merge(a: dict[str, tuple[str, ...]], b: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    out = dict(a)
    for name, values in b.items():
        out[name] = tuple(dict.fromkeys((*out.get(name, ()), *values)))
    return out


def relax(node: Node, share: float) -> Node:
    """``node`` with its free-text words required only in part (``share`` of them; 0 = any one).

    Exclusions (``Not``) and field filters stay as they are; phrases lose their word order.
    """
    if isinstance(node, Term | Phrase):
        if node.field and node.field in FILTER_FIELDS:
            return node
        return AtLeast(node.text, node.field, share)
    if isinstance(node, Boost):
        return Boost(relax(node.child, share), node.factor)
    if isinstance(node, And):
        return And(tuple(relax(c, share) for c in node.children))
    if isinstance(node, Or):
        return Or(tuple(relax(c, share) for c in node.children))
    return node  # MatchAll, Not, AtLeast


def rank_with_prior(hits: list[Hit]) -> list[Hit]:
    """Hits ordered by text score times the record's prior (:func:`mogao.search.prior.combine`)."""
    from mogao.search import prior

    def key(hit: Hit) -> float:
        value = hit.payload.get("prior")
        return -prior.combine(hit.score, float(value) if isinstance(value, int | float) else 0.0)

    return sorted(hits, key=key)  # stable: equal scores keep the engine's order


def resolved_person(hits: list[Hit]) -> str | None:
    """The pid of the person the query names: the best text match, when it is a person."""
    if hits and hits[0].doc_type == "person":
        top = hits[0]
        runner_up = next((h.score for h in hits[1:]), 0.0)
        if top.score > runner_up:  # a tie is no resolution
            return str(top.payload.get("pid") or top.id.partition(":")[2])
    return None


def person_first(hits: list[Hit], pid: str) -> list[Hit]:
    """The person, then the works they made (authors, then translators, then other roles; each
    group in the given order), then everything else in the given order."""
    order = {"author": 0, "translator": 1}

    def role(hit: Hit) -> int | None:
        if hit.doc_type != "work":
            return None
        roles = [r for p, r in hit.payload.get("creator_roles") or [] if p == pid]
        return min((order.get(r, 2) for r in roles), default=None)

    person = [h for h in hits if h.doc_type == "person" and h.id == f"person:{pid}"]
    made = [(r, i, h) for i, h in enumerate(hits) if (r := role(h)) is not None]
    made.sort(key=lambda t: (t[0], t[1]))
    works = [h for _, _, h in made]
    chosen = {h.id for h in person + works}
    return person + works + [h for h in hits if h.id not in chosen]


def _highlighted(hits: list[Hit], query: SearchQuery) -> list[Hit]:
    """``hits`` with their highlights, asked of the engine for these hits only."""
    from mogao.search.backends import get_backend

    if not hits:
        return hits
    found = get_backend().highlight_hits(query, hits, first_of=_SNIPPET_FIELDS)
    return [replace(h, highlights=found.get(h.id, {})) for h in hits]


#: The fallback stages after "all": (stage, share of words required).
FALLBACK_STAGES: tuple[tuple[MatchStage, float], ...] = (("most", MOST_SHARE), ("any", 0.0))


def search(params: SearchParams, *, record: bool = True) -> SearchPage:
    """Run a validated request: parse, expand, search, and dress the results for readers.

    When no record has every word (or CJK bigram), the search falls back to records with most of
    them (:data:`MOST_SHARE`), then to records with any of them, each stage ranked by relevance;
    :attr:`SearchPage.stage` says which stage answered. The zero-result log counts the strict
    stage's miss.

    Raises :class:`SearchInputError` (field ``q``) when the box cannot be parsed or is empty
    without any filter. Queries that find nothing are counted when ``record`` is set.
    """
    from mogao.search.backends import get_backend
    from mogao.search.selectors import did_you_mean  # selectors read services' types

    if params.is_empty:
        raise SearchInputError("q", _("type something to search for, or choose a filter."))
    started = time.perf_counter()
    box = parse_box(params.q)
    root, expansions = expand.expand_root(box.root, lang=params.lang)
    offset = (params.page - 1) * params.per_page
    # Pages inside the rescoring window are ranked by text score and prior together (prior.py).
    rescore = params.sort == "relevance" and bool(params.q) and (
        offset + params.per_page <= RESCORE_WINDOW
    )
    query = SearchQuery(
        root=root,
        filters=_merge(params.filters, box.filters),
        year_from=params.year_from,
        year_to=params.year_to,
        facets=FILTER_FIELDS,
        sort=params.sort,
        offset=0 if rescore else offset,
        limit=RESCORE_WINDOW if rescore else params.per_page,
        highlight=not rescore,  # a rescored window is highlighted for its page only, below
    )
    backend = get_backend()
    results = backend.search(query)
    strict_total = results.total
    stage: MatchStage = "all"
    if strict_total == 0 and params.q:
        from mogao.search.query import compile_query

        tried = {compile_query(query.root)}
        for name, share in FALLBACK_STAGES:
            relaxed = relax(query.root, share)
            compiled = compile_query(relaxed)
            if compiled in tried:
                continue  # nothing to relax (one word): the engine would answer the same
            tried.add(compiled)
            attempt = replace(query, root=relaxed)
            found = backend.search(attempt)
            if found.total:
                results, query, stage = found, attempt, name
                break
    hits = results.hits
    if rescore:
        person = resolved_person(hits)
        if person is not None and results.total > len(hits):
            # a person's works all match their name equally: look further for the important ones
            wider = replace(query, limit=PERSON_WINDOW, facets=(), highlight=False)
            hits = backend.search(wider).hits
        ranked = rank_with_prior(hits)
        if person is not None:
            ranked = person_first(ranked, person)
        hits = _highlighted(ranked[offset : offset + params.per_page], query)
    page = SearchPage(
        params=params,
        total=results.total,
        hits=[_hit_view(h, params.lang) for h in hits],
        facets={
            name: [FacetCount(v.value, v.count) for v in values]
            for name, values in results.facets.items()
        },
        expansions=expansions,
        warnings=list(box.warnings),
        stage=stage,
        total_approximate=results.total_approximate,
        facets_approximate=results.facets_approximate,
    )
    if params.q and strict_total < FEW_HITS:
        shown = {h.url for h in page.hits}
        page.suggestions = [
            s for s in did_you_mean(params.q, lang=params.lang) if s.url not in shown
        ]
    if results.total == 0 and (query.filters or params.year_from is not None or params.year_to is not None):
        # would the words alone find something? then say so rather than leave the reader stuck
        unfiltered = SearchQuery(root=root, limit=0, highlight=False)
        page.unfiltered_total = get_backend().search(unfiltered).total if params.q else 0
    if record and params.q and strict_total == 0:
        zero_result_record(query=params.q, language=params.lang)
    if record and params.q:
        from mogao import audience  # buffered in memory: no write here (#18)

        audience.record("search", query=params.q, results=results.total, stage=stage, page=params.page,
                        language=params.lang)
    page.took_ms = (time.perf_counter() - started) * 1000
    return page


#: Queries that touch every lazily built table: catalogue vocabulary, CC-CEDICT pinyin and
#: Wade–Giles keys, English and French glossaries, reign eras, shelfmarks.
WARM_UP_QUERIES = (
    ("Diamond Sutra", "en"), ("jingang jing", "en"), ("Chin-kang ching", "en"),
    ("sutra du diamant", "fr"), ("金剛經 咸通九年", "zh-hant"), ("P.3532", "en"),
)


def warm_up() -> float:
    """Build the search dictionaries now rather than during a reader's first search.

    They take seconds to build (most of it CC-CEDICT's romanization and gloss tables); ``mogao
    serve`` calls this in a background thread of each server process as it starts. Returns the
    seconds spent; never raises (a cold start is only slower).
    """
    started = time.perf_counter()
    try:
        for q, lang in WARM_UP_QUERIES:
            search(params_from_query({"q": q}, lang=lang), record=False)
        from mogao.search.selectors import warm_up_near

        warm_up_near()
    except Exception:  # warming is best effort; the first real search reports any error
        logger.warning("search warm-up failed", exc_info=True)
    return time.perf_counter() - started


def zero_result_record(*, query: str, language: str) -> None:
    """Count a query that found nothing, folded, per interface language and day (no personal data)."""
    folded = expand.fold_text(query)[:500]
    now = timezone.now()
    for _attempt in range(2):  # a concurrent first insert is retried as an update
        try:
            with transaction.atomic():
                updated = ZeroResultQuery.objects.filter(
                    query=folded, language=language, day=now.date()
                ).update(count=F("count") + 1, last_seen=now)
                if not updated:
                    ZeroResultQuery.objects.create(
                        query=folded, language=language, day=now.date(), count=1, last_seen=now
                    )
            return
        except IntegrityError:
            continue


# ---------------------------------------------------------------------------- indexing


def index_documents(*, ids: Iterable[str]) -> tuple[int, int]:
    """Bring the given documents up to date (write the public ones, delete the rest).

    Returns (written, deleted). The engine is refreshed before returning, so the changes are
    searchable at once, and the expansion vocabulary is invalidated.
    """
    from mogao.search import prior
    from mogao.search.backends import get_backend

    prior.invalidate()  # commentaries or witnesses may have changed
    backend = get_backend()
    written: list[Any] = []
    gone: list[str] = []
    for value in dict.fromkeys(ids):
        try:
            doc = documents.document_for(value)
        except ValueError:
            continue  # a malformed id cannot name a document; nothing to write or delete
        if doc is None:
            gone.append(value)
        else:
            written.append(doc)
    if gone:
        backend.delete(gone)
    n = backend.add(written) if written else 0
    backend.refresh()
    expand.invalidate()
    return n, len(gone)


def index_rebuild(
    *, progress: Callable[[int], None] | None = None, chunk: int = 500, processes: int = 1
) -> int:
    """Clear the index and write every searchable document; ``progress(n)`` after each batch.

    With ``processes`` above one, documents are tokenized (the engine's ``preparer``) in that
    many worker processes while this one reads the database and writes the index, as
    ``bench/search`` does for its million records.
    """
    from mogao.search import prior
    from mogao.search.backends import analysis, get_backend

    prior.invalidate()
    backend = get_backend()
    with backend.bulk():  # tantivy: one commit, and no delete-by-id after clear()
        backend.clear()
        total = 0
        batch: list[object] = []
        prepared = analysis.prepare_many(
            documents.iter_all(chunk=chunk), backend.preparer(), processes=processes, chunk=chunk
        )
        for item in prepared:
            batch.append(item)
            if len(batch) >= chunk:
                total += backend.add_prepared(batch)
                if progress:
                    progress(len(batch))
                batch = []
        if batch:
            total += backend.add_prepared(batch)
            if progress:
                progress(len(batch))
    backend.refresh()
    expand.invalidate()
    return total
