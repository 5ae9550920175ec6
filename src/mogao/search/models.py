"""Search's own records: the queries that found nothing, kept for the audience dashboard.

No personal data is stored: no IP address, no user, no session — only the folded query, the
interface language, the day and how often it came.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ZeroResultQuery(models.Model):
    """A folded query that found nothing, counted per interface language and day."""

    query = models.CharField(_("query (folded)"), max_length=500)
    language = models.CharField(_("interface language"), max_length=12)
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("times asked"), default=0)
    last_seen = models.DateTimeField(_("last asked"))

    class Meta:
        ordering = ["-day", "-count", "query"]
        constraints = [
            models.UniqueConstraint(
                fields=["query", "language", "day"], name="uniq_zero_result_query"
            )
        ]
        indexes = [models.Index(fields=["day"])]
        verbose_name = _("query without results")
        verbose_name_plural = _("queries without results")

    def __str__(self) -> str:
        return f"{self.query} [{self.language}] ×{self.count}"
