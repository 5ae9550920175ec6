"""Writes of the discussion: post, edit, delete comments; report contributions.

Contracts (every refusal raises before anything is written):
- the user must be allowed by the policy (``contribute``, ``change``, ``delete``, ``report``);
  ``PermissionDenied`` otherwise;
- bodies are cleaned (:func:`mogao.discussion.render.clean_body`), non-empty and at most
  :data:`~mogao.discussion.models.MAX_BODY` characters; languages one of
  :data:`~mogao.discussion.langdetect.LANGUAGES` (empty: detected); ``ValidationError`` naming
  the field (``body``, ``language``, ``parent``, ``reason``, ``note``) otherwise;
- posting and reporting count against per-account rate limits (``settings.COMMENT_RATE``,
  ``settings.REPORT_RATE``): ``RateLimited`` once used up;
- a comment starts in :func:`mogao.community.trust.initial_status` (untrusted readers wait for a
  moderator); an untrusted author's edit of a published comment sends it back to review.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mogao.accounts import policy
from mogao.community.models import Status, Visibility
from mogao.community.trust import initial_status
from mogao.discussion import langdetect, targets
from mogao.discussion.models import MAX_BODY, MAX_REASON, Comment, Report, for_contribution
from mogao.discussion.render import clean_body
from mogao.security import ratelimit


def _limited(scope: str, user: Any, rate: str) -> None:
    decision = ratelimit.hit(scope, f"user:{user.pk}", rate)
    if not decision.allowed:
        raise ratelimit.RateLimited(
            ngettext(
                "You have written a lot in a short time; please wait %(n)d second and try again.",
                "You have written a lot in a short time; please wait %(n)d seconds and try again.",
                decision.retry_after,
            ) % {"n": decision.retry_after},
            retry_after=decision.retry_after,
        )


def clean_comment(body: Any, language: Any) -> tuple[str, str]:
    """``(body, language)`` as stored; ``ValidationError`` naming ``body`` or ``language``."""
    if not isinstance(body, str):
        raise ValidationError({"body": _("The comment must be text.")})
    if len(body) > MAX_BODY * 2:  # before cleaning: do not even look at a huge body
        raise ValidationError({"body": _("The comment is too long (at most %(n)d characters).") % {"n": MAX_BODY}})
    text = clean_body(body)
    if not text:
        raise ValidationError({"body": _("The comment is empty.")})
    if len(text) > MAX_BODY:
        raise ValidationError({"body": _("The comment is too long (at most %(n)d characters).") % {"n": MAX_BODY}})
    language = language if isinstance(language, str) else ""
    if not language:
        language = langdetect.detect(text)
    if language not in langdetect.LANGUAGES:
        raise ValidationError({"language": _("Choose a language from the list.")})
    return text, language


@transaction.atomic
def comment_post(*, user: Any, target: Any, body: Any, language: Any = "", parent: Comment | None = None) -> Comment:
    """A new comment (or reply to ``parent``) by ``user`` on ``target``."""
    if not policy.can(user, "contribute", Comment):
        raise PermissionDenied(_("Sign in to comment."))
    if target is None or not targets.is_target(target) or not policy.can(user, "view", target):
        raise ValidationError({"target": _("There is no such record to comment on.")})
    ct = targets.content_type(target)
    if parent is not None and ((parent.target_type_id, parent.target_id) != (ct.pk, target.pk)
                               or parent.deleted or not policy.can(user, "view", parent)):
        raise ValidationError({"parent": _("You can only reply to a comment of this page.")})
    text, language = clean_comment(body, language)
    _limited("comment", user, settings.COMMENT_RATE)
    comment = Comment(
        author=user, target_type=ct, target_id=target.pk, parent=parent, institution_id=targets.holder_of(target),
        body=text, language=language, visibility=Visibility.PUBLIC,
        status=initial_status(user, Visibility.PUBLIC),
    )
    comment.full_clean(exclude=["author", "decided_by", "group"])
    comment.save()
    from mogao import audience  # counted per language and record, never per person (#18)

    audience.record("comment", target_type=target._meta.model_name[:16], target_id=target.pk)
    return comment


@transaction.atomic
def comment_edit(*, user: Any, comment: Comment, body: Any, language: Any = "") -> Comment:
    """The author's new text (and language); nobody else may edit a comment."""
    if not policy.can(user, "change", comment) or comment.deleted:
        raise PermissionDenied(_("Only its author may edit this comment."))
    text, language = clean_comment(body, language)
    _limited("comment", user, settings.COMMENT_RATE)
    comment.body = text
    comment.language = language
    comment.edited = timezone.now()
    if comment.status == Status.APPROVED and initial_status(user, comment.visibility) == Status.PENDING:
        comment.status = Status.PENDING
    comment._change_reason = "edited by its author"  # type: ignore[attr-defined]
    comment.save()
    return comment


@transaction.atomic
def comment_delete(*, user: Any, comment: Comment) -> None:
    """Delete a comment: a comment with replies keeps its place in the thread, emptied."""
    if not policy.can(user, "delete", comment):
        raise PermissionDenied(_("Only its author may delete this comment."))
    if comment.replies.exists():
        comment.deleted = True
        comment.body = ""
        comment._change_reason = "deleted"  # type: ignore[attr-defined]
        comment.save()
    else:
        comment.delete()


@transaction.atomic
def report_create(*, user: Any, contribution: Any, reason: Any, note: Any = "") -> Report:
    """``user`` reports a public contribution (once; a second report updates the first)."""
    if not policy.can(user, "report", contribution):
        raise PermissionDenied(_("You cannot report this."))
    if reason not in Report.Reason.values:
        raise ValidationError({"reason": _("Choose a reason from the list.")})
    note = clean_body(note if isinstance(note, str) else "")
    if len(note) > MAX_REASON:
        raise ValidationError({"note": _("The note is too long (at most %(n)d characters).") % {"n": MAX_REASON}})
    _limited("report", user, settings.REPORT_RATE)
    report, _created = Report.objects.update_or_create(
        **for_contribution(type(contribution), contribution), reporter=user,
        defaults={"reason": reason, "note": note, "resolved": None},
    )
    return report
