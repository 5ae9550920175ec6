"""Thin web adapters of the reading room: parse the request, call one selector or service, render."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from mogao.accounts import policy
from mogao.catalogue.models import Item
from mogao.iiif.presentation import downloads, manifests
from mogao.iiif.presentation.selectors import item_for_manifest
from mogao.reading import contentsearch, exports, pdf, selectors, services
from mogao.reading.citations import item_citations
from mogao.reading.models import MAX_LINE_LENGTH, Correction
from mogao.security import ratelimit

MAX_GLOSS_TEXT = 500


def _item(pid: str) -> Item:
    item = selectors.reading_item(pid=pid)
    if item is None:
        raise Http404(_("No such item."))
    return item


def _json(data: Any, *, status: int = 200, content_type: str = "application/json") -> HttpResponse:
    response = HttpResponse(json.dumps(data, ensure_ascii=False), status=status, content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _page_context(request: HttpRequest, item: Item, order: int | None) -> dict[str, Any]:
    pages = selectors.item_pages(item=item)
    if not pages:
        raise Http404(_("This item has no pages yet."))
    current = next((p for p in pages if p.canvas.order == order), None) if order is not None else pages[0]
    if current is None:
        raise Http404(_("No such page."))
    index = pages.index(current)
    language = get_language() or "en"
    translations = selectors.item_translations(item=item, language=language)
    page_translations = [t for t in translations if t.canvas_id in (None, current.canvas.pk)]
    curator = policy.can(request.user, "moderate", item)
    return {
        "item": item,
        "page": current,
        "pages": pages,
        "previous": pages[index - 1] if index > 0 else None,
        "next": pages[index + 1] if index + 1 < len(pages) else None,
        "page_number": index + 1,
        "payload": selectors.page_payload(current),
        "has_punctuation": any(c.is_punct for line in current.lines for c in line.chars),
        "translations": page_translations,
        "aligned": selectors.aligned_translations(page_translations),
        "citation": item_citations(item, language=language, page=current.canvas.order),
        "is_curator": curator,
        "pending": list(selectors.pending_corrections(item=item)) if curator else [],
        "history": list(selectors.line_corrections(transcription=current.transcription)[:20])
        if current.transcription else [],
        "max_line": MAX_LINE_LENGTH,
        "query": request.GET.get("q", "")[: contentsearch.MAX_QUERY],
        "has_text": any(p.has_text for p in pages),
        # Text-only works (no page has an image) read in one column, without an image panel.
        "has_images": any(p.canvas.image_id or p.canvas.service_url for p in pages),
    }


@require_safe
def read(request: HttpRequest, pid: str, order: int | None = None) -> HttpResponse:
    """The split view of one page (the first when ``order`` is absent); ``?page=N`` jumps to page N."""
    if (jump := request.GET.get("page", "").strip()[:6]) and jump.isdigit():
        item = _item(pid)
        orders = list(item.canvases.order_by("order").values_list("order", flat=True))
        if orders:  # the Nth page, kept within the item
            return redirect("reading:page", pid, orders[max(1, min(int(jump), len(orders))) - 1])
    return render(request, "reading/read.html", _page_context(request, _item(pid), order))


@require_POST
def propose(request: HttpRequest, pid: str, order: int, line: int) -> HttpResponse:
    """A reader's correction of one line; errors re-render the page with the message (400/403)."""
    item = _item(pid)
    context = _page_context(request, item, order)
    transcription = context["page"].transcription
    if transcription is None:
        raise Http404(_("This page has no transcription."))
    try:
        services.correction_propose(
            user=request.user, transcription=transcription, line=line,
            text=request.POST.get("text", ""), note=request.POST.get("note", ""),
        )
    except (ValidationError, PermissionDenied, ratelimit.RateLimited) as exc:
        if isinstance(exc, ValidationError):
            status, message = 400, " ".join(exc.messages)
        else:
            status, message = (429 if isinstance(exc, ratelimit.RateLimited) else 403), str(exc)
        context.update({"correction_error": message, "correction_line": line,
                        "correction_text": request.POST.get("text", "")[: MAX_LINE_LENGTH * 2]})
        response = render(request, "reading/read.html", context, status=status)
        if isinstance(exc, ratelimit.RateLimited):
            response["Retry-After"] = str(exc.retry_after)
        return response
    messages.success(
        request, _("Thank you: your correction of line %(n)d awaits review by a curator.") % {"n": line + 1}
    )
    return HttpResponseRedirect(reverse("reading:page", args=[pid, order]) + f"#l{line + 1}")


@login_required
@require_safe
def corrections(request: HttpRequest) -> HttpResponse:
    """Curators' review queue: the pending corrections they may accept or reject."""
    return render(request, "reading/corrections.html",
                  {"corrections": selectors.reviewable_corrections(user=request.user)[:200]})


@require_POST
def review(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    """Accept or reject a correction (curators of the holding institution only)."""
    correction = get_object_or_404(Correction.objects.select_related("transcription__canvas__item"), pk=pk)
    if decision not in {"accept", "reject"}:
        raise Http404(_("Unknown decision."))
    service = services.correction_accept if decision == "accept" else services.correction_reject
    try:
        service(user=request.user, correction=correction, note=request.POST.get("note", ""))
    except PermissionDenied as exc:
        return HttpResponse(str(exc), status=403, content_type="text/plain; charset=utf-8")
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=400, content_type="text/plain; charset=utf-8")
    if decision == "accept":
        messages.success(request, _("Correction accepted: the transcription and search are updated."))
    else:
        messages.info(request, _("Correction rejected."))
    canvas = correction.transcription.canvas
    back = request.POST.get("next", "")
    if back != "queue":
        page = reverse("reading:page", args=[canvas.item.pid, canvas.order])
        return HttpResponseRedirect(f"{page}#l{correction.line + 1}")
    return HttpResponseRedirect(reverse("reading:corrections"))


@require_safe
def gloss(request: HttpRequest) -> HttpResponse:
    """``?text=<line>&at=<index>``: the dictionary gloss of the word at ``at`` (JSON)."""
    text = request.GET.get("text", "")
    try:
        at = int(request.GET.get("at", ""))
    except ValueError:
        return _json({"error": _("'at' must be a character index.")}, status=400)
    if not text or len(text) > MAX_GLOSS_TEXT:
        return _json({"error": _("'text' must hold 1 to %(n)d characters.") % {"n": MAX_GLOSS_TEXT}}, status=400)
    try:
        data = selectors.gloss(text=text, at=at)
    except IndexError:
        return _json({"error": _("'at' is outside the text.")}, status=400)
    data["search"] = reverse("search:search") + "?" + urlencode({"q": data["word"]})
    return _json(data)


def _query(request: HttpRequest) -> str | HttpResponse:
    q = request.GET.get("q", "").strip()
    if not q:
        return _json({"error": _("Give a query in 'q'.")}, status=400)
    if len(q) > contentsearch.MAX_QUERY:
        message = _("The query is too long (at most %(n)d characters).") % {"n": contentsearch.MAX_QUERY}
        return _json({"error": message}, status=400)
    return q


@require_safe
def search_hits(request: HttpRequest, pid: str) -> HttpResponse:
    """The reading room's own search inside the item: hits with pages, spans and boxes (JSON)."""
    item = _item(pid)
    q = _query(request)
    if isinstance(q, HttpResponse):
        return q
    hits = contentsearch.item_search(item=item, q=q)
    return _json({"q": q, "total": len(hits), "hits": [
        {"page": h.order, "exact": h.exact, "prefix": h.prefix, "suffix": h.suffix,
         "spans": [list(s) for s in h.spans], "boxes": h.boxes,
         "url": reverse("reading:page", args=[pid, h.order]) + "?" + urlencode({"q": q})}
        for h in hits
    ]})


def _search(request: HttpRequest, pid: str, version: int) -> HttpResponse:
    item = _item(pid)
    q = _query(request)
    if isinstance(q, HttpResponse):
        return q
    hits = contentsearch.item_search(item=item, q=q)
    canvases = {c.order: c for c in item.canvases.all()}
    build = contentsearch.search2_response if version == 2 else contentsearch.search1_response
    content_type = "application/ld+json" if version == 2 else "application/json"
    return _json(build(item=item, q=q, hits=hits, canvases=canvases), content_type=content_type)


@require_safe
def search2(request: HttpRequest, pid: str) -> HttpResponse:
    """IIIF Content Search 2.0 inside the item."""
    return _search(request, pid, 2)


@require_safe
def search1(request: HttpRequest, pid: str) -> HttpResponse:
    """IIIF Content Search 1.0 inside the item (for Mirador 4)."""
    return _search(request, pid, 1)


@require_safe
def manifest(request: HttpRequest, pid: str) -> HttpResponse:
    """The item's Presentation manifest (which advertises the Content Search services itself)."""
    item = item_for_manifest(pid=pid)
    if item is None:
        return _json({"error": _("No such item with images."), "status": 404}, status=404)
    data = manifests.item_manifest(item, canvases=item.presentable_canvases)  # type: ignore[attr-defined]
    return _json(data, content_type='application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"')


def _attachment(body: str | bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def text_txt(request: HttpRequest, pid: str) -> HttpResponse:
    item = _item(pid)
    text = exports.item_txt(item, selectors.item_text(item=item))
    return _attachment(text, "text/plain; charset=utf-8", f"{item.pid}.txt")


@require_safe
def text_tei(request: HttpRequest, pid: str) -> HttpResponse:
    item = _item(pid)
    tei = exports.item_tei(item, selectors.item_text(item=item))
    return _attachment(tei, "application/tei+xml; charset=utf-8", f"{item.pid}.tei.xml")


@require_safe
def text_pdf(request: HttpRequest, pid: str) -> HttpResponseBase:
    """The PDF with its text layer; 403 when the holder switched downloads off, 404 with no local page."""
    item = item_for_manifest(pid=pid)
    if item is None:
        raise Http404(_("No such item with images."))
    pages = [(p.canvas, p.lines, p.direction) for p in selectors.item_pages(item=item) if p.has_text]
    try:
        path = pdf.item_pdf_with_text(item, list(item.presentable_canvases), pages)  # type: ignore[attr-defined]
    except downloads.DownloadRefused as exc:
        return HttpResponse(str(exc), status=403, content_type="text/plain; charset=utf-8")
    except downloads.DownloadUnavailable as exc:
        return HttpResponse(str(exc), status=404, content_type="text/plain; charset=utf-8")
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"{item.pid}.pdf", content_type="application/pdf")
