"""``{% comments obj %}``: the comments section of an item, a work or any registered target."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from mogao.discussion.sections import section_context

register = template.Library()


@register.simple_tag(takes_context=True)
def comments(context: Any, target: Any) -> SafeString:
    request = context.get("request")
    if request is None or target is None:
        return SafeString("")
    return render_to_string("discussion/_section.html", section_context(request, target), request=request)
