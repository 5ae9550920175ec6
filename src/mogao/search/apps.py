"""Django app configuration for mogao.search."""

from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "mogao.search"
    label = "search"
    verbose_name = "Search"
