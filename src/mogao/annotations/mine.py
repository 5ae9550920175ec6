"""What the annotation panel needs about the reader's own annotations of a page (#15).

``GET /annotations/canvas/<pk>/mine`` answers, for the signed-in reader, each annotation of the
page that the policy lets them change or delete: its IRI, its current ``ETag`` (for ``If-Match``
on the W3C protocol's ``PUT``/``DELETE``), and its moderation status with a label in the reader's
language ("Waiting for review"). The W3C documents themselves carry no moderation status: this is
the panel's side channel, private to the author, never in manifests or exports.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from mogao.accounts import policy
from mogao.annotations import jsonld, services
from mogao.annotations.protocol import dumps, error
from mogao.community.models import Status, Visibility


@require_safe
def mine(request: HttpRequest, canvas_pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return error(401, "authentication", _("Sign in to write annotations."))
    canvas = services.canvas_for(request.user, canvas_pk)
    if canvas is None:
        return error(404, "canvas", _("There is no such page."))
    labels = dict(Status.choices)
    items = []
    for annotation in services.visible(request.user, canvas).filter(author=request.user):
        editable = policy.can(request.user, "change", annotation)
        deletable = policy.can(request.user, "delete", annotation)
        if not (editable or deletable):
            continue
        public = annotation.visibility == Visibility.PUBLIC
        items.append({
            "id": jsonld.annotation_iri(annotation),
            "etag": annotation.etag,
            "status": annotation.status,
            # the status matters to the reader only where others would see the note
            "statusLabel": str(labels[annotation.status]) if public and annotation.status != Status.APPROVED else "",
            "editable": editable,
            "deletable": deletable,
        })
    response = HttpResponse(dumps({"items": items}), content_type="application/json")
    response["Cache-Control"] = "private, no-store"
    response["Vary"] = "Cookie, Accept-Language"
    return response
