"""Object-level permissions: who may edit which catalogue records.

- administrators (superusers) edit everything;
- curators (staff with a Curatorship) edit only their own institutions' records;
- readers edit nothing in the catalogue.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

CURATORS_GROUP = "Curators"


def curated_institution_ids(user: AbstractBaseUser | AnonymousUser) -> set[int] | None:
    """Institution ids the user curates; ``None`` means every institution (administrator)."""
    if not user.is_authenticated:
        return set()
    if getattr(user, "is_superuser", False):
        return None
    curatorships = getattr(user, "curatorships")  # noqa: B009 - reverse relation unknown to the stubs
    return set(curatorships.values_list("institution_id", flat=True))


def institution_of(obj: Any) -> int | None:
    """The institution id that owns a catalogue object, following its parents."""
    if type(obj).__name__ == "Institution":
        return int(obj.pk) if obj.pk else None
    for path in ("institution_id", "item.institution_id", "canvas.item.institution_id", "collection.institution_id"):
        target: Any = obj
        try:
            for part in path.split("."):
                target = getattr(target, part)
        except AttributeError:
            continue
        if target is not None:
            return int(target)
    return None


def can_edit(user: AbstractBaseUser | AnonymousUser, obj: Any | None = None) -> bool:
    """True when ``user`` may edit ``obj`` (or, with no object, edit some records at all)."""
    allowed = curated_institution_ids(user)
    if allowed is None:
        return True
    if not allowed:
        return False
    if obj is None:
        return True
    owner = institution_of(obj)
    # Records no institution owns (works, people, places) are shared: any curator edits them.
    return owner is None or owner in allowed
