"""Django app configuration for the catalogue."""

from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "mogao.catalogue"
    label = "catalogue"
    verbose_name = "Catalogue"
