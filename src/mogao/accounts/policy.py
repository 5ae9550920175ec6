"""The one authorization policy: every permission in Mogao is decided here.

``can(user, action, obj)`` answers whether ``user`` may perform ``action`` on ``obj`` (or, with no
object, on some objects of that kind). Views, the admin (including its history and revert pages),
importers, the API, curation queues and the image server ask this module and nothing else.

Roles: anonymous readers, signed-in readers, curators (a ``Curatorship`` per institution) and
administrators (superusers). Visibility: public, private (curators of the holder only), withdrawn.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from mogao.accounts.permissions import can_edit, curated_institution_ids, institution_of

User = AbstractBaseUser | AnonymousUser

#: Every action the policy knows. ``view`` covers pages, manifests, API reads and image tiles;
#: ``download`` covers full-resolution images and file downloads.
ACTIONS = frozenset({"view", "download", "add", "change", "delete"})

PUBLIC = "public"


def _visibility(obj: Any) -> str:
    """The effective visibility of ``obj``: its own, or that of the item it belongs to."""
    for path in ("visibility", "item.visibility", "canvas.item.visibility"):
        target: Any = obj
        try:
            for part in path.split("."):
                target = getattr(target, part)
        except AttributeError:
            continue
        if isinstance(target, str):
            return target
    return PUBLIC


def is_curator_of(user: User, obj: Any) -> bool:
    """True when ``user`` curates the institution that owns ``obj`` (administrators curate all)."""
    allowed = curated_institution_ids(user)
    if allowed is None:
        return True
    owner = institution_of(obj)
    return owner is not None and owner in allowed


def can(user: User, action: str, obj: Any | None = None) -> bool:
    """True when ``user`` may perform ``action`` on ``obj``."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if action == "view":
        if obj is None or _visibility(obj) == PUBLIC:
            return True
        return is_curator_of(user, obj)
    if action == "download":
        if not can(user, "view", obj):
            return False
        item = obj if obj is None or hasattr(obj, "downloads_allowed") else getattr(obj, "item", None)
        if item is None or getattr(item, "downloads_allowed", True):
            return True
        return is_curator_of(user, obj)
    return can_edit(user, obj)
