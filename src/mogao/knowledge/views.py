"""Reader pages of the knowledge layer and the curators' join queue: thin adapters over selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mogao.accounts import policy
from mogao.catalogue.models import Join
from mogao.knowledge import reunification, selectors
from mogao.knowledge.models import ENTITY_MODELS, Place

PAGE_SIZE = 100


def entity_index(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in ENTITY_MODELS:
        raise Http404("No such kind of entity.")
    query = request.GET.get("q", "").strip()[:100]
    initial = request.GET.get("initial", "").strip()[:1].upper()
    if initial and not (initial == "#" or "A" <= initial <= "Z"):
        initial = ""
    entries, letters = selectors.entity_directory(kind=kind, language=get_language(), query=query, initial=initial)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "knowledge/entity_list.html", {
        "kind": kind, "entities": page, "page": page, "query": query, "initial": initial, "letters": letters,
        "total": len(entries),
    })


def entity(request: HttpRequest, kind: str, pid: str) -> HttpResponse:
    obj = selectors.entity_detail(kind=kind, pid=pid)
    if obj is None:
        raise Http404("No such entity.")
    context = {"kind": kind, "entity": obj, "links": selectors.entity_links(entity=obj)}
    if isinstance(obj, Place):
        context["place_map"] = selectors.place_map_data(place=obj, language=get_language())
    return render(request, "knowledge/entity.html", context)


def map_page(request: HttpRequest) -> HttpResponse:
    return render(request, "knowledge/map.html", {"data": selectors.map_data(language=get_language())})


def map_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse(selectors.map_data(language=get_language()))


def _year(request: HttpRequest, name: str) -> int | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError({name: _("“%(v)s” is not a year (use -250 for 250 BCE).") % {"v": raw[:20]}}) from None
    if not -5000 <= value <= 2200:
        raise ValidationError({name: _("Years must lie between -5000 and 2200.")})
    return value


def _bad_request(error: ValidationError) -> HttpResponseBadRequest:
    text = "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
    return HttpResponseBadRequest(text, content_type="text/plain; charset=utf-8")


def timeline(request: HttpRequest) -> HttpResponse:
    try:
        bounds = selectors.TimelineRange(_year(request, "from"), _year(request, "to"))
    except ValidationError as e:
        return _bad_request(e)
    if bounds.start is not None and bounds.end is not None and bounds.end < bounds.start:
        return _bad_request(ValidationError({"to": _("The end year is before the start year.")}))
    data = selectors.timeline_data(language=get_language(), bounds=bounds)
    return render(request, "knowledge/timeline.html", {"data": data, "bounds": bounds})


def _graph_center(request: HttpRequest) -> object:
    around = request.GET.get("around", "").strip()[:200]
    if not around:
        center = selectors.default_center()
        if center is None:
            raise Http404("Nothing to draw yet: load some works.")
        return center
    return selectors.resolve_center(around)


def graph(request: HttpRequest) -> HttpResponse:
    try:
        center = _graph_center(request)
    except selectors.GraphCenterError as e:
        return HttpResponseBadRequest(str(e), content_type="text/plain; charset=utf-8")
    data = selectors.graph_data(center=center, language=get_language())
    return render(request, "knowledge/graph.html", {"data": data, "center": center})


def graph_json(request: HttpRequest) -> JsonResponse:
    try:
        center = _graph_center(request)
    except selectors.GraphCenterError as e:
        return JsonResponse({"error": str(e)}, status=400)
    return JsonResponse(selectors.graph_data(center=center, language=get_language()))


@staff_member_required
def curate_joins(request: HttpRequest) -> HttpResponse:
    if not policy.can(request.user, "accept", None):
        raise PermissionDenied
    # Only joins the curator may decide: those containing one of their institution's items.
    queue = (
        policy.scope(request.user, "accept", Join.objects.filter(status=Join.Status.SUGGESTED))
        .select_related("suggestion").prefetch_related("members__item__institution")
        .order_by("-confidence", "pid")
    )
    decided = (
        policy.scope(request.user, "accept", Join.objects.filter(suggestion__decided_at__isnull=False))
        .select_related("suggestion__decided_by")
        .order_by("-suggestion__decided_at")[:20]
    )
    return render(request, "knowledge/curate_joins.html", {"queue": queue, "decided": decided})


@staff_member_required
@require_POST
def curate_joins_suggest(request: HttpRequest) -> HttpResponse:
    if not policy.can(request.user, "add", Join):
        raise PermissionDenied
    made = reunification.joins_suggest()
    messages.success(request, _("%(n)d new suggestions.") % {"n": len(made)})
    return redirect("knowledge:curate_joins")


@staff_member_required
@require_POST
def curate_join_decide(request: HttpRequest, pid: str) -> HttpResponse:
    if not policy.can(request.user, "accept", None):
        raise PermissionDenied
    join = get_object_or_404(policy.scope(request.user, "accept", Join.objects.all()), pid=pid)
    decision = request.POST.get("decision")
    if decision not in ("accept", "reject"):
        return HttpResponseBadRequest("decision must be accept or reject", content_type="text/plain")
    try:
        reunification.join_decide(join=join, accept=decision == "accept", user=request.user,
                                  note=request.POST.get("note", "")[:2000])
    except ValidationError as e:
        return _bad_request(e)
    if decision == "accept":
        messages.success(request, _("Join accepted."))
    else:
        messages.success(request, _("Join rejected; it will not be proposed again."))
    return redirect("knowledge:curate_joins")
