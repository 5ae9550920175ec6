"""Reactions (#15): a fixed set (moved, curious, learned something, beautiful), one of each per
reader and target, toggled; counts are public, who reacted is shown only to that reader.

Targets are generic: each kind of record one may react to is registered here under a short key
(``item``, ``canvas``; story steps register theirs when they exist). A reader reacts only to what
:func:`mogao.accounts.policy.can` lets them ``view``, and must be allowed to ``contribute``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from mogao.accounts import policy
from mogao.community import deletion
from mogao.community.models import Reaction, ReactionKind
from mogao.security import ratelimit


@dataclass(frozen=True)
class Target:
    """A kind of record readers may react to: its model label and the reader page of a record."""

    key: str
    model: str
    url: Callable[[Any], str]

    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)


def _item_url(item: Any) -> str:
    return reverse("catalogue:item", args=[item.pid])


def _canvas_url(canvas: Any) -> str:
    return reverse("reading:page", args=[canvas.item.pid, canvas.order])


TARGETS: dict[str, Target] = {
    "item": Target("item", "catalogue.item", _item_url),
    "canvas": Target("canvas", "catalogue.canvas", _canvas_url),
}


def register_target(target: Target) -> None:
    """Let readers react to another kind of record (e.g. story steps)."""
    TARGETS[target.key] = target


def target_key(obj: Any) -> str | None:
    label = obj._meta.label_lower
    return next((t.key for t in TARGETS.values() if t.model == label), None)


def resolve(key: str, pk: int) -> Any | None:
    """The record ``key``/``pk`` names, or ``None`` (unknown kind or id)."""
    target = TARGETS.get(key)
    if target is None:
        return None
    return target.model_class()._default_manager.filter(pk=pk).first()


def _of(obj: Any) -> models.QuerySet[Reaction]:
    ct = ContentType.objects.get_for_model(type(obj), for_concrete_model=True)
    return Reaction.objects.filter(content_type=ct, object_id=obj.pk)


def counts(obj: Any) -> dict[str, int]:
    """Public counts of each kind of reaction to ``obj`` (every kind present, zero included)."""
    found = dict(_of(obj).values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    return {kind: int(found.get(kind, 0)) for kind in ReactionKind.values}


def mine(user: Any, obj: Any) -> set[str]:
    """The kinds of reaction ``user`` left on ``obj``."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(_of(obj).filter(user_id=user.pk).values_list("kind", flat=True))


def toggle(user: Any, obj: Any, kind: str) -> bool:
    """Add ``user``'s reaction of ``kind`` to ``obj``, or take it back; returns whether it is now on.

    Raises ``PermissionDenied`` (not allowed to contribute or to see ``obj``), ``ValueError`` (unknown
    kind or target) and ``ratelimit.RateLimited``.
    """
    if kind not in ReactionKind.values:
        raise ValueError(f"kind: unknown reaction {kind!r}")
    if target_key(obj) is None:
        raise ValueError("target: readers cannot react to this kind of record")
    if not policy.can(user, "contribute", Reaction) or not policy.can(user, "view", obj):
        raise PermissionDenied(_("You may not react to this."))
    decision = ratelimit.hit("reaction", f"user:{user.pk}", settings.REACTION_RATE)
    if not decision.allowed:
        raise ratelimit.RateLimited(_("Too many reactions for now: please wait a minute."),
                                    retry_after=decision.retry_after)
    ct = ContentType.objects.get_for_model(type(obj), for_concrete_model=True)
    with transaction.atomic():
        deleted, _kinds = Reaction.objects.filter(user_id=user.pk, content_type=ct, object_id=obj.pk,
                                                  kind=kind).delete()
        if deleted:
            return False
        try:
            with transaction.atomic():
                Reaction.objects.create(user_id=user.pk, content_type=ct, object_id=obj.pk, kind=kind)
        except IntegrityError:  # a concurrent toggle already added it
            pass
    from mogao import audience  # counted per language and record, never per person (#18)

    audience.record("reaction", target_type=target_key(obj), target_id=obj.pk, detail=kind)
    return True


def reactions_of(user: Any, limit: int = 200) -> list[dict[str, Any]]:
    """``user``'s reactions with their targets (those still visible to them), newest first."""
    rows = list(Reaction.objects.filter(user_id=user.pk).select_related("content_type")
                .order_by("-created")[:limit])
    found: list[dict[str, Any]] = []
    for row in rows:
        model = row.content_type.model_class()
        label = model._meta.label_lower if model is not None else ""
        target = next((t for t in TARGETS.values() if t.model == label), None)
        obj = model._default_manager.filter(pk=row.object_id).first() if model is not None else None
        if target is None or obj is None or not policy.can(user, "view", obj):
            continue
        found.append({"kind": ReactionKind(row.kind).label, "target": obj, "url": target.url(obj),
                      "created": row.created})
    return found


def _anonymise(user: Any) -> int:
    return Reaction.objects.filter(user_id=user.pk).update(user=None)


def _remove(user: Any) -> int:
    return int(Reaction.objects.filter(user_id=user.pk).delete()[0])


deletion.register(deletion.Handler("community.reaction", anonymise=_anonymise, remove=_remove))
