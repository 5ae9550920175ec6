"""Pytest plugin (``-p mogao.testing.pytest_plugin``) that isolates every test run.

It must run before pytest-django reads the settings, which happens before any conftest.py is
imported, so it is loaded with ``-p`` from the pytest configuration. Each run — and each
pytest-xdist worker — gets its own ``MOGAO_HOME`` in a temporary folder, so tests never touch a
developer's data, search index or images.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

_base = os.environ.get("MOGAO_TEST_BASE")
if not _base:
    _base = tempfile.mkdtemp(prefix="mogao-test-")
    os.environ["MOGAO_TEST_BASE"] = _base  # inherited by xdist workers
_home = Path(_base) / os.environ.get("PYTEST_XDIST_WORKER", "main")
_home.mkdir(parents=True, exist_ok=True)
os.environ["MOGAO_HOME"] = str(_home)
os.environ.setdefault("MOGAO_TASKS_URL", "immediate://")
os.environ.setdefault("MOGAO_SEARCH_URL", "memory://")
# Audience events are written by an explicit flush() in tests, never by a background thread.
os.environ.setdefault("MOGAO_AUDIENCE_FLUSH_SECONDS", "0")
# Tests name their base URL (and override settings.BASE_URL); links that follow the request's
# host are tested by switching settings.BASE_URL_FROM_REQUEST on, or through a real server.
os.environ.setdefault("MOGAO_BASE_URL", "http://127.0.0.1:8000")

# Fixtures shared by every test package (imported here so that pytest registers them).
from mogao.testing.redis import redis_url  # noqa: E402, F401
from mogao.testing.s3 import s3_server, s3_server_auth  # noqa: E402, F401
from mogao.testing.smtp import smtp_server  # noqa: E402, F401
