"""Django app configuration for mogao.search: connects the indexing receivers when ready."""

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class SearchConfig(AppConfig):
    name = "mogao.search"
    label = "search"
    verbose_name = pgettext_lazy("application", "Search")

    def ready(self) -> None:
        # Imported for its side effect: connecting signal receivers (indexing after commit).
        from mogao.search import checks, receivers  # noqa: F401  (system checks too)
