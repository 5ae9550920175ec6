"""Django app configuration for mogao.digitization (#17)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DigitizationConfig(AppConfig):
    name = "mogao.digitization"
    label = "digitization"
    verbose_name = pgettext_lazy("application", "Digitization on demand")

    def ready(self) -> None:
        from mogao.core.changes import changes_committed
        from mogao.digitization import notices, publish

        changes_committed.connect(publish.on_changes, dispatch_uid="digitization-publish")
        from django.conf import settings

        from mogao.core import periodic
        from mogao.digitization.tasks import recompute_task

        minutes = int(getattr(settings, "DIGITIZATION_RECOMPUTE_MINUTES", 60))
        if minutes > 0:  # once per period across the cluster (#19's scheduler)
            periodic.register("digitization.recompute", recompute_task, every=minutes * 60)
        try:
            from mogao.notify import register_digest, register_kind
        except ImportError:  # notifications not installed yet
            return
        register_kind(notices.PUBLISHED, _("A digitization request of yours is online"))
        register_kind(notices.NEW_REQUEST, _("New digitization requests for your institution"))
        register_digest(notices.NEW_REQUEST, notices.curators, template="notify/mail/digest")
