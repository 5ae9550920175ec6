"""Template tags of the home page's ways in: ``{% nav_ways %}`` adds registered ways to the main menu."""

from __future__ import annotations

from django import template

from mogao.showcase import explore

register = template.Library()


@register.inclusion_tag("showcase/_nav_ways.html")
def nav_ways() -> dict[str, object]:
    """Ways registered for the navigation whose pages exist (none until, e.g., stories are installed)."""
    return {"links": explore.links(nav=True)}
