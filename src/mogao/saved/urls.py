"""Reader collections: pages, IIIF, CSV, the "Save" control and recommendations (#15)."""

from django.urls import path

from mogao.saved import views

app_name = "saved"
urlpatterns = [
    path("saved/", views.mine, name="mine"),
    path("saved/recommendations", views.recommendations, name="recommendations"),
    path("saved/recommendations/switch", views.recommendations_switch, name="recommendations_switch"),
    path("saved/save/<slug:pid>", views.save, name="save"),
    path("saved/<slug:pid>/", views.collection, name="collection"),
    path("saved/<slug:pid>/edit", views.edit, name="edit"),
    path("saved/<slug:pid>/new-link", views.new_link, name="new_link"),
    path("saved/<slug:pid>/delete", views.delete, name="delete"),
    path("saved/<slug:pid>/entries/<int:entry_id>/note", views.entry_note, name="entry_note"),
    path("saved/<slug:pid>/entries/<int:entry_id>/delete", views.entry_delete, name="entry_delete"),
    path("saved/<slug:pid>/manifest", views.manifest, name="manifest"),
    path("saved/<slug:pid>/iiif-collection", views.iiif_collection, name="iiif_collection"),
    path("saved/<slug:pid>/export.csv", views.export_csv, name="csv"),
]
