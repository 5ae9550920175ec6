"""Django app configuration for the reading room."""

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class ReadingConfig(AppConfig):
    name = "mogao.reading"
    label = "reading"
    verbose_name = pgettext_lazy("application", "Reading room")
    default_auto_field = "django.db.models.BigAutoField"
