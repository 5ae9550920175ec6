"""URL patterns of mogao.discovery (mounted at the site root, before the catalogue's own pages).

``items/<pid>`` wraps the catalogue's item page to add content negotiation; the catalogue's URL
name ``catalogue:item`` still reverses to the same path.
"""

from django.urls import URLPattern, URLResolver, path

from mogao.discovery import views

app_name = "discovery"
urlpatterns: list[URLPattern | URLResolver] = [
    path("sitemap.xml", views.sitemap_index, name="sitemap"),
    path("sitemaps/<slug:section>.xml", views.sitemap_section, name="sitemap_section"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("iiif/discovery/collection.json", views.discovery_collection, name="changes"),
    path("iiif/discovery/pages/<int:n>.json", views.discovery_page, name="changes_page"),
    path("items/<slug:pid>", views.item, name="item"),
]
