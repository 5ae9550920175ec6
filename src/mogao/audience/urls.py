"""URL patterns of the audience app (#18), mounted at the site root."""

from __future__ import annotations

from django.urls import URLPattern, path

from mogao.audience import beacon

app_name = "audience"
urlpatterns: list[URLPattern] = [
    path("audience/beacon", beacon.beacon, name="beacon"),
]
