"""Admin for curatorships (administrators assign curators to institutions)."""

from django.contrib import admin

from mogao.accounts.adminpolicy import PolicyAdmin
from mogao.accounts.models import Curatorship


@admin.register(Curatorship)
class CuratorshipAdmin(PolicyAdmin):
    """Administrators only (the policy's rule for curatorships)."""

    list_display = ("user", "institution")
    list_filter = ("institution",)
    autocomplete_fields = ("user", "institution")
