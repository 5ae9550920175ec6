"""Pages of digitization on demand: the public queue, a request's page, readers' and curators' actions."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from mogao.accounts import policy
from mogao.catalogue.models import Institution, Item
from mogao.digitization import selectors, services, states
from mogao.digitization.forms import InputsForm, PledgeForm, RequestForm, TransitionForm
from mogao.digitization.models import OPEN, Purpose, Request, RequestReader, Status
from mogao.knowledge.models import Period

PAGE_SIZE = 50


def _visible_request(request: HttpRequest, pk: int) -> Request:
    obj = Request.objects.select_related("item", "item__institution", "merged_into").filter(pk=pk).first()
    if obj is None or not policy.can(request.user, "view", obj):
        raise Http404("No such request.")
    return obj


def _visible_item(request: HttpRequest, pid: str) -> Item:
    item = Item.objects.select_related("institution").filter(pid=pid).first()
    if item is None or not policy.can(request.user, "view", item):
        raise Http404("No such item.")
    return item


@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    filters = selectors.Filters.of(request.GET)
    page = Paginator(selectors.queue(request.user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page:
        row.reasons = selectors.explained(row)[:3]  # type: ignore[attr-defined]
    return render(request, "digitization/queue.html", {
        "page": page, "filters": filters, "statuses": Status.choices,
        "holders": Institution.objects.filter(items__digitization_requests__isnull=False).distinct(),
        "periods": Period.objects.filter(items__digitization_requests__isnull=False).distinct(),
        "types": Item.Type.choices,
    })


def _request_context(request: HttpRequest, obj: Request, **extra: Any) -> dict[str, Any]:
    user = request.user
    can_triage = policy.can(user, "triage", obj)
    allowed = policy.curated_institution_ids(user)
    pledge_institutions = []
    if policy.can(user, "pledge", obj):
        qs = Institution.objects.exclude(pk=obj.item.institution_id)
        if allowed is not None:
            qs = qs.filter(pk__in=allowed)
        pledge_institutions = [(i.pk, str(i)) for i in qs]
    joined = user.is_authenticated and RequestReader.objects.filter(request=obj, user_id=user.pk).exists()
    context = {
        "req": obj, "item": obj.item, "readers": selectors.readers_of(obj),
        "purposes": [(Purpose(p).label, n) for p, n in selectors.per_purpose(obj).items()],
        "timeline": obj.transitions.select_related("by").all(),
        "pledges": obj.pledges.select_related("institution").all(),
        "breakdown": selectors.explained(obj), "can_triage": can_triage,
        "targets": [(s, states._label(s)) for s in states.allowed_targets(obj.status)] if can_triage else [],
        "transition_form": extra.pop("transition_form", None) or TransitionForm(),
        "inputs_form": extra.pop("inputs_form", None) or InputsForm(initial={
            "conservation_risk": obj.conservation_risk, "estimated_pages": obj.estimated_pages,
            "override_score": obj.override_score, "override_reason": obj.override_reason}),
        "pledge_form": extra.pop("pledge_form", None) or (PledgeForm(institutions=pledge_institutions)
                                                          if pledge_institutions else None),
        "join_form": RequestForm(initial={"pages": f"{obj.first_canvas}-{obj.last_canvas}"},
                                 ranges=[(obj.first_canvas, obj.last_canvas)])
        if obj.is_open and not joined and policy.can(user, "request", obj.item) else None,
        "joined": joined, "errors": extra.pop("errors", None),
    }
    context.update(extra)
    return context


@require_GET
def request_page(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _visible_request(request, pk)
    return render(request, "digitization/request.html", _request_context(request, obj))


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [str(m) for msgs in exc.message_dict.values() for m in msgs]
    return [str(m) for m in exc.messages]


def item_request(request: HttpRequest, pid: str) -> HttpResponse:
    """GET: the request form of an item; POST: request it (or join the open request)."""
    item = _visible_item(request, pid)
    if not request.user.is_authenticated:
        return redirect_to_login(item.get_absolute_url())
    state = services.availability(item)
    form = RequestForm(request.POST or None, ranges=state.ranges)
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            first, last = form.cleaned_data["pages"]
            try:
                obj, created = services.request_digitization(
                    user=request.user, item=item, purpose=form.cleaned_data["purpose"],
                    note=form.cleaned_data["note"], first=first, last=last)
            except services.NotFound:
                raise Http404("No such item.") from None
            except ValidationError as exc:
                for field, msgs in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
                    if field in form.fields:
                        for message in msgs:
                            form.add_error(field, message)
                    else:
                        errors.extend(msgs)
            else:
                messages.success(request, _("Your request is recorded.") if created else
                                 _("You joined the readers who want this item."))
                return redirect(obj.get_absolute_url())
        status = 400
    elif request.method != "GET":
        return HttpResponse(status=405)
    return render(request, "digitization/request_form.html",
                  {"item": item, "form": form, "errors": errors, "state": state}, status=status)


def _curator_post(request: HttpRequest, pk: int) -> Request:
    obj = _visible_request(request, pk)
    if not request.user.is_authenticated:
        raise Http404("No such request.")
    return obj


@require_POST
def act(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _curator_post(request, pk)
    form = TransitionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            states.transition(obj, data["to"], request.user, reason=data["reason"],
                              expected_month=data["expected_month"], merged_into=data["merged_into"])
        except states.Refused as exc:
            return render(request, "digitization/request.html",
                          _request_context(request, obj, errors=_messages(exc), transition_form=form), status=400)
        messages.success(request, _("The request is now “%(status)s”.") % {"status": states._label(data["to"])})
        return redirect(obj.get_absolute_url())
    return render(request, "digitization/request.html",
                  _request_context(request, obj, transition_form=form), status=400)


@require_POST
def inputs(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _curator_post(request, pk)
    form = InputsForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.set_inputs(user=request.user, request=obj, conservation_risk=data["conservation_risk"],
                                estimated_pages=data["estimated_pages"], override_score=data["override_score"],
                                override_reason=data["override_reason"], clear_override=data["clear_override"])
        except states.Refused as exc:
            return render(request, "digitization/request.html",
                          _request_context(request, obj, errors=_messages(exc), inputs_form=form), status=400)
        messages.success(request, _("The priority was recomputed."))
        return redirect(obj.get_absolute_url())
    return render(request, "digitization/request.html", _request_context(request, obj, inputs_form=form),
                  status=400)


@require_POST
def pledge(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _curator_post(request, pk)
    allowed = policy.curated_institution_ids(request.user)
    qs = Institution.objects.exclude(pk=obj.item.institution_id)
    if allowed is not None:
        qs = qs.filter(pk__in=allowed)
    form = PledgeForm(request.POST, institutions=[(i.pk, str(i)) for i in qs])
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.pledge(user=request.user, request=obj, institution_id=data["institution"],
                            kind=data["kind"], note=data["note"])
        except states.Refused as exc:
            return render(request, "digitization/request.html",
                          _request_context(request, obj, errors=_messages(exc), pledge_form=form), status=400)
        messages.success(request, _("Thank you: your pledge is shown on the request."))
        return redirect(obj.get_absolute_url())
    if not policy.can(request.user, "pledge", obj):
        return render(request, "digitization/request.html", _request_context(
            request, obj, errors=[_("Only curators of another partner institution may pledge support.")]),
            status=403)
    return render(request, "digitization/request.html", _request_context(request, obj, pledge_form=form),
                  status=400)


@require_GET
def curate(request: HttpRequest) -> HttpResponse:
    """The queue of the institutions a curator looks after, with the actions each request allows."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not policy.can(request.user, "triage", Request):
        raise Http404("Not a curator.")
    rows = (policy.scope(request.user, "triage", selectors.queue(request.user, selectors.Filters(status="all")))
            .filter(status__in=OPEN))
    return render(request, "digitization/curate.html", {"rows": rows})


@require_GET
def stats(request: HttpRequest) -> HttpResponse:
    return render(request, "digitization/statistics.html", {"rows": selectors.institution_statistics()})


@require_GET
def export_csv(request: HttpRequest) -> HttpResponse:
    """The queue as CSV for planning (what the public queue shows; never who asked)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="digitization-queue.csv"'
    writer = csv.writer(response)
    writer.writerow(["request", "item", "shelfmark", "holder", "status", "readers", "priority", "override",
                     "conservation_risk", "estimated_pages", "expected_month", "pages", "created", "url"])
    for row in selectors.queue(request.user, selectors.Filters.of(request.GET)):
        writer.writerow([
            row.pk, row.item.pid, _safe(row.item.shelfmark), row.item.institution.code, row.status,
            row.n_readers, row.priority,  # type: ignore[attr-defined]
            "" if row.override_score is None else row.override_score, row.conservation_risk,
            row.estimated_pages or "", row.expected_month.strftime("%Y-%m") if row.expected_month else "",
            f"{row.first_canvas}-{row.last_canvas}" if row.is_range else "", row.created.date().isoformat(),
            request.build_absolute_uri(row.get_absolute_url()),
        ])
    return response


def _safe(value: str) -> str:
    """No spreadsheet formulas from catalogue text (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
