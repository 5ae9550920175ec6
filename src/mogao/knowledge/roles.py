"""Reader-facing names of the roles a person record lists (``Person.roles`` holds plain keys)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ROLE_LABELS: dict[str, Promise] = {
    "author": _("author"),
    "translator": _("translator"),
    "compiler": _("compiler"),
    "editor": _("editor"),
    "commentator": _("commentator"),
    "explorer": _("explorer"),
    "sinologist": _("sinologist"),
    "caretaker": _("caretaker"),
    "monk": _("monk"),
    "nun": _("nun"),
    "traveller": _("traveller"),
    "commissioner": _("commissioner"),
    "emperor": _("emperor"),
    "scribe": _("scribe"),
    "donor": _("donor"),
    "poet": _("poet"),
    "official": _("official"),
    "scholar": _("scholar"),
}


def role_label(role: str) -> str:
    """The role in the interface's language; a role the table does not know is shown as entered."""
    label = ROLE_LABELS.get(str(role).strip().lower())
    return str(label) if label is not None else str(role)
