"""Requests reach *published* by themselves when images are attached to their item.

Subscribed to the one change channel (:data:`mogao.core.changes.changes_committed`): whatever
attached the images (image folder import, IIIF import, ``mogao images add --item``, the admin), the
committed canvases name the items to look at.
"""

from __future__ import annotations

import logging
from typing import Any

from mogao.catalogue.models import Canvas
from mogao.core.changes import ChangeSet
from mogao.digitization.models import OPEN, Request, Status

log = logging.getLogger(__name__)


def on_changes(sender: Any, changes: ChangeSet, **kwargs: Any) -> None:
    if not changes.touches(Canvas):
        return
    items = set(Canvas.objects.filter(pk__in=changes.saved_pks(Canvas)).values_list("item_id", flat=True))
    if Canvas in changes.whole_models:
        items |= set(changes.items)
    if not items:
        return
    publish_covered(items)


def publish_covered(item_ids: set[int]) -> list[int]:
    """Publish every open request of these items whose pages now all have images."""
    from mogao.digitization.services import is_covered
    from mogao.digitization.states import Refused, transition

    done = []
    for request in Request.objects.filter(item_id__in=item_ids, status__in=OPEN).select_related("item"):
        if not is_covered(request):
            continue
        try:
            transition(request, Status.PUBLISHED, None, system=True)
            done.append(request.pk)
        except Refused:  # published meanwhile by another process
            log.info("request %s was not published: %s", request.pk, "already moved")
    return done
