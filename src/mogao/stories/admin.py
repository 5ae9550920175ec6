"""Stories in the admin (#16): curators of the story's institution edit it, the policy decides.

The status is read-only here: a story moves through review on its authoring page
(``/stories/<slug>/edit/``), where each move is recorded. Pages offered for steps are those the
curator may view (any holder's public pages); regions are checked against the page's size.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from mogao.accounts.adminpolicy import PolicyAdmin, PolicyHistoryMixin, PolicyInline
from mogao.core.concurrency import ConcurrencyGuardAdmin
from mogao.stories import validation
from mogao.stories.models import Step, Story, StoryTransition


class StepForm(forms.ModelForm):
    """Regions inside their page and narratives sanitized, as in the authoring page."""

    class Meta:
        model = Step
        fields = ("position", "kind", "text", "canvas", "region", "canvas2", "region2", "first_line", "last_line",
                  "places", "show_dispersal", "year_start", "year_end", "period", "audio", "captions")

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean() or {}
        errors: validation.Errors = {}
        for field, page in (("region", "canvas"), ("region2", "canvas2")):
            if cleaned.get(field):
                cleaned[field] = validation.region(cleaned[field], cleaned.get(page), field, errors)
        text = cleaned.get("text")
        if isinstance(text, dict):
            cleaned["text"] = {tag: [validation.sanitize(t) for t in values] for tag, values in text.items()}
        for field, messages in errors.items():
            for message in messages:
                self.add_error(field, message)
        return cleaned


class StepInline(PolicyInline, admin.StackedInline):
    model = Step
    form = StepForm
    extra = 0
    raw_id_fields = ("canvas", "canvas2")
    autocomplete_fields = ("places", "period")
    choice_actions = {"canvas": "view", "canvas2": "view"}
    fields = StepForm.Meta.fields


class TransitionInline(PolicyInline, admin.TabularInline):
    model = StoryTransition
    extra = 0
    fields = ("created", "from_status", "to_status", "user", "reason")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Story)
class StoryAdmin(ConcurrencyGuardAdmin, PolicyHistoryMixin, PolicyAdmin, SimpleHistoryAdmin):
    list_display = ("slug", "__str__", "institution", "status", "featured", "position", "updated")
    list_filter = ("status", "institution", "featured")
    search_fields = ("slug", "title")
    raw_id_fields = ("cover",)
    choice_actions = {"cover": "view"}
    readonly_fields = ("status", "published_at", "created_by", "created", "updated")
    fields = ("slug", "institution", "title", "summary", "credits", "default_language", "cover", "cover_region",
              "featured", "position", "status", "published_at", "created_by", "created", "updated")
    inlines = [StepInline, TransitionInline]
