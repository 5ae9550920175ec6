"""The home page in the admin: curators feature their institution's items (the policy decides whose)."""

from __future__ import annotations

from django.contrib import admin

from mogao.accounts.adminpolicy import PolicyAdmin
from mogao.core.concurrency import ConcurrencyGuardAdmin
from mogao.showcase.models import FeaturedItem


@admin.register(FeaturedItem)
class FeaturedItemAdmin(ConcurrencyGuardAdmin, PolicyAdmin):
    list_display = ("item", "position", "updated")
    search_fields = ("item__pid", "item__shelfmark")
    raw_id_fields = ("item",)
    fields = ("item", "position", "caption")
