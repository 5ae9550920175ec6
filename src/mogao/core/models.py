"""Models of the shared core: the catalogue generation, one row shared by every process."""

from __future__ import annotations

from django.db import models


class CatalogueGeneration(models.Model):
    """One row (pk 1): a number raised after every committed catalogue change (see core.generation)."""

    value = models.BigIntegerField(default=1)

    objects: models.Manager[CatalogueGeneration] = models.Manager()

    class Meta:
        verbose_name = "catalogue generation"

    def __str__(self) -> str:
        return str(self.value)
