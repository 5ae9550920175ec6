"""The raw event log and its daily rollups (#18). Neither holds an address, a user agent, a cookie or
an account: an event carries at most a visit hash salted with a secret of the day, and the rollups
keep counts only.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

#: Every kind of event, with what its fields mean.
KINDS: dict[str, str] = {
    "search": "a search: query (folded), results, stage, page",
    "click": "a click on a search result: rank, target",
    "item_view": "an item page",
    "work_view": "a work page",
    "read_open": "the reading room opened on an item",
    "page_view": "a page (canvas) of an item in the reading room: page",
    "gloss": "a dictionary gloss looked up in the reading room",
    "reaction": "a reaction added: detail is its kind",
    "annotation": "an annotation created",
    "download": "a download: detail is the format",
    "api": "an API request: detail is the client type",
    "oai": "an OAI-PMH request: detail is the client type, query the verb",
    "story_step": "a story step shown in the reader: target the story, page the step number (#16)",
    "story_done": "a story read to its last step: target the story, page the step number (#16)",
}


class Event(models.Model):
    """One thing a reader did, kept for ``MOGAO_AUDIENCE_RETENTION_DAYS`` days, then deleted."""

    kind = models.CharField(_("kind"), max_length=16)
    day = models.DateField(_("day"))
    language = models.CharField(_("interface language"), max_length=12, blank=True)
    region = models.CharField(_("region"), max_length=4, blank=True,
                              help_text=_("From the Accept-Language header only (no address lookup)."))
    query = models.CharField(_("folded query"), max_length=200, blank=True)
    results = models.IntegerField(_("result count"), null=True, blank=True)
    stage = models.CharField(_("fallback stage"), max_length=8, blank=True)
    page = models.IntegerField(_("page"), null=True, blank=True)
    rank = models.IntegerField(_("rank"), null=True, blank=True)
    target_type = models.CharField(_("target type"), max_length=16, blank=True)
    target_id = models.BigIntegerField(_("target id"), null=True, blank=True)
    item_id = models.BigIntegerField(_("item id"), null=True, blank=True)
    institution_id = models.BigIntegerField(_("institution id"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=24, blank=True)
    visit = models.CharField(_("visit"), max_length=16, blank=True,
                             help_text=_("A hash salted with a secret of the day; blanked once the day is rolled up."))

    class Meta:
        verbose_name = _("audience event")
        verbose_name_plural = _("audience events")
        indexes = [models.Index(fields=["day", "kind"], name="audience_event_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.kind}"


class DailyCount(models.Model):
    """A daily aggregate: how many events of ``metric`` one day, per language and one other key.

    The keys that do not apply are empty (0 for the ids): a rollup never holds a visit.
    """

    day = models.DateField(_("day"))
    metric = models.CharField(_("metric"), max_length=24)
    language = models.CharField(_("interface language"), max_length=12, blank=True)
    institution_id = models.BigIntegerField(_("institution id"), default=0)
    item_id = models.BigIntegerField(_("item id"), default=0)
    work_id = models.BigIntegerField(_("work id"), default=0)
    key = models.CharField(_("key"), max_length=200, blank=True,
                           help_text=_("A folded query, a region, a client type or a reaction kind."))
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("daily count")
        verbose_name_plural = _("daily counts")
        indexes = [
            models.Index(fields=["metric", "day", "language", "item_id", "institution_id", "count"],
                         name="audience_daily_metric"),  # covers the dashboard's sums
            models.Index(fields=["item_id", "metric"], name="audience_daily_item"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.metric} {self.language} {self.count}"
