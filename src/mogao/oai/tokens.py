"""Resumption tokens: signed, compressed, self-contained and expiring.

A token carries the harvest's arguments, a snapshot upper bound (records changed after the first
page are left for the next incremental harvest), the last position returned, the cursor and the
complete list size. Nothing is stored server-side, so any web node can answer the next page.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.utils import timezone

_SALT = "mogao.oai.resumption"


class TokenError(Exception):
    """The token is malformed, tampered with or expired."""


@dataclass(frozen=True)
class Resumption:
    verb: str
    prefix: str
    set_spec: str
    start: str | None
    stop: str
    after_stamp: str
    after_pid: str
    cursor: int
    size: int


def ttl_seconds() -> int:
    """How long a token stays valid (setting ``OAI_TOKEN_TTL``, default one day)."""
    return int(getattr(settings, "OAI_TOKEN_TTL", 86400))


def expiry() -> datetime:
    return timezone.now() + timedelta(seconds=ttl_seconds())


def encode(state: Resumption) -> str:
    return signing.dumps(asdict(state), salt=_SALT, compress=True)


def decode(token: str) -> Resumption:
    """The state inside ``token``; raises :class:`TokenError` when it cannot be trusted."""
    if len(token) > 2000:
        raise TokenError("too long")
    try:
        data = signing.loads(token, salt=_SALT, max_age=ttl_seconds())
        return Resumption(**data)
    except signing.SignatureExpired as exc:
        raise TokenError("expired") from exc
    except (signing.BadSignature, TypeError, ValueError) as exc:
        raise TokenError("invalid") from exc
