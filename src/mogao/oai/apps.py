"""Django app configuration for mogao.oai."""

from django.apps import AppConfig


class OAIConfig(AppConfig):
    name = "mogao.oai"
    label = "oai"
    verbose_name = "OAI"
