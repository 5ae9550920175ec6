"""URL of the server-rendered annotation list (kept apart from the W3C protocol's URLs)."""

from django.urls import URLPattern, path

from mogao.annotations import listing

app_name = "annotation_list"
urlpatterns: list[URLPattern] = [
    path("annotations/items/<slug:pid>/", listing.item_annotations, name="item"),
]
