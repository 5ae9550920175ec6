"""Curatorships: which institutions' records a curator may edit."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Curatorship(models.Model):
    """A user curates the records of one institution."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="curatorships", verbose_name=_("user"),
    )
    institution = models.ForeignKey(
        "catalogue.Institution", on_delete=models.CASCADE, related_name="curatorships", verbose_name=_("institution"),
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "institution"], name="uniq_curatorship")]
        verbose_name = _("curatorship")
        verbose_name_plural = _("curatorships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.institution}"
