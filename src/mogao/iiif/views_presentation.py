"""Thin web adapters for IIIF Presentation 3.0, the comparison workspace and downloads.

IIIF responses are JSON-LD with the Presentation 3 profile and ``Access-Control-Allow-Origin: *``
(errors too, so a viewer on another site can read why a manifest failed).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from mogao.catalogue.models import Canvas
from mogao.iiif.presentation import collections, downloads, joins, manifests, selectors
from mogao.iiif.presentation.common import CONTENT_TYPE, absolute

MAX_COMPARE = 4


def _cors(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    return response


def iiif_json(data: dict[str, Any], *, status: int = 200) -> HttpResponse:
    """A Presentation response: JSON-LD with the v3 profile, CORS open, cacheable for a minute."""
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, separators=(",", ":")), content_type=CONTENT_TYPE, status=status
    )
    if status == 200:
        response["Cache-Control"] = "public, max-age=60"
    return _cors(response)


def iiif_error(status: int, message: str) -> HttpResponse:
    """A short JSON error a IIIF client can show (never an HTML page)."""
    response = HttpResponse(
        json.dumps({"error": message, "status": status}, ensure_ascii=False),
        content_type="application/json", status=status,
    )
    return _cors(response)


def _page(request: HttpRequest) -> int | None:
    raw = request.GET.get("page")
    if raw is None:
        return None
    if not raw.isdigit() or len(raw) > 9:
        raise ValueError(raw)
    return int(raw)


def _collection_view(build: Callable[[int | None], dict[str, Any]], request: HttpRequest) -> HttpResponse:
    try:
        page = _page(request)
    except ValueError:
        return iiif_error(400, _("page must be a positive whole number."))
    try:
        return iiif_json(build(page))
    except collections.PageNotFound:
        return iiif_error(404, _("This collection has no page %(page)s.") % {"page": page})


@require_safe
def item_manifest(request: HttpRequest, pid: str) -> HttpResponse:
    item = selectors.item_for_manifest(pid=pid)
    if item is None:
        return iiif_error(404, _("No manifest: there is no public item %(pid)s with page images.") % {"pid": pid})
    return iiif_json(manifests.item_manifest(item, canvases=item.presentable_canvases))  # type: ignore[attr-defined]


@require_safe
def join_manifest(request: HttpRequest, pid: str) -> HttpResponse:
    found = selectors.join_for_manifest(pid=pid)
    if found is None:
        return iiif_error(404, _("No manifest: there is no accepted join %(pid)s with page images.") % {"pid": pid})
    join, items = found
    return iiif_json(joins.join_manifest(join, items=items))


@require_safe
def top_collection(request: HttpRequest) -> HttpResponse:
    return _collection_view(lambda page: collections.top_collection(page=page), request)


@require_safe
def works_collection(request: HttpRequest) -> HttpResponse:
    return _collection_view(lambda page: collections.works_collection(page=page), request)


@require_safe
def institution_collection(request: HttpRequest, pid: str) -> HttpResponse:
    institution = selectors.institution_by_pid(pid=pid)
    if institution is None:
        return iiif_error(404, _("No institution %(pid)s.") % {"pid": pid})
    return _collection_view(lambda page: collections.institution_collection(institution, page=page), request)


@require_safe
def collection_collection(request: HttpRequest, pid: str) -> HttpResponse:
    collection = selectors.collection_by_pid(pid=pid)
    if collection is None:
        return iiif_error(404, _("No collection %(pid)s.") % {"pid": pid})
    return _collection_view(lambda page: collections.collection_collection(collection, page=page), request)


@require_safe
def work_collection(request: HttpRequest, pid: str) -> HttpResponse:
    work = selectors.work_by_pid(pid=pid)
    if work is None:
        return iiif_error(404, _("No public work %(pid)s.") % {"pid": pid})
    return _collection_view(lambda page: collections.work_collection(work, page=page), request)


# --- comparison workspace -----------------------------------------------------------------------


def _manifest_url(raw: str) -> str | None:
    """An http(s) manifest URL, or None. Mogao never fetches it: Mirador does, in the browser."""
    value = raw.strip()
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.netloc or len(value) > 2000:
        return None
    return value


#: Mirador fetches manifests and images from the libraries that hold them, and its styling library
#: (emotion) writes <style> elements that cannot carry the nonce: this page alone widens the policy.
COMPARE_CSP = {
    "connect-src": "'self' https: http:", "img-src": "'self' data: blob: https: http:",
    "style-src": "'self' 'unsafe-inline'",
}


def _compare(request: HttpRequest, manifest_urls: list[str], *, title: str) -> HttpResponse:
    response = render(request, "iiif/compare.html", {"manifests": manifest_urls, "title": title})
    response.csp_override = COMPARE_CSP  # type: ignore[attr-defined]  # read by mogao.security.csp
    return response


@require_safe
def compare(request: HttpRequest) -> HttpResponse:
    raw = request.GET.getlist("manifest")
    if len(raw) > MAX_COMPARE:
        return HttpResponse(
            _("Compare at most %(n)d manifests at once.") % {"n": MAX_COMPARE}, status=400, content_type="text/plain"
        )
    urls = [_manifest_url(r) for r in raw]
    if any(u is None for u in urls):
        return HttpResponse(
            _("manifest must be an http or https URL of a IIIF manifest."), status=400, content_type="text/plain"
        )
    return _compare(request, [u for u in urls if u], title=_("Compare"))


@require_safe
def compare_join(request: HttpRequest, pid: str) -> HttpResponse:
    found = selectors.join_for_manifest(pid=pid)
    if found is None:
        return HttpResponse(
            _("No accepted join %(pid)s with page images.") % {"pid": pid}, status=404, content_type="text/plain"
        )
    url = absolute(reverse("iiif_presentation:join_manifest", args=[pid]))
    return _compare(request, [url], title=_("Reunified fragments"))


@require_safe
def compare_items(request: HttpRequest, a: str, b: str) -> HttpResponse:
    urls = []
    for pid in (a, b):
        if selectors.item_for_manifest(pid=pid) is None:
            return HttpResponse(
                _("No public item %(pid)s with page images.") % {"pid": pid}, status=404, content_type="text/plain"
            )
        urls.append(absolute(reverse("iiif_presentation:item_manifest", args=[pid])))
    return _compare(request, urls, title=_("Compare two items"))


# --- downloads ------------------------------------------------------------------------------------


def _refused(request: HttpRequest, message: str, status: int, *, pid: str = "") -> HttpResponse:
    back = reverse("catalogue:item", args=[pid]) if pid and status == 403 else ""
    return render(request, "iiif/download_refused.html", {"message": message, "back": back}, status=status)


@require_safe
def canvas_download(request: HttpRequest, pid: str, n: int) -> HttpResponse:
    item = selectors.item_for_manifest(pid=pid)
    if item is None:
        return _refused(request, _("There is no public item %(pid)s with page images.") % {"pid": pid}, 404)
    canvas = next((c for c in item.presentable_canvases if c.order == n), None)  # type: ignore[attr-defined]
    if not isinstance(canvas, Canvas):
        return _refused(request, _("This item has no page %(n)s.") % {"n": n}, 404)
    try:
        result = downloads.page_download(item, canvas)
    except downloads.DownloadRefused as exc:
        return _refused(request, str(exc), 403, pid=pid)
    except downloads.DownloadUnavailable as exc:
        return _refused(request, str(exc), 404)
    if result.redirect:
        return HttpResponseRedirect(result.redirect)
    response = HttpResponse(result.content, content_type="image/jpeg")
    response["Content-Disposition"] = f'attachment; filename="{result.filename}"'
    return response


@require_safe
def item_pdf(request: HttpRequest, pid: str) -> HttpResponseBase:
    item = selectors.item_for_manifest(pid=pid)
    if item is None:
        return _refused(request, _("There is no public item %(pid)s with page images.") % {"pid": pid}, 404)
    try:
        path = downloads.item_pdf(item, list(item.presentable_canvases))  # type: ignore[attr-defined]
    except downloads.DownloadRefused as exc:
        return _refused(request, str(exc), 403, pid=pid)
    except downloads.DownloadUnavailable as exc:
        return _refused(request, str(exc), 404)
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"{item.pid}.pdf", content_type="application/pdf")
