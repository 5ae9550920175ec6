"""Django app configuration for the catalogue."""

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class CatalogueConfig(AppConfig):
    name = "mogao.catalogue"
    label = "catalogue"
    verbose_name = pgettext_lazy("application", "Catalogue")

    def ready(self) -> None:
        from mogao.catalogue import pagecache

        pagecache.connect()  # the readers generation behind the cached item page (#19)
