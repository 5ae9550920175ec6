"""``/api/v1/search``: the search page's results as JSON (django-ninja router).

Bad input answers 400 in the API's one error shape (:class:`mogao.api.http.ErrorOut`):
``{"detail": "q: too long…", "errors": [{"field": "q", "message": "too long…"}]}``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import BaseModel

from mogao.api.http import ErrorOut, request_language
from mogao.search import services

router = Router(tags=["search"])


class HitOut(BaseModel):
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


class FacetValueOut(BaseModel):
    value: str
    count: int


class ExpansionOut(BaseModel):
    text: str
    reason: str


class SuggestionOut(BaseModel):
    text: str
    url: str
    type: str


# The output models are plain pydantic models, not ninja ``Schema``s (whose validator wraps every
# nested value to read Django objects): the view validates its dict once and ninja only dumps
# the model, a small part of the cost on a 20-hit page (#14).
class SearchOut(BaseModel):
    q: str
    lang: str
    total: int
    page: int
    per_page: int
    hits: list[HitOut]
    facets: dict[str, list[FacetValueOut]]
    #: ``total`` and the facet counts are estimates from a sample of the hits (PostgreSQL engine,
    #: many hits): "about 38,000 results"
    total_approximate: bool = False
    facets_approximate: bool = False
    expansions: list[ExpansionOut]
    suggestions: list[SuggestionOut]
    #: which stage answered: "all" words, else "most" of them, else "any" of them
    stage: str
    #: the reader's message for a fallback stage ("" when every word was found)
    stage_message: str
    took_ms: float


Text = Annotated[str, Field(max_length=200, pattern=r"^[^\x00-\x1f\x7f-\x9f]*$")]
Values = Annotated[list[Text], Field(max_length=20)]


class SearchParamsDoc(Schema):
    """The query parameters as the OpenAPI document declares them (types, bounds, patterns).

    This model only documents: the service validates the raw query string itself, so that every
    refusal is a 400 naming the field in the search page's own words. Two rules cross parameters
    and cannot be declared here: an empty ``q`` needs a filter or a year bound, and ``year_from``
    may not be after ``year_to``. Unknown parameters are refused too.
    """

    q: Annotated[str, Field(max_length=500, pattern=r"^[^\x00-\x1f\x7f-\x9f]*$")] | None = None
    lang: Literal["en", "fr", "zh-hans", "zh-hant"] | None = None
    type: Annotated[list[Literal["item", "work", "person", "place"]], Field(max_length=20)] = []
    institution: Values = []
    collection: Values = []
    item_type: Values = []
    period: Values = []
    language: Values = []
    status: Values = []
    rights: Values = []
    subject: Values = []
    work: Values = []
    year_from: Annotated[int, Field(ge=-5000, le=2200)] | None = None
    year_to: Annotated[int, Field(ge=-5000, le=2200)] | None = None
    sort: Literal["relevance", "date", "-date", "shelfmark"] | None = None
    page: Annotated[int, Field(ge=1, le=500)] | None = None
    per_page: Annotated[int, Field(ge=1, le=100)] | None = None


def _openapi_parameters() -> list[dict[str, Any]]:
    """OpenAPI query parameters generated from :class:`SearchParamsDoc`."""
    schema = SearchParamsDoc.model_json_schema(ref_template="#/$defs/{model}")
    out = []
    for name, prop in schema["properties"].items():
        prop = dict(prop)
        prop.pop("title", None)
        options = [o for o in prop.pop("anyOf", []) if o.get("type") != "null"]
        if options:  # "X or null": an absent parameter already says null
            prop.update(options[0])
        if prop.get("default") is None:
            prop.pop("default", None)
        param: dict[str, Any] = {"in": "query", "name": name, "required": False, "schema": prop}
        if prop.get("type") == "array":
            param.update(style="form", explode=True)
        out.append(param)
    return out


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
    openapi_extra={"parameters": _openapi_parameters()},
    summary="Search items, works, people and places in any script or language",
)
def search(request: HttpRequest) -> Status:
    """Query parameters: ``q``, ``lang`` (en, fr, zh-hans, zh-hant), filters ``type``,
    ``institution``, ``collection``, ``item_type``, ``period``, ``language``, ``status``,
    ``rights``, ``subject``, ``work`` (repeatable), ``year_from``/``year_to`` (negative = BCE),
    ``sort`` (relevance, date, -date, shelfmark), ``page``, ``per_page``. An empty ``q`` is
    allowed only with a filter or a year bound."""
    # The raw query string is parsed so that unknown parameters and repeated values are seen
    # exactly as sent; SearchParamsDoc only documents them.
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
        SearchOut.model_validate({
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
            "total_approximate": page.total_approximate,
            "facets_approximate": page.facets_approximate,
            "expansions": [{"text": e.text, "reason": e.reason} for e in page.expansions],
            "suggestions": [
                {"text": s.text, "url": s.url, "type": s.doc_type} for s in page.suggestions
            ],
            "stage": page.stage,
            "stage_message": page.stage_message,
            "took_ms": round(page.took_ms, 2),
        }),
    )
