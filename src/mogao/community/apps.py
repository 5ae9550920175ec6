"""Django app configuration for the community layer."""

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class CommunityConfig(AppConfig):
    name = "mogao.community"
    label = "community"
    verbose_name = pgettext_lazy("application", "Community")
