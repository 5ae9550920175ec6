"""The "My annotations" section of My Mogao (#15)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from mogao.annotations.models import Annotation


def context(request: HttpRequest) -> dict[str, Any] | None:
    if not request.user.is_authenticated:
        return None
    mine = (Annotation.objects.filter(author=request.user).select_related("canvas__item", "group")
            .order_by("-modified")[:50])
    return {"annotations": list(mine)}
