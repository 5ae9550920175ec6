"""Who may see which image: the Image API's per-image decisions, all asked of the one policy.

An image is governed by the items whose canvases show it (``Canvas.image_id``): a user sees it
when ``can(user, 'view', item)`` holds for one of them, and gets it at full resolution when
``can(user, 'download', item)`` also holds; otherwise it is capped to ``IIIF_NODOWNLOAD_MAX`` px
on its long side. An image no canvas shows yet (just registered) is served as before: the store
alone does not make it private.

The WSGI fast path must not touch the database per tile, so :class:`AccessMap` keeps, per image,
what an anonymous reader may do (computed with the policy, for every image at once) and is
rebuilt when the catalogue changes: at once in this process (the change channel's
``changes_committed`` naming an Item, Institution or Canvas) and, for writes made by other processes,
when the catalogue generation (:mod:`mogao.core.generation`) has moved, looked at most every
:data:`CHECK_SECONDS`. Only images an anonymous reader may not fully see need the session user,
and those go through Django (sessions, auth) to :func:`image_access`.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.dispatch import receiver

from mogao.accounts.policy import can
from mogao.core.changes import ChangeSet, changes_committed

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from mogao.catalogue.models import Item

#: How often (seconds) a process looks whether another process changed the catalogue.
CHECK_SECONDS = 1.0


class Access(Enum):
    """What the Image API serves of one image to one user."""

    NONE = "none"  # 404, exactly as for a missing image
    LIMITED = "limited"  # visible, capped to IIIF_NODOWNLOAD_MAX px on the long side
    FULL = "full"


@dataclass(frozen=True, slots=True)
class PublicAccess:
    """What an anonymous reader may do with one image (the policy's answer, remembered)."""

    view: bool
    download: bool

    @property
    def access(self) -> Access:
        """The anonymous reader's :class:`Access`."""
        if self.download:
            return Access.FULL
        return Access.LIMITED if self.view else Access.NONE


_EVERYONE = PublicAccess(view=True, download=True)


def _decide(user: AbstractBaseUser | AnonymousUser, items: list[Item]) -> PublicAccess:
    view = download = False
    for item in items:
        if can(user, "view", item):
            view = True
            download = download or can(user, "download", item)
    return PublicAccess(view, download)


class AccessMap:
    """Image identifier -> :class:`PublicAccess` for every image some canvas shows."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._map: dict[str, PublicAccess] | None = None
        self._generation: int | None = None
        self._checked = 0.0

    def invalidate(self) -> None:
        """Forget the map; the next lookup rebuilds it."""
        with self._lock:
            self._map = None

    def get(self, identifier: str) -> PublicAccess:
        """What an anonymous reader may do with ``identifier`` (everything when no canvas shows it)."""
        return self._current().get(identifier, _EVERYONE)

    def _current(self) -> dict[str, PublicAccess]:
        from mogao.core import generation

        now = time.monotonic()
        mapping = self._map
        if mapping is not None and now - self._checked < CHECK_SECONDS:
            return mapping
        current = generation.current()
        with self._lock:
            if self._map is not None and self._generation == current:
                self._checked = now
                return self._map
        mapping = _build()
        with self._lock:
            self._map, self._generation, self._checked = mapping, current, now
        return mapping


def _build() -> dict[str, PublicAccess]:
    from mogao.catalogue.models import Canvas, Item

    shown = Canvas.objects.exclude(image_id="")
    items = {
        item.pk: item
        for item in Item.objects.filter(pk__in=shown.values("item_id")).select_related("institution")
    }
    by_image: dict[str, list[Item]] = {}
    for image_id, item_id in shown.values_list("image_id", "item_id"):
        by_image.setdefault(image_id, []).append(items[item_id])
    anonymous = AnonymousUser()
    return {image_id: _decide(anonymous, found) for image_id, found in by_image.items()}


access_map = AccessMap()


def needs_user(identifier: str) -> bool:
    """True when the answer for ``identifier`` may depend on who asks (not fully public)."""
    return access_map.get(identifier).access is not Access.FULL


def image_access(identifier: str, user: AbstractBaseUser | AnonymousUser | None = None) -> Access:
    """What ``user`` (``None``: nobody signed in) gets of image ``identifier``, per the policy."""
    public = access_map.get(identifier)
    if public.access is Access.FULL or user is None or not user.is_authenticated:
        return public.access
    from mogao.catalogue.models import Canvas, Item

    items = list(
        Item.objects.filter(
            pk__in=Canvas.objects.filter(image_id=identifier).values("item_id")
        ).select_related("institution")
    )
    if not items:
        return Access.FULL  # no canvas shows it any more: as for an unreferenced image
    return _decide(user, items).access


def nodownload_max() -> int:
    """The long side (px) of the largest rendition served when downloads are switched off."""
    return int(settings.IIIF_NODOWNLOAD_MAX)


@receiver(changes_committed, dispatch_uid="iiif-access-changes")
def _on_catalogue_change(sender: Any, changes: ChangeSet, **kwargs: Any) -> None:
    """A committed change to the records that decide image access rebuilds the map."""
    from mogao.catalogue.models import Canvas, Institution, Item

    if changes.touches(Item, Institution, Canvas):
        access_map.invalidate()
