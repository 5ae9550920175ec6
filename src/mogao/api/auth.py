"""Bearer-token authentication for write operations (``Authorization: Bearer mogao_…``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer

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
    """Refuse (403) anyone but an administrator."""
    if not getattr(request.auth, "is_superuser", False):  # type: ignore[attr-defined]
        raise HttpError(403, "Only administrators may do this.")


token_auth = TokenAuth()
