"""Search in the admin: the queries that found nothing (read-only statistics), and the curated
titles and featured marks that feed ranking (changes reindex the work and its witnesses)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from mogao.accounts.adminpolicy import PolicyAdmin
from mogao.core.concurrency import ConcurrencyGuardAdmin
from mogao.search.models import FeaturedWork, TitleAlias, ZeroResultQuery


@admin.register(ZeroResultQuery)
class ZeroResultQueryAdmin(PolicyAdmin):
    list_display = ("query", "language", "day", "count", "last_seen")
    list_filter = ("language", "day")
    search_fields = ("query",)
    readonly_fields = ("query", "language", "day", "count", "last_seen")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: ZeroResultQuery | None = None
    ) -> bool:
        return False


class _CurationAdmin(ConcurrencyGuardAdmin, PolicyAdmin):
    """Curation records of a shared work (the policy decides; the change channel reindexes)."""

    raw_id_fields = ("work",)


@admin.register(TitleAlias)
class TitleAliasAdmin(_CurationAdmin):
    list_display = ("text", "work", "language", "kind", "provenance", "updated")
    list_filter = ("kind", "language")
    search_fields = ("text", "provenance", "work__pid")
    fields = ("work", "text", "language", "kind", "provenance", "note")


@admin.register(FeaturedWork)
class FeaturedWorkAdmin(_CurationAdmin):
    list_display = ("work", "provenance", "created")
    search_fields = ("work__pid", "provenance")
    fields = ("work", "provenance")
