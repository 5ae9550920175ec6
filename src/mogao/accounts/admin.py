"""Admin for curatorships (administrators assign curators to institutions)."""

from django.contrib import admin

from mogao.accounts.models import Curatorship


@admin.register(Curatorship)
class CuratorshipAdmin(admin.ModelAdmin):
    list_display = ("user", "institution")
    list_filter = ("institution",)
    autocomplete_fields = ("user", "institution")

    def has_module_permission(self, request):  # type: ignore[no-untyped-def]
        return request.user.is_superuser
