"""Requests whose path or query string holds a NUL character are refused with a 400 (#19).

No URL of Mogao's holds NUL, and PostgreSQL text cannot: a pid or a filter with ``%00`` in it
reached the database and failed there with a 500 (schemathesis found it on ``?cursor=``). Refused
here, once, before any view: a JSON error in the API's shape under ``/api/`` (naming the query
parameter, or ``path``), a plain-text 400 elsewhere. Other control characters are refused per
field where they matter (the API's ``NO_CONTROL`` pattern, the search parser).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import translation
from django.utils.translation import gettext as _


def _nul_field(request: HttpRequest) -> str | None:
    """``"path"`` or the first query parameter holding NUL, or None."""
    if "\x00" in request.path:
        return "path"
    for key, values in request.GET.lists():
        if "\x00" in key or any("\x00" in v for v in values):
            return key.replace("\x00", "") or "query"
    return None


class RefuseNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        field = _nul_field(request)
        if field is None:
            return self.get_response(request)
        with translation.override(translation.get_language_from_request(request)):  # before LocaleMiddleware
            message = _("must not contain a NUL character")
        if request.path.startswith("/api/"):
            body = {"detail": f"{field}: {message}", "errors": [{"field": field, "message": message}]}
            return HttpResponse(json.dumps(body), status=400, content_type="application/json")
        return HttpResponseBadRequest(f"{field}: {message}", content_type="text/plain; charset=utf-8")
