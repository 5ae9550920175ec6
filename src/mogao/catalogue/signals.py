"""Announces catalogue changes so other apps (search, OAI, IIIF Change Discovery) can react.

Receivers run inside the writer's transaction; they must queue their side effects with
:func:`mogao.core.tasks.enqueue_after_commit` so nothing runs before the commit.

Two forms exist. ``catalogue_changed`` (one ``instance``) is sent for every change, always, so a
receiver that only knows it hears everything. Bulk writers (imports) call :func:`records_changed`,
which first sends ``catalogue_changed_many`` once with all ``instances`` of a batch and then
``catalogue_changed`` per instance with ``batched=True``: a receiver that handles the batch form
connects to both and ignores the single sends marked ``batched`` (doing the work once, with a
query per batch instead of one per record).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import models
from django.dispatch import Signal

#: Sent with ``instance`` after a catalogue record was created or changed by a service.
catalogue_changed = Signal()

#: Sent with ``instances`` (a list of records of the sender's model) after a bulk write.
catalogue_changed_many = Signal()


def record_changed(instance: models.Model) -> None:
    """Announce that ``instance`` was created or changed."""
    catalogue_changed.send(sender=type(instance), instance=instance)


def records_changed(instances: Sequence[models.Model]) -> None:
    """Announce a batch of created or changed records (see the module docstring for the contract).

    Instances are grouped by model; each group is one ``catalogue_changed_many`` send.
    """
    groups: dict[type[models.Model], list[models.Model]] = {}
    for instance in instances:
        groups.setdefault(type(instance), []).append(instance)
    for model, group in groups.items():
        catalogue_changed_many.send(sender=model, instances=group)
        for instance in group:
            catalogue_changed.send(sender=model, instance=instance, batched=True)
