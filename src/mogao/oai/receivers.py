"""Signal receivers that turn deletions and visibility changes of items into tombstones.

They listen to Django's model signals rather than the catalogue services' ``catalogue_changed``
so that edits made in the admin, the API or a shell are caught too.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from mogao.catalogue.models import Item, Visibility
from mogao.oai import services
from mogao.oai.sets import item_set_specs

_WAS_PUBLIC = "_oai_was_public"
_SETS = "_oai_sets"


def _before_save(sender: type[Item], instance: Item, raw: bool = False, **kwargs: Any) -> None:
    if raw or instance.pk is None:
        setattr(instance, _WAS_PUBLIC, False)
        return
    old = Item.objects.filter(pk=instance.pk).values_list("visibility", flat=True).first()
    was_public = old == Visibility.PUBLIC
    setattr(instance, _WAS_PUBLIC, was_public)
    if was_public and instance.visibility != Visibility.PUBLIC:
        # The sets must be read while the item's relations still say what they said in public.
        setattr(instance, _SETS, item_set_specs(instance))


def _after_save(sender: type[Item], instance: Item, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    if instance.visibility == Visibility.PUBLIC:
        services.tombstone_clear(pid=instance.pid)
    elif getattr(instance, _WAS_PUBLIC, False):
        services.tombstone_record(
            pid=instance.pid, reason=instance.visibility, sets=getattr(instance, _SETS, ()),
        )


def _before_delete(sender: type[Item], instance: Item, **kwargs: Any) -> None:
    if instance.visibility == Visibility.PUBLIC:
        setattr(instance, _SETS, item_set_specs(instance))


def _after_delete(sender: type[Item], instance: Item, **kwargs: Any) -> None:
    if instance.visibility == Visibility.PUBLIC:
        services.tombstone_record(pid=instance.pid, reason="deleted", sets=getattr(instance, _SETS, ()))


def connect() -> None:
    """Connect the receivers (called once from the app's ``ready``)."""
    pre_save.connect(_before_save, sender=Item, dispatch_uid="oai.item.pre_save")
    post_save.connect(_after_save, sender=Item, dispatch_uid="oai.item.post_save")
    pre_delete.connect(_before_delete, sender=Item, dispatch_uid="oai.item.pre_delete")
    post_delete.connect(_after_delete, sender=Item, dispatch_uid="oai.item.post_delete")
