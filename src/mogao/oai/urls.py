"""URL patterns of mogao.oai.urls (mounted at the site root by mogao.site.urls)."""

from django.urls import URLPattern, URLResolver, path

from mogao.oai import views

app_name = "oai"
urlpatterns: list[URLPattern | URLResolver] = [
    path("oai", views.endpoint, name="endpoint"),
    path("oai/schemas/<str:name>", views.schema, name="schema"),
]
