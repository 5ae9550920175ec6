"""Announces catalogue changes so other apps (search, OAI, IIIF Change Discovery) can react.

Receivers run inside the writer's transaction; they must queue their side effects with
:func:`mogao.core.tasks.enqueue_after_commit` so nothing runs before the commit.
"""

from __future__ import annotations

from django.db import models
from django.dispatch import Signal

#: Sent with ``instance`` after a catalogue record was created or changed by a service.
catalogue_changed = Signal()


def record_changed(instance: models.Model) -> None:
    catalogue_changed.send(sender=type(instance), instance=instance)
