"""The engine interface, in the manner of Django's own backends (tasks, cache, storage).

A backend is chosen by ``MOGAO_SEARCH_URL`` (``tantivy://``, ``postgres://``, ``memory://``),
loaded lazily by :func:`mogao.search.backends.get_backend`, declares what it supports, reports
misconfiguration through :meth:`check`, never connects at import time, and passes the shared
contract suite in ``tests/search/contracts``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING, Any, cast

from mogao.search.types import Hit, SearchDocument, SearchQuery, SearchResults

if TYPE_CHECKING:
    from mogao.search.backends.analysis import Analyzed


class SearchBackend(ABC):
    """Base class of search engines."""

    name: str = "base"
    supports_highlight: bool = False
    supports_facets: bool = False
    supports_phrase: bool = False
    #: ``Boost`` nodes change the ranking (otherwise they are accepted and ignored)
    supports_boost: bool = False

    def __init__(self, url: str, options: dict[str, Any] | None = None) -> None:
        self.url = url
        self.options = options or {}

    def check(self) -> list[str]:
        """Human-readable configuration problems (empty when the backend can run)."""
        return []

    @abstractmethod
    def add(self, documents: Iterable[SearchDocument]) -> int:
        """Insert or replace documents by id; returns how many were written."""

    def add_analyzed(self, analyzed: Iterable[Analyzed]) -> int:
        """Like :meth:`add` for documents already analyzed (see ``analysis.analyze_many``).

        Engines override this to skip re-tokenizing; the default indexes the documents again.
        """
        return self.add(a.doc for a in analyzed)

    def preparer(self) -> Callable[[SearchDocument], object]:
        """The function that turns a document into what :meth:`add_prepared` takes.

        A module-level function, so a rebuild can run it in worker processes
        (``analysis.prepare_many``); by default :func:`analysis.analyze`.
        """
        from mogao.search.backends.analysis import analyze

        return analyze

    def add_prepared(self, prepared: Iterable[object]) -> int:
        """Like :meth:`add` for what :meth:`preparer` made; by default, analyzed documents."""
        return self.add_analyzed(cast("Iterable[Analyzed]", prepared))

    @abstractmethod
    def delete(self, ids: Iterable[str]) -> None:
        """Remove documents by id (unknown ids are ignored)."""

    @abstractmethod
    def clear(self) -> None:
        """Remove every document."""

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """Group many writes: engines may defer commits until the block ends (rebuilds, benches).

        Outside a ``bulk`` block every write is visible to searches when the call returns.
        """
        yield
        self.refresh()

    def refresh(self) -> None:
        """Make written documents visible to searches (commit / reload); a no-op by default."""
        return None  # engines whose writes are visible at once need nothing here

    @abstractmethod
    def count(self) -> int:
        """How many documents the index holds."""

    @abstractmethod
    def search(self, query: SearchQuery) -> SearchResults:
        """Run a query; must never raise for any well-formed :class:`SearchQuery`."""

    def highlight(
        self, query: SearchQuery, ids: Collection[str], *, first_of: Sequence[str] | None = None
    ) -> dict[str, dict[str, list[str]]]:
        """The highlights ``query`` gives the documents ``ids`` (documents not found are left out).

        With ``first_of`` (field names in order), only the snippet a results page shows: the first
        snippet of the first of those fields that has one (``{field: [snippet]}``, or ``{}``).

        The search service ranks a window of hits, then asks this for the page it shows only. By
        default the query runs again with highlights for these ids; engines that can fetch
        documents by id override it (tantivy) and skip the scoring, facets and other hits.
        """
        if not ids:
            return {}
        wanted = frozenset(ids)
        again = replace(query, facets=(), highlight=True, highlight_ids=wanted)
        found = {h.id: h.highlights for h in self.search(again).hits if h.id in wanted}
        if first_of is None:
            return found
        return {doc_id: _first(marks, first_of) for doc_id, marks in found.items()}


    def highlight_hits(
        self, query: SearchQuery, hits: Sequence[Hit], *, first_of: Sequence[str] | None = None
    ) -> dict[str, dict[str, list[str]]]:
        """:meth:`highlight` for hits this engine returned; engines whose hits carry their stored
        text (:attr:`Hit.source`) make the snippets from it without reading the documents again."""
        return self.highlight(query, [h.id for h in hits], first_of=first_of)


def _first(highlights: dict[str, list[str]], fields: Sequence[str]) -> dict[str, list[str]]:
    name = next((f for f in fields if highlights.get(f)), None)
    return {name: highlights[name][:1]} if name else {}
