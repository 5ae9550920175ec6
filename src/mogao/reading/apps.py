"""Django app configuration for the reading room."""

from django.apps import AppConfig


class ReadingConfig(AppConfig):
    name = "mogao.reading"
    label = "reading"
    verbose_name = "Reading room"
    default_auto_field = "django.db.models.BigAutoField"
