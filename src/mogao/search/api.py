"""``/api/v1/search``: the search page's results as JSON (django-ninja router).

Bad input answers 400 in the API's one error shape (:class:`mogao.api.http.ErrorOut`):
``{"detail": "q: too long…", "errors": [{"field": "q", "message": "too long…"}]}``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from mogao.api.http import ErrorOut, request_language
from mogao.search import services

router = Router(tags=["search"])


class HitOut(Schema):
    type: str
    id: str
    url: str
    titles: dict[str, list[str]]
    title: str
    shelfmark: str
    holder: str
    identifiers: dict[str, str]
    year_start: int | None
    year_end: int | None
    date: str
    snippet: str | None
    score: float


class FacetValueOut(Schema):
    value: str
    count: int


class ExpansionOut(Schema):
    text: str
    reason: str


class SuggestionOut(Schema):
    text: str
    url: str
    type: str


class SearchOut(Schema):
    q: str
    lang: str
    total: int
    page: int
    per_page: int
    hits: list[HitOut]
    facets: dict[str, list[FacetValueOut]]
    expansions: list[ExpansionOut]
    suggestions: list[SuggestionOut]
    took_ms: float


class SearchIn(Schema):
    """The query parameters, declared for the OpenAPI document. All are text here on purpose:
    :func:`mogao.search.services.params_from_query` validates them and answers 400 naming the
    field, in the same words as the search page."""

    q: str | None = None
    lang: str | None = None
    type: list[str] = []
    institution: list[str] = []
    collection: list[str] = []
    item_type: list[str] = []
    period: list[str] = []
    language: list[str] = []
    status: list[str] = []
    rights: list[str] = []
    subject: list[str] = []
    work: list[str] = []
    year_from: str | None = None
    year_to: str | None = None
    sort: str | None = None
    page: str | None = None
    per_page: str | None = None


def _hit(h: services.HitView) -> dict[str, Any]:
    return {
        "type": h.doc_type,
        "id": h.pid,
        "url": h.url,
        "titles": h.titles,
        "title": h.title,
        "shelfmark": h.shelfmark,
        "holder": h.holder,
        "identifiers": {"taisho": h.taisho} if h.taisho else {},
        "year_start": h.year_start,
        "year_end": h.year_end,
        "date": h.date,
        "snippet": str(h.snippet) if h.snippet is not None else None,
        "score": h.score,
    }


@router.get(
    "",
    response={200: SearchOut, 400: ErrorOut},
    url_name="search",
    summary="Search items, works, people and places in any script or language",
)
def search(request: HttpRequest, params_in: Query[SearchIn]) -> Status:
    """Query parameters: ``q``, ``lang`` (en, fr, zh-hans, zh-hant), filters ``type``,
    ``institution``, ``collection``, ``item_type``, ``period``, ``language``, ``status``,
    ``rights``, ``subject``, ``work`` (repeatable), ``year_from``/``year_to`` (negative = BCE),
    ``sort`` (relevance, date, -date, shelfmark), ``page``, ``per_page``. An empty ``q`` is
    allowed only with a filter or a year bound."""
    # ``params_in`` documents the parameters; the raw query string is parsed instead so that
    # unknown parameters and repeated values are seen exactly as sent.
    lang = request_language(request)
    try:
        params = services.params_from_query(request.GET, lang=lang, strict=True)
        page = services.search(params)
    except services.SearchInputError as exc:
        return Status(
            400, {"detail": str(exc), "errors": [{"field": exc.field, "message": exc.message}]}
        )
    return Status(
        200,
        {
            "q": params.q,
            "lang": params.lang,
            "total": page.total,
            "page": params.page,
            "per_page": params.per_page,
            "hits": [_hit(h) for h in page.hits],
            "facets": {
                k: [{"value": v.value, "count": v.count} for v in vs]
                for k, vs in page.facets.items()
            },
            "expansions": [{"text": e.text, "reason": e.reason} for e in page.expansions],
            "suggestions": [
                {"text": s.text, "url": s.url, "type": s.doc_type} for s in page.suggestions
            ],
            "took_ms": round(page.took_ms, 2),
        },
    )
