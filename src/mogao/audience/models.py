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
    "zoom": "a deep-zoom interaction in the viewer (zoomed in on a page): page",
    "comment": "a comment posted on an item (or a reply)",
    "save": "an item saved to a personal collection",
    "story_step": "a step of a story reached: target_id is the story, page the step number",
    "story_done": "a story read to its last step: target_id is the story",
    "request": "a digitization request: item, institution, detail is the purpose",
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
            models.Index(fields=["day", "metric"], name="audience_daily_day"),
            # the exact recount of the top lists' candidates, and demand_for_items (covering)
            models.Index(fields=["item_id", "metric", "day", "language", "institution_id", "count"],
                         name="audience_daily_item_day"),
            models.Index(fields=["work_id", "metric", "day", "language", "count"], name="audience_daily_work",
                         condition=models.Q(work_id__gt=0)),
            models.Index(fields=["key", "day", "language", "count"], name="audience_daily_zero",
                         condition=models.Q(metric="zero")),
            models.Index(fields=["key", "day"], name="audience_daily_near", condition=models.Q(metric="fallback")),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.metric} {self.language} {self.count}"


class _Summary(models.Model):
    """The fields every summary table shares: what is counted, in which interface language, for which
    institution (0: not per institution) and key. Each table adds its period, and the tops their ids."""

    metric = models.CharField(_("metric"), max_length=24)
    language = models.CharField(_("interface language"), max_length=12, blank=True)
    institution_id = models.BigIntegerField(_("institution id"), default=0)
    key = models.CharField(_("key"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        period = getattr(self, "day", None) or getattr(self, "month", None)
        return f"{period} {self.metric} {self.language} {getattr(self, 'count', 0)}"


class _Top(_Summary):
    """A summary table of ranked entries: the item or work an entry is about (0 when it is not)."""

    item_id = models.BigIntegerField(_("item id"), default=0)
    work_id = models.BigIntegerField(_("work id"), default=0)

    class Meta:
        abstract = True


class DailyTotal(_Summary):
    """A day's total of one metric per language, institution (0: not per institution) and, for the
    metrics with few keys (story steps, request purposes, client types, reaction kinds, regions), key.

    Written by the rollup from the day's :class:`DailyCount` rows, so that sums over a range read a
    few rows per day instead of every item's; :class:`MonthlyTotal` sums them per month.
    """

    day = models.DateField(_("day"))
    count = models.PositiveBigIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("daily total")
        verbose_name_plural = _("daily totals")
        indexes = [models.Index(fields=["metric", "day", "language", "institution_id", "key", "count"],
                                name="audience_total_metric"),
                   models.Index(fields=["day"], name="audience_total_day")]


class MonthlyTotal(_Summary):
    """:class:`DailyTotal` summed over a calendar month (``month`` is its first day): a year's sums
    read twelve months and the days at the range's edges."""

    month = models.DateField(_("month"))
    count = models.PositiveBigIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("monthly total")
        verbose_name_plural = _("monthly totals")
        indexes = [models.Index(fields=["metric", "month", "language", "institution_id", "key", "count"],
                                name="audience_month_metric")]


class DailyTop(_Top):
    """The day's most counted items, works, reactions or queries per language, for all institutions
    (``institution_id`` 0) and per institution: the candidates of the dashboard's top lists, which are
    then counted exactly over the range from :class:`DailyCount`.
    """

    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("daily top entry")
        verbose_name_plural = _("daily top entries")
        indexes = [models.Index(fields=["metric", "institution_id", "day", "language"], name="audience_top_metric")]


class MonthlyTop(_Top):
    """A calendar month's best :class:`DailyTop` entries (``month`` is its first day): the candidates
    of the top lists for the whole months of a range."""

    month = models.DateField(_("month"))
    count = models.PositiveBigIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("monthly top entry")
        verbose_name_plural = _("monthly top entries")
        indexes = [models.Index(fields=["metric", "institution_id", "month", "language"], name="audience_mtop_metric")]
