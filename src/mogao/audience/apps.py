from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AudienceConfig(AppConfig):
    name = "mogao.audience"
    label = "audience"
    verbose_name = _("Audience")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.conf import settings

        from mogao.audience.tasks import rollup_task
        from mogao.core import periodic

        # Once per MOGAO_AUDIENCE_ROLLUP_MINUTES across the cluster (#19); 0 leaves it to the command.
        minutes = int(getattr(settings, "AUDIENCE_ROLLUP_MINUTES", 60))
        if minutes > 0:
            periodic.register("audience.rollup", rollup_task, every=minutes * 60)
