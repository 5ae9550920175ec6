"""Curators see the queries that found nothing (read-only: they are statistics, not records)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from mogao.accounts.adminpolicy import PolicyAdmin
from mogao.search.models import ZeroResultQuery


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
