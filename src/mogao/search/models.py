"""Search's own records: the queries that found nothing, kept for the audience dashboard.

No personal data is stored: no IP address, no user, no session — only the folded query, the
interface language, the day and how often it came.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from mogao.core.changes import ChangeManager


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


class TitleAlias(models.Model):
    """A title readers use for a work that its catalogue record does not carry (curated).

    Indexed as another title of the work (and of its witnesses), so 法華經 finds 妙法蓮華經 first.
    ``provenance`` says where the title is attested (a reference work, a catalogue, a usage).
    """

    class Kind(models.TextChoices):
        SHORT = "short", _("short title")
        ALTERNATIVE = "alternative", _("alternative title")
        TRANSLATION = "translation", _("translated title")

    work = models.ForeignKey(
        "catalogue.Work", on_delete=models.CASCADE, related_name="search_aliases",
        verbose_name=_("work"),
    )
    text = models.CharField(_("title"), max_length=200)
    language = models.CharField(
        _("language"), max_length=12, default="zh-Hant",
        help_text=_("A language tag, e.g. zh-Hant, zh-Hans, en, fr."),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.SHORT)
    provenance = models.CharField(
        _("provenance"), max_length=300,
        help_text=_("Where readers meet this title, e.g. a dictionary, a catalogue, a translation."),
    )
    note = models.TextField(_("note"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = ChangeManager()  # writes reach search through the change channel

    class Meta:
        ordering = ["work", "text"]
        constraints = [
            models.UniqueConstraint(fields=["work", "text"], name="uniq_title_alias_per_work")
        ]
        verbose_name = _("title alias")
        verbose_name_plural = _("title aliases")

    def __str__(self) -> str:
        return f"{self.text} → {self.work_id}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        self.text = " ".join(self.text.split())
        self.provenance = self.provenance.strip()
        errors = {}
        if not self.text:
            errors["text"] = _("Give the title.")
        if not self.provenance:
            errors["provenance"] = _("Say where this title is attested.")
        if errors:
            raise ValidationError(errors)


class FeaturedWork(models.Model):
    """A curated mark: this work matters more than its size and witnesses say (ranking prior)."""

    work = models.OneToOneField(
        "catalogue.Work", on_delete=models.CASCADE, related_name="search_featured",
        verbose_name=_("work"),
    )
    provenance = models.CharField(
        _("reason"), max_length=300, help_text=_("Why this work is featured.")
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ChangeManager()  # writes reach search through the change channel

    class Meta:
        ordering = ["work"]
        verbose_name = _("featured work")
        verbose_name_plural = _("featured works")

    def __str__(self) -> str:
        return str(self.work_id)
