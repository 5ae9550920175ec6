"""Notifications in the admin (#17): read-only, for administrators only (the policy decides).

Notifications are personal: curators and moderators never see other people's. Nothing is added,
changed or deleted here; deleting an account removes its notifications.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from mogao.accounts.adminpolicy import PolicyAdmin
from mogao.core.concurrency import ConcurrencyGuardAdmin
from mogao.notify.models import Notification, Preference


class ReadOnlyPolicyAdmin(ConcurrencyGuardAdmin, PolicyAdmin):
    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyPolicyAdmin):
    list_display = ["subject", "recipient", "kind", "created", "read_at", "emailed_at"]
    list_filter = ["kind"]
    search_fields = ["recipient__username", "kind"]
    list_select_related = ["recipient"]
    date_hierarchy = "created"


@admin.register(Preference)
class PreferenceAdmin(ReadOnlyPolicyAdmin):
    list_display = ["user", "kind", "email", "changed"]
    list_filter = ["kind", "email"]
    search_fields = ["user__username", "kind"]
    list_select_related = ["user"]
