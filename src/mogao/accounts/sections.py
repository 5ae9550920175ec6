"""The "Your account" section of "My Mogao" (#15)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from mogao.accounts.models import profile_of


def profile_section(request: HttpRequest) -> dict[str, Any] | None:
    """The signed-in reader's profile, shown first on "My Mogao"."""
    return {"profile": profile_of(request.user)}
