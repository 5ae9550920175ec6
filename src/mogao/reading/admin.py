"""Admin of reader corrections: curators see those of their own institutions, with history.

Who sees and moderates which correction is the policy's decision (``mogao.accounts.policy``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from mogao.accounts.adminpolicy import PolicyAdmin, PolicyHistoryMixin
from mogao.core.concurrency import ConcurrencyGuardAdmin
from mogao.reading.models import Correction


@admin.register(Correction)
class CorrectionAdmin(ConcurrencyGuardAdmin, PolicyHistoryMixin, PolicyAdmin, SimpleHistoryAdmin):
    list_display = ("id", "transcription", "line", "status", "proposed_by", "reviewed_by", "created")
    list_filter = ("status",)
    readonly_fields = ("transcription", "line", "original", "text", "note", "proposed_by", "reviewed_by",
                       "reviewed_at", "status", "created")
    fields = (*readonly_fields, "review_note")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Correction]:
        return super().get_queryset(request).select_related("transcription__canvas__item", "proposed_by")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Corrections come from readers in the reading room; decisions go through the services.
        return False
