"""Reader corrections of a transcription, proposed line by line and reviewed by curators.

A correction keeps the line as it was when proposed (``original``) so reviewers see what changed,
and who proposed and who reviewed it (attribution); its own history records every status change.
Proposed text is stored exactly as typed (markup included) and only ever shown escaped.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

#: The longest line a reader may propose (a column of a scroll holds about 17-30 characters).
MAX_LINE_LENGTH = 400


class Correction(models.Model):
    """A proposed new text for one line of one transcription."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending review")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")

    transcription = models.ForeignKey(
        "catalogue.Transcription", on_delete=models.CASCADE, related_name="corrections",
        verbose_name=_("transcription"),
    )
    line = models.PositiveIntegerField(_("line"), help_text=_("Index of the line in the layout, from 0."))
    original = models.TextField(_("line as it was"), blank=True)
    text = models.TextField(_("proposed text"))
    note = models.CharField(_("reader's note"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposed_corrections",
        verbose_name=_("proposed by"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="reviewed_corrections", verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.CharField(_("reviewer's note"), max_length=500, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["status", "created"])]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")

    def __str__(self) -> str:
        return f"#{self.pk} line {self.line + 1} ({self.status})"
