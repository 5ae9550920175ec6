"""Curators' admin for entities, authority links, mentions (confirm/reject) and join suggestions."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin, messages
from django.contrib.contenttypes.admin import GenericTabularInline
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

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


class AuthorityLinkInline(GenericTabularInline):
    model = AuthorityLink
    extra = 0
    fields = ("scheme", "identifier")


class EntityAdmin(admin.ModelAdmin):
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
class MentionAdmin(admin.ModelAdmin):
    list_display = ("__str__", "surface", "role", "source", "confidence", "status", "reviewed_by")
    list_filter = ("status", "source", "role")
    search_fields = ("surface",)
    raw_id_fields = ("item", "work", "canvas", "transcription")
    readonly_fields = ("reviewed_by", "reviewed_at", "created_by")
    actions = ["confirm", "reject"]

    @admin.action(description=_("Confirm the selected mentions"))
    def confirm(self, request: HttpRequest, queryset: QuerySet[Mention]) -> None:
        n = services.mentions_review(mentions=queryset, status=Mention.Status.CONFIRMED, user=request.user)
        self.message_user(request, _("%(n)d mentions confirmed.") % {"n": n}, messages.SUCCESS)

    @admin.action(description=_("Reject the selected mentions"))
    def reject(self, request: HttpRequest, queryset: QuerySet[Mention]) -> None:
        n = services.mentions_review(mentions=queryset, status=Mention.Status.REJECTED, user=request.user)
        self.message_user(request, _("%(n)d mentions rejected.") % {"n": n}, messages.SUCCESS)


@admin.register(JoinSuggestion)
class JoinSuggestionAdmin(admin.ModelAdmin):
    list_display = ("join", "score", "join_status", "decided_by", "decided_at")
    readonly_fields = ("join", "score", "signals", "decided_by", "decided_at", "created")
    actions = ["accept", "reject"]

    @admin.display(description=_("status"))
    def join_status(self, obj: JoinSuggestion) -> str:
        return obj.join.get_status_display()

    @admin.action(description=_("Accept the selected joins"))
    def accept(self, request: HttpRequest, queryset: QuerySet[JoinSuggestion]) -> None:
        for suggestion in queryset.select_related("join"):
            reunification.join_decide(join=suggestion.join, accept=True, user=request.user)
        self.message_user(request, _("Joins accepted."), messages.SUCCESS)

    @admin.action(description=_("Reject the selected joins"))
    def reject(self, request: HttpRequest, queryset: QuerySet[JoinSuggestion]) -> None:
        for suggestion in queryset.select_related("join"):
            reunification.join_decide(join=suggestion.join, accept=False, user=request.user)
        self.message_user(request, _("Joins rejected; they will not be proposed again."), messages.SUCCESS)


@admin.register(CollectionOrigin)
class CollectionOriginAdmin(admin.ModelAdmin):
    list_display = ("collection", "place")
    autocomplete_fields = ("place",)
