"""URL patterns of the reading room (mounted at the site root, before the catalogue's)."""

from django.urls import URLPattern, URLResolver, path

from mogao.reading import views

app_name = "reading"
urlpatterns: list[URLPattern | URLResolver] = [
    path("items/<slug:pid>/read", views.read, name="read"),
    path("items/<slug:pid>/read/<int:order>", views.read, name="page"),
    path("items/<slug:pid>/read/<int:order>/lines/<int:line>/correct", views.propose, name="propose"),
    path("items/<slug:pid>/read/search", views.search_hits, name="search_hits"),
    path("items/<slug:pid>/read/manifest", views.manifest, name="manifest"),
    path("items/<slug:pid>/text.txt", views.text_txt, name="txt"),
    path("items/<slug:pid>/text.tei.xml", views.text_tei, name="tei"),
    path("items/<slug:pid>/text.pdf", views.text_pdf, name="pdf"),
    path("iiif/items/<slug:pid>/search", views.search2, name="search2"),
    path("iiif/items/<slug:pid>/search/v1", views.search1, name="search1"),
    path("reading/gloss", views.gloss, name="gloss"),
    path("reading/corrections/", views.corrections, name="corrections"),
    path("reading/corrections/<int:pk>/<str:decision>", views.review, name="review"),
]
