"""The one change channel: what a committed transaction changed in the catalogue, sent once, after commit.

Every write to a catalogue or knowledge record is recorded here, per thread and transaction, and
announced with one :data:`changes_committed` signal when the transaction commits (at once in
autocommit mode); a rolled-back transaction announces nothing. Subscribers (search indexing, OAI-PMH
tombstones, the catalogue generation behind the page caches) connect to that signal only.

How writes are recorded:

* ``Model.save()`` and ``delete()`` (services, the admin and its actions and history revert, the API,
  importers, a shell, a worker process): automatically, through ``post_save``/``post_delete``/
  ``m2m_changed`` of every model of the watched apps (simple-history's historical rows excepted).
* ``QuerySet.update()``, ``bulk_create()`` and ``bulk_update()`` of a watched model: automatically,
  through :class:`ChangeQuerySet`, the default manager of every watched model.
* Anything else (raw SQL such as :mod:`mogao.ingest.bulkwrite`): call
  :func:`announce` ``(Model, pks)`` inside the transaction that wrote the rows.

Writes through ``Model._base_manager`` are silent: only subscribers use it (to stamp ``updated``).

Subscribers must read the state of the database when they run (a record in ``saved`` may have
been changed again, or deleted, since): what the set names is *which* records to look at. What a
deleted record was is kept in :attr:`ChangeSet.before`, filled by the functions registered with
:func:`capture` while the rows still exist.

Before the signal is sent, the channel stamps ``updated`` of records changed without ``save()``
(``QuerySet.update``, :func:`announce`) and of the items whose parts changed (canvases,
transcriptions, translations, works and joins), so OAI-PMH datestamps, IIIF Change Discovery and
sitemaps follow every change.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import Signal
from django.utils import timezone

log = logging.getLogger(__name__)

#: Sent once per committed transaction that changed a watched record, with ``changes`` (a ChangeSet).
changes_committed = Signal()

WATCHED_APPS = frozenset({"catalogue", "knowledge"})
#: Models of other apps whose records change what readers see (curated titles and marks of works;
#: stories and their steps, found by the search page and listed in sitemaps, #16).
WATCHED_MODELS = frozenset({"search.titlealias", "search.featuredwork", "stories.story", "stories.step"})
_CHUNK = 500

#: How a record leads to the item whose page, manifest and document show it (a lookup path).
ITEM_PATHS: dict[str, str] = {
    "catalogue.item": "pk",
    "catalogue.canvas": "item_id",
    "catalogue.transcription": "canvas__item_id",
    "catalogue.translation": "item_id",
    "catalogue.itemwork": "item_id",
    "catalogue.joinmember": "item_id",
    "catalogue.join": "members__item_id",
    "knowledge.mention": "item_id",
}


def _label(model: type[models.Model]) -> str:
    return str(model._meta.label_lower)


def is_watched(model: Any) -> bool:
    meta = getattr(model, "_meta", None)
    if meta is None or meta.auto_created or meta.abstract:
        return False
    if meta.app_label not in WATCHED_APPS and meta.label_lower not in WATCHED_MODELS:
        return False
    return not hasattr(model, "instance_type")  # simple-history's historical models


@dataclass
class ChangeSet:
    """What one transaction changed: primary keys by model, saved and deleted, and derived items."""

    saved: dict[type[models.Model], set[Any]] = field(default_factory=dict)
    deleted: dict[type[models.Model], set[Any]] = field(default_factory=dict)
    #: model -> pk -> {capture name: value} as the record was before its first change (see capture()).
    before: dict[type[models.Model], dict[Any, dict[str, Any]]] = field(default_factory=dict)
    #: model -> pk -> {"pid": ..., "<fk>_id": ...} of deleted records.
    gone: dict[type[models.Model], dict[Any, dict[str, Any]]] = field(default_factory=dict)
    #: primary keys of items whose page, document or manifest may have changed (derived at commit).
    items: set[Any] = field(default_factory=set)
    #: items reached through deleted parts (recorded while the parts still existed).
    _deleted_part_items: set[Any] = field(default_factory=set)
    #: model -> pks whose ``updated`` was not set by ``save()``.
    unstamped: dict[type[models.Model], set[Any]] = field(default_factory=dict)
    #: models written without known primary keys (e.g. ``bulk_create(ignore_conflicts=True)``).
    whole_models: set[type[models.Model]] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.saved or self.deleted or self.whole_models)

    def saved_pks(self, model: type[models.Model]) -> set[Any]:
        """Primary keys of ``model`` saved (created or changed); some may be gone by now."""
        return set(self.saved.get(model, set()))

    def deleted_pks(self, model: type[models.Model]) -> set[Any]:
        return set(self.deleted.get(model, set()))

    def touches(self, *models_: type[models.Model]) -> bool:
        return any(m in self.saved or m in self.deleted or m in self.whole_models for m in models_)

    def captured(self, model: type[models.Model], pk: Any, name: str, default: Any = None) -> Any:
        return self.before.get(model, {}).get(pk, {}).get(name, default)

    def gone_value(self, model: type[models.Model], pk: Any, name: str, default: Any = None) -> Any:
        return self.gone.get(model, {}).get(pk, {}).get(name, default)

    def merge(self, other: ChangeSet) -> None:
        for mine, theirs in ((self.saved, other.saved), (self.deleted, other.deleted),
                             (self.unstamped, other.unstamped)):
            for model, pks in theirs.items():
                mine.setdefault(model, set()).update(pks)
        for model, by_pk in other.before.items():
            for pk, values in by_pk.items():
                self.before.setdefault(model, {}).setdefault(pk, {}).update(
                    {k: v for k, v in values.items() if k not in self.before[model][pk]}
                )
        for model, gone in other.gone.items():
            self.gone.setdefault(model, {}).update(gone)
        self._deleted_part_items |= other._deleted_part_items
        self.whole_models |= other.whole_models


# ---------------------------------------------------------------------------- captures

_Capture = tuple[str, Callable[[Any], Any], bool]
_captures: dict[str, list[_Capture]] = {}


def capture(model: type[models.Model], name: str, fn: Callable[[Any], Any], *, deletes_only: bool = False) -> None:
    """Keep ``fn(stored record)`` in ``ChangeSet.before[model][pk][name]`` before its first change.

    ``fn`` gets the record as stored before the transaction changed it (before a ``save()``, a
    ``delete()`` or a ``QuerySet.update()``), so a subscriber can tell what it was (e.g. public) or
    what a deleted record's relations were. ``deletes_only`` runs it before deletions only.
    """
    entries = _captures.setdefault(_label(model), [])
    entries[:] = [e for e in entries if e[0] != name] + [(name, fn, deletes_only)]


def _run_captures(changes: ChangeSet, model: type[models.Model], stored: Any, *, deleting: bool) -> None:
    entries = _captures.get(_label(model))
    if not entries:
        return
    slot = changes.before.setdefault(model, {}).setdefault(stored.pk, {})
    for name, fn, deletes_only in entries:
        if name not in slot and (deleting or not deletes_only):
            slot[name] = fn(stored)


# ---------------------------------------------------------------------------- per-transaction state

_local = threading.local()


def _pending() -> ChangeSet:
    if not hasattr(_local, "changes"):
        _local.changes = ChangeSet()
    pending: ChangeSet = _local.changes
    return pending


def _ensure_flush() -> None:
    """Flush on commit (now in autocommit mode).

    Registered at every record, like any ``on_commit`` user: a rolled-back savepoint drops its own
    callbacks, and the first callback that runs at the commit sends everything (the others find
    nothing). Bulk writers record a batch at a time.
    """
    transaction.on_commit(flush)


def _begin() -> ChangeSet:
    """The pending changes, forgetting what a rolled-back transaction left behind.

    Every record registers a flush on commit, so inside a transaction where nothing waits for the
    commit yet, whatever is pending was recorded by a transaction that rolled back (a committed one
    would have flushed it).
    """
    connection = transaction.get_connection()
    if connection.in_atomic_block and not connection.run_on_commit:
        _local.changes = ChangeSet()
    return _pending()


def _hold() -> None:
    """Keep what a pre-signal captured until the commit (in autocommit mode the write follows)."""
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(flush)


def _record(model: type[models.Model], pks: Iterable[Any], *, deleted: bool = False, stamped: bool = True) -> None:
    changes = _begin()
    target = changes.deleted if deleted else changes.saved
    pks = set(pks)
    target.setdefault(model, set()).update(pks)
    if not stamped and not deleted:
        changes.unstamped.setdefault(model, set()).update(pks)
    if not pks:
        changes.whole_models.add(model)
    _ensure_flush()


def announce(model: type[models.Model], pks: Iterable[Any], *, deleted: bool = False, stamped: bool = False) -> None:
    """Announce writes the model signals did not see (raw SQL, bulk inserts) in the current transaction.

    ``pks`` are the primary keys written (created or changed, or ``deleted``); ``stamped`` says the
    writer already set their ``updated`` (otherwise the channel stamps it after the commit).
    """
    pks = list(pks)
    if deleted:
        changes = _begin()
        for pk in pks:
            changes.gone.setdefault(model, {}).setdefault(pk, {})
    _record(model, pks, deleted=deleted, stamped=stamped)


def flush() -> ChangeSet | None:
    """Send what was gathered (runs on commit; a later call in the same commit finds nothing)."""
    changes = _pending()
    _local.changes = ChangeSet()
    if not changes:
        return None
    _derive_items(changes)
    _stamp(changes)
    errors = []
    for receiver, result in changes_committed.send_robust(sender=ChangeSet, changes=changes):
        if isinstance(result, Exception):
            log.error("change subscriber %r failed", receiver, exc_info=result)
            errors.append(result)
    if errors:
        raise errors[0]
    return changes


def _derive_items(changes: ChangeSet) -> None:
    from django.apps import apps

    items: set[Any] = set(changes._deleted_part_items)
    for label, path in ITEM_PATHS.items():
        model = apps.get_model(label)
        pks = changes.saved_pks(model)
        if label == "catalogue.item":
            items |= pks | changes.deleted_pks(model)
            continue
        ordered = list(pks)
        for start in range(0, len(ordered), _CHUNK):
            chunk = ordered[start : start + _CHUNK]
            found = model._base_manager.filter(pk__in=chunk).values_list(path, flat=True)
            items |= {pk for pk in found if pk is not None}
    changes.items = items


def _stamp(changes: ChangeSet) -> None:
    """Set ``updated`` of records changed without save() and of items whose parts changed."""
    from mogao.catalogue.models import Item

    wanted: dict[type[models.Model], set[Any]] = {m: set(p) for m, p in changes.unstamped.items()}
    stamped_items = changes.saved_pks(Item) - changes.unstamped.get(Item, set())
    wanted.setdefault(Item, set()).update(changes.items - stamped_items)
    now = timezone.now()
    for model, pks in wanted.items():
        if not pks or not any(f.name == "updated" for f in model._meta.concrete_fields):
            continue
        ordered = sorted(pks, key=str)
        for start in range(0, len(ordered), _CHUNK):
            model._base_manager.filter(pk__in=ordered[start : start + _CHUNK]).update(updated=now)


# ---------------------------------------------------------------------------- model signals


def _item_of_deleted(instance: Any) -> set[Any]:
    path = ITEM_PATHS.get(_label(type(instance)))
    if path is None:
        return set()
    if path == "pk":
        return {instance.pk}
    if "__" not in path:
        value = getattr(instance, path, None)
        return {value} if value is not None else set()
    found = type(instance)._base_manager.filter(pk=instance.pk).values_list(path, flat=True)
    return {pk for pk in found if pk is not None}


def _pre_save(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if instance.pk is None or instance._state.adding or not _captures.get(_label(sender)):
        return
    changes = _begin()
    if instance.pk in changes.before.get(sender, {}):
        return
    stored = sender._base_manager.filter(pk=instance.pk).first()
    if stored is not None:
        _run_captures(changes, sender, stored, deleting=False)
        _hold()


def _post_save(sender: Any, instance: Any, **kwargs: Any) -> None:
    _record(sender, [instance.pk])


def _pre_delete(sender: Any, instance: Any, **kwargs: Any) -> None:
    changes = _begin()
    _run_captures(changes, sender, instance, deleting=True)
    snapshot = {"pid": getattr(instance, "pid", None)}
    snapshot.update({f.attname: getattr(instance, f.attname) for f in sender._meta.concrete_fields if f.is_relation})
    changes.gone.setdefault(sender, {})[instance.pk] = snapshot
    changes._deleted_part_items |= _item_of_deleted(instance)
    _hold()


def _post_delete(sender: Any, instance: Any, **kwargs: Any) -> None:
    _record(sender, [instance.pk], deleted=True)


def _m2m_changed(sender: Any, instance: Any, action: str, reverse: bool, model: Any, pk_set: Any,
                 **kwargs: Any) -> None:
    if action == "pre_clear":
        field_name = next(
            (f.name for f in type(instance)._meta.many_to_many if f.remote_field.through is sender), None
        )
        accessor = getattr(instance, field_name, None) if field_name else None
        instance._changes_cleared = set(accessor.values_list("pk", flat=True)) if accessor is not None else set()
        return
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    others = pk_set if action != "post_clear" else getattr(instance, "_changes_cleared", set())
    _record(type(instance), [instance.pk], stamped=False)
    if others:
        _record(model, others, stamped=False)


def connect() -> None:
    """Connect the model signals of every watched model (called once from the core app's ``ready``)."""
    from django.apps import apps

    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.app_label not in WATCHED_APPS and meta.label_lower not in WATCHED_MODELS:
            continue
        if meta.auto_created:
            m2m_changed.connect(_m2m_changed, sender=model, dispatch_uid=f"changes-m2m-{meta.label_lower}")
            continue
        if not is_watched(model):
            continue
        uid = meta.label_lower
        pre_save.connect(_pre_save, sender=model, dispatch_uid=f"changes-pre-save-{uid}")
        post_save.connect(_post_save, sender=model, dispatch_uid=f"changes-post-save-{uid}")
        pre_delete.connect(_pre_delete, sender=model, dispatch_uid=f"changes-pre-delete-{uid}")
        post_delete.connect(_post_delete, sender=model, dispatch_uid=f"changes-post-delete-{uid}")
    for model in apps.get_models():
        for m2m in model._meta.many_to_many:
            through = getattr(m2m.remote_field, "through", None)
            if through is not None and model._meta.app_label in WATCHED_APPS and not through._meta.auto_created:
                m2m_changed.connect(_m2m_changed, sender=through,
                                    dispatch_uid=f"changes-m2m-{through._meta.label_lower}")


# ---------------------------------------------------------------------------- querysets


class ChangeQuerySet(models.QuerySet):
    """The default queryset of watched models: ``update``, ``bulk_create`` and ``bulk_update`` announce."""

    def update(self, **kwargs: Any) -> int:
        if not is_watched(self.model):
            return super().update(**kwargs)
        with transaction.atomic(using=self.db, savepoint=False):
            if _captures.get(_label(self.model)):
                changes = _begin()
                stored: list[Any] = list(self)
                for obj in stored:
                    if obj.pk not in changes.before.get(self.model, {}):
                        _run_captures(changes, self.model, obj, deleting=False)
                _hold()
                pks = [obj.pk for obj in stored]
            else:
                pks = list(self.values_list("pk", flat=True))
            count = super().update(**kwargs)
            if pks:
                _record(self.model, pks, stamped="updated" in kwargs)
        return count

    update.alters_data = True  # type: ignore[attr-defined]

    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> list[Any]:
        created = super().bulk_create(objs, *args, **kwargs)
        if is_watched(self.model) and created:
            _record(self.model, [o.pk for o in created if o.pk is not None])
        return created

    def bulk_update(self, objs: Iterable[Any], fields: Any, *args: Any, **kwargs: Any) -> int:
        objs = list(objs)
        count = super().bulk_update(objs, fields, *args, **kwargs)
        if is_watched(self.model) and objs:
            _record(self.model, [o.pk for o in objs], stamped="updated" in fields)
        return int(count)


ChangeManager = models.Manager.from_queryset(ChangeQuerySet)
