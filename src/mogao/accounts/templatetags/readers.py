"""``{{ user|reader_name }}``: the name a contribution shows for its author (see mogao.accounts.names)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

from mogao.accounts.names import shown_name

register = template.Library()


@register.filter
def reader_name(user: Any) -> str:
    return shown_name(user)


@register.filter
def bdi(value: Any) -> str:
    """``value`` escaped and isolated in ``<bdi>`` (for names inside translated sentences)."""
    return format_html("<bdi>{}</bdi>", value)
