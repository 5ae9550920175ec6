"""Digitization requests in the admin: curators of the holder see and annotate theirs (the policy decides).

The status moves only through the lifecycle (the request's page, :func:`~mogao.digitization.states.transition`),
so it is read-only here, as are readers, the timeline and the pledges.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from mogao.accounts.adminpolicy import PolicyAdmin, PolicyHistoryMixin
from mogao.core.concurrency import ConcurrencyGuardAdmin
from mogao.digitization.models import Pledge, Request, RequestReader, Transition


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        from mogao.accounts import policy

        return policy.can(request.user, "admin", obj if obj is not None else Request)


class ReaderInline(_ReadOnlyInline):
    model = RequestReader
    fields = readonly_fields = ("purpose", "note", "created")


class TransitionInline(_ReadOnlyInline):
    model = Transition
    fields = readonly_fields = ("from_status", "to_status", "by", "reason", "at")


class PledgeInline(_ReadOnlyInline):
    model = Pledge
    fields = readonly_fields = ("institution", "kind", "note", "by", "created")


@admin.register(Request)
class RequestAdmin(ConcurrencyGuardAdmin, PolicyHistoryMixin, PolicyAdmin, SimpleHistoryAdmin):
    list_display = ("pk", "item", "status", "priority", "override_score", "created")
    list_filter = ("status", "item__institution")
    search_fields = ("item__pid", "item__shelfmark")
    raw_id_fields = ("item", "merged_into")
    readonly_fields = ("item", "first_canvas", "last_canvas", "status", "merged_into", "decline_reason",
                       "expected_month", "priority", "breakdown", "priority_computed", "published", "created",
                       "updated")
    fields = ("item", "first_canvas", "last_canvas", "status", "expected_month", "conservation_risk",
              "estimated_pages", "override_score", "override_reason", "priority", "breakdown",
              "priority_computed", "merged_into", "decline_reason", "published", "created", "updated")
    inlines = (ReaderInline, TransitionInline, PledgeInline)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        from django.core.exceptions import ValidationError

        if obj.override_score is not None and not (obj.override_reason or "").strip():
            raise ValidationError("override without a reason")  # the form's clean refuses it first
        super().save_model(request, obj, form, change)
        from mogao.digitization import priority

        priority.recompute([obj.pk])

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        base_clean = form.clean

        def clean(self: Any) -> Any:
            data = base_clean(self)
            if data.get("override_score") is not None and not (data.get("override_reason") or "").strip():
                from django.utils.translation import gettext as _

                self.add_error("override_reason", _("Record why the score is overridden."))
            return data

        form.clean = clean
        return form
