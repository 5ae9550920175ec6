"""A request id on every request, response and log record (#19), and an optional JSON log format.

:class:`RequestIdMiddleware` (first in ``MIDDLEWARE``) takes the ``X-Request-ID`` a proxy or load
balancer sent when it is a plain token (letters, digits, ``.-_:``, at most 128 characters), else makes
one; it answers with the same header and keeps the id in a context variable for the request's duration.
:class:`RequestIdFilter` copies it to each log record as ``request_id`` (``-`` outside a request);
:class:`JsonFormatter` writes one JSON object per line (``MOGAO_LOG_FORMAT=json``).
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime

from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
_META_KEY = "HTTP_X_REQUEST_ID"
_ACCEPTED = re.compile(r"[A-Za-z0-9._:-]{1,128}")
_current: ContextVar[str] = ContextVar("mogao_request_id", default="-")


def current() -> str:
    """The id of the request being answered, ``-`` outside a request."""
    return _current.get()


def _incoming(request: HttpRequest) -> str:
    sent = request.META.get(_META_KEY, "")
    return sent if _ACCEPTED.fullmatch(sent) else uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = _incoming(request)
        request.request_id = request_id  # type: ignore[attr-defined]
        token = _current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record (never drops one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = _current.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (UTC, ISO 8601), level, logger, message, request_id, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", _current.get()),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        return json.dumps(entry, ensure_ascii=False, default=str)

