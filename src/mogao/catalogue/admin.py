"""The curators' admin: language maps edited row by row, filters, inlines, history, permissions.

Curators (staff with a Curatorship) see and edit only their own institutions' items, collections,
canvases and joins; shared records (works) are editable by every curator; administrators edit all.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from mogao.accounts.permissions import can_edit, curated_institution_ids
from mogao.catalogue.models import (
    Canvas,
    Collection,
    Institution,
    Item,
    ItemWork,
    Join,
    JoinMember,
    Transcription,
    Translation,
    Work,
    WorkCreator,
)
from mogao.core import langmap
from mogao.core.concurrency import ConcurrencyGuardAdmin

# Web addresses typed without a scheme are taken as https (Django 6's default, chosen now).
URL_FIELDS: dict[type[models.Field[Any, Any]], dict[str, Any]] = {models.URLField: {"assume_scheme": "https"}}


class InstitutionScopedAdmin(SimpleHistoryAdmin):
    """Limits the change list and every object permission to the curator's institutions."""

    institution_path = "institution"
    formfield_overrides = URL_FIELDS

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        allowed = curated_institution_ids(request.user)
        if allowed is None:
            return qs
        field = "pk" if self.institution_path == "self" else f"{self.institution_path}__in"
        return qs.filter(**{field if field != "pk" else "pk__in": allowed})

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and can_edit(request.user, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and can_edit(request.user, obj)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        allowed = curated_institution_ids(request.user)
        if allowed is not None:
            if db_field.name == "institution":
                kwargs["queryset"] = Institution.objects.filter(pk__in=allowed)
            elif db_field.name == "collection":
                kwargs["queryset"] = Collection.objects.filter(institution__in=allowed)
            elif db_field.name == "item":
                kwargs["queryset"] = Item.objects.filter(institution__in=allowed)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.display(description=_("title"))
def title_column(obj: Any) -> str:
    value = getattr(obj, "title", None) or getattr(obj, "name", None) or {}
    return langmap.pick(value, "en") + (
        f" · {langmap.pick(value, 'zh-hant')}" if value.get("zh-Hant") or value.get("lzh") else ""
    )


@admin.register(Institution)
class InstitutionAdmin(ConcurrencyGuardAdmin, InstitutionScopedAdmin):
    institution_path = "self"
    list_display = ("code", title_column, "country", "allow_download")
    search_fields = ("code", "name")
    readonly_fields = ("pid",)


@admin.register(Collection)
class CollectionAdmin(ConcurrencyGuardAdmin, InstitutionScopedAdmin):
    list_display = ("pid", title_column, "institution")
    list_filter = ("institution",)
    search_fields = ("code", "name")
    readonly_fields = ("pid",)


class ItemWorkInline(admin.TabularInline):
    model = ItemWork
    extra = 1
    autocomplete_fields = ("work",)


class CanvasInline(admin.TabularInline):
    model = Canvas
    formfield_overrides = URL_FIELDS
    extra = 0
    fields = ("order", "image_id", "service_url", "width", "height")
    show_change_link = True


@admin.register(Item)
class ItemAdmin(ConcurrencyGuardAdmin, InstitutionScopedAdmin):
    list_display = ("shelfmark", title_column, "institution", "item_type", "period", "digitization_status",
                    "visibility")
    list_filter = ("institution", "digitization_status", "period", "item_type", "visibility", "collection")
    search_fields = ("shelfmark", "local_id", "pid", "title")
    readonly_fields = ("pid", "created", "updated")
    autocomplete_fields = ("period", "find_place", "acquired_by")
    inlines = [ItemWorkInline, CanvasInline]
    list_per_page = 50
    fieldsets = (
        (None, {"fields": ("pid", "institution", "collection", "shelfmark", "local_id", "title", "item_type",
                           "description")}),
        (_("Date"), {"fields": ("date_expression", "year_start", "year_end", "period")}),
        (_("Physical description"), {"fields": ("material", "dimensions", "extent", "languages")}),
        (_("Provenance"), {"fields": ("find_place", "acquired_by", "acquisition_year", "provenance", "notes")}),
        (_("Access"), {"fields": ("rights", "allow_download", "digitization_status", "visibility")}),
        (_("Record"), {"fields": ("created", "updated")}),
    )


class WorkCreatorInline(admin.TabularInline):
    model = WorkCreator
    extra = 1
    autocomplete_fields = ("person",)


@admin.register(Work)
class WorkAdmin(ConcurrencyGuardAdmin, SimpleHistoryAdmin):
    list_display = ("pid", title_column, "category", "period", "visibility")
    list_filter = ("period", "visibility", "category")
    search_fields = ("pid", "title", "aliases", "identifiers")
    readonly_fields = ("pid",)
    autocomplete_fields = ("period",)
    inlines = [WorkCreatorInline]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and can_edit(request.user, obj)


class JoinMemberInline(admin.TabularInline):
    model = JoinMember
    extra = 2
    autocomplete_fields = ("item",)


@admin.register(Join)
class JoinAdmin(ConcurrencyGuardAdmin, SimpleHistoryAdmin):
    list_display = ("pid", "__str__", "status", "confidence", "asserted_by")
    list_filter = ("status",)
    search_fields = ("pid", "asserted_by")
    readonly_fields = ("pid",)
    inlines = [JoinMemberInline]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        if obj is None:
            return True
        # A curator may edit a join when they curate at least one of its members.
        return any(can_edit(request.user, m.item) for m in obj.members.select_related("item"))


class TranscriptionInline(admin.StackedInline):
    model = Transcription
    extra = 0
    fields = ("language", "source", "engine", "confidence", "is_primary", "text")


@admin.register(Canvas)
class CanvasAdmin(ConcurrencyGuardAdmin, InstitutionScopedAdmin):
    institution_path = "item__institution"
    list_display = ("__str__", "item", "order", "image_id", "width", "height")
    search_fields = ("item__shelfmark", "item__pid", "image_id")
    autocomplete_fields = ("item",)
    inlines = [TranscriptionInline]


@admin.register(Translation)
class TranslationAdmin(ConcurrencyGuardAdmin, InstitutionScopedAdmin):
    institution_path = "item__institution"
    list_display = ("item", "language", "translator")
    list_filter = ("language",)
    search_fields = ("item__shelfmark", "text")
    autocomplete_fields = ("item", "canvas")
