"""Django app configuration for mogao.notify (#17)."""

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class NotifyConfig(AppConfig):
    name = "mogao.notify"
    label = "notify"
    verbose_name = pgettext_lazy("application", "Notifications")
