"""Server processes set aside their long-lived objects from the garbage collector (#19)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from mogao.core import collector


@pytest.fixture(autouse=True)
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_settle_sets_aside_what_is_alive() -> None:
    kept = [{"n": i} for i in range(1000)]
    assert collector.settle() >= len(kept)
    assert gc.get_freeze_count() >= len(kept)


def test_what_the_warm_up_built_is_set_aside() -> None:
    built: list[object] = []
    collector.warm_up_then_settle(lambda: built.extend({"n": i} for i in range(1000)))
    assert len(built) == 1000 and gc.get_freeze_count() >= 1000


def test_a_failed_warm_up_still_settles() -> None:
    def fails() -> None:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        collector.warm_up_then_settle(fails)
    assert gc.get_freeze_count() > 0
