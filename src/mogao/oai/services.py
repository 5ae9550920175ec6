"""Writes of the OAI app: keeping one tombstone per record that stopped being public."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from mogao.oai.models import Tombstone


def tombstone_record(*, pid: str, reason: str, sets: Iterable[str]) -> Tombstone:
    """Record that the item ``pid`` left the public catalogue now, with its last setSpecs."""
    specs = " ".join(sorted(set(sets)))
    obj, _ = Tombstone.objects.update_or_create(
        kind=Tombstone.Kind.ITEM, pid=pid,
        defaults={"reason": reason, "sets": f" {specs} ", "deleted_at": timezone.now()},
    )
    return obj


def tombstone_clear(*, pid: str) -> int:
    """Forget the tombstone of ``pid`` (the record is public again); returns how many went."""
    deleted, _ = Tombstone.objects.filter(kind=Tombstone.Kind.ITEM, pid=pid).delete()
    return deleted
