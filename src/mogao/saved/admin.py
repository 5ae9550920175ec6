"""Admin of reader collections: the policy decides, stale forms are refused, history is kept.

The policy keeps contributions out of the admin for everyone (readers' own work is changed by its
author on the site; moderators use the moderation queue), so this admin shows only what a future
policy lets through; it exists so that it is already policy-bound and concurrency-guarded.
"""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from mogao.accounts.adminpolicy import PolicyAdmin, PolicyHistoryMixin, PolicyInline
from mogao.accounts.names import ShownAsAdmin
from mogao.core.concurrency import ConcurrencyGuardAdmin
from mogao.saved.models import ReaderCollection, SavedEntry


class SavedEntryInline(PolicyInline, admin.TabularInline):
    model = SavedEntry
    extra = 0
    fields = ["position", "kind", "item", "canvas", "x", "y", "w", "h", "note"]
    raw_id_fields = ["item", "canvas"]


@admin.register(ReaderCollection)
class ReaderCollectionAdmin(ShownAsAdmin, ConcurrencyGuardAdmin, PolicyHistoryMixin, PolicyAdmin, SimpleHistoryAdmin):
    list_display = ["name", "pid", "author", "shown_as", "visibility", "unlisted", "status", "modified"]
    list_filter = ["visibility", "unlisted", "status"]
    search_fields = ["name", "pid"]
    readonly_fields = ["pid", "author", "created", "modified", "decided_by", "decided_at"]
    fields = ["pid", "name", "description", "visibility", "unlisted", "language", "status", "status_reason",
              "author", "decided_by", "decided_at", "created", "modified"]
    inlines = [SavedEntryInline]
