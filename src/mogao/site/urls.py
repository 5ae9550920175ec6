"""URL configuration: reader pages, the admin, IIIF, OAI-PMH, search and the API.

Each domain app owns its own ``urls`` module; this file only mounts them.
"""

from __future__ import annotations

from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from mogao.api.root import api
from mogao.core import health, metrics
from mogao.site import pagefont

admin.site.site_header = _("Mogao — curators")
admin.site.site_title = "Mogao"
admin.site.index_title = _("Curation")

handler404 = "mogao.site.errors.page_not_found"
handler500 = "mogao.site.errors.server_error"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),  # probes for load balancers (#19)
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics_view, name="metrics"),  # Prometheus, loopback or token only (#19)
    path("favicon.ico", RedirectView.as_view(url=static("mogao/favicon.svg"), permanent=True)),
    path("i18n/", include("django.conf.urls.i18n")),
    re_path(r"^fonts/page/(?P<key>[0-9a-f]{24})\.css$", pagefont.page_font_css, name="page-font-css"),
    re_path(r"^fonts/page/(?P<key>[0-9a-f]{24})\.woff2$", pagefont.page_font_woff2, name="page-font-woff2"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("mogao.accounts.urls")),
    path("", include("mogao.community.urls")),
    path("", include("mogao.notify.urls")),
    path("", include("mogao.audience.urls")),
    path("api/v1/", api.urls),
    path("", include("mogao.iiif.image_urls")),
    path("", include("mogao.iiif.presentation_urls")),
    path("", include("mogao.oai.urls")),
    path("", include("mogao.search.urls")),
    path("", include("mogao.knowledge.urls")),
    path("", include("mogao.ingest.urls")),
    path("", include("mogao.discovery.urls")),
    path("", include("mogao.reading.urls")),
    path("", include("mogao.catalogue.urls")),
    path("", include("mogao.annotations.urls")),
    path("", include("mogao.discussion.urls")),
    path("", include("mogao.saved.urls")),
    path("", include("mogao.stories.urls")),
    path("", include("mogao.digitization.urls")),
    path("", include("mogao.annotations.listing_urls")),
]
