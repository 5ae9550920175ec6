"""Ingest runs and their per-record errors: what was imported, by whom, and what went wrong where."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mogao.ingest.redact import hide_server_paths


class IngestRun(models.Model):
    """One execution of an importer over one source, with counts, duration and a resume position.

    ``position`` is the number of source records whose outcome is committed; it is written in the
    same transaction as those records, so after a crash ``--resume`` continues exactly there.
    """

    class Kind(models.TextChoices):
        CSV = "csv", _("CSV")
        JSON = "json", _("JSON / JSON Lines")
        IIIF = "iiif", _("IIIF manifest or collection")
        OAI = "oai", _("OAI-PMH harvest")
        IMAGES = "images", _("image folder")

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    source = models.CharField(_("source"), max_length=1000, help_text=_("File path or URL."))
    institution_code = models.CharField(_("institution"), max_length=20, blank=True)
    options = models.JSONField(_("options"), default=dict, blank=True)
    dry_run = models.BooleanField(_("dry run"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(_("records seen"), default=0)
    position = models.PositiveIntegerField(_("records committed"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    failed_count = models.PositiveIntegerField(_("failed"), default=0)
    deleted_count = models.PositiveIntegerField(_("deleted"), default=0)
    state = models.JSONField(
        _("resume state"), default=dict, blank=True,
        help_text=_("Source-specific state needed to resume, e.g. an OAI-PMH resumption token."),
    )
    message = models.TextField(_("message"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="ingest_runs", verbose_name=_("run by"),
    )
    started = models.DateTimeField(_("started"), null=True, blank=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("ingest run")
        verbose_name_plural = _("ingest runs")

    def __str__(self) -> str:
        # Shown by the admin (titles, action checkboxes): the base name, never the server path.
        return f"#{self.pk} {self.kind} {hide_server_paths(self.source)}"

    @property
    def duration(self) -> float | None:
        """Seconds between start and finish (or now, while running); None before the start."""
        if self.started is None:
            return None
        from django.utils import timezone

        end = self.finished or timezone.now()
        return (end - self.started).total_seconds()

    def counts(self) -> dict[str, int]:
        return {
            "created": self.created_count, "updated": self.updated_count,
            "unchanged": self.unchanged_count, "failed": self.failed_count,
            "deleted": self.deleted_count,
        }


class IngestError(models.Model):
    """One problem with one record, located precisely (file, row, column, XPath or JSON path)."""

    run = models.ForeignKey(IngestRun, on_delete=models.CASCADE, related_name="errors", verbose_name=_("run"))
    index = models.PositiveIntegerField(_("record number"), null=True, blank=True)
    record = models.CharField(_("record identifier"), max_length=200, blank=True)
    location = models.CharField(
        _("location"), max_length=500, blank=True,
        help_text=_("e.g. items.csv row 12 column title@en, or /OAI-PMH/ListRecords/record[3]"),
    )
    field = models.CharField(_("field"), max_length=100, blank=True)
    message = models.TextField(_("message"))
    is_warning = models.BooleanField(_("warning only"), default=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["run", "index", "id"]
        verbose_name = _("ingest error")
        verbose_name_plural = _("ingest errors")

    def __str__(self) -> str:
        return hide_server_paths(f"{self.location}: {self.message}")


class Structure(models.Model):
    """Ranges, metadata and rights of an imported IIIF item, kept as given (the catalogue lacks them).

    ``ranges`` is a list of ``{"label": langmap, "canvases": [order, ...], "ranges": [...]}``.
    """

    item = models.OneToOneField(
        "catalogue.Item", on_delete=models.CASCADE, related_name="ingest_structure", verbose_name=_("item"),
    )
    ranges = models.JSONField(_("ranges"), default=list, blank=True)
    metadata = models.JSONField(
        _("metadata"), default=list, blank=True, help_text=_("[{\"label\": langmap, \"value\": langmap}]")
    )
    rights = models.CharField(_("rights as given"), max_length=500, blank=True)
    required_statement = models.JSONField(_("required statement"), default=dict, blank=True)
    source_url = models.URLField(_("manifest"), max_length=1000, blank=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("structure")
        verbose_name_plural = _("structures")

    def __str__(self) -> str:
        return f"structure of {self.item_id}"


class HarvestedRecord(models.Model):
    """The OAI-PMH identifier and datestamp behind an item, so deletions and re-harvests find it."""

    endpoint = models.URLField(_("endpoint"), max_length=500)
    identifier = models.CharField(_("OAI identifier"), max_length=500)
    datestamp = models.CharField(_("datestamp"), max_length=40, blank=True)
    deleted = models.BooleanField(_("deleted at the source"), default=False)
    item = models.ForeignKey(
        "catalogue.Item", null=True, blank=True, on_delete=models.SET_NULL, related_name="harvested_from",
        verbose_name=_("item"),
    )
    sets = models.JSONField(_("sets"), default=list, blank=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "identifier"], name="uniq_harvested_record")
        ]
        verbose_name = _("harvested record")
        verbose_name_plural = _("harvested records")

    def __str__(self) -> str:
        return self.identifier
