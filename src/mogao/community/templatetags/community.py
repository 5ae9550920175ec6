"""``{% reactions obj %}``: the reactions widget of an item, a page or any registered target (#15)."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from mogao.community import reactions
from mogao.community.models import ReactionKind

register = template.Library()


def reactions_context(request: HttpRequest, obj: Any, next_url: str | None = None) -> dict[str, Any]:
    """What ``community/_reactions.html`` shows: counts, the reader's own, where to come back to."""
    key = reactions.target_key(obj)
    if key is None:
        return {"reaction_target": None}
    if not next_url or not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = request.get_full_path() if request.method == "GET" and not getattr(request, "htmx", False) \
            else reactions.TARGETS[key].url(obj)
    counted = reactions.counts(obj)
    own = reactions.mine(request.user, obj)
    return {
        "request": request,
        "reaction_target": obj,
        "reaction_key": key,
        "reaction_url": reverse("community:react", args=[key, obj.pk]),
        "reaction_kinds": [{"value": kind.value, "label": kind.label, "count": counted[kind.value],
                            "mine": kind.value in own} for kind in ReactionKind],
        "reaction_next": next_url,
        "signed_in": request.user.is_authenticated,
    }


@register.inclusion_tag("community/_reactions.html", takes_context=True)
def reactions_for(context: template.Context, obj: Any) -> dict[str, Any]:
    request = context.get("request")
    if request is None or obj is None:
        return {"reaction_target": None}
    return reactions_context(request, obj)
