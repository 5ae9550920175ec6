"""URL patterns of digitization on demand (mounted at the site root)."""

from django.urls import URLPattern, path

from mogao.digitization import feeds, views

app_name = "digitization"
urlpatterns: list[URLPattern] = [
    path("digitization/", views.queue, name="queue"),
    path("digitization/<int:pk>/", views.request_page, name="request"),
    path("digitization/<int:pk>/act", views.act, name="act"),
    path("digitization/<int:pk>/inputs", views.inputs, name="inputs"),
    path("digitization/<int:pk>/pledge", views.pledge, name="pledge"),
    path("digitization/item/<slug:pid>/request", views.item_request, name="item_request"),
    path("digitization/curate/", views.curate, name="curate"),
    path("digitization/statistics/", views.stats, name="statistics"),
    path("digitization/queue.csv", views.export_csv, name="csv"),
    path("digitization/feed.rss", feeds.QueueFeed(), name="rss"),
    path("digitization/feed.atom", feeds.AtomQueueFeed(), name="atom"),
]
