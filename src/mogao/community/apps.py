"""Django app configuration for the community layer."""

from typing import Any

from django.apps import AppConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def _my_reactions(request: HttpRequest) -> dict[str, Any] | None:
    from mogao.community import reactions

    found = reactions.reactions_of(request.user)
    return {"reactions": found} if found else None


class CommunityConfig(AppConfig):
    name = "mogao.community"
    label = "community"
    verbose_name = pgettext_lazy("application", "Community")

    def ready(self) -> None:
        from mogao.community import mymogao, reactions  # noqa: F401 - registers the deletion handler

        mymogao.register(mymogao.Section(key="reactions", title=_("Your reactions"),
                                         template="community/_my_reactions.html", context=_my_reactions,
                                         order=80))
