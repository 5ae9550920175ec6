"""A catalogue-wide generation number for caching pages that depend on many records.

Every committed change announced on the change channel (:mod:`mogao.core.changes`) raises the
number, so a fragment cached under it (related items, maps, facets) is never served stale: readers
see a change on their next request, and unchanged pages are rendered once per generation instead
of on every request.

The number is shared by every process (the web server, the task worker, a ``mogao`` command): it
lives in the configured cache when that cache is shared (``MOGAO_CACHE_URL`` is redis), else in
the database (one row of ``mogao_catalogue_generation``, raised with an atomic
``UPDATE ... SET value = value + 1``). The
local-memory cache is never used for it: a worker's write would not reach the web process.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.dispatch import receiver

from mogao.core.changes import ChangeSet, changes_committed

KEY = "mogao:catalogue-generation"
TABLE = "mogao_catalogue_generation"  # made by core's migration 0001, one row
_LOCAL_BACKENDS = ("LocMemCache", "DummyCache")


def _shared_cache() -> bool:
    backend = str(settings.CACHES.get("default", {}).get("BACKEND", ""))
    return not backend.endswith(_LOCAL_BACKENDS)


def cache_is_shared() -> bool:
    """True when the default cache is shared by every process (Redis), not one process's memory."""
    return _shared_cache()


def current() -> int:
    """The current generation."""
    if _shared_cache():
        value = cache.get(KEY)
        if value is None:
            cache.add(KEY, 1, timeout=None)
            value = cache.get(KEY, 1)
        return int(value)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {TABLE} WHERE id = 1")  # noqa: S608 - a constant name
        row = cursor.fetchone()
    return int(row[0]) if row else 1


def bump() -> None:
    """Start a new generation in every process; safe to call often."""
    if _shared_cache():
        try:
            cache.incr(KEY)
        except ValueError:
            cache.set(KEY, 2, timeout=None)
        return
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET value = value + 1 WHERE id = 1")  # noqa: S608 - a constant name
        if cursor.rowcount:
            return
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {TABLE} (id, value) VALUES (1, 2)")  # noqa: S608 - a constant name
    except IntegrityError:  # another process created it meanwhile
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {TABLE} SET value = value + 1 WHERE id = 1")  # noqa: S608


@receiver(changes_committed, dispatch_uid="core-generation")
def on_changes(sender: Any, changes: ChangeSet, **kwargs: Any) -> None:
    bump()
