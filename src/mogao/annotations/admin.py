"""Admin of annotations: moderators and curators of the holder review public ones, with history (#15).

What each account sees and may decide is the policy's (``moderate``/``delete`` on a contribution);
the text itself is the author's and stays read-only here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from mogao.accounts import policy
from mogao.accounts.adminpolicy import PolicyAdmin, PolicyHistoryMixin
from mogao.accounts.names import ShownAsAdmin
from mogao.annotations.models import Annotation
from mogao.core.concurrency import ConcurrencyGuardAdmin


@admin.register(Annotation)
class AnnotationAdmin(ShownAsAdmin, ConcurrencyGuardAdmin, PolicyHistoryMixin, PolicyAdmin, SimpleHistoryAdmin):
    list_display = ("uid", "canvas", "visibility", "status", "language", "author", "shown_as", "created")
    list_filter = ("status", "visibility", "purpose")
    readonly_fields = ("uid", "canvas", "transcription", "x", "y", "w", "h", "text_start", "text_end", "exact",
                       "text", "language", "purpose", "tags", "visibility", "group", "author", "decided_by",
                       "decided_at", "created", "modified")
    fields = (*readonly_fields, "status", "status_reason")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Annotation]:
        qs = admin.ModelAdmin.get_queryset(self, request).select_related("canvas__item", "author")
        return policy.scope(request.user, "moderate", qs)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return policy.can(request.user, "moderate", Annotation)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return policy.can(request.user, "moderate", obj if obj is not None else Annotation)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return policy.can(request.user, "moderate", obj if obj is not None else Annotation)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False  # annotations are written by readers through the protocol

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not policy.can(request.user, "moderate", obj):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        obj.decided_by, obj.decided_at = request.user, timezone.now()
        obj.version += 1
        admin.ModelAdmin.save_model(self, request, obj, form, change)
