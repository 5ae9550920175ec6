"""Notifications (#17): part of the one policy, :mod:`mogao.accounts.policy`.

A notification belongs to its recipient: only they ``view`` it and ``change`` it (mark it read);
nobody else, curators and moderators included. Administrators read them in the admin (``admin``,
``history``), read-only: nobody ``add``s, changes or deletes one there (account deletion removes
them). Preferences are the account's own settings: administrators may read them in the admin.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from mogao.accounts.policy import User, _active, is_admin


def notification(user: User, action: str, obj: Any) -> bool:
    if not _active(user):
        return False
    if action in ("admin", "history"):
        return is_admin(user)
    if obj is None or isinstance(obj, type):
        return action == "view"
    if action in ("view", "change"):
        return bool(obj.recipient_id == user.pk)
    return False


def scope_notifications(user: User, action: str, queryset: QuerySet[Any]) -> QuerySet[Any]:
    if not _active(user):
        return queryset.none()
    if action in ("admin", "history"):
        return queryset if is_admin(user) else queryset.none()
    if action in ("view", "change"):
        return queryset.filter(recipient_id=user.pk)
    return queryset.none()


def preference(user: User, action: str, obj: Any) -> bool:
    return action in ("admin", "history") and is_admin(user)


def scope_preferences(user: User, action: str, queryset: QuerySet[Any]) -> QuerySet[Any]:
    return queryset if preference(user, action, None) else queryset.none()
