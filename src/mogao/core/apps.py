"""Django app configuration for the shared core."""

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class CoreConfig(AppConfig):
    name = "mogao.core"
    label = "core"
    verbose_name = pgettext_lazy("application", "Mogao core")

    def ready(self) -> None:
        from mogao.core import changes, checks, generation, metrics  # noqa: F401  (generation subscribes; checks register)

        changes.connect()
        metrics.install()
