"""People, places, periods and subjects with authority links; mentions of them; join suggestions.

Entities (Person, Place, Period, Subject) have a stable public id and a multilingual name.
A :class:`Mention` links an entity to an item, work or canvas with a role; automatic mentions
carry a confidence and wait for a curator. :class:`JoinSuggestion` records why the suggester
proposed a :class:`~mogao.catalogue.models.Join` and who decided on it.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mogao.core import langmap
from mogao.core.changes import ChangeManager
from mogao.core.fields import LanguageMapField, UnicodeJSONEncoder, check_year_bounds, coordinate_errors


class Entity(models.Model):
    """Fields every entity has: a public id, a multilingual name, aliases and a note."""

    pid = models.SlugField(_("public id"), max_length=120, unique=True, editable=False)
    name = LanguageMapField(_("name"), required=True)
    aliases = models.JSONField(
        _("other names"), encoder=UnicodeJSONEncoder, default=list, blank=True,
        help_text=_("Other names, scripts and romanizations, e.g. 鳩摩羅什, Jiumoluoshi."),
    )
    description = LanguageMapField(_("description"))
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = ChangeManager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        # In the admin's (or page's) language, as the catalogue's records are.
        return self.label(get_language())

    def label(self, language: str | None = None) -> str:
        return langmap.pick(self.name, language, default=self.pid)

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
    within = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="contains",
        verbose_name=_("within"), help_text=_("The larger place this one lies in (the Library Cave within Dunhuang)."),
    )

    class Meta:
        ordering = ["pid"]
        verbose_name = _("place")
        verbose_name_plural = _("places")

    def clean(self) -> None:
        super().clean()
        errors = coordinate_errors(self.latitude, self.longitude)
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = str(_("Give both latitude and longitude, or neither."))
        seen, outer = {self.pk}, self.within
        while outer is not None and not errors.get("within"):
            if outer.pk in seen:
                errors["within"] = str(_("A place cannot lie within itself."))
            seen.add(outer.pk)
            outer = outer.within
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
    # DILA place ids carry 12 digits (PL000000042393); older exports used 9.
    "dila-place": (r"^PL(\d{9}|\d{12})$", "https://authority.dila.edu.tw/place/?fromInner={id}"),
    "geonames": (r"^\d{1,10}$", "https://www.geonames.org/{id}"),
    "taisho": (r"^T\d{4}[A-Za-z]?$", "https://cbetaonline.dila.edu.tw/{id}"),
}


class AuthorityLink(models.Model):
    """An identifier of an entity in an external authority file, validated by scheme."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("content type"))
    object_id = models.PositiveBigIntegerField(_("object id"))
    entity = GenericForeignKey("content_type", "object_id")
    scheme = models.CharField(_("authority"), max_length=20, choices=[(k, k) for k in AUTHORITY_PATTERNS])
    identifier = models.CharField(_("identifier"), max_length=64)

    objects = ChangeManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "scheme", "identifier"], name="uniq_authority_link"
            )
        ]
        verbose_name = _("authority link")
        verbose_name_plural = _("authority links")

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


ENTITY_MODELS: dict[str, type[Entity]] = {
    "person": Person, "place": Place, "period": Period, "subject": Subject,
}


class Mention(models.Model):
    """An entity's part in an item, work or canvas: curated by hand, imported, or extracted.

    Exactly one of ``item`` or ``work`` is set; ``canvas`` (with ``transcription`` and the
    character span) narrows an item mention to a place in a page's text.
    """

    class Role(models.TextChoices):
        CREATOR = "creator", _("creator")
        TRANSLATOR = "translator", _("translator")
        SCRIBE = "scribe", _("scribe")
        COMMISSIONER = "commissioner", _("commissioner")
        FIND_PLACE = "find_place", _("find place")
        PRODUCTION_PLACE = "production_place", _("place of production")
        HOLDER = "holder", _("present holder")
        DEPICTED = "depicted", _("depicted")
        MENTIONED = "mentioned", _("mentioned")

    class Source(models.TextChoices):
        CURATED = "curated", _("curated")
        IMPORTED = "imported", _("imported from an authority")
        AUTOMATIC = "automatic", _("automatic extraction")

    class Status(models.TextChoices):
        SUGGESTED = "suggested", _("suggested")
        CONFIRMED = "confirmed", _("confirmed")
        REJECTED = "rejected", _("rejected")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("content type"))
    object_id = models.PositiveBigIntegerField(_("object id"))
    entity = GenericForeignKey("content_type", "object_id")
    item = models.ForeignKey(
        "catalogue.Item", null=True, blank=True, on_delete=models.CASCADE, related_name="mentions",
        verbose_name=_("item"),
    )
    work = models.ForeignKey(
        "catalogue.Work", null=True, blank=True, on_delete=models.CASCADE, related_name="mentions",
        verbose_name=_("work"),
    )
    canvas = models.ForeignKey(
        "catalogue.Canvas", null=True, blank=True, on_delete=models.CASCADE, related_name="mentions",
        verbose_name=_("canvas"),
    )
    transcription = models.ForeignKey(
        "catalogue.Transcription", null=True, blank=True, on_delete=models.CASCADE,
        related_name="mentions", verbose_name=_("transcription"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MENTIONED)
    field = models.CharField(
        _("found in"), max_length=40, blank=True,
        help_text=_("The metadata field or 'transcription' the mention was found in."),
    )
    span_start = models.PositiveIntegerField(_("span start"), null=True, blank=True)
    span_end = models.PositiveIntegerField(_("span end"), null=True, blank=True)
    surface = models.CharField(_("text as found"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices, default=Source.CURATED)
    confidence = models.FloatField(_("confidence"), default=1.0, help_text=_("From 0 to 1."))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.CONFIRMED
    )
    created_by = models.CharField(_("created by"), max_length=200, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = ChangeManager()

    class Meta:
        ordering = ["-created", "id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["status", "source"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(item__isnull=False) | models.Q(work__isnull=False),
                name="mention_has_target",
            )
        ]
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")

    def __str__(self) -> str:
        target = f"item {self.item_id}" if self.item_id else f"work {self.work_id}"
        return f"{self.content_type.model} {self.object_id} {self.role} of {target}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.item_id is None and self.work_id is None:
            errors["item"] = str(_("A mention needs an item or a work."))
        if self.item_id is not None and self.work_id is not None:
            errors["work"] = str(_("A mention links to an item or a work, not both."))
        if self.canvas is not None and self.canvas.item_id != self.item_id:
            errors["canvas"] = str(_("The page belongs to another item."))
        if not 0 <= self.confidence <= 1:
            errors["confidence"] = str(_("Confidence must lie between 0 and 1."))
        if (self.span_start is None) != (self.span_end is None):
            errors["span_end"] = str(_("Give both ends of the span, or neither."))
        elif self.span_start is not None and self.span_end is not None and self.span_end <= self.span_start:
            errors["span_end"] = str(_("The span must end after it starts."))
        model = self.content_type.model_class() if self.content_type_id else None
        if model not in ENTITY_MODELS.values():
            errors["content_type"] = str(_("A mention must point to a person, place, period or subject."))
        if errors:
            raise ValidationError(errors)


class JoinSuggestion(models.Model):
    """Why the suggester proposed a join, and the curator's decision on it.

    The join itself is a ``catalogue.Join`` with status ``suggested``; a rejected join keeps its
    members, so the suggester recognises the same set of items and never proposes it again.
    """

    join = models.OneToOneField(
        "catalogue.Join", on_delete=models.CASCADE, related_name="suggestion", verbose_name=_("join"),
    )
    score = models.FloatField(_("score"))
    signals = models.JSONField(
        _("signals"), default=list,
        help_text=_("[{\"kind\": \"shared_work\", \"weight\": 0.4, \"detail\": \"T2141A\"}, ...]"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.TextField(_("curator's note"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ChangeManager()

    class Meta:
        ordering = ["-score", "id"]
        verbose_name = _("join suggestion")
        verbose_name_plural = _("join suggestions")

    def __str__(self) -> str:
        return f"{self.join} ({self.score:.2f})"


class CollectionOrigin(models.Model):
    """Where a holder's collection came from (IOM's Dunhuang collection <- the Library Cave).

    Lets the map draw a dispersal line to a holder whose items are catalogued only as a
    collection, without inventing item records.
    """

    collection = models.ForeignKey(
        "catalogue.Collection", on_delete=models.CASCADE, related_name="origins", verbose_name=_("collection"),
    )
    place = models.ForeignKey(
        Place, on_delete=models.CASCADE, related_name="collection_origins", verbose_name=_("place"),
    )
    note = LanguageMapField(_("note"))

    objects = ChangeManager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["collection", "place"], name="uniq_collection_origin")]
        verbose_name = _("collection origin")
        verbose_name_plural = _("collection origins")

    def __str__(self) -> str:
        return f"{self.collection} <- {self.place}"
