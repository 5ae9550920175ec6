"""Readers ask for an item (or a missing page range) to be digitized; later readers join the request."""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from mogao.catalogue.models import Canvas, Item, Visibility
from mogao.digitization.models import NOTE_MAX, OPEN, Pledge, Purpose, Request, RequestReader, Status, Transition

log = logging.getLogger(__name__)


class NotFound(Exception):
    """The item does not exist or the reader may not know it exists (answered as 404)."""


@dataclass(frozen=True)
class Availability:
    """Whether an item can be requested, and which page ranges are missing."""

    online: bool
    restricted: bool
    ranges: list[tuple[int, int]]  # (first, last) missing page ranges; [(0, 0)]: the whole item

    @property
    def requestable(self) -> bool:
        return not self.online and not self.restricted


def missing_ranges(item: Item) -> list[tuple[int, int]]:
    """Runs of pages without an image; ``[(0, 0)]`` when no page has one (the whole item is wanted)."""
    rows = list(Canvas.objects.filter(item=item).order_by("order").values_list("order", "image_id", "service_url"))
    if not any(image or service for _o, image, service in rows):
        return [(0, 0)]
    ranges: list[tuple[int, int]] = []
    start: int | None = None
    last = 0
    for order, image, service in rows:
        if not (image or service):
            if start is None:
                start = order
            last = order
        elif start is not None:
            ranges.append((start, last))
            start = None
    if start is not None:
        ranges.append((start, last))
    return ranges


def availability(item: Item) -> Availability:
    restricted = item.visibility != Visibility.PUBLIC
    ranges = missing_ranges(item)
    return Availability(online=not ranges, restricted=restricted, ranges=ranges)


def is_covered(request: Request) -> bool:
    """True when the pages a request asks for all have images now."""
    canvases = Canvas.objects.filter(item_id=request.item_id)
    with_image = Q(~Q(image_id="") | ~Q(service_url=""))
    if not request.is_range:
        return canvases.filter(with_image).exists()
    wanted = canvases.filter(order__gte=request.first_canvas, order__lte=request.last_canvas)
    return wanted.exists() and not wanted.exclude(with_image).exists()


def clean_note(note: str) -> str:
    """A reader's note as plain text (never interpreted as markup; escaped wherever shown)."""
    text = "".join(ch for ch in (note or "") if ch in "\n\t" or ord(ch) >= 32).replace("\r", "")
    return text.strip()


def readers_count(request: Request) -> int:
    return RequestReader.objects.filter(request=request).count()


def with_counts(qs: QuerySet[Request]) -> QuerySet[Request]:
    return qs.annotate(n_readers=Count("readers", distinct=True))


def request_digitization(*, user: Any, item: Item, purpose: str, note: str = "",
                         first: int = 0, last: int = 0) -> tuple[Request, bool]:
    """Ask for ``item`` (or pages ``first``–``last``) as ``user``; returns (request, created).

    A reader who asks for what another already asked for joins that request. Raises
    :class:`NotFound` when the reader may not see the item, and ``ValidationError`` (field messages)
    when it is online, restricted, already asked for by this reader, or the input is wrong. Nothing
    is written when it raises.
    """
    from mogao.accounts import policy
    from mogao.security import ratelimit

    if not policy.can(user, "view", item):
        raise NotFound
    errors: dict[str, list[str]] = {}
    if purpose not in Purpose.values:
        errors["purpose"] = [_("Choose a purpose: research, teaching, publication or personal interest.")]
    if len(note or "") > NOTE_MAX:
        errors["note"] = [_("The note is too long (at most 2,000 characters).")]
    state = availability(item)
    if state.restricted:
        raise ValidationError({"__all__": [_("This item is not public: its holder cannot serve it to readers, "
                                             "so it cannot be requested.")]})
    if state.online:
        raise ValidationError({"__all__": [_("This item is already online: %(url)s") % {
            "url": item.get_absolute_url()}]})
    if (first, last) not in state.ranges:
        errors["pages"] = [_("Choose one of the missing page ranges.")]
    if errors:
        raise ValidationError(errors)
    if not policy.can(user, "request", item):
        raise ValidationError({"__all__": [_("Sign in to request digitization.")]})
    rate = getattr(settings, "DIGITIZATION_REQUEST_RATE", "20/hour")
    if not ratelimit.hit("digitization-request", str(user.pk), rate).allowed:
        raise ValidationError({"__all__": [_("Too many requests from your account; please try again later.")]})
    text = clean_note(note)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                obj = Request.objects.filter(item=item, first_canvas=first, last_canvas=last,
                                             status__in=OPEN).first()
                created = obj is None
                if obj is None:
                    obj = Request.objects.create(item=item, first_canvas=first, last_canvas=last)
                    Transition.objects.create(request=obj, from_status="", to_status=Status.REQUESTED, by=user)
                try:
                    with transaction.atomic():
                        RequestReader.objects.create(request=obj, user=user, purpose=purpose, note=text)
                except IntegrityError:
                    raise ValidationError({"__all__": [
                        _("You have already asked for this; you will be told when it is online.")]}) from None
                if created:
                    from mogao.digitization.states import _sync_item

                    _sync_item(obj)
                transaction.on_commit(functools.partial(_after_request, obj.pk, created, item.pk,
                                                        item.institution_id, purpose))
            return obj, created
        except IntegrityError:  # another reader created the same request at the same moment: join it
            continue
    raise ValidationError({"__all__": [_("The request could not be saved; please try again.")]})


def _after_request(pk: int, created: bool, item_id: int, institution_id: int, purpose: str) -> None:
    from mogao.digitization import notices, priority

    try:
        from mogao import audience

        audience.record("request", item_id=item_id, institution_id=institution_id, detail=purpose)
    except Exception:  # recording never breaks a request
        log.debug("audience record failed", exc_info=True)
    priority.recompute([pk])
    if created:
        notices.new_request(pk)


def set_inputs(*, user: Any, request: Request, conservation_risk: int | None = None,
               estimated_pages: int | None = None, override_score: float | None = None,
               override_reason: str = "", clear_override: bool = False) -> Request:
    """Curator inputs to the priority; an override needs a reason and is recorded in the history."""
    from mogao.accounts import policy
    from mogao.digitization import priority
    from mogao.digitization.states import Refused

    with transaction.atomic():
        obj = Request.objects.select_for_update().get(pk=request.pk)
        if not policy.can(user, "triage", obj):
            raise Refused(_("Only curators of the holding institution may act on this request."))
        if conservation_risk is not None:
            obj.conservation_risk = conservation_risk
        if estimated_pages is not None:
            obj.estimated_pages = estimated_pages
        if clear_override:
            obj.override_score, obj.override_reason = None, ""
        elif override_score is not None:
            reason = (override_reason or "").strip()
            if not reason:
                raise Refused({"override_reason": [_("Record why the score is overridden.")]})
            if len(reason) > 2000:
                raise Refused({"override_reason": [_("The reason is too long (at most 2,000 characters).")]})
            obj.override_score, obj.override_reason = override_score, reason
        obj.save()
    priority.recompute([obj.pk])
    obj.refresh_from_db()
    return obj


def pledge(*, user: Any, request: Request, institution_id: int, kind: str, note: str = "") -> Pledge:
    from mogao.accounts import policy
    from mogao.digitization.states import Refused

    if not policy.can(user, "pledge", request):
        raise Refused(_("Only curators of another partner institution may pledge support."))
    allowed = policy.curated_institution_ids(user)
    if institution_id == request.item.institution_id or (allowed is not None and institution_id not in allowed):
        raise Refused({"institution": [_("Pledge in the name of an institution you curate, not the holder.")]})
    if kind not in Pledge.Kind.values:
        raise Refused({"kind": [_("Choose imaging capacity or funding.")]})
    if len(note or "") > NOTE_MAX:
        raise Refused({"note": [_("The note is too long (at most 2,000 characters).")]})
    return Pledge.objects.create(request=request, institution_id=institution_id, kind=kind,
                                 note=clean_note(note), by=user)
