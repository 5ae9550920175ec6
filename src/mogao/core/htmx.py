"""``request.htmx`` that keeps caches and browser history honest (replaces django-htmx's middleware).

A view that answers an htmx request with a fragment and other requests with the whole page gives
two bodies for one URL. Two things then go wrong without care: a cache (the browser's own, when
back or reload re-uses the last answer for a pushed URL) can serve the bare fragment as the page,
and htmx's history restore (``HX-History-Restore-Request: true``, also sent with
``HX-Request: true``) swaps whatever it gets into the whole body.

So ``request.htmx`` is false for history restores (they get the whole page), and reading it marks
the response: :func:`htmx_middleware` then adds ``Vary: HX-Request, HX-History-Restore-Request``.
Every view that chooses on ``request.htmx`` is covered without doing anything itself. The pages
also ask htmx (``<meta name="htmx-config">``, no inline script) to keep no snapshots and to
reload on a history miss, see ``core/_htmx_config.html``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.cache import patch_vary_headers
from django_htmx.middleware import HtmxDetails as _BaseDetails

#: The request headers a fragment-or-page answer depends on.
VARY = ("HX-Request", "HX-History-Restore-Request")


class HtmxDetails(_BaseDetails):
    """django-htmx's details; truthy only when the client will swap a fragment into the page."""

    def __init__(self, request: HttpRequest) -> None:
        super().__init__(request)
        self.consulted = False

    def __bool__(self) -> bool:
        self.consulted = True
        return super().__bool__() and not self.history_restore_request


def htmx_middleware(
    get_response: Callable[[HttpRequest], HttpResponseBase],
) -> Callable[[HttpRequest], HttpResponseBase]:
    """Set ``request.htmx``; add ``Vary`` for the htmx headers when the view looked at it."""

    def middleware(request: HttpRequest) -> HttpResponseBase:
        details = HtmxDetails(request)
        request.htmx = details  # type: ignore[attr-defined]
        response = get_response(request)
        if details.consulted:
            patch_vary_headers(response, VARY)
        return response

    return middleware
