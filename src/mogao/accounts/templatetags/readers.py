"""``{{ user|reader_name }}``: the name a contribution shows for its author (see mogao.accounts.names)."""

from __future__ import annotations

from typing import Any

from django import template

from mogao.accounts.names import shown_name

register = template.Library()


@register.filter
def reader_name(user: Any) -> str:
    return shown_name(user)
