"""Fixed-window rate limits counted in the database, so every process and worker shares them.

Each hit is one atomic ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` (SQLite ≥ 3.35 and
PostgreSQL), so concurrent requests in several processes never lose a count. Rates read like
``"300/min"``: a number, a slash, and ``s``/``sec``, ``m``/``min``, ``h``/``hour`` or ``d``/``day``.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connection

from mogao.security.models import RateCounter

PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}


@dataclass(frozen=True)
class Decision:
    """Whether a hit is allowed, how many were counted in the window and when it ends."""

    allowed: bool
    count: int
    limit: int
    retry_after: int


def parse_rate(rate: str) -> tuple[int, int]:
    """``"10/min"`` → ``(10, 60)``; a malformed rate raises ``ValueError`` naming it."""
    try:
        number, period = rate.strip().split("/")
        return int(number), PERIODS[period.strip().lower()]
    except (ValueError, KeyError) as exc:
        raise ValueError(f"rate {rate!r} is not like '300/min'") from exc


def hit(scope: str, ident: str, rate: str, *, now: float | None = None) -> Decision:
    """Count one request of ``ident`` in ``scope``; refused once the window holds more than the rate."""
    limit, period = parse_rate(rate)
    now = time.time() if now is None else now
    window = int(now // period)
    digest = hashlib.sha256(ident.encode()).hexdigest()[:32]
    key = f"{scope[:60]}:{period}:{window}:{digest}"
    expires = datetime.fromtimestamp((window + 1) * period, tz=UTC)
    q = connection.ops.quote_name
    table, k, c, e = q(RateCounter._meta.db_table), q("key"), q("count"), q("expires")
    sql = (  # identifiers only are formatted in; values are parameters
        f"INSERT INTO {table} ({k}, {c}, {e}) VALUES (%s, 1, %s) "  # noqa: S608
        f"ON CONFLICT ({k}) DO UPDATE SET {c} = {table}.{c} + 1 RETURNING {c}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [key, connection.ops.adapt_datetimefield_value(expires)])
        row = cursor.fetchone()
    count = int(row[0]) if row else 1
    if count == 1:  # first hit of a window: sweep counters whose window has ended
        ended = datetime.fromtimestamp(now, tz=UTC)
        RateCounter._default_manager.filter(expires__lte=ended).delete()
    retry_after = max(1, int((window + 1) * period - now))
    return Decision(allowed=count <= limit, count=count, limit=limit, retry_after=retry_after)


class RateLimited(Exception):
    """Raised by a service when its caller has used up a rate; the message says what to do."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after
