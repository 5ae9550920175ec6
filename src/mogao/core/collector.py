"""The cyclic garbage collector in a server process: long-lived objects set aside once built (#19).

A server process holds about a million objects that live as long as it does: Django's modules,
and the search dictionaries that :func:`mogao.search.services.warm_up` builds (CC-CEDICT's tables
alone are most of them). Python's collector scans every tracked object in a full (generation 2)
collection, and such a collection runs every few seconds under load, holding the GIL: measured in
``mogao serve`` under 100 readers, 0.5 to 2 s during which none of the process's threads answered
anyone, which was the item page's whole latency tail (bench/readers). :func:`settle` moves every
object alive at that moment to the collector's permanent generation, which it never scans (they
are still freed by reference counting); full collections then scan only what requests left
behind, a few milliseconds.

``mogao serve``'s processes settle once Django is loaded and again once the warm-up has built the
dictionaries (:mod:`mogao.site.wsgi`). Objects set aside are never collected as cycles: settling
is for what lives as long as the process, which is why it runs at those two moments only.
"""

from __future__ import annotations

import gc
from collections.abc import Callable


def settle() -> int:
    """Set aside every object alive now (``gc.freeze()``); returns how many the collector now skips."""
    gc.freeze()
    return gc.get_freeze_count()


def warm_up_then_settle(warm_up: Callable[[], object]) -> None:
    """Run ``warm_up()`` then :func:`settle` what it built (even if it failed)."""
    try:
        warm_up()
    finally:
        settle()
