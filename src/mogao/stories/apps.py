"""Django app configuration for mogao.stories (#16)."""

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class StoriesConfig(AppConfig):
    name = "mogao.stories"
    label = "stories"
    verbose_name = pgettext_lazy("application", "Stories")
