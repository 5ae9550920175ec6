"""A catalogue-wide generation number for caching pages that depend on many records.

Any write to a catalogue or knowledge record bumps the number, so a fragment cached under it
(related items, maps, facets) is never served stale: readers see a change on their next request,
and unchanged pages are rendered once per generation instead of on every request.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

KEY = "mogao:catalogue-generation"
WATCHED_APPS = frozenset({"catalogue", "knowledge"})


def current() -> int:
    """The current generation (created on first use)."""
    value = cache.get(KEY)
    if value is None:
        cache.add(KEY, 1, timeout=None)
        value = cache.get(KEY, 1)
    return int(value)


def bump() -> None:
    """Start a new generation; safe to call often."""
    try:
        cache.incr(KEY)
    except ValueError:
        cache.set(KEY, 2, timeout=None)


@receiver(post_save)
@receiver(post_delete)
def _on_change(sender: Any, **kwargs: Any) -> None:
    if getattr(getattr(sender, "_meta", None), "app_label", None) in WATCHED_APPS:
        # Bump now and again after the commit, so no reader can cache the pre-commit state
        # under the new generation.
        bump()
        transaction.on_commit(bump)
