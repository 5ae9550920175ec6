"""The admin asks the policy: mixins for every ModelAdmin, inline and history (revert) page.

``PolicyAdmin`` replaces Django's model permissions (groups) by :mod:`mogao.accounts.policy`:
change lists, object pages, history lists and revert pages show only what ``can(user, 'admin',
obj)`` allows (anything else answers like a missing record), writes need ``change``/``delete``/
``add``, and the choices of institution, collection, item and canvas fields are scoped to what the
curator may change (items of a join: what they may view).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import ngettext

from mogao.accounts import policy

#: Foreign keys whose choices the policy scopes: (app label.model) of the related model.
SCOPED_CHOICES = frozenset({
    "catalogue.institution", "catalogue.collection", "catalogue.item", "catalogue.canvas",
    "catalogue.transcription",
})


def scoped_choices(request: HttpRequest, db_field: Any, action: str = "change") -> QuerySet[Any] | None:
    """The queryset of choices for a foreign key to an owned record, or None when not scoped."""
    related = getattr(db_field, "related_model", None)
    if related is None or related._meta.label_lower not in SCOPED_CHOICES:
        return None
    return policy.scope(request.user, action, related._default_manager.all())


class PolicyChoicesMixin:
    """Scopes foreign-key choices; ``choice_actions`` maps a field name to another action."""

    choice_actions: dict[str, str] = {}

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if "queryset" not in kwargs:
            qs = scoped_choices(request, db_field, self.choice_actions.get(db_field.name, "change"))
            if qs is not None:
                kwargs["queryset"] = qs
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]


class PolicyAdmin(PolicyChoicesMixin, admin.ModelAdmin):
    """Every permission of a ModelAdmin decided by the policy."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return policy.scope(request.user, "admin", super().get_queryset(request))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return policy.can(request.user, "admin", self.model)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return policy.can(request.user, "admin", obj if obj is not None else self.model)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return policy.can(request.user, "add", self.model)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return policy.can(request.user, "change", obj if obj is not None else self.model)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return policy.can(request.user, "delete", obj if obj is not None else self.model)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # The record as it will be saved (institution and collection included) must be one the
        # user may write: a form cannot move a record out of the curator's institutions.
        if not policy.can(request.user, "change" if change else "add", obj):
            raise PermissionDenied
        super().save_model(request, obj, form, change)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        if not policy.can(request.user, "delete", obj):
            raise PermissionDenied
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        refused = [obj for obj in queryset if not policy.can(request.user, "delete", obj)]
        if refused:
            raise PermissionDenied
        super().delete_queryset(request, queryset)


class PolicyHistoryMixin:
    """django-simple-history's history list and revert page, asked of the policy.

    The history and revert pages load the record themselves (past versions, not the admin's
    queryset) and let view permission save a form: here a record outside the user's scope answers
    404, a revert (POST) needs ``revert`` permission, and the saved result must pass ``change``
    (``PolicyAdmin.save_model``) with scoped field choices.
    """

    def _scoped_object(self, request: HttpRequest, object_id: str, action: str) -> Any:
        obj = self.get_object(request, unquote(object_id))  # type: ignore[attr-defined]
        if obj is None or not policy.can(request.user, action, obj):
            raise Http404
        return obj

    def history_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> HttpResponse:
        if not policy.is_admin(request.user):  # administrators also see deleted records' history
            self._scoped_object(request, object_id, "history")
        return super().history_view(request, object_id, extra_context)  # type: ignore[misc]

    def history_form_view(self, request: HttpRequest, object_id: str, version_id: str,
                          extra_context: Any = None) -> HttpResponse:
        obj = self._scoped_object(request, object_id, "history")
        if request.method == "POST" and not policy.can(request.user, "revert", obj):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)  # type: ignore[misc]

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        if not policy.can(request.user, "revert", obj):
            return True
        return bool(super().revert_disabled(request, obj))  # type: ignore[misc]


class PolicyInline(PolicyChoicesMixin):
    """An inline edits its parent: every permission is the parent's ``change`` (``add`` when new)."""

    def _parent(self, obj: Any) -> Any:
        return obj if obj is not None else self.parent_model  # type: ignore[attr-defined]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return policy.can(request.user, "admin", self._parent(obj))

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return policy.can(request.user, "change" if obj is not None else "add", self._parent(obj))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return policy.can(request.user, "change" if obj is not None else "add", self._parent(obj))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return policy.can(request.user, "change" if obj is not None else "add", self._parent(obj))


def refuse_some(request: HttpRequest, refused: int) -> None:
    """Tell the user how many selected records an action skipped for want of permission."""
    if refused:
        messages.warning(request, ngettext(
            "%(n)d selected record skipped: you may not decide it.",
            "%(n)d selected records skipped: you may not decide them.", refused) % {"n": refused})
