"""A reader's collections (#15): items, pages (canvases) and image regions saved with notes.

Visibility maps onto the foundation's :class:`~mogao.community.models.Contribution` fields:

============  ========================  ====================================================
reader sees   ``visibility``            ``unlisted``  who may view (decided in ``accounts.policy``)
============  ========================  ====================================================
private       ``private``               False         the owner only
unlisted      ``private``               True          the owner, and whoever holds the secret link
public        ``public``                False         everyone once approved (moderation as usual)
============  ========================  ====================================================

An unlisted collection is stored as *private* on purpose: every list, search, export and scope of
the policy treats it as private, and only :func:`mogao.accounts.policy.can_view_with_link` opens it
to a person presenting its ``link_token``.

Entries are not contributions of their own: they belong to their collection (its author, its
visibility, its moderation status). A note written by an untrusted reader into a public collection
sends the whole collection back to review (see :mod:`mogao.saved.services`).
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, ClassVar

from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager

from mogao.community.models import Contribution

NAME_MAX = 200
DESCRIPTION_MAX = 2000
NOTE_MAX = 2000
#: Entries one collection may hold, and collections one reader may keep.
ENTRIES_MAX = 500
COLLECTIONS_MAX = 200


def new_pid() -> str:
    return secrets.token_hex(6)


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Sharing(models.TextChoices):
    """What the reader chooses; stored as (``visibility``, ``unlisted``)."""

    PRIVATE = "private", _("Private (only me)")
    UNLISTED = "unlisted", _("Unlisted (anyone with the link)")
    PUBLIC = "public", _("Public")


class ReaderCollection(Contribution):
    """A named collection a reader keeps (not a holder's catalogue.Collection)."""

    HOLDER_PATH: ClassVar[str] = ""  # entries span institutions: moderators review public ones

    pid = models.CharField(_("public id"), max_length=16, unique=True, default=new_pid, editable=False)
    name = models.CharField(_("name"), max_length=NAME_MAX)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX, blank=True)
    unlisted = models.BooleanField(
        _("unlisted"), default=False,
        help_text=_("A private collection that anyone holding its secret link may view."),
    )
    link_token = models.CharField(_("link token"), max_length=64, default=new_token, editable=False)

    history = HistoricalRecords()
    objects: ClassVar[models.Manager[ReaderCollection]] = models.Manager()
    if TYPE_CHECKING:
        entries: RelatedManager[SavedEntry]

    class Meta:
        verbose_name = _("reader collection")
        verbose_name_plural = _("reader collections")
        ordering = ["-modified", "-id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("saved:collection", args=[self.pid])

    @property
    def sharing(self) -> str:
        if self.visibility == "public":
            return Sharing.PUBLIC
        return Sharing.UNLISTED if self.unlisted else Sharing.PRIVATE

    def get_sharing_display(self) -> str:
        return str(Sharing(self.sharing).label)

    def link_query(self) -> str:
        """``?key=…`` for an unlisted collection (the secret part of its link), else ``""``."""
        return f"?key={self.link_token}" if self.sharing == Sharing.UNLISTED else ""


class SavedEntry(models.Model):
    """One thing saved in a collection: an item, one of its pages, or a region of a page."""

    class Kind(models.TextChoices):
        ITEM = "item", _("Item")
        CANVAS = "canvas", _("Page")
        REGION = "region", _("Region of a page")

    collection = models.ForeignKey(ReaderCollection, on_delete=models.CASCADE, related_name="entries",
                                   verbose_name=_("collection"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    item = models.ForeignKey("catalogue.Item", on_delete=models.CASCADE, related_name="+", verbose_name=_("item"))
    canvas = models.ForeignKey("catalogue.Canvas", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="+", verbose_name=_("page"))
    x = models.PositiveIntegerField(_("region left (px)"), null=True, blank=True)
    y = models.PositiveIntegerField(_("region top (px)"), null=True, blank=True)
    w = models.PositiveIntegerField(_("region width (px)"), null=True, blank=True, validators=[MinValueValidator(1)])
    h = models.PositiveIntegerField(_("region height (px)"), null=True, blank=True, validators=[MinValueValidator(1)])
    note = models.TextField(_("note"), max_length=NOTE_MAX, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()
    objects: ClassVar[models.Manager[SavedEntry]] = models.Manager()
    if TYPE_CHECKING:
        item_id: int
        canvas_id: int | None

    class Meta:
        verbose_name = _("saved entry")
        verbose_name_plural = _("saved entries")
        ordering = ["collection", "position", "id"]
        constraints = [
            models.CheckConstraint(
                name="saved_entry_shape",
                condition=(
                    models.Q(kind="item", canvas__isnull=True, x__isnull=True, w__isnull=True)
                    | models.Q(kind="canvas", canvas__isnull=False, x__isnull=True, w__isnull=True)
                    | models.Q(kind="region", canvas__isnull=False, x__isnull=False, y__isnull=False,
                               w__gt=0, h__gt=0)
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.collection} · {self.item_id} {self.xywh}".strip()

    @property
    def xywh(self) -> str:
        if self.kind != self.Kind.REGION:
            return ""
        return f"{self.x},{self.y},{self.w},{self.h}"
