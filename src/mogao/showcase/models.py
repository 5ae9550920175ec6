"""Curated marks for the home page: the items a curator puts in front of every visitor.

A featured item is shown on the home page only while the item is public; in the image strip only
while it has a page image. Featured works are :class:`mogao.search.models.FeaturedWork` (one mark
per work serves both ranking and the home page).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from mogao.core import langmap
from mogao.core.fields import LanguageMapField


class FeaturedItem(models.Model):
    """An item a curator features on the home page, in the curator's order, with an optional caption."""

    item = models.OneToOneField(
        "catalogue.Item", on_delete=models.CASCADE, related_name="home_featured", verbose_name=_("item"),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Smaller numbers come first on the home page."),
    )
    caption = LanguageMapField(
        _("caption"), help_text=_("Why this item is worth a look, in a sentence (optional; one per language)."),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("featured item")
        verbose_name_plural = _("featured items")

    def __str__(self) -> str:
        return str(self.item)

    def clean(self) -> None:
        self.caption = langmap.clean(self.caption, field="caption")
