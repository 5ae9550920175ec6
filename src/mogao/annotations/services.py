"""Reads and writes of annotations; every permission is the policy's (#15)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from mogao.accounts import policy
from mogao.annotations.jsonld import Parsed
from mogao.annotations.models import Annotation
from mogao.catalogue.models import Canvas
from mogao.community.models import Status, Visibility
from mogao.community.trust import initial_status

CREATE_RATE = "30/hour"
#: Edits (PUT) have their own budget, so that editing a note does not use up the creations.
EDIT_RATE = "60/hour"


def canvas_for(user: Any, pk: int) -> Canvas | None:
    """The canvas with ``pk`` if ``user`` may view it (else None, answered like a missing one)."""
    canvas = Canvas.objects.select_related("item", "item__institution").filter(pk=pk).first()
    if canvas is None or not policy.can(user, "view", canvas):
        return None
    return canvas


def visible(user: Any, canvas: Canvas) -> QuerySet[Annotation]:
    """The annotations of ``canvas`` that ``user`` may see, oldest first."""
    qs = Annotation.objects.filter(canvas=canvas).select_related("canvas__item", "group")
    return policy.scope(user, "view", qs).order_by("created", "pk")


def public(canvas_ids: list[int]) -> QuerySet[Annotation]:
    """Public and published annotations of these canvases (what a manifest may carry)."""
    return (Annotation.objects.filter(canvas_id__in=canvas_ids, visibility=Visibility.PUBLIC,
                                      status=Status.APPROVED)
            .select_related("canvas__item").order_by("created", "pk"))


def _apply(annotation: Annotation, parsed: Parsed) -> None:
    annotation.text = parsed.text
    annotation.language = parsed.language
    annotation.purpose = parsed.purpose
    annotation.tags = parsed.tags
    annotation.visibility = parsed.visibility
    annotation.group = parsed.group
    if parsed.region is not None:
        annotation.x, annotation.y, annotation.w, annotation.h = parsed.region
        annotation.transcription, annotation.text_start, annotation.text_end, annotation.exact = None, None, None, ""
    elif parsed.text_range is not None:
        annotation.x = annotation.y = annotation.w = annotation.h = None
        annotation.transcription = parsed.transcription
        annotation.text_start, annotation.text_end = parsed.text_range
        annotation.exact = parsed.exact


@transaction.atomic
def create(user: Any, canvas: Canvas, parsed: Parsed) -> Annotation:
    annotation = Annotation(canvas=canvas, author=user)
    _apply(annotation, parsed)
    annotation.status = initial_status(user, annotation.visibility)
    annotation.save()
    from mogao import audience  # counted per language and page, never per person (#18)

    audience.record("annotation", target_type="canvas", target_id=canvas.pk)
    return annotation


@transaction.atomic
def update(user: Any, annotation: Annotation, parsed: Parsed) -> Annotation:
    """Replace an annotation (PUT); a public one edited by an untrusted author waits for review again."""
    was = annotation.status
    _apply(annotation, parsed)
    status = initial_status(user, annotation.visibility)
    if annotation.visibility == Visibility.PUBLIC and was in (Status.HIDDEN, Status.REJECTED):
        status = Status.PENDING  # a moderator's decision is not undone by editing
    annotation.status = status
    annotation.version += 1
    annotation.save()
    return annotation


def delete(annotation: Annotation) -> None:
    annotation.delete()


def moderate(user: Any, annotation: Annotation, status: str, reason: str = "") -> None:
    """Approve, hide or reject (the moderation queue of mogao.discussion calls the same fields)."""
    from django.utils import timezone

    if not policy.can(user, "moderate", annotation):
        raise PermissionError("not a moderator of this annotation")
    annotation.status, annotation.status_reason = status, reason
    annotation.decided_by, annotation.decided_at = user, timezone.now()
    annotation.version += 1
    annotation.save()
