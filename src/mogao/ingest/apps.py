"""Django app configuration for mogao.ingest."""

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class IngestConfig(AppConfig):
    name = "mogao.ingest"
    label = "ingest"
    verbose_name = pgettext_lazy("application", "Ingest")
