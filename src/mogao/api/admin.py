"""Admin for API tokens: administrators issue them; the secret is shown once, on creation."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from mogao.accounts.adminpolicy import PolicyAdmin
from mogao.api.models import ApiToken
from mogao.api.services import token_create


@admin.register(ApiToken)
class ApiTokenAdmin(PolicyAdmin):
    """Administrators only (the policy's rule for tokens)."""

    list_display = ("name", "user", "prefix", "created", "expires", "last_used", "revoked")
    list_filter = ("revoked",)
    search_fields = ("name", "user__username", "prefix")
    readonly_fields = ("prefix", "created", "last_used")
    autocomplete_fields = ("user",)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        if obj is None:
            return ("user", "name", "expires")
        return ("user", "name", "prefix", "created", "expires", "last_used", "revoked")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("user", "prefix", "created", "last_used") if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        token, secret = token_create(user=obj.user, name=obj.name, expires=obj.expires)
        obj.pk = token.pk
        obj.prefix, obj.key_hash, obj.created = token.prefix, token.key_hash, token.created
        messages.warning(
            request, _("Copy this token now; it will not be shown again: %(secret)s") % {"secret": secret}
        )
