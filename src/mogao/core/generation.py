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

A second counter, :data:`READERS` (row 2 of the same table, or its own cache key), is raised by what
readers add beside the catalogue (comments, reactions, digitization requests, accounts): the cached
item page of anonymous readers (:mod:`mogao.catalogue.pagecache`) lives with both numbers (#19).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.dispatch import receiver

from mogao.core.changes import ChangeSet, changes_committed

KEY = "mogao:catalogue-generation"
CATALOGUE, READERS = 1, 2  #: the two counters (their rows in TABLE)
TABLE = "mogao_catalogue_generation"  # made by core's migration 0001, one row
_LOCAL_BACKENDS = ("LocMemCache", "DummyCache")


def _shared_cache() -> bool:
    backend = str(settings.CACHES.get("default", {}).get("BACKEND", ""))
    return not backend.endswith(_LOCAL_BACKENDS)


def cache_is_shared() -> bool:
    """True when the default cache is shared by every process (Redis), not one process's memory."""
    return _shared_cache()


def _key(counter: int) -> str:
    return KEY if counter == CATALOGUE else f"{KEY}:{counter}"


def current(counter: int = CATALOGUE) -> int:
    """The current generation (of the catalogue unless ``counter`` names another)."""
    if _shared_cache():
        value = cache.get(_key(counter))
        if value is None:
            cache.add(_key(counter), 1, timeout=None)
            value = cache.get(_key(counter), 1)
        return int(value)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {TABLE} WHERE id = %s", [counter])  # noqa: S608 - a constant name
        row = cursor.fetchone()
    return int(row[0]) if row else 1


def both() -> tuple[int, int]:
    """(catalogue, readers) generations in one read (one query, or one cache round trip)."""
    if _shared_cache():
        found = cache.get_many([KEY, _key(READERS)])
        if len(found) < 2:
            return current(CATALOGUE), current(READERS)
        return int(found[KEY]), int(found[_key(READERS)])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, value FROM {TABLE} WHERE id IN (%s, %s)",  # noqa: S608 - a constant name
                       [CATALOGUE, READERS])
        values = dict(cursor.fetchall())
    return int(values.get(CATALOGUE, 1)), int(values.get(READERS, 1))


def bump(counter: int = CATALOGUE) -> None:
    """Start a new generation (of the catalogue unless ``counter`` names another) in every process."""
    if _shared_cache():
        try:
            cache.incr(_key(counter))
        except ValueError:
            cache.set(_key(counter), 2, timeout=None)
        return
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET value = value + 1 WHERE id = %s", [counter])  # noqa: S608
        if cursor.rowcount:
            return
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {TABLE} (id, value) VALUES (%s, 2)", [counter])  # noqa: S608
    except IntegrityError:  # another process created it meanwhile
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {TABLE} SET value = value + 1 WHERE id = %s", [counter])  # noqa: S608


@receiver(changes_committed, dispatch_uid="core-generation")
def on_changes(sender: Any, changes: ChangeSet, **kwargs: Any) -> None:
    bump()
