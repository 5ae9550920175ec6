"""System checks: the search URL names a known engine, and (with ``--database``) the engine runs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.core import checks


@checks.register()
def search_url_check(app_configs: Sequence[AppConfig] | None = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """``MOGAO_SEARCH_URL`` must name a known engine; this never connects to anything."""
    from urllib.parse import urlparse

    from django.conf import settings

    from mogao.search.backends import SCHEMES

    url = str(getattr(settings, "SEARCH_URL", "") or "tantivy://")
    if urlparse(url).scheme.lower() not in SCHEMES:
        return [
            checks.Error(
                f"MOGAO_SEARCH_URL: unknown search engine {url!r}.",
                hint="Use tantivy://, postgres:// or memory://.",
                id="mogao.search.E001",
            )
        ]
    return []


@checks.register(checks.Tags.database)
def search_backend_check(app_configs: Sequence[AppConfig] | None = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Each problem the configured engine's ``check()`` reports (opens the index / connects).

    Tagged ``database`` like Django's own connecting checks: it runs with
    ``check --database default`` and before ``migrate``, never on a plain ``check``.
    """
    from mogao.search.backends import BackendError, get_backend

    try:
        backend = get_backend()
    except (BackendError, ValueError):
        return []  # reported by search_url_check
    problems: list[checks.CheckMessage] = [
        checks.Error(problem, hint=f"Search engine: {backend.name}.", id="mogao.search.E002")
        for problem in backend.check()
    ]
    if problems:
        return problems
    # degradations the engine still runs with (postgres without the RUM extension)
    degraded = getattr(backend, "warnings", None)
    return [
        checks.Warning(
            message,
            hint="Install the rum extension (Debian: postgresql-15-rum) and let the search user create it; "
            "see docs/search.md.",
            id="mogao.search.W001",
        )
        for message in (degraded() if callable(degraded) else [])
    ]
