"""NUL characters in URLs never reach the database (#19).

No URL of Mogao's holds NUL, and PostgreSQL text cannot: a pid or a filter with ``%00`` in it
reached the database and failed there with a 500 (schemathesis found it on the API's
``?cursor=``). Handled here, once, before any view:

- a NUL in the **path** is a 400 (a JSON error in the API's shape under ``/api/``, plain text
  elsewhere);
- a NUL in the **query string** of the API is a 400 naming the parameter (the API's contract);
  on reader pages and OAI-PMH it is removed from the parameters, so the page or the protocol
  answers as it does for any other odd input (the search page's "Please check your search",
  OAI-PMH's own XML errors).

Other control characters are refused per field where they matter (the API's ``NO_CONTROL``
pattern, the search parser).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.utils import translation
from django.utils.translation import gettext as _


def _nul_parameter(request: HttpRequest) -> str | None:
    """The first query parameter holding NUL (in its name or a value), or None."""
    for key, values in request.GET.lists():
        if "\x00" in key or any("\x00" in v for v in values):
            return key.replace("\x00", "") or "query"
    return None


def _without_nul(query: QueryDict) -> QueryDict:
    clean = QueryDict(mutable=True)
    for key, values in query.lists():
        clean.setlist(key.replace("\x00", ""), [v.replace("\x00", "") for v in values])
    clean._mutable = False
    return clean


class RefuseNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        api = request.path.startswith("/api/")
        if "\x00" in request.path:
            return self._refuse(request, "path", api)
        parameter = _nul_parameter(request)
        if parameter is not None:
            if api:
                return self._refuse(request, parameter, api)
            request.GET = _without_nul(request.GET)  # type: ignore[assignment]  # immutable, as Django makes it
        return self.get_response(request)

    @staticmethod
    def _refuse(request: HttpRequest, field: str, api: bool) -> HttpResponse:
        with translation.override(translation.get_language_from_request(request)):  # before LocaleMiddleware
            message = _("must not contain a NUL character")
        if api:
            body = {"detail": f"{field}: {message}", "errors": [{"field": field, "message": message}]}
            return HttpResponse(json.dumps(body), status=400, content_type="application/json")
        return HttpResponseBadRequest(f"{field}: {message}", content_type="text/plain; charset=utf-8")
