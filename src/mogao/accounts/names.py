"""The name a reader's contributions show (#15): the profile's display name, else the user name;
"A former reader" (translated) once the author deleted the account choosing anonymisation.

Always a plain string: templates escape it and should put it in ``<bdi>`` (names in any script).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def shown_name(user: Any) -> str:
    """What to show as the author of a contribution by ``user`` (``None``: anonymised)."""
    if user is None:
        return _("A former reader")
    try:
        profile = user.profile
    except (ObjectDoesNotExist, AttributeError):
        profile = None
    name = (getattr(profile, "display_name", "") or "").strip()
    return name or str(user.get_username())


class ShownAsAdmin:
    """Admin mixin: a ``shown_as`` column, the name the public pages show for the author."""

    @admin.display(description=gettext_lazy("shown as"))
    def shown_as(self, obj: Any) -> str:
        return shown_name(obj.author)
