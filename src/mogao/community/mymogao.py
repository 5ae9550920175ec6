"""The sections of "My Mogao" (#15): each app registers what it lists for the signed-in reader.

An app calls :func:`register` in its ``AppConfig.ready``; the "My Mogao" page renders every section
in ``order`` with ``template`` and the context ``context(request)`` returns (a falsy context hides
the section).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.functional import Promise


@dataclass(frozen=True)
class Section:
    key: str
    title: str | Promise
    template: str
    context: Callable[[HttpRequest], dict[str, Any] | None]
    order: int = 100


_SECTIONS: dict[str, Section] = {}


def register(section: Section) -> None:
    """Add (or replace, by ``key``) a section of "My Mogao"."""
    _SECTIONS[section.key] = section


def sections() -> list[Section]:
    """Every registered section, in order."""
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))
