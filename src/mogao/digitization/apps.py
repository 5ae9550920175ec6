"""Django app configuration for mogao.digitization (#17)."""

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class DigitizationConfig(AppConfig):
    name = "mogao.digitization"
    label = "digitization"
    verbose_name = pgettext_lazy("application", "Digitization on demand")
