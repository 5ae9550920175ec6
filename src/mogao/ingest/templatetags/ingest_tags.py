"""Template filters of the import pages: server file paths never reach the browser."""

from __future__ import annotations

from django import template

from mogao.ingest.redact import hide_server_paths

register = template.Library()


@register.filter(name="hide_paths")
def hide_paths(value: object) -> str:
    """:func:`mogao.ingest.redact.hide_server_paths` for templates (autoescaping still applies)."""
    return hide_server_paths(value)
