"""Django app configuration for mogao.notify (#17)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class NotifyConfig(AppConfig):
    name = "mogao.notify"
    label = "notify"
    verbose_name = pgettext_lazy("application", "Notifications")

    def ready(self) -> None:
        from mogao.community import deletion, mymogao
        from mogao.core import periodic
        from mogao.notify import sections, services
        from mogao.notify.tasks import digest_task

        mymogao.register(mymogao.Section(
            key="notifications", title=_("Notifications"), template="notify/_mymogao.html",
            context=sections.notifications_context, order=5,
        ))
        # Notifications and e-mail settings are the account's own: they go in either mode.
        deletion.register(deletion.Handler(
            key="notify.notification", anonymise=services.remove_for_account, remove=services.remove_for_account,
        ))
        # Curators' digests: once a day across the cluster (#19's scheduler).
        periodic.register("notify.digest", digest_task, every=24 * 3600)
