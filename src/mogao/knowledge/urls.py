"""URL patterns of the knowledge layer (mounted at the site root by mogao.site.urls)."""

from django.urls import URLPattern, URLResolver, path

from mogao.knowledge import views

app_name = "knowledge"
urlpatterns: list[URLPattern | URLResolver] = [
    path("people/", views.entity_index, {"kind": "person"}, name="people"),
    path("people/<slug:pid>", views.entity, {"kind": "person"}, name="person"),
    path("places/", views.entity_index, {"kind": "place"}, name="places"),
    path("places/<slug:pid>", views.entity, {"kind": "place"}, name="place"),
    path("periods/", views.entity_index, {"kind": "period"}, name="periods"),
    path("periods/<slug:pid>", views.entity, {"kind": "period"}, name="period"),
    path("subjects/", views.entity_index, {"kind": "subject"}, name="subjects"),
    path("subjects/<slug:pid>", views.entity, {"kind": "subject"}, name="subject"),
    path("map/", views.map_page, name="map"),
    path("map/data.json", views.map_json, name="map_data"),
    path("timeline/", views.timeline, name="timeline"),
    path("graph/", views.graph, name="graph"),
    path("graph/data.json", views.graph_json, name="graph_data"),
    path("curate/joins/", views.curate_joins, name="curate_joins"),
    path("curate/joins/suggest", views.curate_joins_suggest, name="curate_joins_suggest"),
    path("curate/joins/<slug:pid>/decide", views.curate_join_decide, name="curate_join_decide"),
]
