"""Fixtures of the search tests: a fresh engine per test and the built-in demo, indexed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_search() -> Iterator[None]:
    """Each test starts with an empty engine (memory:// unless it asks for another)."""
    from mogao.search import expand, selectors
    from mogao.search.backends import reset_backend

    reset_backend()
    cache.clear()
    selectors._LABELS.clear()  # a rolled-back test database may repeat a catalogue generation
    expand._cached = None
    expand._signature = None
    yield
    reset_backend()


@pytest.fixture
def demo(db: Any) -> dict[str, int]:
    """The built-in demo, loaded and indexed by the ``demo_loaded`` hook's rebuild.

    The per-record indexing queued for the commit never runs here (the test's transaction never
    commits), which is what the rebuild makes unnecessary.
    """
    from mogao.demo.loader import demo_load

    return demo_load(echo=lambda *_: None)


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks: Any) -> Any:
    """Run on-commit callbacks (the queued indexing) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
