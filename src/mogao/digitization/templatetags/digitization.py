"""``{% digitization_panel item %}``: on an item page, the request state and the request/join form."""

from __future__ import annotations

from typing import Any

from django import template

from mogao.digitization.forms import RequestForm, range_value
from mogao.digitization.models import OPEN, Request, RequestReader

register = template.Library()


@register.inclusion_tag("digitization/_item_panel.html", takes_context=True)
def digitization_panel(context: template.Context, item: Any) -> dict[str, Any]:
    from mogao.accounts import policy
    from mogao.digitization.selectors import readers_of
    from mogao.digitization.services import availability

    request = context.get("request")
    user = getattr(request, "user", None)
    state = availability(item)
    if state.online:
        return {"show": False}
    open_requests = list(Request.objects.filter(item=item, status__in=OPEN).order_by("first_canvas"))
    mine = set()
    if user is not None and user.is_authenticated:
        mine = set(RequestReader.objects.filter(request__in=open_requests, user_id=user.pk)
                   .values_list("request_id", flat=True))
    rows = [{"req": r, "readers": readers_of(r), "mine": r.pk in mine} for r in open_requests]
    asked = {(r.first_canvas, r.last_canvas) for r in open_requests if r.pk in mine}
    wanted = [rng for rng in state.ranges if rng not in asked]
    can_request = bool(user is not None and policy.can(user, "request", item))
    form = RequestForm(ranges=wanted, initial={"pages": range_value(*wanted[0])}) if wanted and can_request else None
    return {
        "show": True, "item": item, "csrf_token": context.get("csrf_token"), "state": state, "rows": rows,
        "form": form, "request": request,
        "signed_in": bool(user is not None and user.is_authenticated), "whole": state.ranges == [(0, 0)],
    }
