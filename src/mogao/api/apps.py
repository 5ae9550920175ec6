"""Django app configuration for mogao.api."""

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class APIConfig(AppConfig):
    name = "mogao.api"
    label = "api"
    verbose_name = pgettext_lazy("application", "API")
