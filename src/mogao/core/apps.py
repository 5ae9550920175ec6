"""Django app configuration for the shared core."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "mogao.core"
    label = "core"
    verbose_name = "Mogao core"

    def ready(self) -> None:
        from mogao.core import generation  # noqa: F401  (connects the change receivers)
