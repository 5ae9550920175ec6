"""Django app configuration for mogao.oai: connects the receivers that keep deleted records."""

from django.apps import AppConfig


class OAIConfig(AppConfig):
    name = "mogao.oai"
    label = "oai"
    verbose_name = "OAI"

    def ready(self) -> None:
        from mogao.oai import receivers

        receivers.connect()
