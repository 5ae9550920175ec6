"""Notifications and e-mail preferences (#17): both belong to one account and go with it."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

KIND_MAX = 80
SUBJECT_MAX = 300
URL_MAX = 1000


class Notification(models.Model):
    """Something Mogao told one person: shown on the site, and (unless they opted out) mailed."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
                                  verbose_name=_("recipient"))
    kind = models.CharField(_("kind"), max_length=KIND_MAX, db_index=True)
    subject = models.CharField(_("subject"), max_length=SUBJECT_MAX)
    body = models.TextField(_("text"), blank=True)
    #: A path on this site (``/digitization/12/``) or an absolute http(s) address.
    url = models.CharField(_("link"), max_length=URL_MAX, blank=True)
    created = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read on"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed on"), null=True, blank=True)
    #: When a digest mail included this notification (each is summarised once).
    digested_at = models.DateTimeField(_("included in a digest on"), null=True, blank=True)

    objects: ClassVar[models.Manager[Notification]] = models.Manager()
    recipient_id: int

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notify_recipient_unread")]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.subject

    @property
    def unread(self) -> bool:
        return self.read_at is None


class Preference(models.Model):
    """One person's choice for one kind of notification; no row means the default (e-mail on)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notification_preferences", verbose_name=_("account"))
    kind = models.CharField(_("kind"), max_length=KIND_MAX)
    email = models.BooleanField(_("send e-mail"), default=True)
    changed = models.DateTimeField(_("changed"), auto_now=True)

    objects: ClassVar[models.Manager[Preference]] = models.Manager()
    user_id: int

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notify_uniq_preference")]
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {'on' if self.email else 'off'}"
