"""People, places, periods and subjects, each with a stable public id and authority links."""

from __future__ import annotations

import re

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from mogao.core import langmap
from mogao.core.fields import LanguageMapField, check_year_bounds


class Entity(models.Model):
    """Fields every entity has: a public id, a multilingual name, aliases and a note."""

    pid = models.SlugField(_("public id"), max_length=120, unique=True, editable=False)
    name = LanguageMapField(_("name"), required=True)
    aliases = models.JSONField(
        _("other names"), default=list, blank=True,
        help_text=_("Other names, scripts and romanizations, e.g. 鳩摩羅什, Jiumoluoshi."),
    )
    description = LanguageMapField(_("description"))
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def label(self, language: str | None = None) -> str:
        return langmap.pick(self.name, language, default=self.pid)

    def __str__(self) -> str:
        return self.label("en")

    def clean(self) -> None:
        self.name = langmap.clean(self.name, field="name", required=True)
        self.description = langmap.clean(self.description, field="description")
        if not isinstance(self.aliases, list) or not all(isinstance(a, str) for a in self.aliases):
            raise ValidationError({"aliases": _("Other names must be a list of text.")})


class Person(Entity):
    year_start = models.IntegerField(_("born"), null=True, blank=True, help_text=_("Negative for BCE."))
    year_end = models.IntegerField(_("died"), null=True, blank=True, help_text=_("Negative for BCE."))
    dates_note = models.CharField(_("dates as written"), max_length=120, blank=True)
    roles = models.JSONField(_("roles"), default=list, blank=True)

    class Meta:
        ordering = ["pid"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def clean(self) -> None:
        super().clean()
        check_year_bounds(self.year_start, self.year_end)


class Place(Entity):
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        ordering = ["pid"]
        verbose_name = _("place")
        verbose_name_plural = _("places")

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.latitude is not None and not -90 <= self.latitude <= 90:
            errors["latitude"] = _("Latitude must lie between -90 and 90.")
        if self.longitude is not None and not -180 <= self.longitude <= 180:
            errors["longitude"] = _("Longitude must lie between -180 and 180.")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = _("Give both latitude and longitude, or neither.")
        if errors:
            raise ValidationError(errors)


class Period(Entity):
    class Kind(models.TextChoices):
        DYNASTY = "dynasty", _("dynasty")
        REIGN_ERA = "reign_era", _("reign era")
        ERA = "era", _("era")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.DYNASTY)
    year_start = models.IntegerField(_("from year"), help_text=_("Negative for BCE."))
    year_end = models.IntegerField(_("to year"), help_text=_("Negative for BCE."))
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children",
        verbose_name=_("within"),
    )

    class Meta:
        ordering = ["year_start", "pid"]
        verbose_name = _("period")
        verbose_name_plural = _("periods")

    def clean(self) -> None:
        super().clean()
        check_year_bounds(self.year_start, self.year_end)


class Subject(Entity):
    class Meta:
        ordering = ["pid"]
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")


AUTHORITY_PATTERNS: dict[str, tuple[str, str]] = {
    # scheme: (pattern of a valid identifier, URL template)
    "wikidata": (r"^Q[1-9]\d*$", "https://www.wikidata.org/wiki/{id}"),
    "viaf": (r"^[1-9]\d{0,21}$", "https://viaf.org/viaf/{id}"),
    "cbdb": (r"^\d{1,7}$", "https://cbdb.fas.harvard.edu/cbdbapi/person.php?id={id}"),
    "dila-person": (r"^A\d{6}$", "https://authority.dila.edu.tw/person/?fromInner={id}"),
    "dila-place": (r"^PL\d{9}$", "https://authority.dila.edu.tw/place/?fromInner={id}"),
    "geonames": (r"^\d{1,10}$", "https://www.geonames.org/{id}"),
    "taisho": (r"^T\d{4}[A-Za-z]?$", "https://cbetaonline.dila.edu.tw/{id}"),
}


class AuthorityLink(models.Model):
    """An identifier of an entity in an external authority file, validated by scheme."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    entity = GenericForeignKey("content_type", "object_id")
    scheme = models.CharField(_("authority"), max_length=20, choices=[(k, k) for k in AUTHORITY_PATTERNS])
    identifier = models.CharField(_("identifier"), max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "scheme", "identifier"], name="uniq_authority_link"
            )
        ]
        verbose_name = _("authority link")

    def __str__(self) -> str:
        return f"{self.scheme}:{self.identifier}"

    @property
    def url(self) -> str:
        return AUTHORITY_PATTERNS[self.scheme][1].format(id=self.identifier)

    def clean(self) -> None:
        pattern = AUTHORITY_PATTERNS.get(self.scheme)
        if pattern is None:
            raise ValidationError({"scheme": _("Unknown authority.")})
        if not re.match(pattern[0], self.identifier or ""):
            raise ValidationError(
                {"identifier": _("“%(id)s” is not a valid %(scheme)s identifier.")
                 % {"id": self.identifier, "scheme": self.scheme}}
            )
