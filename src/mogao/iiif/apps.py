"""Django app configuration for mogao.iiif."""

from django.apps import AppConfig


class IIIFConfig(AppConfig):
    name = "mogao.iiif"
    label = "iiif"
    verbose_name = "IIIF"
