"""Django app configuration for mogao.iiif (connects the image receivers when ready)."""

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class IIIFConfig(AppConfig):
    name = "mogao.iiif"
    label = "iiif"
    verbose_name = pgettext_lazy("application", "IIIF")

    def ready(self) -> None:
        from mogao.iiif import access, receivers  # noqa: F401  (connect their receivers)
