"""Template tags for page heads: ``{% jsonld obj %}`` and ``{% opengraph obj %}``."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from mogao.discovery.jsonld import for_object as ld_for_object
from mogao.discovery.opengraph import for_object as og_for_object

register = template.Library()
# JSON inside <script> must not be able to close the element or open a comment.
_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def script_json(data: Any) -> str:
    """JSON safe to embed in an HTML <script> element."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_ESCAPES)


@register.simple_tag
def jsonld(obj: Any) -> SafeString:
    """A ``<script type="application/ld+json">`` block describing ``obj`` (empty for unknown objects)."""
    data = ld_for_object(obj)
    if data is None:
        return mark_safe("")
    # Safe: script_json escapes <, > and & so the JSON cannot close the element.
    return mark_safe(f'<script type="application/ld+json">{script_json(data)}</script>')


@register.simple_tag(takes_context=True)
def opengraph(context: template.Context, obj: Any) -> str:
    """Open Graph and Twitter card ``<meta>`` tags for ``obj`` in the reader's language."""
    tags = og_for_object(obj, language=get_language())
    if not tags:
        return ""
    return render_to_string("discovery/_opengraph.html", {"tags": tags})
