"""The "My Mogao" sections of saved collections (registered in ``SavedConfig.ready``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from mogao.saved import selectors
from mogao.saved.recommend import enabled


def collections_context(request: HttpRequest) -> dict[str, Any] | None:
    if not getattr(request.user, "is_authenticated", False):
        return None
    return {"collections": selectors.my_collections(request.user)}


def recommendations_context(request: HttpRequest) -> dict[str, Any] | None:
    """The section is always there for a signed-in reader (it holds the on/off switch); the list
    itself loads with htmx so "My Mogao" does not wait for it."""
    if not getattr(request.user, "is_authenticated", False):
        return None
    return {"recommendations_enabled": enabled(request.user), "next": request.get_full_path()}
