"""URL patterns of the IIIF Image API 3.0 (mounted at the site root by mogao.site.urls).

One catch-all route: the core parses the segments itself, so a wrong number of segments (an
unescaped ``/`` in an identifier) is its 404 with CORS headers, not Django's HTML page.
"""

from django.urls import URLPattern, URLResolver, re_path

from mogao.iiif.web import image_api

app_name = "iiif_image"

urlpatterns: list[URLPattern | URLResolver] = [
    re_path(r"^iiif/3/(?P<path>.+)$", image_api, name="api"),
]
