"""Contributions and reader groups (#15): part of the one policy, :mod:`mogao.accounts.policy`.

Only that module calls these functions; the rules are documented in its docstring.
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
    is_curator,
    is_moderator,
)

# ---------------------------------------------------------------------------------------- contributions


def _is_author(user: User, obj: Any) -> bool:
    return _active(user) and obj.author_id is not None and obj.author_id == user.pk


def _in_group(user: User, obj: Any) -> bool:
    if not _active(user) or obj.group_id is None:
        return False
    return bool(obj.group.members.filter(pk=user.pk).exists())


def _can_moderate_contribution(user: User, obj: Any) -> bool:
    if not _active(user):
        return False
    if obj is None or isinstance(obj, type):
        return is_moderator(user) or is_curator(user)
    if obj.visibility != PUBLIC:
        return False
    if is_moderator(user):
        return True
    allowed = curated_institution_ids(user)
    holder = obj.holder_institution_id()
    return bool(allowed) and holder is not None and holder in (allowed or set())


def contribution(user: User, action: str, obj: Any) -> bool:
    instance = None if obj is None or isinstance(obj, type) else obj
    if action == "contribute" or (action == "add" and instance is None):
        return _active(user)
    if action in ("moderate", "admin", "history"):  # the admin shows what one may moderate
        return _can_moderate_contribution(user, obj)
    if instance is None:
        return action == "view" or (action == "report" and _active(user))
    if action == "view":
        if _is_author(user, instance):
            return True
        if instance.visibility == "private":
            return False
        if instance.visibility == "group":
            return _in_group(user, instance)
        return instance.status == "approved" or _can_moderate_contribution(user, instance)
    if action == "change":
        return _is_author(user, instance)
    if action == "delete":
        return _is_author(user, instance) or is_admin(user)
    if action == "report":
        return (_active(user) and not _is_author(user, instance) and instance.visibility == PUBLIC
                and instance.status == "approved")
    return False


def scope_contributions(user: User, action: str, queryset: QuerySet[Any]) -> QuerySet[Any]:
    uid = user.pk if _active(user) else None
    mine = Q(author_id=uid) if uid is not None else Q(pk__in=[])
    if action == "view":
        visible = mine | Q(visibility=PUBLIC, status="approved")
        if uid is not None:
            visible |= Q(visibility="group", group__members=uid)
        moderated = scope_contributions(user, "moderate", queryset)
        return queryset.filter(visible | Q(pk__in=moderated.values("pk"))).distinct()
    if action in ("moderate", "admin", "history"):
        if not _active(user):
            return queryset.none()
        public = queryset.filter(visibility=PUBLIC)
        if is_moderator(user):
            return public
        allowed = curated_institution_ids(user)
        path = getattr(queryset.model, "HOLDER_PATH", "")
        if not allowed or not path:
            return queryset.none()
        return public.filter(**{f"{path.removesuffix('_id')}__in": allowed})
    if action == "change":
        return queryset.filter(mine)
    if action == "delete":
        return queryset if is_admin(user) else queryset.filter(mine)
    if action == "report":
        if uid is None:
            return queryset.none()
        return queryset.filter(visibility=PUBLIC, status="approved").exclude(author_id=uid)
    return queryset.none()


# ---------------------------------------------------------------------------------------- reader groups

def reader_group(user: User, action: str, obj: Any) -> bool:
    """Reader groups (#15): any account makes one; its owner manages it; members see it."""
    if not _active(user):
        return False
    if obj is None or isinstance(obj, type):
        return action in ("view", "add", "contribute")
    owner = obj.owner_id is not None and obj.owner_id == user.pk
    if action == "view":
        return owner or is_admin(user) or bool(obj.members.filter(pk=user.pk).exists())
    if action in ("change", "delete"):
        return owner or is_admin(user)
    return False


def scope_reader_groups(user: User, action: str, queryset: QuerySet[Any]) -> QuerySet[Any]:
    if not _active(user):
        return queryset.none()
    if is_admin(user) and action in ("view", "change", "delete", "admin"):
        return queryset
    if action == "view":
        return queryset.filter(Q(owner_id=user.pk) | Q(members=user.pk)).distinct()
    if action in ("change", "delete"):
        return queryset.filter(owner_id=user.pk)
    return queryset.none()
