"""The site's URLs plus the benchmark's peer: a trivial view through the same middleware."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from mogao.site.urls import urlpatterns as site_urlpatterns


def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [path("__floor__", floor), *site_urlpatterns]
