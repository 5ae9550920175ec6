"""Content-Security-Policy on every response, with a fresh nonce per request.

A small middleware rather than django-csp: Mogao needs one fixed policy, one nonce and nothing to
configure, and the whole policy is readable here. Templates give inline ``<script>`` and
``<style>`` elements ``nonce="{{ request.csp_nonce }}"``; everything else is a static file.

The policy:

- ``default-src 'self'``; scripts only from this site or with the nonce — no ``'unsafe-inline'``
  and no ``'unsafe-eval'`` (htmx's ``hx-on`` and ``eval`` are off: see ``htmx-config`` in base.html);
- ``style-src 'self' 'nonce-…'`` for ``<style>`` elements, and ``style-src-attr 'unsafe-inline'``
  for ``style="…"`` attributes only: the timeline places its labels with them and Mirador, Leaflet,
  ECharts and OpenSeadragon set styles on the elements they draw. A style attribute cannot run
  script, and elements still cannot load a stylesheet from elsewhere;
- ``img-src 'self' data: blob:`` (OpenSeadragon and Mirador draw tiles through blob: and data: URLs);
- ``frame-ancestors 'none'`` as ``X-Frame-Options: DENY`` already says (``'self'`` for views marked
  ``xframe_options_sameorigin``, any for ``xframe_options_exempt``); ``object-src 'none'``,
  ``base-uri 'self'``, ``form-action 'self'``;
- a view may widen it with :func:`csp_override` (the comparison workspace does, for Mirador), and so
  may a template tag through ``request.csp_override``. The annotation editor needs no widening:
  Mogao builds Annotorious with PixiJS's eval-free shader path (docs/annotations.md).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

HEADER = "Content-Security-Policy"


def csp_override(**directives: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Replace directives for one view's responses: ``@csp_override(img_src="'self' https:")``.

    Use sparingly and say why next to the view; the rest of the policy stays as it is.
    """
    replaced = {name.replace("_", "-"): value for name, value in directives.items()}

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = view(request, *args, **kwargs)
            response.csp_override = replaced  # type: ignore[attr-defined]
            return response

        return wrapped

    return decorate


def policy(nonce: str, *, frame_ancestors: str = "'none'", override: dict[str, str] | None = None) -> str:
    """The policy for one response, with its nonce."""
    directives = {
        "default-src": "'self'",
        "script-src": f"'self' 'nonce-{nonce}'",
        "style-src": f"'self' 'nonce-{nonce}'",
        "style-src-attr": "'unsafe-inline'",
        "img-src": "'self' data: blob:",
        "font-src": "'self' data:",
        "connect-src": "'self'",
        "worker-src": "'self' blob:",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": frame_ancestors,
    }
    directives.update(override or {})
    return "; ".join(f"{name} {value}" for name, value in directives.items())


class ContentSecurityPolicyMiddleware:
    """Gives each request ``request.csp_nonce`` and each response the policy using it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = SimpleLazyObject(lambda: secrets.token_urlsafe(18))
        request.csp_nonce = nonce  # type: ignore[attr-defined]
        response = self.get_response(request)
        if HEADER in response or getattr(response, "csp_exempt", False):
            return response
        if getattr(response, "xframe_options_exempt", False):
            frame = "*"
        elif response.get("X-Frame-Options", "").upper() == "SAMEORIGIN":
            frame = "'self'"
        else:
            frame = "'none'"
        # A view (``response.csp_override``) or a template tag that adds a component to the page
        # (``request.csp_override``, e.g. the annotation editor, #15) may widen the policy.
        override = getattr(response, "csp_override", None) or getattr(request, "csp_override", None)
        response[HEADER] = policy(str(nonce), frame_ancestors=frame, override=override)
        return response
