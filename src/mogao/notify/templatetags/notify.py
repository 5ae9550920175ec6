"""``{% notify_badge %}``: the unread count in the site header, for signed-in people only (#17)."""

from __future__ import annotations

from typing import Any

from django import template

from mogao.notify import services

register = template.Library()


@register.inclusion_tag("notify/_badge.html", takes_context=True)
def notify_badge(context: dict[str, Any]) -> dict[str, Any]:
    """One COUNT query for a signed-in person; none for anonymous readers."""
    user = context.get("user")
    if user is None or not getattr(user, "is_authenticated", False):
        return {"unread": 0}
    return {"unread": services.unread_count(user)}
