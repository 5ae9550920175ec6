"""System checks of the deployment settings (#19): the storage, cache and task URLs name known backends.

Like ``mogao.search.E001`` they never connect to anything; ``/readyz`` is what reaches the services.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlparse

from django.apps import AppConfig
from django.conf import settings
from django.core import checks

from mogao.core.storage import StorageUrlError, storage_backend

CACHE_SCHEMES = ("locmem", "redis", "rediss")


@checks.register()
def storage_url_check(app_configs: Sequence[AppConfig] | None = None, **kwargs: Any) -> list[checks.CheckMessage]:
    url = str(getattr(settings, "STORAGE_URL", "") or "")
    try:
        storage_backend(url, settings.HOME)
    except StorageUrlError as exc:
        return [checks.Error(
            f"MOGAO_STORAGE_URL: {exc}.",
            hint="Use file:// (the default, MOGAO_HOME/media), file:///abs/dir or "
                 "s3://bucket?endpoint=http://host:port&region=name.",
            id="mogao.core.E001",
        )]
    return []


@checks.register()
def cache_url_check(app_configs: Sequence[AppConfig] | None = None, **kwargs: Any) -> list[checks.CheckMessage]:
    url = str(getattr(settings, "CACHE_URL", "") or "locmem://")
    if urlparse(url).scheme.lower() not in CACHE_SCHEMES:
        return [checks.Error(
            f"MOGAO_CACHE_URL: unknown cache {url!r}.",
            hint="Use locmem:// (one process) or redis://host:6379/0 (shared by every process and node).",
            id="mogao.core.E002",
        )]
    return []


@checks.register()
def tasks_url_check(app_configs: Sequence[AppConfig] | None = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from mogao.core.taskqueue import BROKER_SCHEMES, SCHEMES, masked

    url = str(getattr(settings, "TASKS_URL", "") or "database://")
    kind = urlparse(url).scheme.lower()
    hint = ("Use database:// (the default: the worker inside `mogao serve`), amqp://user:pass@host:5672// "
            "(RabbitMQ) or redis://host:6379/0 (Redis), both run by `mogao worker`.")
    if kind not in SCHEMES:
        return [checks.Error(f"MOGAO_TASKS_URL: unknown task queue {masked(url)!r}.", hint=hint, id="mogao.core.E003")]
    if kind in BROKER_SCHEMES:
        from importlib import metadata

        try:
            metadata.version("celery")
        except metadata.PackageNotFoundError:
            return [checks.Error(
                f"MOGAO_TASKS_URL: {kind}:// needs Celery, which is not installed.",
                hint="pip install 'mogao[broker]' (or celery[redis]), or use database://.",
                id="mogao.core.E004",
            )]
    return []
