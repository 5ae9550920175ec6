"""Django app configuration for reader annotations (#15)."""

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class AnnotationsConfig(AppConfig):
    name = "mogao.annotations"
    label = "annotations"
    verbose_name = pgettext_lazy("application", "Annotations")

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from mogao.annotations import mymogao
        from mogao.community.mymogao import Section, register

        register(Section(key="annotations", title=_("My annotations"), template="annotations/_mymogao.html",
                         context=mymogao.context, order=20))
