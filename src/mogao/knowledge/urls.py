"""URL patterns of mogao.knowledge.urls (mounted at the site root by mogao.site.urls)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
