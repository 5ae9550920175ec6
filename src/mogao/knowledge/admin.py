"""Curators' admin for entities, authority links, mentions (confirm/reject) and join suggestions."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin, messages
from django.contrib.contenttypes.admin import GenericTabularInline
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from mogao.accounts import policy
from mogao.accounts.adminpolicy import PolicyAdmin, PolicyInline, refuse_some
from mogao.core.concurrency import ConcurrencyGuardAdmin
from mogao.knowledge import reunification, services
from mogao.knowledge.models import (
    AuthorityLink,
    CollectionOrigin,
    JoinSuggestion,
    Mention,
    Period,
    Person,
    Place,
    Subject,
)


class AuthorityLinkInline(PolicyInline, GenericTabularInline):
    model = AuthorityLink
    extra = 0
    fields = ("scheme", "identifier")


class EntityAdmin(ConcurrencyGuardAdmin, PolicyAdmin):
    """Entities are searched by pid and by any name (the JSON text holds every language)."""

    search_fields = ("pid", "name", "aliases")
    readonly_fields = ("pid",)
    inlines = [AuthorityLinkInline]

    def get_search_results(self, request: HttpRequest, queryset: QuerySet[Any], search_term: str) -> Any:
        """Also match names as SQLite stores JSON (non-ASCII escaped: 鳩 -> \\u9ce9)."""
        qs, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        escaped = json.dumps(search_term.strip())[1:-1]
        if search_term and escaped != search_term.strip():
            qs = qs | queryset.filter(Q(name__icontains=escaped) | Q(aliases__icontains=escaped))
        return qs, may_have_duplicates

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not obj.pid:
            obj.pid = services.new_entity_pid(type(obj), obj)
        super().save_model(request, obj, form, change)


@admin.register(Person)
class PersonAdmin(EntityAdmin):
    list_display = ("pid", "__str__", "year_start", "year_end")


@admin.register(Place)
class PlaceAdmin(EntityAdmin):
    list_display = ("pid", "__str__", "latitude", "longitude", "within")
    autocomplete_fields = ("within",)


@admin.register(Period)
class PeriodAdmin(EntityAdmin):
    list_display = ("pid", "__str__", "kind", "year_start", "year_end")
    list_filter = ("kind",)
    autocomplete_fields = ("parent",)


@admin.register(Subject)
class SubjectAdmin(EntityAdmin):
    list_display = ("pid", "__str__")


@admin.register(Mention)
class MentionAdmin(ConcurrencyGuardAdmin, PolicyAdmin):
    list_display = ("__str__", "surface", "role", "source", "confidence", "status", "reviewed_by")
    list_filter = ("status", "source", "role")
    search_fields = ("surface",)
    raw_id_fields = ("item", "work", "canvas", "transcription")
    readonly_fields = ("reviewed_by", "reviewed_at", "created_by")
    actions = ["confirm", "reject"]

    def _moderated(self, request: HttpRequest, queryset: QuerySet[Mention]) -> QuerySet[Mention]:
        allowed = [m.pk for m in queryset.select_related("item") if policy.can(request.user, "moderate", m)]
        refuse_some(request, queryset.count() - len(allowed))
        return queryset.filter(pk__in=allowed)

    @admin.action(description=_("Confirm the selected mentions"))
    def confirm(self, request: HttpRequest, queryset: QuerySet[Mention]) -> None:
        n = services.mentions_review(mentions=self._moderated(request, queryset), status=Mention.Status.CONFIRMED,
                                     user=request.user)
        self.message_user(request, _("%(n)d mentions confirmed.") % {"n": n}, messages.SUCCESS)

    @admin.action(description=_("Reject the selected mentions"))
    def reject(self, request: HttpRequest, queryset: QuerySet[Mention]) -> None:
        n = services.mentions_review(mentions=self._moderated(request, queryset), status=Mention.Status.REJECTED,
                                     user=request.user)
        self.message_user(request, _("%(n)d mentions rejected.") % {"n": n}, messages.SUCCESS)


@admin.register(JoinSuggestion)
class JoinSuggestionAdmin(ConcurrencyGuardAdmin, PolicyAdmin):
    list_display = ("join", "score", "join_status", "decided_by", "decided_at")
    readonly_fields = ("join", "score", "signals", "decided_by", "decided_at", "created")
    actions = ["accept", "reject"]

    @admin.display(description=_("status"))
    def join_status(self, obj: JoinSuggestion) -> str:
        return obj.join.get_status_display()

    def has_accept_permission(self, request: HttpRequest) -> bool:
        return policy.can(request.user, "accept", None)

    def _decide(self, request: HttpRequest, queryset: QuerySet[JoinSuggestion], accept: bool) -> int:
        decided = refused = 0
        for suggestion in queryset.select_related("join"):
            if not policy.can(request.user, "accept", suggestion):
                refused += 1
                continue
            reunification.join_decide(join=suggestion.join, accept=accept, user=request.user)
            decided += 1
        refuse_some(request, refused)
        return decided

    @admin.action(description=_("Accept the selected joins"), permissions=["accept"])
    def accept(self, request: HttpRequest, queryset: QuerySet[JoinSuggestion]) -> None:
        if self._decide(request, queryset, True):
            self.message_user(request, _("Joins accepted."), messages.SUCCESS)

    @admin.action(description=_("Reject the selected joins"), permissions=["accept"])
    def reject(self, request: HttpRequest, queryset: QuerySet[JoinSuggestion]) -> None:
        if self._decide(request, queryset, False):
            self.message_user(request, _("Joins rejected; they will not be proposed again."), messages.SUCCESS)


@admin.register(CollectionOrigin)
class CollectionOriginAdmin(ConcurrencyGuardAdmin, PolicyAdmin):
    list_display = ("collection", "place")
    autocomplete_fields = ("place",)
