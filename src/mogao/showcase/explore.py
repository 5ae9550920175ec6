"""Ways into the collection, listed on the home page (and, when asked, in the main navigation).

Each :class:`Way` names a URL; a way whose URL does not resolve is not shown, so an entry may be
registered before its page exists. That is how the "Stories" slot works: it is registered here and
stays hidden until an app mounts the URL name ``stories:index`` (issue #16). Another app adds its
own way by calling :func:`register` from its ``AppConfig.ready``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Way:
    """One way in: a label, a sentence saying what the reader finds there, and where it leads."""

    key: str
    label: str | Promise
    summary: str | Promise
    url_name: str
    order: int = 100
    in_nav: bool = False  # also shown in the main navigation (core ways are written in base.html)


@dataclass(frozen=True)
class Link:
    way: Way
    url: str


_WAYS: dict[str, Way] = {}


def register(way: Way) -> None:
    """Add or replace (by ``key``) a way in."""
    _WAYS[way.key] = way


def unregister(key: str) -> None:
    _WAYS.pop(key, None)


def links(*, nav: bool | None = None) -> list[Link]:
    """The ways whose pages exist, in order; ``nav=True``: only those meant for the navigation."""
    found = []
    for way in sorted(_WAYS.values(), key=lambda w: (w.order, w.key)):
        if nav is not None and way.in_nav != nav:
            continue
        try:
            found.append(Link(way, reverse(way.url_name)))
        except NoReverseMatch:
            continue  # its app is not installed yet: the slot stays hidden
    return found


for _way in (
    Way("stories", _("Stories"), _("Guided tours through manuscripts, maps and time."), "stories:index",
        order=5, in_nav=True),
    Way("map", _("Map"), _("Where each manuscript was found, and where it is kept today."), "knowledge:map",
        order=10),
    Way("timeline", _("Timeline"), _("Dynasties, reign eras and dated manuscripts through the centuries."),
        "knowledge:timeline", order=20),
    Way("graph", _("Relationship graph"), _("How works, people, places and manuscripts are linked."),
        "knowledge:graph", order=30),
    Way("works", _("Works"), _("The texts themselves, with every witness that carries them."),
        "catalogue:works", order=40),
    Way("people", _("People"), _("Translators, authors, explorers and patrons."), "knowledge:people",
        order=50),
    Way("places", _("Places"), _("Caves, cities and monasteries named in the records."), "knowledge:places",
        order=60),
    Way("browse", _("Browse"), _("Every item by holder, period, type and digitization."), "catalogue:browse",
        order=70),
):
    register(_way)
