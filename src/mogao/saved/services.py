"""Writes of saved collections: each in one transaction, after every field was validated.

Moderation: a *public* collection by a reader who is not trusted waits for review
(:func:`mogao.community.trust.initial_status`). Any later change of its text (name, description,
a note) by such a reader sends it back to review; saving an entry without a note does not.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max

from mogao.accounts import policy
from mogao.community.models import Visibility
from mogao.community.trust import initial_status
from mogao.saved.models import COLLECTIONS_MAX, ENTRIES_MAX, ReaderCollection, SavedEntry, Sharing, new_token


class Refused(Exception):
    """A write the policy or a limit refuses; ``field`` names the field to blame (or ``""``)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def _require(user: Any, action: str, obj: Any) -> None:
    if not policy.can(user, action, obj):
        raise Refused("not allowed")


def _apply_sharing(collection: ReaderCollection, sharing: str, user: Any) -> None:
    collection.visibility = Visibility.PUBLIC if sharing == Sharing.PUBLIC else Visibility.PRIVATE
    collection.unlisted = sharing == Sharing.UNLISTED
    _review(collection, user)


def _review(collection: ReaderCollection, user: Any) -> None:
    """The status after a change by ``user``: public text by an untrusted reader waits for review."""
    status = initial_status(user, collection.visibility)
    if status != collection.status:
        collection.status = status
        collection.decided_by = None
        collection.decided_at = None


def create_collection(*, user: Any, name: str, description: str = "", sharing: str = Sharing.PRIVATE,
                      language: str = "") -> ReaderCollection:
    from django.utils.translation import gettext as _

    _require(user, "contribute", ReaderCollection)
    if ReaderCollection.objects.filter(author=user).count() >= COLLECTIONS_MAX:
        raise Refused(_("You have reached the limit of %(n)s collections.") % {"n": COLLECTIONS_MAX}, "name")
    collection = ReaderCollection(author=user, name=name, description=description, language=language[:35])
    _apply_sharing(collection, sharing, user)
    collection.full_clean()
    collection.save()
    return collection


@transaction.atomic
def update_collection(collection: ReaderCollection, *, user: Any, name: str, description: str,
                      sharing: str) -> ReaderCollection:
    _require(user, "change", collection)
    text_changed = (name, description) != (collection.name, collection.description)
    was = collection.sharing
    collection.name, collection.description = name, description
    if sharing != was or text_changed:
        _apply_sharing(collection, sharing, user)
    collection.full_clean()
    collection.save()
    return collection


@transaction.atomic
def new_link(collection: ReaderCollection, *, user: Any) -> ReaderCollection:
    """A new secret link: whoever held the old one can no longer open the collection."""
    _require(user, "change", collection)
    collection.link_token = new_token()
    collection.save(update_fields=["link_token", "modified"])
    return collection


def delete_collection(collection: ReaderCollection, *, user: Any) -> None:
    _require(user, "delete", collection)
    collection.delete()


@transaction.atomic
def save_entry(*, user: Any, collection: ReaderCollection | None, new_name: str = "", item: Any,
               kind: str, canvas: Any = None, region: tuple[int, int, int, int] | None = None,
               note: str = "") -> SavedEntry:
    """Save ``item`` (or a page, or a region) to ``collection`` (``None``: a new one named ``new_name``).

    Saving the same thing twice keeps one entry (a new note replaces the old one). Validation is
    done by the caller's form; this checks the policy, the limits and the entry's shape, and writes
    nothing unless everything holds.
    """
    from django.utils.translation import gettext as _

    if not policy.can(user, "view", item):
        raise Refused(_("No such item."), "item")
    if collection is None:
        collection = create_collection(user=user, name=new_name)
    else:
        collection = ReaderCollection.objects.select_for_update().get(pk=collection.pk)
    _require(user, "change", collection)
    x = y = w = h = None
    if kind == SavedEntry.Kind.REGION:
        if canvas is None or region is None:
            raise Refused(_("A region needs a page and x,y,width,height."), "xywh")
        x, y, w, h = region
    elif kind == SavedEntry.Kind.ITEM:
        canvas = None
    if canvas is not None and canvas.item_id != item.pk:
        raise Refused(_("This page belongs to another item."), "page")
    existing = SavedEntry.objects.filter(collection=collection, kind=kind, item=item, canvas=canvas,
                                         x=x, y=y, w=w, h=h).first()
    if existing is not None:
        if note and note != existing.note:
            existing.note = note
            existing.save(update_fields=["note"])
            _touch(collection, user, text_changed=True)
        return existing
    if collection.entries.count() >= ENTRIES_MAX:
        raise Refused(_("A collection holds at most %(n)s entries.") % {"n": ENTRIES_MAX}, "collection")
    position = (collection.entries.aggregate(m=Max("position"))["m"] or 0) + 1
    entry = SavedEntry(collection=collection, kind=kind, item=item, canvas=canvas, x=x, y=y, w=w, h=h,
                       note=note, position=position)
    entry.full_clean()
    entry.save()
    _touch(collection, user, text_changed=bool(note))
    from mogao import audience  # counted per language and item, never per person or collection (#18)

    audience.record("save", target_type="item", target_id=item.pk)
    return entry


def _touch(collection: ReaderCollection, user: Any, *, text_changed: bool) -> None:
    if text_changed and collection.visibility == Visibility.PUBLIC:
        _review(collection, user)
    collection.save(update_fields=["status", "decided_by", "decided_at", "modified"])


@transaction.atomic
def update_note(entry: SavedEntry, *, user: Any, note: str) -> SavedEntry:
    _require(user, "change", entry.collection)
    if note != entry.note:
        entry.note = note
        entry.full_clean()
        entry.save(update_fields=["note"])
        _touch(entry.collection, user, text_changed=bool(note))
    return entry


@transaction.atomic
def remove_entry(entry: SavedEntry, *, user: Any) -> None:
    _require(user, "change", entry.collection)
    collection = entry.collection
    entry.delete()
    _touch(collection, user, text_changed=False)
