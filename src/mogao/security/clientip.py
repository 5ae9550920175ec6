"""The client's address, from ``REMOTE_ADDR`` or the trusted part of ``X-Forwarded-For``.

``MOGAO_PROXY_DEPTH`` is how many reverse proxies in front of Mogao append to
``X-Forwarded-For``. With 0 (the default) the header is ignored: anyone can send it. With N, the
N-th address from the right is the one the outermost trusted proxy saw; addresses to its left were
written by the client and are never used.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The address to key limits and lockouts on; None when the request has none (e.g. made in code)."""
    remote = _valid(str(request.META.get("REMOTE_ADDR", "")))
    depth = int(getattr(settings, "PROXY_DEPTH", 0))
    if depth <= 0:
        return remote
    forwarded = [part for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",") if part.strip()]
    if len(forwarded) < depth:
        return remote  # the request did not pass through every proxy: the socket peer is the client
    return _valid(forwarded[-depth]) or remote
