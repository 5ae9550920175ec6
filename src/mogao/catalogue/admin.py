"""The curators' admin: language maps edited row by row, filters, inlines, history, permissions.

Curators (staff with a Curatorship) see and edit only their own institutions' items, collections,
canvases and joins; shared records (works) are editable by every curator; administrators edit all.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from mogao.accounts import policy
from mogao.accounts.adminpolicy import PolicyAdmin, PolicyHistoryMixin, PolicyInline
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
from mogao.core.forms import LanguageTagsField

# Web addresses typed without a scheme are taken as https (Django 6's default, chosen now).
URL_FIELDS: dict[type[models.Field[Any, Any]], dict[str, Any]] = {models.URLField: {"assume_scheme": "https"}}


class InstitutionScopedAdmin(PolicyHistoryMixin, PolicyAdmin, SimpleHistoryAdmin):
    """Every permission, change list, history/revert page and field choice asks the policy.

    Curators see and change only their own institutions' records (other institutions' records
    answer like missing ones); shared records follow the policy's rules for shared records.
    """

    formfield_overrides = URL_FIELDS


@admin.display(description=_("title"))
def title_column(obj: Any) -> str:
    value = getattr(obj, "title", None) or getattr(obj, "name", None) or {}
    return langmap.pick(value, "en") + (
        f" · {langmap.pick(value, 'zh-hant')}" if value.get("zh-Hant") or value.get("lzh") else ""
    )


@admin.register(Institution)
class InstitutionAdmin(ConcurrencyGuardAdmin, InstitutionScopedAdmin):
    list_display = ("code", title_column, "country", "allow_download")
    search_fields = ("code", "name")
    readonly_fields = ("pid",)


@admin.register(Collection)
class CollectionAdmin(ConcurrencyGuardAdmin, InstitutionScopedAdmin):
    list_display = ("pid", title_column, "institution")
    list_filter = ("institution",)
    search_fields = ("code", "name")
    readonly_fields = ("pid",)


class ItemWorkInline(PolicyInline, admin.TabularInline):
    model = ItemWork
    extra = 1
    autocomplete_fields = ("work",)


class CanvasInline(PolicyInline, admin.TabularInline):
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

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "languages":
            return LanguageTagsField(label=db_field.verbose_name.capitalize())
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_queryset(self, request: HttpRequest) -> Any:
        # The join form's item search offers every item the curator may view (not only their own).
        if request.path.endswith("/autocomplete/") and request.GET.get("model_name") == "joinmember":
            return policy.scope(request.user, "view", Item.objects.all())
        return super().get_queryset(request)


class WorkCreatorInline(PolicyInline, admin.TabularInline):
    model = WorkCreator
    extra = 1
    autocomplete_fields = ("person",)


@admin.register(Work)
class WorkAdmin(ConcurrencyGuardAdmin, InstitutionScopedAdmin):
    list_display = ("pid", title_column, "category", "period", "visibility")
    list_filter = ("period", "visibility", "category")
    search_fields = ("pid", "title", "aliases", "identifiers")
    readonly_fields = ("pid",)
    autocomplete_fields = ("period",)
    inlines = [WorkCreatorInline]


class JoinMemberFormSet(BaseInlineFormSet):
    """A join must keep at least one item of an institution the curator curates."""

    user: Any = None

    def clean(self) -> None:
        super().clean()
        if self.user is None or policy.is_admin(self.user):
            return
        items = [
            form.cleaned_data["item"] for form in self.forms
            if form.cleaned_data.get("item") is not None and not form.cleaned_data.get("DELETE")
        ]
        if not any(policy.can(self.user, "change", item) for item in items):
            raise ValidationError(_("A join must contain at least one item of an institution you curate."))


class JoinMemberInline(PolicyInline, admin.TabularInline):
    model = JoinMember
    formset = JoinMemberFormSet
    extra = 2
    autocomplete_fields = ("item",)
    # Items of other institutions may join, but only those the curator may view (never private).
    choice_actions = {"item": "view"}

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (formset,), {"user": request.user})


@admin.register(Join)
class JoinAdmin(ConcurrencyGuardAdmin, InstitutionScopedAdmin):
    """A curator sees, changes and deletes joins that contain one of their items."""

    list_display = ("pid", "__str__", "status", "confidence", "asserted_by")
    list_filter = ("status",)
    search_fields = ("pid", "asserted_by")
    readonly_fields = ("pid",)
    inlines = [JoinMemberInline]


class TranscriptionInline(PolicyInline, admin.StackedInline):
    model = Transcription
    extra = 0
    fields = ("language", "source", "engine", "confidence", "is_primary", "text")


@admin.register(Canvas)
class CanvasAdmin(ConcurrencyGuardAdmin, InstitutionScopedAdmin):
    list_display = ("__str__", "item", "order", "image_id", "width", "height")
    search_fields = ("item__shelfmark", "item__pid", "image_id")
    autocomplete_fields = ("item",)
    inlines = [TranscriptionInline]


@admin.register(Translation)
class TranslationAdmin(ConcurrencyGuardAdmin, InstitutionScopedAdmin):
    list_display = ("item", "language", "translator")
    list_filter = ("language",)
    search_fields = ("item__shelfmark", "text")
    autocomplete_fields = ("item", "canvas")
