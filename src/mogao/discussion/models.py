"""Comments, reports and moderation decisions (#15).

A :class:`Comment` is a reader contribution (:class:`mogao.community.models.Contribution`) about a
*target* reached through a generic relation: an item or a work today, a story later (the kinds are
listed in :mod:`mogao.discussion.targets`). Replies point at their ``parent`` on the same target.
Bodies are stored as typed (control and bidirectional-override characters removed) and only ever
shown through :func:`mogao.discussion.render.body_html` (escaped, then nh3).

``institution`` copies the holder of the target when there is one (items), so curators of that
institution moderate the comment (``HOLDER_PATH``); works belong to no institution, so their
comments are moderated by moderators only.

:class:`Report` (any signed-in reader flags a public contribution of any kind) and
:class:`ModerationDecision` (approve / hide / reject with a reason, for any kind) point at their
contribution through a generic relation too, so the moderation queue covers every
``Contribution`` subclass, including the apps of other issues.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mogao.community.models import Contribution

#: The longest comment body, in characters.
MAX_BODY = 4000
#: The longest reason (report or moderation decision), in characters.
MAX_REASON = 500


class Comment(Contribution):
    """A reader's comment (or reply) on an item, a work or any registered target."""

    HOLDER_PATH: ClassVar[str] = "institution_id"

    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+",
                                    verbose_name=_("kind of record"))
    target_id = models.PositiveBigIntegerField(_("record id"))
    target = GenericForeignKey("target_type", "target_id")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies",
                               verbose_name=_("in reply to"))
    institution = models.ForeignKey("catalogue.Institution", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("holding institution"))
    body = models.TextField(_("comment"), max_length=MAX_BODY)
    deleted = models.BooleanField(_("deleted by its author"), default=False)
    edited = models.DateTimeField(_("edited"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["modified"])

    class Meta:
        ordering = ["created", "id"]
        indexes = [models.Index(fields=["target_type", "target_id", "created"])]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        text = " ".join(self.body.split())
        return f"#{self.pk}: {text[:60]}"

    def moderation_text(self) -> str:
        """What a moderator reads (the moderation queue asks every contribution for this)."""
        return self.body

    def erase_for_account_deletion(self) -> bool:
        """Account deletion (:mod:`mogao.community.deletion`): a comment others replied to keeps its
        place in the thread, emptied and nameless, so their replies stay; ``False``: delete it."""
        if not self.replies.exists():
            return False
        self.deleted, self.body, self.author = True, "", None
        self.save()
        return True


class Report(models.Model):
    """A reader tells the moderators that a public contribution breaks the rules."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        ABUSE = "abuse", _("Abusive or hateful")
        WRONG = "wrong", _("Misleading or off topic")
        PRIVATE = "private", _("Personal data")
        OTHER = "other", _("Something else")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("kind of contribution"))
    object_id = models.PositiveBigIntegerField(_("contribution id"))
    contribution = GenericForeignKey("content_type", "object_id")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("reported by"))
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    note = models.CharField(_("note"), max_length=MAX_REASON, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    resolved = models.DateTimeField(_("resolved"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [models.UniqueConstraint(fields=["content_type", "object_id", "reporter"],
                                               name="discussion_one_report_per_reader")]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return f"{self.content_type.model} #{self.object_id}: {self.reason}"


class ModerationDecision(models.Model):
    """One moderator's decision on one contribution (the queue's history of every kind)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("kind of contribution"))
    object_id = models.PositiveBigIntegerField(_("contribution id"))
    contribution = GenericForeignKey("content_type", "object_id")
    status = models.CharField(_("status"), max_length=10)
    previous = models.CharField(_("previous status"), max_length=10)
    reason = models.CharField(_("reason"), max_length=MAX_REASON, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = _("moderation decision")
        verbose_name_plural = _("moderation decisions")

    def __str__(self) -> str:
        return f"{self.content_type.model} #{self.object_id}: {self.previous} → {self.status}"


def for_contribution(model: type[Any], obj: Any) -> dict[str, Any]:
    """Filter keywords of reports and decisions about ``obj``."""
    return {"content_type": ContentType.objects.get_for_model(model), "object_id": obj.pk}
