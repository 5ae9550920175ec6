"""Bearer-token authentication for write operations (``Authorization: Bearer mogao_…``)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer

from mogao.accounts import policy
from mogao.api.services import token_authenticate


class TokenAuth(HttpBearer):
    """Resolves to the token's user; an unknown, revoked or expired token is refused."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = token_authenticate(token)
        if found is None:
            return None
        request.user = found.user
        return found.user


def require_admin(request: HttpRequest) -> None:
    """Refuse (403) anyone but an administrator (the policy's ``export``)."""
    if not policy.can(getattr(request, "auth", None) or AnonymousUser(), "export"):
        raise HttpError(403, "Only administrators may do this.")


def require_write(request: HttpRequest) -> None:
    """Refuse (403) a token whose user may not write through the API (the policy's ``api_write``).

    The same accounts as in the admin: administrators and active staff users with a curatorship.
    """
    if not policy.can(getattr(request, "auth", None) or AnonymousUser(), "api_write"):
        raise HttpError(403, "Only curators (staff accounts with a curatorship) may write.")


token_auth = TokenAuth()
