"""Discovery endpoints: sitemap index and sections, robots.txt, Change Discovery, item content negotiation."""

from __future__ import annotations

from django.contrib.sitemaps import views as sitemap_views
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from mogao.catalogue import selectors as catalogue_selectors
from mogao.catalogue import views as catalogue_views
from mogao.core.urls import base_url
from mogao.discovery import changes, jsonld
from mogao.discovery.sitemaps import SECTIONS

JSONLD = "application/ld+json"
ACTIVITY_JSON = 'application/ld+json;profile="https://www.w3.org/ns/activitystreams"'


@require_GET
def sitemap_index(request: HttpRequest) -> HttpResponse:
    """The sitemap index: one entry per page of every non-empty section."""
    entries = []
    for name, section_class in SECTIONS.items():
        section = section_class()
        pages = section.paginator.num_pages if section.paginator.count else 0
        lastmod = section.get_latest_lastmod()
        for page in range(1, pages + 1):
            suffix = f"?p={page}" if page > 1 else ""
            entries.append({"location": f"{base_url()}/sitemaps/{name}.xml{suffix}", "lastmod": lastmod})
    return TemplateResponse(request, "discovery/sitemap_index.xml", {"entries": entries},
                            content_type="application/xml; charset=utf-8")


@require_GET
def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    if section not in SECTIONS:
        raise Http404("No such sitemap.")
    page = request.GET.get("p", "1")
    if not page.isdigit() or int(page) < 1:
        raise Http404("No such sitemap page.")
    response = sitemap_views.sitemap(request, sitemaps={section: SECTIONS[section]}, section=section)
    response["Content-Type"] = "application/xml; charset=utf-8"
    return response


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Allow: /",
        "Disallow: /admin/",
        "Disallow: /curate/",
        "Disallow: /i18n/",
        "Disallow: /api/v1/export",
        "Disallow: /*/download",
        "",
        f"Sitemap: {base_url()}/sitemap.xml",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def _activity_response(data: dict[str, object]) -> JsonResponse:
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = ACTIVITY_JSON
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def discovery_collection(request: HttpRequest) -> JsonResponse:
    return _activity_response(changes.collection_document())


@require_GET
def discovery_page(request: HttpRequest, n: int) -> JsonResponse:
    try:
        return _activity_response(changes.page_document(n))
    except changes.PageOutOfRange:
        raise Http404("No such page of the activity stream.") from None


def item(request: HttpRequest, pid: str) -> HttpResponse:
    """The item page, or its schema.org JSON-LD when the client prefers ``application/ld+json``."""
    if request.get_preferred_type(["text/html", JSONLD, "application/json"]) in {JSONLD, "application/json"}:
        obj = catalogue_selectors.item_detail(pid=pid)
        if obj is None:
            raise Http404("No such item.")
        response: HttpResponse = JsonResponse(jsonld.item_ld(obj), json_dumps_params={"ensure_ascii": False})
        response["Content-Type"] = f"{JSONLD}; charset=utf-8"
        response["Link"] = f'<{base_url()}{obj.get_absolute_url()}>; rel="canonical"'
    else:
        response = catalogue_views.item(request, pid)
    patch_vary_headers(response, ["Accept"])
    return response
