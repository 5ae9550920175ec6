"""The search page and its as-you-type suggestions: thin adapters over services and selectors."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from mogao.search import grouping, selectors, services
from mogao.search.params import LANGUAGES, MAX_QUERY_LENGTH


def _lang() -> str:
    lang = (get_language() or "en").lower()
    return lang if lang in LANGUAGES else "en"


def _stories(q: str) -> list[Any]:
    """Stories whose text matches ``q`` (#16), shown above the results; none without the app."""
    from django.apps import apps

    if not q or not apps.is_installed("mogao.stories"):
        return []
    from mogao.stories.search import story_cards

    return story_cards(q)


def search(request: HttpRequest) -> HttpResponse:
    """``/search/?q=…``: results, facets, expansions and suggestions; bad input becomes a message."""
    lang = _lang()
    context: dict[str, Any] = {
        "q": request.GET.get("q", "")[: MAX_QUERY_LENGTH],
        "error": None,
    }
    try:
        params = services.params_from_query(request.GET, lang=lang)
        context["params"] = params
        if not params.is_empty:
            page = services.search(params)
            context["page"] = page
            context["stories"] = _stories(params.q)
            context["facets"] = selectors.facet_groups(page.facets, request.GET, lang=lang)
            context["rows"] = grouping.group_translations(selectors.hit_rows(page.hits, lang=lang))
            if page.has_previous:
                context["prev_href"] = selectors.query_string(request.GET, page=params.page - 1)
            if page.has_next:
                context["next_href"] = selectors.query_string(request.GET, page=params.page + 1)
            context["clear_href"] = selectors.query_string({"q": params.q})
    except services.SearchInputError as exc:
        context["error"] = exc
    fragment = bool(getattr(request, "htmx", False))  # false for history restores: whole page
    template = "search/_results.html" if fragment else "search/search.html"
    # htmx swaps only 2xx answers, so a message about bad input is a 200 for it, a 400 otherwise.
    status = 400 if context["error"] is not None and not fragment else 200
    return render(request, template, context, status=status)


def suggest(request: HttpRequest) -> HttpResponse:
    """``/search/suggest?q=``: a short list of titles and names completing what was typed."""
    q = request.GET.get("q", "")
    found = selectors.suggestions(q=q, lang=_lang()) if len(q) <= MAX_QUERY_LENGTH else []
    return render(request, "search/_suggest.html", {"suggestions": found, "q": q})
