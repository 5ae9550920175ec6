"""Writes of the reading room: readers propose line corrections, curators accept or reject them.

Contracts:
- :func:`correction_propose` needs a signed-in user; the text is stripped, must be non-empty, one
  line, at most :data:`MAX_LINE_LENGTH` characters, and differ from the line (``ValidationError``
  naming the field ``text`` or ``line`` otherwise). Markup is stored as typed.
- :func:`correction_accept` / :func:`correction_reject` need a curator of the item's holding
  institution (``PermissionDenied`` otherwise) and a pending correction (``ValidationError``).
  Accepting rewrites the line in the transcription (its history records the reviewer and the
  proposer) and announces the change so search reindexes the item after the commit.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mogao.accounts import policy
from mogao.catalogue.models import Transcription
from mogao.reading.layout import lines_of, replace_line
from mogao.reading.models import MAX_LINE_LENGTH, Correction
from mogao.security import ratelimit

User = AbstractBaseUser | AnonymousUser


def clean_line_text(text: Any) -> str:
    """The proposed text, stripped; raises ``ValidationError`` for empty, multi-line or overlong text."""
    if not isinstance(text, str):
        raise ValidationError({"text": _("The correction must be text.")})
    value = text.strip()
    if not value:
        raise ValidationError({"text": _("The correction is empty: type the line as you read it.")})
    if "\n" in value or "\r" in value:
        raise ValidationError({"text": _("A correction covers one line: remove the line breaks.")})
    if len(value) > MAX_LINE_LENGTH:
        raise ValidationError(
            {"text": _("The correction is too long (at most %(n)d characters).") % {"n": MAX_LINE_LENGTH}}
        )
    if any(ord(ch) < 32 for ch in value):
        raise ValidationError({"text": _("The correction contains control characters.")})
    return value


def correction_propose(
    *, user: User, transcription: Transcription, line: int, text: Any, note: str = ""
) -> Correction:
    """Record a signed-in reader's proposal for line ``line`` (0-based) of ``transcription``."""
    if not user.is_authenticated:
        raise PermissionDenied(_("Sign in to propose a correction."))
    lines = lines_of(transcription.text, transcription.layout)
    if not isinstance(line, int) or not 0 <= line < len(lines):
        raise ValidationError({"line": _("There is no such line on this page.")})
    value = clean_line_text(text)
    if value == lines[line].text:
        raise ValidationError({"text": _("The correction is the same as the current line.")})
    if len(note) > 500:
        raise ValidationError({"note": _("The note is too long (at most 500 characters).")})
    decision = ratelimit.hit("correction", f"user:{user.pk}", settings.CORRECTION_RATE)
    if not decision.allowed:
        raise ratelimit.RateLimited(
            ngettext(
                "You have proposed many corrections in a short time; please wait %(n)d second and try again.",
                "You have proposed many corrections in a short time; please wait %(n)d seconds and try again.",
                decision.retry_after,
            ) % {"n": decision.retry_after},
            retry_after=decision.retry_after,
        )
    correction = Correction(
        transcription=transcription, line=line, original=lines[line].text, text=value, note=note.strip(),
        proposed_by=user,  # type: ignore[misc]  # an authenticated user is the AUTH_USER_MODEL
    )
    correction.full_clean()
    correction.save()
    return correction


def _review(correction: Correction, user: User) -> None:
    if not policy.can(user, "moderate", correction):
        raise PermissionDenied(_("Only curators of the holding institution may review this correction."))
    if correction.status != Correction.Status.PENDING:
        raise ValidationError({"status": _("This correction has already been reviewed.")})


@transaction.atomic
def correction_accept(*, user: User, correction: Correction, note: str = "") -> Correction:
    """Accept a pending correction: the transcription's line becomes the proposed text."""
    correction = Correction.objects.select_for_update().select_related(
        "transcription__canvas__item", "proposed_by"
    ).get(pk=correction.pk)
    _review(correction, user)
    transcription = correction.transcription
    try:
        text, layout = replace_line(
            transcription.text, transcription.layout, index=correction.line, new_text=correction.text
        )
    except IndexError as exc:
        raise ValidationError({"line": _("The line no longer exists on this page.")}) from exc
    transcription.text = text
    transcription.layout = layout
    # simple-history reads these two attributes for the historical record's attribution.
    transcription._history_user = user  # type: ignore[attr-defined]
    transcription._change_reason = (  # type: ignore[attr-defined]
        f"correction #{correction.pk} of line {correction.line + 1} "
        f"proposed by {correction.proposed_by.get_username()}"
    )
    transcription.save()
    correction.status = Correction.Status.ACCEPTED
    correction.reviewed_by = user  # type: ignore[assignment]
    correction.reviewed_at = timezone.now()
    correction.review_note = note[:500]
    correction.save()
    return correction


@transaction.atomic
def correction_reject(*, user: User, correction: Correction, note: str = "") -> Correction:
    """Reject a pending correction; the transcription is unchanged."""
    correction = Correction.objects.select_for_update().select_related("transcription__canvas__item").get(
        pk=correction.pk
    )
    _review(correction, user)
    correction.status = Correction.Status.REJECTED
    correction.reviewed_by = user  # type: ignore[assignment]
    correction.reviewed_at = timezone.now()
    correction.review_note = note[:500]
    correction.save()
    return correction
