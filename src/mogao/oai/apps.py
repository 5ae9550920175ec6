"""Django app configuration for mogao.oai: connects the receivers that keep deleted records."""

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class OAIConfig(AppConfig):
    name = "mogao.oai"
    label = "oai"
    verbose_name = pgettext_lazy("application", "OAI")

    def ready(self) -> None:
        from mogao.oai import receivers

        receivers.connect()
