"""Persistent deleted records: what harvesters must learn to remove (OAI-PMH and IIIF Change Discovery)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Tombstone(models.Model):
    """A record that was public and is no longer: deleted, withdrawn or made private.

    ``sets`` holds the record's setSpecs at the time it left, space-separated and padded with a
    space at each end, so a selective harvest can match one whole spec with ``contains``. A
    tombstone disappears when its record becomes public again.
    """

    class Kind(models.TextChoices):
        ITEM = "item", _("item")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.ITEM)
    pid = models.SlugField(_("public id"), max_length=120)
    reason = models.CharField(_("reason"), max_length=20, blank=True)
    sets = models.TextField(_("sets"), blank=True, default=" ")
    deleted_at = models.DateTimeField(_("deleted at"), db_index=True)

    class Meta:
        ordering = ["deleted_at", "pid"]
        constraints = [models.UniqueConstraint(fields=["kind", "pid"], name="uniq_tombstone")]
        verbose_name = _("deleted record")
        verbose_name_plural = _("deleted records")

    def __str__(self) -> str:
        return f"{self.kind}:{self.pid} ({self.reason})"

    @property
    def set_specs(self) -> list[str]:
        return self.sets.split()
