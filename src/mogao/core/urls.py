"""The public base URL: configured, or the address the current request came to.

:func:`base_url` is the one place absolute links are made from (IIIF ids, citations, sitemaps,
OAI-PMH, the API, exports). When ``MOGAO_BASE_URL`` is set explicitly it always wins. When it is
not, :class:`BaseUrlMiddleware` records the request's own scheme and host (only hosts allowed by
``ALLOWED_HOSTS`` get that far) so that ``mogao serve --port 8123`` gives links on port 8123, and
``localhost`` readers get ``localhost`` links. Outside a request (commands, tasks) the configured
value is used: ``mogao serve`` sets it to the address it binds (``MOGAO_SERVED_URL``).
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponseBase

_request_base: ContextVar[str | None] = ContextVar("mogao_request_base_url", default=None)


def base_url() -> str:
    """The public base URL without a trailing slash."""
    if getattr(settings, "BASE_URL_FROM_REQUEST", False) and (current := _request_base.get()):
        return current
    return str(settings.BASE_URL).rstrip("/")


def absolute(path: str) -> str:
    """``path`` (starting with ``/``) made absolute under :func:`base_url`."""
    return f"{base_url()}{path}"


def request_base(request: HttpRequest) -> str | None:
    """``scheme://host[:port]`` of ``request``, or None when its host is not allowed."""
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    return f"{request.scheme}://{host}"


class BaseUrlMiddleware:
    """Make :func:`base_url` follow the request's own address while it is handled."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        follow = getattr(settings, "BASE_URL_FROM_REQUEST", False)
        token = _request_base.set(request_base(request) if follow else None)
        response = self.get_response(request)
        # A streamed body is built later, in this thread, by the server: it keeps the value (the
        # next request sets its own); any other response restores the previous one.
        if not getattr(response, "streaming", False):
            _request_base.reset(token)
        return response
