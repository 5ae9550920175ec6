"""Reader pages of the catalogue: stable, citable URLs."""

from django.urls import path

from mogao.catalogue import views

app_name = "catalogue"
urlpatterns = [
    path("", views.home, name="home"),
    path("browse/", views.browse, name="browse"),
    path("items/<slug:pid>", views.item, name="item"),
    path("works/", views.works, name="works"),
    path("works/<slug:pid>", views.work, name="work"),
    path("institutions/", views.institutions, name="institutions"),
    path("institutions/<slug:pid>", views.institution, name="institution"),
    path("collections/<slug:pid>", views.collection, name="collection"),
]
