"""The 404 and 500 pages in the site's layout, in the reader's language, with the navigation.

The 500 page is rendered without context processors (no session, messages or user: nothing that
could touch the database that may be the very thing failing); the language chosen by
``LocaleMiddleware`` is still active when Django calls the handler.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, HttpResponseServerError
from django.middleware.csrf import get_token
from django.template import loader


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    body = loader.render_to_string("404.html", {"request_path": request.path}, request=request)
    return HttpResponseNotFound(body)


def server_error(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"request": request, "error_page": True}
    try:
        context["csrf_token"] = get_token(request)
    except Exception:
        context["csrf_token"] = ""
    body = loader.render_to_string("500.html", context)
    return HttpResponseServerError(body)
