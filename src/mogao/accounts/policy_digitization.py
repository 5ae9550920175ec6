"""Digitization requests (#17): part of the one policy, :mod:`mogao.accounts.policy`.

- ``request`` (on an item): any active signed-in account, on a public item it may view;
- ``view`` a request, its readers' count, timeline and pledges: whoever may view its item (a request
  for a private or withdrawn item is seen only by the holder's curators; others get a 404);
- ``triage`` (every curator transition: accept, decline, merge, schedule, imaging, quality check,
  publish; curator inputs and the override), ``change``, ``admin``, ``history``: curators of the
  holder and administrators;
- ``pledge``: curators of another institution than the holder (administrators too), on an open
  request they may view;
- ``add`` and ``delete`` in the admin: administrators only (readers make requests on the site).

Only that module calls these functions.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from mogao.accounts.policy import (
    PUBLIC,
    User,
    _active,
    curated_institution_ids,
    is_admin,
)

LABELS = frozenset({"digitization.request", "digitization.requestreader", "digitization.transition",
                    "digitization.pledge"})


def _request_of(obj: Any) -> Any:
    return obj if obj._meta.label_lower == "digitization.request" else obj.request


def _holder(obj: Any) -> int | None:
    return int(_request_of(obj).item.institution_id)


def _curates(user: User, institution_id: int | None) -> bool:
    allowed = curated_institution_ids(user)
    return allowed is None or (institution_id is not None and institution_id in allowed)


def _can_view(user: User, obj: Any) -> bool:
    item = _request_of(obj).item
    return item.visibility == PUBLIC or _curates(user, item.institution_id)


def can_request(user: User, item: Any) -> bool:
    """``request`` on an item (or in general)."""
    if not _active(user):
        return False
    if item is None or isinstance(item, type):
        return True
    return bool(item.visibility == PUBLIC)


def can(user: User, action: str, obj: Any) -> bool:
    instance = None if obj is None or isinstance(obj, type) else obj
    if action == "view":
        return instance is None or _can_view(user, instance)
    if action in ("add", "delete"):
        return is_admin(user)
    if action in ("triage", "change", "admin", "history"):
        allowed = curated_institution_ids(user)
        if instance is None:
            return allowed is None or bool(allowed)
        return _curates(user, _holder(instance))
    if action == "pledge":
        allowed = curated_institution_ids(user)
        if allowed is None:
            return True
        if instance is None:
            return bool(allowed)
        request = _request_of(instance)
        return (request.is_open and _can_view(user, request)
                and bool(allowed - {request.item.institution_id}))
    return False


def scope(user: User, action: str, queryset: QuerySet[Any]) -> QuerySet[Any]:
    prefix = "" if queryset.model._meta.label_lower == "digitization.request" else "request__"
    allowed = curated_institution_ids(user)
    if action == "view":
        if allowed is None:
            return queryset
        visible = Q(**{f"{prefix}item__visibility": PUBLIC})
        if allowed:
            visible |= Q(**{f"{prefix}item__institution_id__in": allowed})
        return queryset.filter(visible)
    if action in ("triage", "change", "admin", "history"):
        if allowed is None:
            return queryset
        return queryset.filter(**{f"{prefix}item__institution_id__in": allowed or []})
    if action == "pledge":
        from mogao.digitization.models import OPEN

        if allowed is None:
            return queryset.filter(**{f"{prefix}status__in": OPEN})
        if not allowed:
            return queryset.none()
        open_ = queryset.filter(**{f"{prefix}status__in": OPEN})
        seen = scope(user, "view", open_)
        if len(allowed) == 1:
            return seen.exclude(**{f"{prefix}item__institution_id__in": allowed})
        return seen
    if action in ("add", "delete"):
        return queryset if is_admin(user) else queryset.none()
    return queryset.none()
