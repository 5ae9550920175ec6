"""Sitemap sections (django.contrib.sitemaps): public items and works, holders, collections, entities.

URLs are absolute on the configured ``MOGAO_BASE_URL`` whatever host the request came to (or, unset,
on the request's own address; see ``mogao.core.urls``), so search engines index
the canonical address.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlparse

from django.contrib.sitemaps import Sitemap
from django.contrib.sites.requests import RequestSite
from django.db.models import QuerySet

from mogao.catalogue.models import Collection, Institution
from mogao.catalogue.selectors import item_public_qs, work_public_qs
from mogao.core.urls import base_url
from mogao.knowledge.models import Period, Person, Place


class CanonicalSitemap(Sitemap):
    """A section whose URLs use BASE_URL; subclasses give ``items()`` (ordered, for stable pages)."""

    limit = 10_000

    def get_urls(self, page: int | str = 1, site: Any = None, protocol: str | None = None) -> list[dict[str, Any]]:
        base = urlparse(base_url())
        canonical = RequestSite.__new__(RequestSite)  # a site named after BASE_URL, not the request
        canonical.domain = canonical.name = base.netloc
        return super().get_urls(page=page, site=canonical, protocol=base.scheme or "https")

    def lastmod(self, obj: Any) -> datetime | None:
        return getattr(obj, "updated", None)


class ItemSitemap(CanonicalSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self) -> QuerySet[Any]:
        return item_public_qs().only("pid", "updated").order_by("pid")


class WorkSitemap(CanonicalSitemap):
    changefreq = "monthly"
    priority = 0.7

    def items(self) -> QuerySet[Any]:
        return work_public_qs().only("pid", "updated").order_by("pid")


class InstitutionSitemap(CanonicalSitemap):
    changefreq = "monthly"

    def items(self) -> QuerySet[Any]:
        return Institution.objects.only("pid", "updated").order_by("pid")


class CollectionSitemap(CanonicalSitemap):
    changefreq = "monthly"

    def items(self) -> QuerySet[Any]:
        return Collection.objects.only("pid", "updated").order_by("pid")


class EntitySitemap(CanonicalSitemap):
    changefreq = "monthly"
    model: type[Person | Place | Period] = Person
    prefix = "people"

    def items(self) -> QuerySet[Any]:
        return self.model._default_manager.only("pid", "updated").order_by("pid")

    def location(self, obj: Any) -> str:
        return f"/{self.prefix}/{obj.pid}"


class PersonSitemap(EntitySitemap):
    model = Person
    prefix = "people"


class PlaceSitemap(EntitySitemap):
    model = Place
    prefix = "places"


class PeriodSitemap(EntitySitemap):
    model = Period
    prefix = "periods"


class StorySitemap(CanonicalSitemap):
    """Published stories (#16), at their stable address ``/stories/<slug>/``."""

    changefreq = "monthly"
    priority = 0.8

    def items(self) -> QuerySet[Any]:
        from mogao.stories.models import Story, StoryStatus

        return Story.objects.filter(status=StoryStatus.PUBLISHED).only("slug", "updated").order_by("slug")


SECTIONS: dict[str, type[CanonicalSitemap]] = {
    "items": ItemSitemap, "works": WorkSitemap, "institutions": InstitutionSitemap,
    "collections": CollectionSitemap, "people": PersonSitemap, "places": PlaceSitemap, "periods": PeriodSitemap,
    "stories": StorySitemap,
}
