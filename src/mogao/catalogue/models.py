"""The catalogue's data model; see docs/data-model.md and ../shared/docs/ARCHITECTURE.md.

Multilingual strings are language maps. Every public object has a ``pid``: a slug made once at
creation and never changed, so its URL (``/items/{pid}``) stays citable when a shelfmark is
corrected.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mogao.core import langmap
from mogao.core.changes import ChangeManager
from mogao.core.fields import DatedMixin, LanguageMapField, UnicodeJSONEncoder, coordinate_errors


class Rights(models.TextChoices):
    PUBLIC_DOMAIN = "http://creativecommons.org/publicdomain/mark/1.0/", _("Public Domain Mark")
    CC0 = "http://creativecommons.org/publicdomain/zero/1.0/", _("CC0")
    CC_BY = "http://creativecommons.org/licenses/by/4.0/", _("CC BY 4.0")
    CC_BY_SA = "http://creativecommons.org/licenses/by-sa/4.0/", _("CC BY-SA 4.0")
    CC_BY_NC = "http://creativecommons.org/licenses/by-nc/4.0/", _("CC BY-NC 4.0")
    NO_COPYRIGHT = "http://rightsstatements.org/vocab/NoC-US/1.0/", _("No Copyright – United States")
    NKC = "http://rightsstatements.org/vocab/NKC/1.0/", _("No Known Copyright")
    IN_COPYRIGHT = "http://rightsstatements.org/vocab/InC/1.0/", _("In Copyright")
    UNDETERMINED = "http://rightsstatements.org/vocab/UND/1.0/", _("Copyright Undetermined")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("public")
    PRIVATE = "private", _("private (curators only)")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Institution(models.Model):
    """A holder of items: a library, museum or archive."""

    code = models.SlugField(_("code"), max_length=20, unique=True, help_text=_("Short code, e.g. BL, BnF."))
    pid = models.SlugField(_("public id"), max_length=40, unique=True, editable=False)
    name = LanguageMapField(_("name"), required=True)
    city = LanguageMapField(_("city"))
    country = models.CharField(_("country code"), max_length=2, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    homepage = models.URLField(_("homepage"), blank=True)
    description = LanguageMapField(_("description"))
    allow_download = models.BooleanField(
        _("allow high-resolution downloads"), default=True,
        help_text=_("Switch off to limit downloads of every item this institution holds."),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    objects = ChangeManager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")

    def __str__(self) -> str:
        # In the admin's (or page's) language: a Chinese curator's lists show Chinese names.
        return self.label(get_language())

    def get_absolute_url(self) -> str:
        return reverse("catalogue:institution", args=[self.pid])

    def label(self, language: str | None = None) -> str:
        return langmap.pick(self.name, language, default=self.code)

    def clean(self) -> None:
        self.name = langmap.clean(self.name, field="name", required=True)
        self.city = langmap.clean(self.city, field="city")
        self.description = langmap.clean(self.description, field="description")
        if errors := coordinate_errors(self.latitude, self.longitude):
            raise ValidationError(errors)


class Collection(models.Model):
    """A named collection of one institution (e.g. the Stein collection, Pelliot chinois)."""

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="collections", verbose_name=_("institution"),
    )
    code = models.SlugField(_("code"), max_length=60)
    pid = models.SlugField(_("public id"), max_length=100, unique=True, editable=False)
    name = LanguageMapField(_("name"), required=True)
    description = LanguageMapField(_("description"))
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    objects = ChangeManager()

    class Meta:
        ordering = ["institution__code", "code"]
        constraints = [models.UniqueConstraint(fields=["institution", "code"], name="uniq_collection_code")]
        verbose_name = _("collection")
        verbose_name_plural = _("collections")

    def __str__(self) -> str:
        # In the admin's (or page's) language: a Chinese curator's lists show Chinese names.
        return self.label(get_language())

    def get_absolute_url(self) -> str:
        return reverse("catalogue:collection", args=[self.pid])

    def label(self, language: str | None = None) -> str:
        return langmap.pick(self.name, language, default=self.code)

    def clean(self) -> None:
        self.name = langmap.clean(self.name, field="name", required=True)
        self.description = langmap.clean(self.description, field="description")


class Work(DatedMixin, models.Model):
    """An abstract text (the Diamond Sūtra, T0235) with many witnesses across institutions."""

    pid = models.SlugField(_("public id"), max_length=120, unique=True, editable=False)
    title = LanguageMapField(_("title"), required=True)
    aliases = models.JSONField(
        _("other titles"), encoder=UnicodeJSONEncoder, default=list, blank=True,
        help_text=_("Other titles and romanizations, e.g. 金剛經, Chin-kang ching."),
    )
    identifiers = models.JSONField(
        _("identifiers"), encoder=UnicodeJSONEncoder, default=dict, blank=True,
        help_text=_("e.g. {\"taisho\": \"T0235\"}."),
    )
    description = LanguageMapField(_("description"))
    category = models.CharField(_("category"), max_length=120, blank=True)
    period = models.ForeignKey(
        "knowledge.Period", null=True, blank=True, on_delete=models.SET_NULL, related_name="works",
        verbose_name=_("period"),
    )
    visibility = models.CharField(
        _("visibility"), max_length=12, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    objects = ChangeManager()

    class Meta:
        ordering = ["pid"]
        verbose_name = _("work")
        verbose_name_plural = _("works")
        indexes = [models.Index(fields=["updated"])]

    def __str__(self) -> str:
        # In the admin's (or page's) language: a Chinese curator's lists show Chinese names.
        return self.label(get_language())

    def get_absolute_url(self) -> str:
        return reverse("catalogue:work", args=[self.pid])

    def label(self, language: str | None = None) -> str:
        return langmap.pick(self.title, language, default=self.pid)

    def clean(self) -> None:
        self.title = langmap.clean(self.title, field="title", required=True)
        self.description = langmap.clean(self.description, field="description")
        if not isinstance(self.aliases, list) or not all(isinstance(a, str) for a in self.aliases):
            raise ValidationError({"aliases": _("Other titles must be a list of text.")})
        if not isinstance(self.identifiers, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in self.identifiers.items()
        ):
            raise ValidationError({"identifiers": _("Identifiers must map a scheme to a text value.")})
        self.clean_dates()


class WorkCreator(models.Model):
    """A person's part in a work: author, translator, compiler, editor."""

    class Role(models.TextChoices):
        AUTHOR = "author", _("author")
        TRANSLATOR = "translator", _("translator")
        COMPILER = "compiler", _("compiler")
        EDITOR = "editor", _("editor")
        COMMENTATOR = "commentator", _("commentator")

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="creators", verbose_name=_("work"))
    person = models.ForeignKey(
        "knowledge.Person", on_delete=models.PROTECT, related_name="work_roles", verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.AUTHOR)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ChangeManager()

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["work", "person", "role"], name="uniq_work_creator")
        ]
        verbose_name = _("creator")
        verbose_name_plural = _("creators")

    def __str__(self) -> str:
        return f"{self.person} ({self.role})"


class Item(DatedMixin, models.Model):
    """A physical object: manuscript, printed book, scroll, rubbing or fragment, held somewhere."""

    class Type(models.TextChoices):
        MANUSCRIPT = "manuscript", _("manuscript")
        PRINTED = "printed", _("printed book")
        SCROLL = "scroll", _("scroll")
        BOOKLET = "booklet", _("booklet")
        RUBBING = "rubbing", _("rubbing")
        FRAGMENT = "fragment", _("fragment")
        SET = "set", _("set of volumes")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        CATALOGUED = "catalogued", _("catalogued")
        REQUESTED = "requested", _("digitization requested")
        SCHEDULED = "scheduled", _("digitization scheduled")
        DIGITIZED = "digitized", _("digitized")

    pid = models.SlugField(_("public id"), max_length=120, unique=True, editable=False)
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="items", verbose_name=_("holder")
    )
    collection = models.ForeignKey(
        Collection, null=True, blank=True, on_delete=models.SET_NULL, related_name="items",
        verbose_name=_("collection"),
    )
    shelfmark = models.CharField(_("shelfmark"), max_length=120, blank=True)
    local_id = models.CharField(
        _("record identifier"), max_length=200, blank=True,
        help_text=_("The holder's own identifier of the record, used to update it on re-import."),
    )
    title = LanguageMapField(_("title"), required=True)
    description = LanguageMapField(_("description"))
    item_type = models.CharField(_("type"), max_length=20, choices=Type.choices, default=Type.MANUSCRIPT)
    languages = models.JSONField(
        _("languages"), encoder=UnicodeJSONEncoder, default=list, blank=True, help_text=_("e.g. [\"lzh\"].")
    )
    material = LanguageMapField(_("material"))
    dimensions = models.CharField(_("dimensions"), max_length=200, blank=True)
    extent = models.CharField(_("extent"), max_length=200, blank=True)
    period = models.ForeignKey(
        "knowledge.Period", null=True, blank=True, on_delete=models.SET_NULL, related_name="items",
        verbose_name=_("period"),
    )
    find_place = models.ForeignKey(
        "knowledge.Place", null=True, blank=True, on_delete=models.SET_NULL, related_name="found_items",
        verbose_name=_("find place"),
    )
    acquired_by = models.ForeignKey(
        "knowledge.Person", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="acquired_items", verbose_name=_("acquired by"),
    )
    acquisition_year = models.IntegerField(_("year of acquisition"), null=True, blank=True)
    provenance = LanguageMapField(_("provenance"))
    notes = LanguageMapField(_("notes"))
    rights = models.CharField(_("rights"), max_length=200, choices=Rights.choices, default=Rights.PUBLIC_DOMAIN)
    allow_download = models.BooleanField(_("allow high-resolution downloads"), default=True)
    digitization_status = models.CharField(
        _("digitization status"), max_length=20, choices=Status.choices, default=Status.CATALOGUED
    )
    visibility = models.CharField(
        _("visibility"), max_length=12, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    works = models.ManyToManyField(Work, through="ItemWork", related_name="items", blank=True, verbose_name=_("works"))
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    objects = ChangeManager()

    class Meta:
        ordering = ["institution__code", "shelfmark", "pid"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "shelfmark"], condition=~models.Q(shelfmark=""),
                name="uniq_item_shelfmark",
                violation_error_message=_("This institution already has an item with this shelfmark."),
            ),
            models.UniqueConstraint(
                fields=["institution", "local_id"], condition=~models.Q(local_id=""),
                name="uniq_item_local_id",
                violation_error_message=_("This institution already has an item with this record identifier."),
            ),
        ]
        indexes = [
            models.Index(fields=["digitization_status"]),
            models.Index(fields=["item_type"]),
            models.Index(fields=["year_start", "year_end"]),
            models.Index(fields=["updated"]),
        ]
        verbose_name = _("item")
        verbose_name_plural = _("items")

    def __str__(self) -> str:
        return f"{self.shelfmark or self.pid} — {self.label(get_language())}"

    def get_absolute_url(self) -> str:
        return reverse("catalogue:item", args=[self.pid])

    def label(self, language: str | None = None) -> str:
        return langmap.pick(self.title, language, default=self.shelfmark or self.pid)

    @property
    def has_images(self) -> bool:
        """True when some page has an image (text-only items have canvases without one)."""
        return any(canvas.has_image for canvas in self.canvases.all())

    @property
    def downloads_allowed(self) -> bool:
        return self.allow_download and self.institution.allow_download

    def clean(self) -> None:
        self.title = langmap.clean(self.title, field="title", required=True)
        for name in ("description", "material", "provenance", "notes"):
            setattr(self, name, langmap.clean(getattr(self, name), field=name))
        if not isinstance(self.languages, list) or not all(isinstance(x, str) for x in self.languages):
            raise ValidationError({"languages": _("Languages must be a list of language tags.")})
        collection = self.collection
        if collection is not None and self.institution_id and collection.institution_id != self.institution_id:
            raise ValidationError({"collection": _("The collection belongs to another institution.")})
        self.clean_dates()


class ItemWork(models.Model):
    """A work carried by an item, with the item's relation to it."""

    class Role(models.TextChoices):
        TEXT = "text", _("contains the text")
        PART = "part", _("contains part of the text")
        COMMENTARY = "commentary", _("commentary on")
        COLOPHON = "colophon", _("colophon mentions")

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="item_works", verbose_name=_("item"))
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="item_works", verbose_name=_("work"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.TEXT)
    locator = models.CharField(_("where in the item"), max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ChangeManager()

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["item", "work", "role"], name="uniq_item_work")]
        verbose_name = _("work in item")
        verbose_name_plural = _("works in items")

    def __str__(self) -> str:
        return f"{self.item_id} → {self.work_id} ({self.role})"


class Join(models.Model):
    """Items that belong together (fragments of one scroll): virtual reunification."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("accepted")
        SUGGESTED = "suggested", _("suggested")
        REJECTED = "rejected", _("rejected")

    pid = models.SlugField(_("public id"), max_length=120, unique=True, editable=False)
    label_map = LanguageMapField(_("label"))
    evidence = LanguageMapField(_("evidence"))
    confidence = models.FloatField(_("confidence"), default=1.0, help_text=_("From 0 to 1."))
    asserted_by = models.CharField(_("asserted by"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACCEPTED)
    items = models.ManyToManyField(Item, through="JoinMember", related_name="joins", verbose_name=_("items"))
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    objects = ChangeManager()

    class Meta:
        ordering = ["pid"]
        verbose_name = _("join")
        verbose_name_plural = _("joins")

    def __str__(self) -> str:
        return langmap.pick(self.label_map, get_language(), default=self.pid)

    def label(self, language: str | None = None) -> str:
        return langmap.pick(self.label_map, language, default=self.pid)

    def clean(self) -> None:
        self.label_map = langmap.clean(self.label_map, field="label")
        self.evidence = langmap.clean(self.evidence, field="evidence")
        if not 0 <= self.confidence <= 1:
            raise ValidationError({"confidence": _("Confidence must lie between 0 and 1.")})


class JoinMember(models.Model):
    join = models.ForeignKey(Join, on_delete=models.CASCADE, related_name="members", verbose_name=_("join"))
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="join_memberships", verbose_name=_("item"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ChangeManager()

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["join", "item"], name="uniq_join_member")]
        verbose_name = _("join member")
        verbose_name_plural = _("join members")

    def __str__(self) -> str:
        return f"{self.join_id}: {self.item_id}"


class Canvas(models.Model):
    """A page or view of an item: a local image (``image_id`` in the image store) or a remote service."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="canvases", verbose_name=_("item"))
    order = models.PositiveIntegerField(_("order"), default=0)
    label = LanguageMapField(_("label"))
    width = models.PositiveIntegerField(_("width"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True)
    image_id = models.CharField(
        _("local image identifier"), max_length=200, blank=True,
        help_text=_("Identifier of the image in Mogao's own image store (IIIF Image API)."),
    )
    service_url = models.URLField(
        _("remote image service"), max_length=500, blank=True,
        help_text=_("Base URI of another institution's IIIF image service."),
    )
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = ChangeManager()

    class Meta:
        ordering = ["item", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["item", "order"], name="uniq_canvas_order")]
        verbose_name = _("canvas")
        verbose_name_plural = _("canvases")

    def __str__(self) -> str:
        return langmap.pick(self.label, get_language(), default=f"{self.item.pid} p. {self.order}")

    @property
    def has_image(self) -> bool:
        return bool(self.image_id or self.service_url)


class Transcription(models.Model):
    """The text of a canvas with its layout (lines and characters with boxes) and provenance."""

    class Source(models.TextChoices):
        OCR = "ocr", _("OCR")
        CROWD = "crowd", _("reader correction")
        CURATOR = "curator", _("curator")
        IMPORT = "import", _("imported")

    canvas = models.ForeignKey(
        Canvas, on_delete=models.CASCADE, related_name="transcriptions", verbose_name=_("canvas"),
    )
    language = models.CharField(_("language"), max_length=20, default="lzh")
    text = models.TextField(_("text"), blank=True)
    layout = models.JSONField(
        _("layout"), encoder=UnicodeJSONEncoder, default=dict, blank=True,
        help_text=_(
            "{\"direction\": \"vertical-rl\", \"lines\": [{\"text\", \"box\": [x, y, w, h], \"chars\": [...]}]}"
        ),
    )
    source = models.CharField(_("source"), max_length=12, choices=Source.choices, default=Source.CURATOR)
    engine = models.CharField(_("engine"), max_length=60, blank=True)
    confidence = models.FloatField(_("confidence"), null=True, blank=True)
    is_primary = models.BooleanField(_("primary"), default=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    objects = ChangeManager()

    class Meta:
        ordering = ["canvas", "-is_primary", "id"]
        verbose_name = _("transcription")
        verbose_name_plural = _("transcriptions")

    def __str__(self) -> str:
        return f"{self.canvas} ({self.source})"


class Translation(models.Model):
    """A curated translation of an item's text (or one canvas of it) into a language."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="translations", verbose_name=_("item"))
    canvas = models.ForeignKey(
        Canvas, null=True, blank=True, on_delete=models.CASCADE, related_name="translations", verbose_name=_("canvas"),
    )
    language = models.CharField(_("language"), max_length=20)
    text = models.TextField(_("text"))
    passages = models.JSONField(
        _("passages"), encoder=UnicodeJSONEncoder, default=list, blank=True, help_text=_("Aligned passages.")
    )
    translator = models.CharField(_("translator"), max_length=200, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    objects = ChangeManager()

    class Meta:
        ordering = ["item", "language"]
        verbose_name = _("translation")
        verbose_name_plural = _("translations")

    def __str__(self) -> str:
        return f"{self.item} [{self.language}]"
