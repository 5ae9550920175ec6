"""Reactions as a source of recommendations (#15): "because you reacted to X".

Registered with :func:`mogao.saved.recommend.register_source` in ``SavedConfig.ready``. Only the
reader's own reactions (something they did on purpose) are read: reactions to an item, and to a
page (canvas) of an item, both count as reacting to that item. Items the reader may no longer see
are skipped; :func:`mogao.saved.recommend.recommendations_for` already honours
``Profile.recommendations`` (off: nothing is read at all).
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType

from mogao.saved.recommend import MAX_SOURCES, Source


def reacted_sources(user: Any) -> list[Source]:
    """The items ``user`` reacted to (directly or to one of their pages), most recent first."""
    from mogao.catalogue.models import Canvas, Item
    from mogao.catalogue.selectors import item_public_qs
    from mogao.community.models import Reaction

    if not getattr(user, "is_authenticated", False):
        return []
    item_ct = ContentType.objects.get_for_model(Item)
    canvas_ct = ContentType.objects.get_for_model(Canvas)
    rows = (Reaction.objects.filter(user_id=user.pk, content_type__in=[item_ct, canvas_ct])
            .order_by("-created").values_list("content_type_id", "object_id")[: MAX_SOURCES * 4])
    canvas_ids = [oid for ct, oid in rows if ct == canvas_ct.pk]
    canvas_item = dict(Canvas.objects.filter(pk__in=canvas_ids).values_list("pk", "item_id"))
    ordered: list[int] = []
    for ct, oid in rows:
        item_id = oid if ct == item_ct.pk else canvas_item.get(oid)
        if item_id is not None and item_id not in ordered:
            ordered.append(item_id)
    found = {i.pk: i for i in item_public_qs().filter(pk__in=ordered).select_related("institution", "find_place")}
    return [Source(item=found[i], verb="reacted") for i in ordered if i in found][:MAX_SOURCES]
