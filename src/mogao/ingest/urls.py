"""URL patterns of mogao.ingest.urls (mounted at the site root by mogao.site.urls)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
