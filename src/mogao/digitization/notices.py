"""What readers and curators are told (through :mod:`mogao.notify`: on site and by e-mail, in each
recipient's language, with unsubscribe)."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model

from mogao.digitization.models import Request

log = logging.getLogger(__name__)

PUBLISHED = "digitization.published"
NEW_REQUEST = "digitization.new_request"


def _absolute(path: str) -> str:
    return str(getattr(settings, "BASE_URL", "") or "").rstrip("/") + path


def _context(request: Request) -> dict[str, Any]:
    item = request.item
    return {
        "request_id": request.pk, "item_pid": item.pid, "shelfmark": item.shelfmark,
        "title": item.title, "holder": item.institution.name,
        "first": request.first_canvas, "last": request.last_canvas,
        "item_url": _absolute(item.get_absolute_url()), "request_url": _absolute(request.get_absolute_url()),
    }


def _send(recipients: list[Any], kind: str, template: str, context: dict[str, Any], url: str) -> None:
    if not recipients:
        return
    try:
        from mogao.notify import notify
    except ImportError:  # the notification app is not there yet: nothing to send through
        log.warning("mogao.notify is unavailable; %s not sent", kind)
        return
    notify(recipients, kind, template=template, context=context, url=url)


def published(pk: int) -> None:
    """Tell every reader who wanted it that the request's images are online."""
    request = Request.objects.select_related("item", "item__institution").get(pk=pk)
    users = list(get_user_model().objects.filter(pk__in=request.readers.values("user_id"), is_active=True))
    _send(users, PUBLISHED, "digitization/mail/published", _context(request), request.item.get_absolute_url())


def curators() -> list[Any]:
    """Every active curator (the digest goes to those with unread new-request notifications)."""
    from mogao.accounts.models import Curatorship

    return list(get_user_model().objects.filter(
        pk__in=Curatorship.objects.values("user_id"), is_active=True, is_staff=True))


def new_request(pk: int) -> None:
    """Tell the holder's curators of a new request on site; the mail comes as a digest."""
    from mogao.accounts.models import Curatorship

    request = Request.objects.select_related("item", "item__institution").get(pk=pk)
    users = list(get_user_model().objects.filter(
        pk__in=Curatorship.objects.filter(institution_id=request.item.institution_id).values("user_id"),
        is_active=True, is_staff=True))
    if not users:
        return
    try:
        from mogao.notify import notify
    except ImportError:
        return
    notify(users, NEW_REQUEST, template="digitization/mail/new_request", context=_context(request),
           url=request.get_absolute_url(), email=False)
