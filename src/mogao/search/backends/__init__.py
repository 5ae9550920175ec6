"""The search engine chosen by ``SEARCH_URL``, loaded lazily and cached per process.

``tantivy://`` (embedded default, index in ``HOME/search`` or at ``tantivy:///abs/path``),
``postgres://`` (the default Django database when it is PostgreSQL, or the URL's database) and
``memory://`` (the test double). Engines are imported only when chosen and never connect at
import time.
"""

from __future__ import annotations

import threading
from urllib.parse import urlparse

from mogao.search.backends.base import SearchBackend

SCHEMES: dict[str, str] = {
    "tantivy": "mogao.search.backends.tantivy_backend.TantivyBackend",
    "postgres": "mogao.search.backends.postgres.PostgresBackend",
    "postgresql": "mogao.search.backends.postgres.PostgresBackend",
    "memory": "mogao.search.backends.memory.MemoryBackend",
}

_lock = threading.Lock()
_cache: dict[str, SearchBackend] = {}


class BackendError(ValueError):
    """The search URL names no known engine."""


def _configured_url() -> str:
    from django.conf import settings

    return str(getattr(settings, "SEARCH_URL", "") or "tantivy://")


def load_backend(url: str) -> SearchBackend:
    """A new engine for ``url`` (not cached); raises :class:`BackendError` for unknown schemes."""
    scheme = urlparse(url).scheme.lower()
    target = SCHEMES.get(scheme)
    if target is None:
        known = ", ".join(sorted({f"{s}://" for s in SCHEMES}))
        raise BackendError(f"MOGAO_SEARCH_URL: unknown search engine {url!r} (known: {known})")
    from django.utils.module_loading import import_string

    cls = import_string(target)
    backend: SearchBackend = cls(url)
    return backend


def get_backend(url: str | None = None) -> SearchBackend:
    """The engine for ``url`` (default: ``settings.SEARCH_URL``), one instance per process."""
    key = url or _configured_url()
    with _lock:
        backend = _cache.get(key)
        if backend is None:
            backend = _cache[key] = load_backend(key)
        return backend


def reset_backend() -> None:
    """Forget cached engines (tests; after settings change). Open resources are closed."""
    with _lock:
        backends = list(_cache.values())
        _cache.clear()
    for backend in backends:
        close = getattr(backend, "close", None)
        if callable(close):
            close()


__all__ = ["BackendError", "SearchBackend", "get_backend", "load_backend", "reset_backend"]
