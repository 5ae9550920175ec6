"""Filters of the story authoring pages (#16)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get(mapping: Any, key: Any) -> Any:
    """``mapping[key]`` or "" (dictionaries with computed keys: a language, a field name)."""
    if isinstance(mapping, dict):
        return mapping.get(key, mapping.get(str(key), ""))
    return ""


@register.filter
def contains(values: Any, value: Any) -> bool:
    """Whether a list of strings holds ``value`` (as a string)."""
    return str(value) in [str(v) for v in (values or [])]
