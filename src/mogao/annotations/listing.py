"""A server-rendered list of an item's annotations, with their authors and a "Report" control (#15).

The annotation panel next to the viewer is drawn by script from the W3C containers; this page is
the same content as plain HTML (it works without script, is what links and screen readers land
on) and carries what the W3C documents do not: who wrote each note (the profile's display name)
and, for signed-in readers, a way to report someone else's public note to the moderators
(``POST /report/annotations.annotation/<pk>``, the generic report endpoint). Only what
:func:`mogao.accounts.policy.scope` lets the reader ``view`` is listed.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from mogao.accounts import policy
from mogao.accounts.names import shown_name
from mogao.annotations.models import Annotation
from mogao.catalogue.models import Item
from mogao.discussion.models import Report

LABEL = "annotations.annotation"
LIMIT = 500


@require_safe
def item_annotations(request: HttpRequest, pid: str) -> HttpResponse:
    """``/annotations/items/<pid>/`` (``?page=N``: one page): the annotations the reader may see."""
    item = get_object_or_404(Item, pid=pid)
    if not policy.can(request.user, "view", item):
        raise Http404("No such item.")
    qs = Annotation.objects.filter(canvas__item=item)
    page = request.GET.get("page", "")
    if page.isdigit():
        qs = qs.filter(canvas__order=int(page))
    visible = (policy.scope(request.user, "view", qs)
               .select_related("canvas", "author__profile", "group").order_by("canvas__order", "created", "pk"))
    here = request.get_full_path()
    entries = [{
        "annotation": a,
        "author": shown_name(a.author),
        "can_report": policy.can(request.user, "report", a),
        "report_url": reverse("discussion:report", args=[LABEL, a.pk]),
        "report_id": f"report-anno-{a.pk}",
    } for a in visible[:LIMIT]]
    context = {"item": item, "entries": entries, "page": int(page) if page.isdigit() else None,
               "report_reasons": Report.Reason.choices, "report_next": here}
    return render(request, "contributions/annotation_list.html", context)
