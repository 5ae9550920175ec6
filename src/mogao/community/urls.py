"""URL patterns of the community layer (mounted at the site root)."""

from django.urls import URLPattern, path

from mogao.community import views

app_name = "community"
urlpatterns: list[URLPattern] = [
    path("reactions/<slug:target>/<int:pk>", views.react, name="react"),
]
