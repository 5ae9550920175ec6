"""Django app configuration for mogao.discovery (an app for its templates and template tags)."""

from django.apps import AppConfig


class DiscoveryConfig(AppConfig):
    name = "mogao.discovery"
    label = "discovery"
    verbose_name = "Discovery"
