"""What becomes of a person's contributions when they delete their account (#15).

The person chooses: **anonymise** (public and group contributions stay, with no author; private
ones, which nobody else could ever see, are removed) or **remove** (every contribution goes).
Every subclass of :class:`~mogao.community.models.Contribution` is covered without registering
anything (found with ``apps.get_models()``); its simple-history rows, if it keeps history, follow
(authors blanked, or the rows of removed contributions deleted). Other records that belong to a
person (reactions, saved things that are not contributions…) register a :class:`Handler`.

The privacy page (``accounts/privacy.html``) says the same in words; keep them in step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from django.apps import apps
from django.db import models, transaction

Mode = Literal["anonymise", "remove"]
MODES: tuple[Mode, ...] = ("anonymise", "remove")


@dataclass(frozen=True)
class Handler:
    """What to do with ``user``'s records of one kind, in each mode; returns how many were touched."""

    key: str
    anonymise: Callable[[Any], int]
    remove: Callable[[Any], int]


_HANDLERS: dict[str, Handler] = {}


def register(handler: Handler) -> None:
    """Add (or replace, by ``key``) a handler for records that are not contributions."""
    _HANDLERS[handler.key] = handler


def contribution_models() -> list[type[models.Model]]:
    """Every concrete contribution model installed."""
    from mogao.community.models import Contribution

    return [m for m in apps.get_models() if issubclass(m, Contribution) and not m._meta.abstract]


def _history_model(model: type[models.Model]) -> type[models.Model] | None:
    manager = getattr(model, "history", None)
    return getattr(manager, "model", None) if manager is not None else None


def _children_histories(model: type[models.Model]) -> list[tuple[type[models.Model], str]]:
    """History models of records deleted along with a ``model`` record (CASCADE), and their key to it."""
    out = []
    for rel in model._meta.related_objects:
        if getattr(rel, "on_delete", None) is not models.CASCADE or rel.related_model is model:
            continue
        history = _history_model(rel.related_model)
        if history is not None:
            out.append((history, rel.field.attname))
    return out


def _remove(model: type[models.Model], queryset: models.QuerySet) -> int:
    """Delete the records with their history (and the history of what goes with them).

    Newest first, so that a person's own replies go before what they answer. A record may keep its
    place instead (``erase_for_account_deletion()`` answering ``True``: a comment that others
    replied to stays in the thread, emptied and nameless); its history goes all the same.
    """
    ids = list(queryset.values_list("pk", flat=True))
    if not ids:
        return 0
    deleted: list[Any] = []
    for obj in model._default_manager.filter(pk__in=ids).order_by("-pk"):
        erase = getattr(obj, "erase_for_account_deletion", None)
        if callable(erase) and erase():
            continue
        deleted.append(obj.pk)  # before delete(), which forgets it
        obj.delete()  # per object: the model's own delete() and the change channel run
    history = _history_model(model)
    if history is not None:
        history._default_manager.filter(**{f"{model._meta.pk.attname}__in": ids}).delete()
    for child_history, key in _children_histories(model):
        child_history._default_manager.filter(**{f"{key}__in": deleted}).delete()
    return len(ids)


def _anonymise(model: type[models.Model], user: Any) -> int:
    from mogao.community.models import Visibility

    mine = model._default_manager.filter(author_id=user.pk)
    removed = _remove(model, mine.filter(visibility=Visibility.PRIVATE))
    kept = mine.exclude(visibility=Visibility.PRIVATE).update(author=None)
    history = _history_model(model)
    if history is not None:
        history._default_manager.filter(author_id=user.pk).update(author_id=None)
    return removed + kept


def apply(user: Any, mode: Mode) -> dict[str, int]:
    """Anonymise or remove every contribution of ``user`` (before the account itself is deleted).

    Returns the number of records touched per model label / handler key.
    """
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}")
    done: dict[str, int] = {}
    with transaction.atomic():
        for model in contribution_models():
            label = model._meta.label_lower
            if mode == "remove":
                done[label] = _remove(model, model._default_manager.filter(author_id=user.pk))
            else:
                done[label] = _anonymise(model, user)
        for handler in _HANDLERS.values():
            done[handler.key] = (handler.remove if mode == "remove" else handler.anonymise)(user)
    return done


def delete_account(user: Any, mode: Mode) -> dict[str, int]:
    """Apply the person's choice to their contributions, then delete the account (one transaction)."""
    with transaction.atomic():
        done = apply(user, mode)
        user.delete()
    return done
