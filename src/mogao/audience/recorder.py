"""Record events without writing in the request: a per-process buffer, flushed in batches.

:func:`record` appends a small dict to the buffer (a few microseconds); a daemon thread started on
the first event wakes every ``MOGAO_AUDIENCE_FLUSH_SECONDS`` (or when a batch is full) and writes
the buffer with one ``bulk_create``; :func:`flush` does the same at once (tests, process exit).
Target names (item and work public ids, canvas ids) and queries are resolved and folded at flush
time, off the request.

What is known about the request comes from :class:`Visit`, set by
:class:`mogao.audience.middleware.AudienceMiddleware` for the time of a request: the interface
language, a region from Accept-Language, the client type and a visit hash — blake2b of the network
address and user agent with a salt of the day that lives only in the cache (never in the
database) and expires with the day. The address and agent themselves are never kept. A request
that sends ``DNT: 1`` or ``Sec-GPC: 1`` records nothing.
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import re
import secrets
import threading
import time
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone, translation

logger = logging.getLogger(__name__)

#: Fields callers may pass to :func:`record`; anything else is dropped (never an account or address).
FIELDS = frozenset({
    "query", "results", "stage", "page", "rank", "target_type", "target_id", "item_id", "institution_id",
    "detail", "item_pid", "work_pid", "language",
})
BATCH = 500
#: Bound of the buffer: when the database is away, older events are dropped rather than memory grown.
MAX_BUFFER = 100_000

_BOT = re.compile(r"bot|crawl|spider|slurp|archiver|facebookexternalhit|preview", re.I)
_SCRIPT = re.compile(r"python|curl|wget|java/|go-http|okhttp|httpx|aiohttp|libwww|perl|ruby|php|node-fetch|axios", re.I)
_HARVESTER = re.compile(r"harvest|oai|jhove|repox|metha", re.I)


@dataclass
class Visit:
    """What a request says about its reader, reduced to what may be kept.

    The region, client type and visit hash are worked out on the first event of the request only
    (most requests record nothing); the request is dropped as soon as they are.
    """

    suppressed: bool = False
    request: Any = field(default=None, repr=False)
    _resolved: tuple[str, str, str] | None = field(default=None, repr=False)

    def _resolve(self) -> tuple[str, str, str]:
        if self._resolved is None:
            region = client = visit = ""
            if self.request is not None:
                from mogao.security.clientip import client_ip

                headers = self.request.headers
                agent = headers.get("User-Agent", "")[:400]
                region = region_of(headers.get("Accept-Language", "")[:200])
                client = client_type(agent)
                visit = visit_hash(client_ip(self.request) or "", agent, _day())
            self._resolved, self.request = (region, client, visit), None
        return self._resolved

    @property
    def region(self) -> str:
        return self._resolve()[0]

    @property
    def client(self) -> str:
        return self._resolve()[1]

    @property
    def visit(self) -> str:
        return self._resolve()[2]


_current: ContextVar[Visit | None] = ContextVar("mogao_audience_visit", default=None)
_buffer: list[dict[str, Any]] = []
_lock = threading.Lock()
#: Held for a whole flush, so that ``flush()`` returns only once every event buffered before it was
#: called is written, including a batch the background thread took a moment earlier.
_flushing = threading.Lock()
_wake = threading.Event()
_thread: threading.Thread | None = None
_salt: tuple[date, str] | None = None


def enabled() -> bool:
    return bool(settings.AUDIENCE_ENABLED)


def client_type(agent: str) -> str:
    """browser, bot, harvester, script or other: all that is kept of a user agent."""
    if not agent:
        return "other"
    if _BOT.search(agent):
        return "bot"
    if _HARVESTER.search(agent):
        return "harvester"
    if _SCRIPT.search(agent):
        return "script"
    return "browser" if agent.startswith("Mozilla/") else "other"


def region_of(accept_language: str) -> str:
    """The region of the first language range that names one (``fr-CA`` → ``CA``), else empty."""
    for part in accept_language.split(",")[:8]:
        tag = part.split(";", 1)[0].strip()
        bits = tag.replace("_", "-").split("-")
        for bit in bits[1:]:
            if len(bit) == 2 and bit.isalpha():
                return bit.upper()
            if len(bit) == 3 and bit.isdigit():
                return bit
    return ""


def suppressed(headers: Any) -> bool:
    """Do-Not-Track or Global Privacy Control asked for no recording."""
    return headers.get("DNT", "").strip() == "1" or headers.get("Sec-GPC", "").strip() == "1"


def _salt_of(day: date) -> str:
    """The secret of ``day``: shared by processes through the cache, gone with the day."""
    global _salt
    if _salt is not None and _salt[0] == day:
        return _salt[1]
    from django.core.cache import cache

    midnight = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=timezone.get_current_timezone())
    ttl = max(60, int((midnight - timezone.now()).total_seconds()))
    value = cache.get_or_set(f"mogao:audience:salt:{day.isoformat()}", secrets.token_hex(16), timeout=ttl)
    _salt = (day, str(value))
    return _salt[1]


def visit_hash(address: str, agent: str, day: date) -> str:
    if not address or not getattr(settings, "AUDIENCE_VISITS", True):
        return ""
    digest = hashlib.blake2b(f"{address}\n{agent}".encode(), key=_salt_of(day).encode(), digest_size=8)
    return digest.hexdigest()


def visit_for(request: Any) -> Visit:
    """The :class:`Visit` of a request (suppressed when it asks not to be recorded)."""
    if suppressed(request.headers) or not enabled():
        return Visit(suppressed=True)
    return Visit(request=request)


def activate(visit: Visit | None) -> Any:
    """Make ``visit`` the current one; returns a token for :func:`deactivate`."""
    return _current.set(visit)


def deactivate(token: Any) -> None:
    _current.reset(token)


def current() -> Visit | None:
    return _current.get()


_today: tuple[float, date] = (0.0, date.min)


def _day() -> date:
    """Today in the site's time zone, worked out at most once a second (it is on every event)."""
    global _today
    now = time.monotonic()
    if now - _today[0] > 1.0:
        _today = (now, timezone.localdate())
    return _today[1]


def record(kind: str, **fields: Any) -> None:
    """Buffer one event; nothing happens under DNT/GPC or when recording is off. Never raises."""
    visit = _current.get()
    if (visit is not None and visit.suppressed) or not settings.AUDIENCE_ENABLED:
        return
    try:
        event = {k: v for k, v in fields.items() if k in FIELDS and v is not None}
        event["kind"] = kind[:16]
        event["day"] = _day()
        if "language" not in event:
            event["language"] = translation.get_language() or ""
        if visit is not None:
            event["region"] = visit.region
            event["visit"] = visit.visit
            if kind in ("api", "oai"):
                event.setdefault("detail", visit.client)
        with _lock:
            if len(_buffer) >= MAX_BUFFER:
                del _buffer[: BATCH]
            _buffer.append(event)
            full = len(_buffer) >= BATCH
        if _thread is None:
            _ensure_thread()
        elif full:
            _wake.set()
    except Exception:  # recording must never break a page
        logger.warning("audience: could not record an event", exc_info=True)


def pending() -> int:
    with _lock:
        return len(_buffer)


def discard() -> None:
    """Forget the buffered events (tests)."""
    with _lock:
        _buffer.clear()


def flush() -> int:
    """Write the buffered events now (one bulk insert); returns how many were written.

    When it returns, every event recorded before the call is in the database (or was logged as
    dropped): a batch the background thread is writing at that moment is waited for."""
    with _flushing:
        with _lock:
            batch = _buffer[:]
            _buffer.clear()
        if not batch:
            return 0
        from mogao.audience.models import Event
        from mogao.audience.resolve import resolve

        try:
            rows = [Event(**e) for e in resolve(batch)]
            Event.objects.bulk_create(rows, batch_size=1000)
        except Exception:
            logger.warning("audience: could not write %d events; they are dropped", len(batch), exc_info=True)
            return 0
        return len(rows)


def _loop() -> None:
    from django.db import close_old_connections

    interval = float(getattr(settings, "AUDIENCE_FLUSH_SECONDS", 2.0))
    while True:
        _wake.wait(interval)
        _wake.clear()
        try:
            flush()
        except Exception:
            logger.warning("audience: flush failed", exc_info=True)
        finally:
            close_old_connections()


def _ensure_thread() -> None:
    global _thread
    if _thread is not None or float(getattr(settings, "AUDIENCE_FLUSH_SECONDS", 2.0)) <= 0:
        return
    with _lock:
        if _thread is None:
            _thread = threading.Thread(target=_loop, name="mogao-audience-flush", daemon=True)
            _thread.start()
            atexit.register(flush)
