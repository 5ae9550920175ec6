"""Django app configuration for mogao.discovery (an app for its templates and template tags)."""

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class DiscoveryConfig(AppConfig):
    name = "mogao.discovery"
    label = "discovery"
    verbose_name = pgettext_lazy("application", "Discovery")
