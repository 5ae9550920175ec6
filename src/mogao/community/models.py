"""What readers contribute, the groups they share with, and the moderation every public
contribution goes through (#15).

Every kind of contribution (annotations, comments, collections…) derives from
:class:`Contribution`: an author (``NULL`` once the author deleted the account and chose
anonymisation), a language, a visibility (private, group, public) and a moderation status.
Permissions on contributions are decided in :mod:`mogao.accounts.policy` from these fields; the
subclass only says which institution holds what it is about (``HOLDER_PATH``), so that curators of
that institution can moderate it.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    PRIVATE = "private", _("Private (only me)")
    GROUP = "group", _("A group")
    PUBLIC = "public", _("Public")


class Status(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    APPROVED = "approved", _("Published")
    HIDDEN = "hidden", _("Hidden by a moderator")
    REJECTED = "rejected", _("Rejected")


class ReaderGroup(models.Model):
    """A named group of accounts (a class, a partner team) that can share group-visible work."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="owned_reader_groups", verbose_name=_("owner"))
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="reader_groups", blank=True,
                                     verbose_name=_("members"))
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("reader group")
        verbose_name_plural = _("reader groups")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Contribution(models.Model):
    """Abstract base of everything a reader writes (see the module docstring)."""

    #: Path from the contribution to the id of the institution holding its subject (``""``: none),
    #: e.g. ``"canvas__item__institution_id"``; curators of that institution moderate it.
    HOLDER_PATH: ClassVar[str] = ""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("author"))
    language = models.CharField(_("language"), max_length=35, blank=True,
                                help_text=_("BCP 47 tag of the text, e.g. en, fr, zh-Hans, lzh."))
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility.choices,
                                  default=Visibility.PUBLIC)
    group = models.ForeignKey(ReaderGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                              verbose_name=_("group"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING,
                              db_index=True)
    status_reason = models.CharField(_("reason"), max_length=500, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    modified = models.DateTimeField(_("modified"), auto_now=True)

    class Meta:
        abstract = True

    def holder_institution_id(self) -> int | None:
        """The institution holding what this contribution is about (``None``: no holder)."""
        if not self.HOLDER_PATH:
            return None
        target: object = self
        for part in self.HOLDER_PATH.split("__"):
            if target is None:
                return None
            target = getattr(target, part, None)
        return int(target) if isinstance(target, int) else None

    @property
    def is_public(self) -> bool:
        """Visible to everyone: public and published."""
        return self.visibility == Visibility.PUBLIC and self.status == Status.APPROVED


class ReactionKind(models.TextChoices):
    """The fixed set of reactions a reader may leave (one of each per person and target)."""

    MOVED = "moved", _("Moved")
    CURIOUS = "curious", _("Curious")
    LEARNED = "learned", _("Learned something")
    BEAUTIFUL = "beautiful", _("Beautiful")


class Reaction(models.Model):
    """One reader's reaction of one kind to an item, a page (canvas) or, later, a story step.

    The target is generic (content type and id); the kinds of record one may react to are listed in
    :data:`mogao.community.reactions.TARGETS`. Counts are public; who reacted is shown only to that
    person. ``user`` is ``NULL`` once its author deleted the account choosing anonymisation (the
    count stays).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name=_("reader"))
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("kind of record"))
    object_id = models.PositiveBigIntegerField(_("record id"))
    kind = models.CharField(_("reaction"), max_length=16, choices=ReactionKind.choices)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("reaction")
        verbose_name_plural = _("reactions")
        constraints = [models.UniqueConstraint(fields=["user", "content_type", "object_id", "kind"],
                                               name="uniq_reaction_per_reader")]
        indexes = [models.Index(fields=["content_type", "object_id"], name="reaction_target")]

    def __str__(self) -> str:
        return f"{self.kind} {self.content_type_id}:{self.object_id}"
