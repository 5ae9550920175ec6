"""Django app configuration for mogao.ingest."""

from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "mogao.ingest"
    label = "ingest"
    verbose_name = "Ingest"
