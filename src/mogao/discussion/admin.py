"""Admin of comments, reports and moderation decisions: read-only pages for moderators.

Who sees what is the policy's decision (``admin``/``history`` of a contribution: whoever may
moderate it); nobody edits another person's comment here — authors edit on the page, moderators
decide in the moderation queue (``/moderation/``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from mogao.accounts import policy
from mogao.accounts.adminpolicy import PolicyAdmin, PolicyHistoryMixin
from mogao.accounts.names import ShownAsAdmin
from mogao.core.concurrency import ConcurrencyGuardAdmin
from mogao.discussion.models import Comment, ModerationDecision, Report
from mogao.discussion.render import plain


@admin.register(Comment)
class CommentAdmin(ShownAsAdmin, ConcurrencyGuardAdmin, PolicyHistoryMixin, PolicyAdmin, SimpleHistoryAdmin):
    list_display = ("id", "excerpt", "author", "shown_as", "language", "status", "target_type", "target_id", "created")
    list_filter = ("status", "language", "target_type")
    search_fields = ("body",)
    readonly_fields = ("author", "target_type", "target_id", "parent", "institution", "body", "language",
                       "visibility", "status", "status_reason", "decided_by", "decided_at", "deleted", "edited",
                       "created", "modified")
    fields = readonly_fields

    @admin.display(description=Comment._meta.get_field("body").verbose_name)
    def excerpt(self, obj: Comment) -> str:
        return plain(obj.body)[:80]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Comment]:
        return super().get_queryset(request).select_related("author", "target_type")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False  # comments are written on the pages


class _ModerationLogAdmin(ConcurrencyGuardAdmin, PolicyAdmin):
    """Reports and decisions: moderators read them; they are written by the queue and the pages."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super(PolicyAdmin, self).get_queryset(request)
        return qs if policy.is_moderator(request.user) else qs.none()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return policy.is_moderator(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return policy.is_moderator(request.user)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return policy.is_admin(request.user)


@admin.register(Report)
class ReportAdmin(_ModerationLogAdmin):
    list_display = ("id", "content_type", "object_id", "reason", "reporter", "created", "resolved")
    list_filter = ("reason", "resolved")
    readonly_fields = ("content_type", "object_id", "reporter", "reason", "note", "created", "resolved")
    fields = readonly_fields


@admin.register(ModerationDecision)
class ModerationDecisionAdmin(_ModerationLogAdmin):
    list_display = ("id", "content_type", "object_id", "previous", "status", "decided_by", "decided_at")
    list_filter = ("status",)
    readonly_fields = ("content_type", "object_id", "previous", "status", "reason", "decided_by", "decided_at")
    fields = readonly_fields
