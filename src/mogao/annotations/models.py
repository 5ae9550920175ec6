"""Reader annotations following the W3C Web Annotation Data Model (#15).

An annotation targets one canvas: a region of its image (``xywh`` in canvas pixels, a W3C
``FragmentSelector``) or a character range of its transcription (a ``TextPositionSelector`` over
the transcription's lines joined with ``\\n``, in Unicode code points). Its body is one
language-tagged text (commenting or describing) and tags from :data:`TAGS` (purpose tagging).
Who sees it is the contribution's visibility, decided in :mod:`mogao.accounts.policy`.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mogao.catalogue.models import Canvas, Transcription
from mogao.community.models import Contribution


class Purpose(models.TextChoices):
    COMMENTING = "commenting", _("Comment")
    DESCRIBING = "describing", _("Description")


class Tag(models.TextChoices):
    """The controlled list of tags (W3C purpose ``tagging``); the value is what is served."""

    CHARACTER = "character", _("character form")
    VARIANT = "variant", _("variant character")
    CORRECTION = "correction", _("scribal correction")
    COLOPHON = "colophon", _("colophon")
    SEAL = "seal", _("seal")
    DRAWING = "drawing", _("drawing")
    DAMAGE = "damage", _("damage")
    NAME = "name", _("personal name")
    PLACE = "place", _("place name")
    DATE = "date", _("date")
    QUESTION = "question", _("question")


MAX_TEXT = 4000
MAX_TAGS = 8


class Annotation(Contribution):
    """One W3C annotation on a canvas image region or transcription range."""

    HOLDER_PATH: ClassVar[str] = "canvas__item__institution_id"
    objects: ClassVar[models.Manager[Annotation]]
    canvas_id: int

    uid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    canvas = models.ForeignKey(Canvas, on_delete=models.CASCADE, related_name="annotations",
                               verbose_name=_("page"))
    transcription = models.ForeignKey(Transcription, on_delete=models.CASCADE, null=True, blank=True,
                                      related_name="annotations", verbose_name=_("transcription"))
    x = models.PositiveIntegerField(_("region left (px)"), null=True, blank=True)
    y = models.PositiveIntegerField(_("region top (px)"), null=True, blank=True)
    w = models.PositiveIntegerField(_("region width (px)"), null=True, blank=True)
    h = models.PositiveIntegerField(_("region height (px)"), null=True, blank=True)
    text_start = models.PositiveIntegerField(_("first character"), null=True, blank=True)
    text_end = models.PositiveIntegerField(_("end character"), null=True, blank=True)
    exact = models.CharField(_("quoted text"), max_length=2000, blank=True)
    text = models.TextField(_("text"), max_length=MAX_TEXT, blank=True)
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose.choices, default=Purpose.COMMENTING)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("annotation")
        verbose_name_plural = _("annotations")
        ordering = ["created", "pk"]
        constraints = [
            models.CheckConstraint(
                name="annotation_one_selector",
                condition=(models.Q(x__isnull=False, y__isnull=False, w__gt=0, h__gt=0, text_start__isnull=True)
                           | models.Q(x__isnull=True, text_start__isnull=False, text_end__isnull=False,
                                      transcription__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.uid} ({self.canvas_id})"

    @property
    def is_region(self) -> bool:
        return self.x is not None

    @property
    def xywh(self) -> str:
        return f"{self.x},{self.y},{self.w},{self.h}"

    @property
    def etag(self) -> str:
        return f'"{self.uid.hex}-{self.version}"'
