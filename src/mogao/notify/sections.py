"""The "Notifications" section of "My Mogao" (registered in ``NotifyConfig.ready``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from mogao.accounts import policy
from mogao.notify.models import Notification

LATEST = 5


def notifications_context(request: HttpRequest) -> dict[str, Any] | None:
    """The unread count and the latest few notifications of the signed-in person."""
    if not getattr(request.user, "is_authenticated", False):
        return None
    mine = policy.scope(request.user, "view", Notification.objects.all())
    return {
        "unread": mine.filter(read_at__isnull=True).count(),
        "latest": list(mine.order_by("-created", "-pk")[:LATEST]),
        "shown": True,
    }
