"""The "Save" panel and the recommendations slot of an item page."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("saved/_save_panel.html", takes_context=True)
def save_panel(context: Any, item: Any) -> dict[str, Any]:
    from mogao.saved.views import save_context

    return save_context(context["request"], item)


@register.simple_tag(takes_context=True)
def recommendations_on(context: Any) -> bool:
    """Whether the item page asks for the signed-in reader's recommendations."""
    from mogao.saved.recommend import enabled

    return enabled(context["request"].user)
