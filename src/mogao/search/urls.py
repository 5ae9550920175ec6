"""URL patterns of mogao.search (mounted at the site root by mogao.site.urls)."""

from django.urls import URLPattern, URLResolver, path

from mogao.search import views

app_name = "search"
urlpatterns: list[URLPattern | URLResolver] = [
    path("search/", views.search, name="search"),
    path("search/suggest", views.suggest, name="suggest"),
]
