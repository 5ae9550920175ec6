"""The machine's Redis for the cache contract tests (#19): one numbered database, flushed before and after.

``MOGAO_TEST_REDIS_URL`` (default ``redis://127.0.0.1:6379/13``) names it; the tests are skipped when it
does not answer. Each pytest-xdist worker takes the next database number so runs never share keys.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from urllib.parse import urlparse, urlunparse

import pytest


def redis_test_url() -> str:
    url = os.environ.get("MOGAO_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    parsed = urlparse(url)
    db = int(parsed.path.strip("/") or 0) + (int(worker) if worker.isdigit() else 0)
    return urlunparse(parsed._replace(path=f"/{db % 16}"))


@pytest.fixture
def redis_url() -> Iterator[str]:
    """A flushed Redis database: yields its ``MOGAO_CACHE_URL``."""
    import redis

    url = redis_test_url()
    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"Redis does not answer at {url}")
    client.flushdb()
    try:
        yield url
    finally:
        client.flushdb()
        client.close()
