"""Digitization requests (#17): readers ask, curators act, partners pledge; every step is recorded."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

NOTE_MAX = 2000
REASON_MAX = 2000


class Status(models.TextChoices):
    REQUESTED = "requested", _("requested")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    MERGED = "merged", _("merged as duplicate")
    SCHEDULED = "scheduled", _("scheduled")
    IMAGING = "imaging", _("imaging")
    QUALITY = "quality_check", _("quality check")
    PUBLISHED = "published", _("published")


#: Requests still waiting for images (the public queue shows these).
OPEN = (Status.REQUESTED, Status.ACCEPTED, Status.SCHEDULED, Status.IMAGING, Status.QUALITY)


class Purpose(models.TextChoices):
    RESEARCH = "research", _("research")
    TEACHING = "teaching", _("teaching")
    PUBLICATION = "publication", _("publication")
    PERSONAL = "personal", _("personal interest")


class Risk(models.IntegerChoices):
    NONE = 0, _("not assessed / none")
    LOW = 1, _("low")
    MEDIUM = 2, _("medium")
    HIGH = 3, _("high")


class Request(models.Model):
    """A request to digitize an item (or one missing page range of it), shared by every reader who wants it."""

    item = models.ForeignKey("catalogue.Item", on_delete=models.CASCADE, related_name="digitization_requests",
                             verbose_name=_("item"))
    first_canvas = models.PositiveIntegerField(
        _("first page"), default=0, help_text=_("Order of the first missing page; 0 for the whole item."))
    last_canvas = models.PositiveIntegerField(
        _("last page"), default=0, help_text=_("Order of the last missing page; 0 for the whole item."))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.REQUESTED)
    expected_month = models.DateField(_("expected month"), null=True, blank=True)
    priority = models.FloatField(_("priority"), default=0)
    breakdown = models.JSONField(_("priority breakdown"), default=list, blank=True)
    priority_computed = models.DateTimeField(_("priority computed"), null=True, blank=True)
    conservation_risk = models.PositiveSmallIntegerField(_("conservation risk"), choices=Risk.choices,
                                                         default=Risk.NONE)
    estimated_pages = models.PositiveIntegerField(_("estimated pages"), null=True, blank=True)
    override_score = models.FloatField(_("override score"), null=True, blank=True)
    override_reason = models.CharField(_("reason for the override"), max_length=REASON_MAX, blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="merged", verbose_name=_("merged into"))
    decline_reason = models.CharField(_("reason for declining"), max_length=REASON_MAX, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    published = models.DateTimeField(_("published"), null=True, blank=True)
    history = HistoricalRecords()

    #: the path from a request to its holder (the policy's scoping)
    HOLDER_PATH = "item__institution_id"

    class Meta:
        ordering = ["-priority", "created", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "first_canvas", "last_canvas"],
                condition=models.Q(status__in=[s.value for s in OPEN]),
                name="uniq_open_digitization_request",
                violation_error_message=_("This item already has an open request for these pages."),
            ),
        ]
        indexes = [models.Index(fields=["status"])]
        verbose_name = _("digitization request")
        verbose_name_plural = _("digitization requests")

    def __str__(self) -> str:
        return f"#{self.pk} {self.item} [{self.status}]"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("digitization:request", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def is_range(self) -> bool:
        return bool(self.first_canvas or self.last_canvas)

    @property
    def score(self) -> float:
        """What the queue sorts by: the curator's override when one is recorded."""
        return self.override_score if self.override_score is not None else self.priority


class RequestReader(models.Model):
    """One reader who wants a request: the first made it, the others joined it."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="readers",
                                verbose_name=_("request"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("reader"))
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    note = models.TextField(_("note"), max_length=NOTE_MAX, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["created", "pk"]
        constraints = [models.UniqueConstraint(fields=["request", "user"], name="uniq_request_reader")]
        verbose_name = _("requesting reader")
        verbose_name_plural = _("requesting readers")

    def __str__(self) -> str:
        return f"{self.request_id}: {self.user_id} ({self.purpose})"


class Transition(models.Model):
    """One step of a request's timeline: who moved it from which status to which, and why."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="transitions",
                                verbose_name=_("request"))
    from_status = models.CharField(_("from"), max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+", verbose_name=_("by"), help_text=_("Empty: done by Mogao itself."))
    reason = models.CharField(_("reason"), max_length=REASON_MAX, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("request transition")
        verbose_name_plural = _("request transitions")

    def __str__(self) -> str:
        return f"{self.request_id}: {self.from_status} → {self.to_status}"


class Pledge(models.Model):
    """A partner institution's offer to help with a request (imaging capacity or funding), shown publicly."""

    class Kind(models.TextChoices):
        CAPACITY = "capacity", _("imaging capacity")
        FUNDING = "funding", _("funding")

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="pledges",
                                verbose_name=_("request"))
    institution = models.ForeignKey("catalogue.Institution", on_delete=models.CASCADE, related_name="+",
                                    verbose_name=_("institution"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    note = models.TextField(_("note"), max_length=NOTE_MAX, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                           verbose_name=_("by"))
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")

    def __str__(self) -> str:
        return f"{self.request_id}: {self.institution_id} ({self.kind})"
