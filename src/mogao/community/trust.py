"""Who publishes at once, and the status a new contribution starts in (#15)."""

from __future__ import annotations

from typing import Any

from mogao.accounts import policy
from mogao.community.models import Status, Visibility


def is_trusted(user: Any) -> bool:
    """Administrators, curators, moderators and readers marked trusted publish without review."""
    return policy.is_trusted(user)


def initial_status(user: Any, visibility: str) -> str:
    """Private and group contributions need no review; public ones wait unless the author is trusted."""
    if visibility != Visibility.PUBLIC or is_trusted(user):
        return Status.APPROVED
    return Status.PENDING
