"""Reader pages: thin adapters that call one selector and render a template."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from mogao.catalogue import pagecache, selectors
from mogao.catalogue.citation import item_citation

PAGE_SIZE = 24


def home(request: HttpRequest) -> HttpResponse:
    from mogao.showcase.selectors import home_page

    return render(request, "catalogue/home.html", home_page(lang=get_language() or "en"))


WORKS_PAGE_SIZE = 50


def works(request: HttpRequest) -> HttpResponse:
    every = request.GET.get("all") == "1"
    paginator = Paginator(selectors.work_index(witnessed_only=not every), WORKS_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request, "catalogue/works.html",
        {"page": page, "every": every, "query": {"all": "1"} if every else {},
         "n_all": selectors.work_public_qs().count()},
    )


def browse(request: HttpRequest) -> HttpResponse:
    filters = selectors.BrowseFilters.from_query(request.GET)
    paginator = Paginator(selectors.item_browse(filters=filters), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    extras = selectors.card_extras(page.object_list, lang=get_language() or "en")
    for obj in page.object_list:
        setattr(obj, "card", extras.get(obj.pid))  # noqa: B010 (read by the card template)
    template = "catalogue/_browse_results.html" if request.htmx else "catalogue/browse.html"  # type: ignore[attr-defined]
    return render(
        request, template,
        {
            "page": page,
            "filters": filters,
            "query": filters.as_query(),
            "facets": selectors.browse_facets(filters=filters),
        },
    )


def item(request: HttpRequest, pid: str) -> HttpResponse:
    """The item page; anonymous readers get it from this process's page cache when unchanged (#19)."""
    return pagecache.serve(request, pid, lambda: _render_item(request, pid))


def _render_item(request: HttpRequest, pid: str) -> HttpResponse:
    obj = selectors.item_detail(pid=pid)
    if obj is None:
        raise Http404("No such item.")
    return render(
        request, "catalogue/item.html",
        {
            "item": obj,
            "joins": selectors.item_join_partners(item=obj),
            "citation": item_citation(obj, language=get_language()),
        },
    )


def work(request: HttpRequest, pid: str) -> HttpResponse:
    obj = selectors.work_detail(pid=pid)
    if obj is None:
        raise Http404("No such work.")
    return render(request, "catalogue/work.html", {"work": obj, "witnesses": selectors.work_witnesses(work=obj)})


def institutions(request: HttpRequest) -> HttpResponse:
    return render(request, "catalogue/institutions.html", {"institutions": selectors.institution_list()})


def institution(request: HttpRequest, pid: str) -> HttpResponse:
    obj = selectors.institution_detail(pid=pid)
    if obj is None:
        raise Http404("No such institution.")
    filters = selectors.BrowseFilters(institution=obj.pid)
    page = Paginator(selectors.item_browse(filters=filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "catalogue/institution.html",
        {"institution": obj, "page": page, "collections": obj.collections.all()},
    )


def collection(request: HttpRequest, pid: str) -> HttpResponse:
    obj = selectors.collection_detail(pid=pid)
    if obj is None:
        raise Http404("No such collection.")
    filters = selectors.BrowseFilters(collection=obj.pid)
    page = Paginator(selectors.item_browse(filters=filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "catalogue/collection.html", {"collection": obj, "page": page})
