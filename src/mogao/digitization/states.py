"""The lifecycle of a digitization request as one table and one service, :func:`transition`.

requested → triaged (accepted | declined with a reason | merged as a duplicate) → scheduled (with an
expected month) → imaging → quality check → published. Published is normally reached by Mogao itself
when images are attached to the item (see :mod:`mogao.digitization.publish`); a curator may also
publish from quality check. Every step is a :class:`~mogao.digitization.models.Transition` row.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mogao.digitization.models import OPEN, Request, RequestReader, Status, Transition

S = Status
#: from status -> the statuses a curator may move a request to
TABLE: dict[str, frozenset[str]] = {
    S.REQUESTED: frozenset({S.ACCEPTED, S.DECLINED, S.MERGED}),
    S.ACCEPTED: frozenset({S.SCHEDULED, S.DECLINED, S.MERGED}),
    S.SCHEDULED: frozenset({S.IMAGING, S.DECLINED, S.ACCEPTED}),
    S.IMAGING: frozenset({S.QUALITY}),
    S.QUALITY: frozenset({S.PUBLISHED, S.IMAGING}),
    S.DECLINED: frozenset(),
    S.MERGED: frozenset(),
    S.PUBLISHED: frozenset(),
}
#: statuses Mogao itself may reach from any open status (images attached to the item)
SYSTEM_TARGETS = frozenset({S.PUBLISHED})


class Refused(ValidationError):
    """A transition the table or the policy does not allow; ``messages`` says why, translated."""


def allowed_targets(status: str) -> list[str]:
    return sorted(TABLE.get(status, frozenset()))


def _label(status: str) -> str:
    try:
        return str(Status(status).label)
    except ValueError:
        return status


def transition(request: Request | int, to: str, user: Any | None, *, system: bool = False,
               reason: str = "", expected_month: datetime.date | None = None,
               merged_into: Request | int | None = None) -> Request:
    """Move ``request`` to ``to`` as ``user`` (``system=True``: Mogao itself), or raise :class:`Refused`.

    Checks the policy and the table on the row locked with ``select_for_update`` in one transaction,
    so two curators acting at once cannot both move it from the same status.
    """
    from mogao.accounts import policy

    pk = request if isinstance(request, int) else request.pk
    reason = (reason or "").strip()
    with transaction.atomic():
        obj = Request.objects.select_for_update().select_related("item").get(pk=pk)
        if not system and (user is None or not policy.can(user, "triage", obj)):
            raise Refused(_("Only curators of the holding institution may act on this request."))
        targets = SYSTEM_TARGETS if system and obj.status in OPEN else TABLE.get(obj.status, frozenset())
        if to not in targets:
            raise Refused(_("A request cannot go from “%(from)s” to “%(to)s”.")
                          % {"from": _label(obj.status), "to": _label(to)})
        if len(reason) > 2000:
            raise Refused({"reason": [_("The reason is too long (at most 2,000 characters).")]})
        target: Request | None = None
        if to == S.DECLINED:
            if not reason:
                raise Refused({"reason": [_("Say why the request is declined.")]})
            obj.decline_reason = reason
        elif to == S.SCHEDULED:
            if expected_month is None:
                raise Refused({"expected_month": [_("Give the month the images are expected.")]})
            obj.expected_month = expected_month.replace(day=1)
        elif to == S.MERGED:
            target_pk = merged_into.pk if isinstance(merged_into, Request) else merged_into
            target = (Request.objects.select_for_update().filter(pk=target_pk, status__in=OPEN,
                                                                 item_id=obj.item_id).exclude(pk=obj.pk).first()
                      if target_pk else None)
            if target is None:
                raise Refused({"merged_into": [_("Choose another open request for the same item.")]})
            obj.merged_into = target
        elif to == S.PUBLISHED:
            obj.published = timezone.now()
        before = obj.status
        obj.status = to
        obj.save()
        Transition.objects.create(request=obj, from_status=before, to_status=to,
                                  by=None if system else user, reason=reason)
        if target is not None:
            _move_readers(obj, target)
        _sync_item(obj)
        transaction.on_commit(lambda: _after(obj.pk, to, target.pk if target else None))
    return obj


def _move_readers(source: Request, target: Request) -> None:
    """The readers of a duplicate join the request it was merged into (each counted once)."""
    have = set(target.readers.values_list("user_id", flat=True))
    RequestReader.objects.bulk_create([
        RequestReader(request=target, user_id=r.user_id, purpose=r.purpose, note=r.note)
        for r in source.readers.all() if r.user_id not in have
    ], ignore_conflicts=True)


def _sync_item(obj: Request) -> None:
    """The item's catalogue status follows its requests (requested, scheduled; back when none is open)."""
    from mogao.catalogue.models import Item

    item = Item.objects.filter(pk=obj.item_id).values_list("digitization_status", flat=True).first()
    if item is None or item == Item.Status.DIGITIZED:
        return
    open_statuses = set(Request.objects.filter(item_id=obj.item_id, status__in=OPEN)
                        .values_list("status", flat=True))
    if open_statuses & {S.SCHEDULED, S.IMAGING, S.QUALITY}:
        wanted = Item.Status.SCHEDULED
    elif open_statuses:
        wanted = Item.Status.REQUESTED
    elif obj.status == S.PUBLISHED:
        wanted = Item.Status.DIGITIZED
    else:
        wanted = Item.Status.CATALOGUED
    if wanted != item:
        Item.objects.filter(pk=obj.item_id).update(digitization_status=wanted)


def _after(pk: int, to: str, target_pk: int | None) -> None:
    from mogao.digitization import notices, priority

    priority.recompute([pk] + ([target_pk] if target_pk else []))
    if to == S.PUBLISHED:
        notices.published(pk)
