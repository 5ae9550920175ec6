"""Django app configuration for mogao.showcase (the home page's curation and ways to explore)."""

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class ShowcaseConfig(AppConfig):
    name = "mogao.showcase"
    label = "showcase"
    verbose_name = pgettext_lazy("application", "Home page")
