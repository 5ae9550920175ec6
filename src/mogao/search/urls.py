"""URL patterns of mogao.search.urls (mounted at the site root by mogao.site.urls)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
