"""The W3C Web Annotation Protocol: one container per canvas (#15).

``/annotations/canvas/<pk>/`` is an LDP Basic Container and an AnnotationCollection: ``GET`` pages
through the annotations the caller may see (``Prefer`` chooses embedded descriptions, IRIs or a
minimal container), ``POST`` creates one (201, ``Location``, ``ETag``). Each annotation answers
``GET``, ``PUT`` and ``DELETE``; writes need ``If-Match`` with the current ``ETag`` (428 without,
412 when stale). Writes use the session and its CSRF token (``X-CSRFToken`` header). Errors are
JSON naming the field (``{"error", "field", "status"}``); nothing is saved from a refused request.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from mogao.accounts import policy
from mogao.annotations import jsonld, services
from mogao.annotations.models import Annotation
from mogao.catalogue.models import Canvas
from mogao.iiif.presentation.common import absolute
from mogao.security import ratelimit

PAGE_SIZE = 20
MAX_BODY = 16 * 1024
OA = "http://www.w3.org/ns/oa#"
LDP = "http://www.w3.org/ns/ldp#"
PREFER_IRIS = f"{OA}PreferContainedIRIs"
PREFER_DESCRIPTIONS = f"{OA}PreferContainedDescriptions"
PREFER_MINIMAL = f"{LDP}PreferMinimalContainer"
CONSTRAINED_BY = f'<http://www.w3.org/TR/annotation-protocol/>; rel="{LDP}constrainedBy"'
CONTAINER_LINK = f'<{LDP}BasicContainer>; rel="type", {CONSTRAINED_BY}'
RESOURCE_LINK = f'<{LDP}Resource>; rel="type", <{OA}Annotation>; rel="type"'
CONTAINER_ALLOW = "GET, HEAD, OPTIONS, POST"
RESOURCE_ALLOW = "GET, HEAD, OPTIONS, PUT, DELETE"
ACCEPTABLE = ("application/ld+json", "application/json", "application/*", "*/*")
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


def dumps(data: Any) -> str:
    """JSON with ``<``, ``>`` and ``&`` escaped, so no text can ever be read as markup."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return re.sub(r"[<>&]", lambda m: _JSON_ESCAPES[m.group(0)], text)


def respond(data: Any, *, status: int = 200, headers: dict[str, str] | None = None) -> HttpResponse:
    response = HttpResponse(dumps(data), status=status, content_type=jsonld.PROFILE)
    for name, value in (headers or {}).items():
        response[name] = value
    response["Vary"] = "Accept, Prefer, Cookie"
    return response


def error(status: int, field: str, message: str, *, headers: dict[str, str] | None = None) -> HttpResponse:
    response = HttpResponse(json.dumps({"error": message, "field": field, "status": status}, ensure_ascii=False),
                            status=status, content_type="application/json")
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _acceptable(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    if not accept.strip():
        return True
    kinds = [part.split(";")[0].strip().lower() for part in accept.split(",")]
    return any(kind in ACCEPTABLE for kind in kinds)


def preference(request: HttpRequest) -> str | None:
    """The container preference asked in ``Prefer: return=representation; include="…"``."""
    prefer = request.headers.get("Prefer", "")
    if "return=representation" not in prefer:
        return None
    match = re.search(r'include="([^"]*)"', prefer)
    wanted = match.group(1).split() if match else []
    for iri in (PREFER_MINIMAL, PREFER_IRIS, PREFER_DESCRIPTIONS):
        if iri in wanted:
            return iri
    return None


def _csrf_refused(request: HttpRequest) -> HttpResponse | None:
    """Django's CSRF check, answered as a protocol error (the view itself is csrf_exempt)."""
    middleware = CsrfViewMiddleware(lambda r: HttpResponse())
    middleware.process_request(request)
    refused = middleware.process_view(request, lambda r: HttpResponse(), (), {})
    if refused is None:
        return None
    return error(403, "X-CSRFToken", _("The CSRF token is missing or wrong: send it in the X-CSRFToken header."))


def _write_guard(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return error(401, "authentication", _("Sign in to write annotations."))
    refused = _csrf_refused(request)
    if refused is not None:
        return refused
    if not policy.can(request.user, "contribute", Annotation):
        return error(403, "authentication", _("This account may not write annotations."))
    return None


def _read_json(request: HttpRequest) -> Any:
    ctype = request.content_type or ""
    if ctype != "application/ld+json":
        raise jsonld.Invalid("Content-Type", _("Content-Type must be %(type)s.") % {"type": jsonld.PROFILE}, status=415)
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not length.isdigit() or int(length) > MAX_BODY:
        raise jsonld.Invalid("(body)", _("The request body is larger than %(n)d bytes.") % {"n": MAX_BODY}, status=413)
    try:
        return json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise jsonld.Invalid("(body)", _("The request body is not valid JSON.")) from exc


def container_iri(canvas: Canvas) -> str:
    return absolute(reverse("annotations:container", args=[canvas.pk]))


# --------------------------------------------------------------------------------- container


def _page_iri(container: str, number: int, *, iris: bool) -> str:
    return f"{container}?{'iris=1&' if iris else ''}page={number}"


def annotation_page(request: HttpRequest, canvas: Canvas, number: int, *, iris: bool) -> dict[str, Any]:
    container = container_iri(canvas)
    annotations = list(services.visible(request.user, canvas))
    total = len(annotations)
    last = max(0, (total - 1) // PAGE_SIZE)
    chunk = annotations[number * PAGE_SIZE:(number + 1) * PAGE_SIZE]
    page: dict[str, Any] = {
        "@context": jsonld.ANNO_CONTEXT,
        "id": _page_iri(container, number, iris=iris),
        "type": "AnnotationPage",
        "partOf": {"id": container, "total": total},
        "startIndex": number * PAGE_SIZE,
        "items": [jsonld.annotation_iri(a) if iris else jsonld.serialize(a, context=False) for a in chunk],
    }
    if number > 0:
        page["prev"] = _page_iri(container, number - 1, iris=iris)
    if number < last:
        page["next"] = _page_iri(container, number + 1, iris=iris)
    return page


def _container_get(request: HttpRequest, canvas: Canvas) -> HttpResponse:
    container = container_iri(canvas)
    iris_param = request.GET.get("iris")
    raw_page = request.GET.get("page")
    if raw_page is not None:
        if not raw_page.isdigit() or len(raw_page) > 6:
            return error(400, "page", _("page must be a whole number from 0."))
        total = services.visible(request.user, canvas).count()
        if int(raw_page) > max(0, (total - 1) // PAGE_SIZE):
            return error(404, "page", _("This container has no page %(page)s.") % {"page": raw_page})
        data = annotation_page(request, canvas, int(raw_page), iris=iris_param == "1")
        return _with_etag(request, respond(data))
    prefer = preference(request)
    total = services.visible(request.user, canvas).count()
    iris = prefer == PREFER_IRIS
    collection: dict[str, Any] = {
        "@context": [jsonld.ANNO_CONTEXT, jsonld.LDP_CONTEXT],
        "id": container,
        "type": ["BasicContainer", "AnnotationCollection"],
        "label": _("Annotations on page %(n)s of %(pid)s") % {"n": canvas.order, "pid": canvas.item.pid},
        "total": total,
    }
    if total:
        last = (total - 1) // PAGE_SIZE
        if prefer == PREFER_MINIMAL:
            collection["first"] = _page_iri(container, 0, iris=False)
        else:
            first = annotation_page(request, canvas, 0, iris=iris)
            first.pop("@context")
            collection["first"] = first
        collection["last"] = _page_iri(container, last, iris=iris)
    headers = {"Link": CONTAINER_LINK, "Allow": CONTAINER_ALLOW, "Accept-Post": jsonld.PROFILE}
    if prefer is not None:
        headers["Preference-Applied"] = "return=representation"
    return _with_etag(request, respond(collection, headers=headers))


def _with_etag(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    tag = f'W/"{hashlib.sha256(response.content).hexdigest()[:32]}"'
    if tag in request.headers.get("If-None-Match", ""):
        not_modified = HttpResponse(status=304)
        not_modified["ETag"] = tag
        return not_modified
    response["ETag"] = tag
    response["Cache-Control"] = "private, no-cache"
    return response


def _container_post(request: HttpRequest, canvas: Canvas) -> HttpResponse:
    refused = _write_guard(request)
    if refused is not None:
        return refused
    try:
        data = _read_json(request)
        parsed = jsonld.parse(data, canvas=canvas, user=request.user)
    except jsonld.Invalid as exc:
        return error(exc.status, exc.field, exc.message)
    decision = ratelimit.hit("annotations:create", str(request.user.pk), services.CREATE_RATE)
    if not decision.allowed:
        return error(429, "(rate)", _("Too many annotations in a short time: try again later."),
                     headers={"Retry-After": str(decision.retry_after)})
    annotation = services.create(request.user, canvas, parsed)
    iri = jsonld.annotation_iri(annotation)
    return respond(jsonld.serialize(annotation), status=201,
                   headers={"Location": iri, "ETag": annotation.etag, "Link": RESOURCE_LINK, "Allow": RESOURCE_ALLOW})


@csrf_exempt
def container(request: HttpRequest, canvas_pk: int) -> HttpResponse:
    if request.method not in ("GET", "HEAD", "OPTIONS", "POST"):
        return error(405, "method", _("Method not allowed."), headers={"Allow": CONTAINER_ALLOW})
    canvas = services.canvas_for(request.user, canvas_pk)
    if canvas is None:
        return error(404, "canvas", _("There is no such page."))
    if request.method == "OPTIONS":
        response = HttpResponse(status=200)
        response["Allow"], response["Accept-Post"], response["Link"] = CONTAINER_ALLOW, jsonld.PROFILE, CONTAINER_LINK
        return response
    if request.method == "POST":
        return _container_post(request, canvas)
    if not _acceptable(request):
        return error(406, "Accept", _("This container answers %(type)s.") % {"type": jsonld.PROFILE})
    return _container_get(request, canvas)


# --------------------------------------------------------------------------------- one annotation


def _precondition(request: HttpRequest, annotation: Annotation) -> HttpResponse | None:
    header = request.headers.get("If-Match")
    if not header:
        return error(428, "If-Match", _("Send If-Match with the annotation's current ETag."))
    tags = [t.strip() for t in header.split(",")]
    if "*" not in tags and annotation.etag not in tags:
        return error(412, "If-Match", _("The annotation has changed since you read it: reload it and try again."),
                     headers={"ETag": annotation.etag})
    return None


def _put(request: HttpRequest, annotation: Annotation) -> HttpResponse:
    try:
        data = _read_json(request)
        if isinstance(data, dict) and "id" in data and data["id"] != jsonld.annotation_iri(annotation):
            raise jsonld.Invalid("id", _("id must be the annotation's own IRI."))
        parsed = jsonld.parse(data, canvas=annotation.canvas, user=request.user)
    except jsonld.Invalid as exc:
        return error(exc.status, exc.field, exc.message)
    decision = ratelimit.hit("annotations:edit", str(request.user.pk), services.EDIT_RATE)
    if not decision.allowed:
        return error(429, "(rate)", _("Too many changes in a short time: try again later."),
                     headers={"Retry-After": str(decision.retry_after)})
    annotation = services.update(request.user, annotation, parsed)
    return respond(jsonld.serialize(annotation), headers={"ETag": annotation.etag, "Link": RESOURCE_LINK,
                                                           "Allow": RESOURCE_ALLOW})


def _write(request: HttpRequest, annotation: Annotation, action: str,
           then: Callable[[HttpRequest, Annotation], HttpResponse]) -> HttpResponse:
    refused = _write_guard(request)
    if refused is not None:
        return refused
    if not policy.can(request.user, action, annotation):
        return error(403, "author", _("Only the author may change or delete this annotation."))
    with transaction.atomic():
        locked = Annotation.objects.select_for_update(of=("self",)).select_related("canvas__item").get(pk=annotation.pk)
        failed = _precondition(request, locked)
        if failed is not None:
            return failed
        return then(request, locked)


def _delete(request: HttpRequest, annotation: Annotation) -> HttpResponse:
    services.delete(annotation)
    return HttpResponse(status=204)


@csrf_exempt
def annotation(request: HttpRequest, canvas_pk: int, uid: UUID) -> HttpResponse:
    if request.method not in ("GET", "HEAD", "OPTIONS", "PUT", "DELETE"):
        return error(405, "method", _("Method not allowed."), headers={"Allow": RESOURCE_ALLOW})
    canvas = services.canvas_for(request.user, canvas_pk)
    found = services.visible(request.user, canvas).filter(uid=uid).first() if canvas is not None else None
    if found is None:
        return error(404, "id", _("There is no such annotation."))
    if request.method == "OPTIONS":
        response = HttpResponse(status=200)
        response["Allow"], response["Link"] = RESOURCE_ALLOW, RESOURCE_LINK
        return response
    if request.method == "PUT":
        return _write(request, found, "change", _put)
    if request.method == "DELETE":
        return _write(request, found, "delete", _delete)
    if not _acceptable(request):
        return error(406, "Accept", _("This annotation is served as %(type)s.") % {"type": jsonld.PROFILE})
    if found.etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
        response["ETag"] = found.etag
        return response
    response = respond(jsonld.serialize(found), headers={"ETag": found.etag, "Link": RESOURCE_LINK,
                                                          "Allow": RESOURCE_ALLOW})
    response["Cache-Control"] = "private, no-cache"
    return response
