"""The "My comments" section of My Mogao."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from mogao.discussion.selectors import my_comments

TITLE = _("My comments")


def context(request: HttpRequest) -> dict[str, Any] | None:
    comments = my_comments(request.user)
    return {"comments": comments} if comments else None
