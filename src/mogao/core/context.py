"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    from mogao.core import generation

    return {"BASE_URL": settings.BASE_URL, "catalogue_generation": generation.current}
