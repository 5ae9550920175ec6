"""Audience insight (#18): a first-party, cookieless event log, daily rollups, dashboards and open statistics.

Other apps record what readers do with :func:`mogao.audience.record` (``record("search", query=…)``);
nothing is written in the request: events wait in memory and a background flush writes them in batches.
"""

from __future__ import annotations

from typing import Any


def record(kind: str, **fields: Any) -> None:
    """Record one event of ``kind`` (see :data:`mogao.audience.models.KINDS`); never raises, never writes now."""
    from mogao.audience.recorder import record as _record

    _record(kind, **fields)
