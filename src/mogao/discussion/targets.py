"""What readers may comment on: a registry of target kinds (items and works; stories later).

Another app makes its records commentable with :func:`register` (in its ``AppConfig.ready``)::

    register("stories.story", holder=lambda story: None)

``holder`` gives the institution id whose curators moderate the comments (``None``: moderators
only). Whether a reader may see (and so comment on) a target is the policy's ``view``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from mogao.accounts import policy


@dataclass(frozen=True)
class TargetKind:
    label: str
    holder: Callable[[Any], int | None]


_KINDS: dict[str, TargetKind] = {}


def register(label: str, *, holder: Callable[[Any], int | None]) -> None:
    """Let readers comment on records of ``label`` (``app_label.model``)."""
    _KINDS[label.lower()] = TargetKind(label.lower(), holder)


def register_defaults() -> None:
    register("catalogue.item", holder=lambda item: item.institution_id)
    register("catalogue.work", holder=lambda work: None)


def kinds() -> list[str]:
    return sorted(_KINDS)


def label_of(obj: Any) -> str:
    return str(obj._meta.label_lower)


def is_target(obj: Any) -> bool:
    return label_of(obj) in _KINDS


def holder_of(obj: Any) -> int | None:
    return _KINDS[label_of(obj)].holder(obj)


def resolve(label: str, pk: Any, user: Any) -> Any | None:
    """The target ``label``/``pk`` if it exists, is commentable and ``user`` may view it; else ``None``."""
    kind = _KINDS.get(str(label).lower())
    if kind is None:
        return None
    try:
        model = apps.get_model(kind.label)
    except LookupError:
        return None
    try:
        obj = model._default_manager.get(pk=int(pk))
    except (ValueError, TypeError, model.DoesNotExist):
        return None
    return obj if policy.can(user, "view", obj) else None


def content_type(obj: Any) -> ContentType:
    return ContentType.objects.get_for_model(type(obj))
