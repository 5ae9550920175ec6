"""Reads of saved collections; every one asks :mod:`mogao.accounts.policy`."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from mogao.accounts import policy
from mogao.catalogue.models import Item
from mogao.saved.models import ReaderCollection, SavedEntry


def collection_for(user: Any, pid: str, key: str | None = None) -> ReaderCollection | None:
    """The collection ``pid`` if ``user`` may view it (``key``: the secret link of an unlisted one)."""
    found = ReaderCollection.objects.filter(pid=pid).first()
    if found is None or not policy.can_view_with_link(user, found, key):
        return None
    return found


def my_collections(user: Any) -> list[ReaderCollection]:
    """The collections ``user`` may change (their own), with entry counts, latest first."""
    if not policy.can(user, "contribute", ReaderCollection):
        return []
    qs = policy.scope(user, "change", ReaderCollection.objects.all())
    return list(qs.annotate(entry_count=Count("entries")).order_by("-modified", "-id"))


def public_collections(user: Any) -> QuerySet[ReaderCollection]:
    """What ``user`` may see listed (public and approved, own, moderated): unlisted never appear."""
    return policy.scope(user, "view", ReaderCollection.objects.all())


def entries_for(user: Any, collection: ReaderCollection) -> list[SavedEntry]:
    """The entries of ``collection`` whose item ``user`` may view, in order."""
    items = policy.scope(user, "view", Item.objects.all())
    return list(
        collection.entries.filter(item__in=items)
        .select_related("item__institution", "canvas")
        .order_by("position", "id")
    )


def saved_item_ids(user: Any) -> list[int]:
    """Ids of the items ``user`` saved (any collection of theirs), most recently saved first."""
    if not getattr(user, "is_authenticated", False):
        return []
    rows = (SavedEntry.objects.filter(collection__author=user).order_by("-created", "-id")
            .values_list("item_id", flat=True))
    seen: dict[int, None] = {}
    for item_id in rows[:1000]:
        seen.setdefault(item_id, None)
    return list(seen)
