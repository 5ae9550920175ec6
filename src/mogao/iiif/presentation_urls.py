"""URL patterns of IIIF Presentation 3.0, the comparison workspace and downloads (mounted at the root)."""

from django.urls import URLPattern, URLResolver, path

from mogao.iiif import views_presentation as views

app_name = "iiif_presentation"
urlpatterns: list[URLPattern | URLResolver] = [
    path("iiif/items/<slug:pid>/manifest", views.item_manifest, name="item_manifest"),
    path("iiif/joins/<slug:pid>/manifest", views.join_manifest, name="join_manifest"),
    path("iiif/collections/top", views.top_collection, name="top_collection"),
    path("iiif/collections/works", views.works_collection, name="works_collection"),
    path("iiif/collections/institution/<slug:pid>", views.institution_collection, name="institution_collection"),
    path("iiif/collections/collection/<slug:pid>", views.collection_collection, name="collection_collection"),
    path("iiif/collections/work/<slug:pid>", views.work_collection, name="work_collection"),
    path("compare/", views.compare, name="compare"),
    path("compare/join/<slug:pid>", views.compare_join, name="compare_join"),
    path("compare/items/<slug:a>/<slug:b>", views.compare_items, name="compare_items"),
    path("items/<slug:pid>/canvases/<int:n>/download", views.canvas_download, name="canvas_download"),
    path("items/<slug:pid>/download.pdf", views.item_pdf, name="item_pdf"),
]
