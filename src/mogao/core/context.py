"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from mogao.core.urls import base_url


def site(request: HttpRequest) -> dict[str, Any]:
    from mogao.core import generation

    return {"BASE_URL": base_url(), "catalogue_generation": generation.current}
