"""Django app configuration for mogao.api."""

from django.apps import AppConfig


class APIConfig(AppConfig):
    name = "mogao.api"
    label = "api"
    verbose_name = "API"
