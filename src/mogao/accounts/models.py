"""Curatorships: which institutions' records a curator may edit."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Curatorship(models.Model):
    """A user curates the records of one institution."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="curatorships", verbose_name=_("user"),
    )
    institution = models.ForeignKey(
        "catalogue.Institution", on_delete=models.CASCADE, related_name="curatorships", verbose_name=_("institution"),
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "institution"], name="uniq_curatorship")]
        verbose_name = _("curatorship")
        verbose_name_plural = _("curatorships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.institution}"


class Profile(models.Model):
    """What a person tells Mogao about themselves, and the roles a reader account can hold (#15).

    Created on first use (:func:`profile_of`). ``trusted`` readers publish without waiting in the
    moderation queue and may post links; ``moderator`` reviews every institution's public
    contributions; ``manager`` reads the audience dashboards. Roles are decided by
    :mod:`mogao.accounts.policy`, which reads these flags and nothing else.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile",
                                verbose_name=_("account"))
    display_name = models.CharField(_("display name"), max_length=80, blank=True)
    #: BCP 47 tags of the languages the person reads, most fluent first.
    languages = models.JSONField(_("languages read"), default=list, blank=True)
    recommendations = models.BooleanField(_("show recommendations"), default=True)
    trusted = models.BooleanField(_("trusted contributor"), default=False)
    moderator = models.BooleanField(_("moderator"), default=False)
    manager = models.BooleanField(_("manager"), default=False)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return self.display_name or str(self.user)


def profile_of(user: object) -> Profile | None:
    """The profile of a signed-in ``user`` (created when missing); ``None`` for anonymous readers."""
    if user is None or not getattr(user, "is_authenticated", False) or getattr(user, "pk", None) is None:
        return None
    cached = getattr(user, "_mogao_profile", None)
    if isinstance(cached, Profile):
        return cached
    profile, _created = Profile.objects.get_or_create(user_id=user.pk)  # type: ignore[attr-defined]
    user._mogao_profile = profile  # type: ignore[attr-defined]
    return profile
