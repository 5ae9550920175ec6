"""Writes of the API app: issuing and checking tokens, and curators' item edits.

Item edits validate exactly as the admin does (``full_clean``: field validators, the model's
``clean`` and its unique constraints) and announce the change like the catalogue services.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from mogao.api.models import ApiToken
from mogao.catalogue import services as catalogue_services
from mogao.catalogue.models import Institution, Item

TOKEN_PREFIX = "mogao_"  # noqa: S105 - a public marker that makes leaked tokens greppable, not a secret


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_create(*, user: AbstractBaseUser, name: str, expires: datetime | None = None) -> tuple[ApiToken, str]:
    """Issue a token for ``user``; returns (token, secret). The secret is never stored."""
    secret = secrets.token_urlsafe(32)
    raw = f"{TOKEN_PREFIX}{secret}"
    token = ApiToken(user=user, name=name, prefix=secret[:8], key_hash=_digest(raw), expires=expires)  # type: ignore[misc]
    token.full_clean()
    token.save()
    return token, raw


def token_authenticate(raw: str) -> ApiToken | None:
    """The live token whose secret is ``raw`` (and mark it used), or None."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=_digest(raw), revoked=False).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.expires is not None and token.expires <= now:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used=now)
    return token


def token_revoke(*, token: ApiToken) -> None:
    token.revoked = True
    token.save(update_fields=["revoked"])


def item_create(*, institution: Institution, fields: dict[str, Any]) -> Item:
    """Create an item through the catalogue service (which validates fully)."""
    item, _ = catalogue_services.item_upsert(institution=institution, **fields)
    return item


@transaction.atomic
def item_update(*, item: Item, fields: dict[str, Any]) -> Item:
    """Change the given fields of ``item``; validates like the admin, saves only when valid."""
    for name, value in fields.items():
        setattr(item, name, value)
    item.full_clean()
    item.save()
    return item
