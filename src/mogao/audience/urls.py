"""URL patterns of the audience app (#18), mounted at the site root."""

from __future__ import annotations

from django.urls import URLPattern, path

from mogao.audience import beacon, views

app_name = "audience"
urlpatterns: list[URLPattern] = [
    path("audience/beacon", beacon.beacon, name="beacon"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("statistics/", views.statistics, name="statistics"),
]
