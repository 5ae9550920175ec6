"""Template tags of published stories (#16): ``{% story_jsonld story %}`` for the page head."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from mogao.discovery.templatetags.discovery import script_json

register = template.Library()


@register.simple_tag
def story_jsonld(story: Any) -> SafeString:
    """The story's schema.org ``CreativeWork`` as a ``<script type="application/ld+json">`` block."""
    from mogao.stories.jsonld import story_jsonld as build

    if story is None:
        return mark_safe("")
    # Safe: script_json escapes <, > and & so the JSON cannot close the element.
    return mark_safe(f'<script type="application/ld+json">{script_json(build(story))}</script>')
