"""Stories (#16): a story is an ordered list of steps, each a W3C annotation on a canvas, a map or time.

A :class:`Story` belongs to the institution of the curator who made it (only its curators and
administrators change it); its steps may show public canvases of any holder, each credited with its
holder and rights. Its status moves draft → in review → published (and back to draft), each move kept
in the story's history. A published story has a stable URL ``/stories/<slug>/``.

A :class:`Step` is stored relationally and published as a W3C Web Annotation (``Step.to_annotation``):
target = the canvas with an ``xywh`` FragmentSelector (image, comparison), a TextPositionSelector
over the transcription's lines (text), or the story itself (map, timeline, media without a canvas);
body = the narrative as one TextualBody per language.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mogao.core import langmap
from mogao.core.fields import LanguageMapField


class StoryStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    REVIEW = "review", _("in review")
    PUBLISHED = "published", _("published")


class StepKind(models.TextChoices):
    IMAGE = "image", _("image region")
    TEXT = "text", _("text passage")
    MAP = "map", _("map")
    TIMELINE = "timeline", _("timeline")
    COMPARISON = "comparison", _("comparison")
    MEDIA = "media", _("media")


class Story(models.Model):
    """A guided journey: title, summary and credits in several languages, a cover and ordered steps."""

    slug = models.SlugField(_("address"), max_length=80, unique=True,
                            help_text=_("The last part of the story's stable address, after /stories/."))
    institution = models.ForeignKey(
        "catalogue.Institution", on_delete=models.PROTECT, related_name="stories", verbose_name=_("institution"),
    )
    title = LanguageMapField(_("title"), required=True)
    summary = LanguageMapField(_("summary"))
    credits = LanguageMapField(_("credits"))
    default_language = models.CharField(
        _("default language"), max_length=20, default="en",
        help_text=_("Every step needs its text in this language; other languages may follow."),
    )
    cover = models.ForeignKey(
        "catalogue.Canvas", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("cover page"),
    )
    cover_region = models.CharField(_("cover region"), max_length=60, blank=True,
                                    help_text=_("x,y,w,h in the cover page's pixels (optional)."))
    status = models.CharField(_("status"), max_length=12, choices=StoryStatus.choices, default=StoryStatus.DRAFT)
    featured = models.BooleanField(_("featured on the home page"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0,
                                                help_text=_("Smaller numbers come first on the home page."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("created by"),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "-published_at", "id"]
        verbose_name = _("story")
        verbose_name_plural = _("stories")

    def __str__(self) -> str:
        return langmap.pick(self.title, get_language(), default=self.slug)

    def get_absolute_url(self) -> str:
        return f"/stories/{self.slug}/"

    @property
    def is_published(self) -> bool:
        return self.status == StoryStatus.PUBLISHED


class Step(models.Model):
    """One step of a story; what it shows depends on its kind (see the module docstring)."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="steps", verbose_name=_("story"))
    position = models.PositiveIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=12, choices=StepKind.choices, default=StepKind.IMAGE)
    text = LanguageMapField(_("narrative"), help_text=_("What the step says, one text per language."))
    canvas = models.ForeignKey(
        "catalogue.Canvas", on_delete=models.PROTECT, null=True, blank=True, related_name="story_steps",
        verbose_name=_("page"),
    )
    region = models.CharField(_("region"), max_length=60, blank=True,
                              help_text=_("x,y,w,h in the page's pixels; empty shows the whole page."))
    canvas2 = models.ForeignKey(
        "catalogue.Canvas", on_delete=models.PROTECT, null=True, blank=True, related_name="story_steps_compared",
        verbose_name=_("second page"), help_text=_("For a comparison: the page shown beside the first."),
    )
    region2 = models.CharField(_("second region"), max_length=60, blank=True)
    first_line = models.PositiveIntegerField(_("first line"), null=True, blank=True,
                                             help_text=_("For a text passage: the first transcription line (1-based)."))
    last_line = models.PositiveIntegerField(_("last line"), null=True, blank=True)
    places = models.ManyToManyField("knowledge.Place", blank=True, related_name="story_steps",
                                    verbose_name=_("places"))
    show_dispersal = models.BooleanField(_("show the dispersal lines"), default=False)
    year_start = models.IntegerField(_("from year"), null=True, blank=True,
                                     help_text=_("For a timeline: negative years are BCE."))
    year_end = models.IntegerField(_("to year"), null=True, blank=True)
    period = models.ForeignKey("knowledge.Period", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("period"))
    audio = models.CharField(_("audio narration"), max_length=300, blank=True,
                             help_text=_("Path of the narration in Mogao's storage (media steps)."))
    captions = models.JSONField(_("captions"), default=dict, blank=True,
                                help_text=_("WebVTT captions per language: {\"en\": \"WEBVTT…\"}."))
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["story", "position", "id"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")

    def __str__(self) -> str:
        return f"{self.story} · {self.position}"

    def narrative(self, language: str | None = None) -> str:
        return langmap.pick(self.text, language or get_language(), default="")

    def to_annotation(self, base_url: str | None = None) -> dict[str, Any]:
        """The step as a W3C Web Annotation (see :mod:`mogao.stories.w3c`)."""
        from mogao.stories import w3c

        return w3c.annotation(self, base_url)



class StoryTransition(models.Model):
    """One move of a story's status (submitted, published, returned to draft), shown on its authoring page."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("story"))
    from_status = models.CharField(_("from"), max_length=12, choices=StoryStatus.choices)
    to_status = models.CharField(_("to"), max_length=12, choices=StoryStatus.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name=_("by"))
    reason = models.TextField(_("reason"), blank=True, max_length=2000)
    created = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.story} · {self.from_status} → {self.to_status}"
