"""Pages and data of saved collections: thin adapters over forms, services, selectors and the policy.

Every refusal of ``view`` answers like a missing collection (404). Writes need CSRF (Django's
middleware; htmx sends the token from ``<body hx-headers>``), a signed-in author (the policy) and
stay under a per-account rate limit. Bad input answers 400 with the form and its field errors;
nothing is written unless every field holds.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from mogao.accounts import policy
from mogao.accounts.models import profile_of
from mogao.catalogue.selectors import item_detail
from mogao.discussion.models import Report
from mogao.iiif.presentation.common import CONTENT_TYPE, absolute
from mogao.saved import exports, iiif, selectors, services
from mogao.saved.forms import CollectionForm, NoteForm, SaveForm
from mogao.saved.models import ReaderCollection, SavedEntry
from mogao.saved.recommend import enabled, recommendations_for
from mogao.security import ratelimit

WRITE_RATE = "120/min"


def login_url(request: HttpRequest, next_path: str | None = None) -> str:
    return f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': next_path or request.get_full_path()})}"


def _key(request: HttpRequest) -> str | None:
    key = request.GET.get("key") or request.POST.get("key")
    return key[:100] if key else None


def _visible(request: HttpRequest, pid: str) -> ReaderCollection:
    found = selectors.collection_for(request.user, pid, _key(request))
    if found is None:
        raise Http404("No such collection.")
    return found


def _owned(request: HttpRequest, pid: str) -> ReaderCollection:
    found = _visible(request, pid)
    if not policy.can(request.user, "change", found):
        raise Http404("No such collection.")
    return found


def _throttled(request: HttpRequest) -> HttpResponse | None:
    decision = ratelimit.hit("saved.write", f"user:{request.user.pk}", WRITE_RATE)
    if decision.allowed:
        return None
    response = HttpResponse(_("Too many changes at once; try again in a minute."), status=429,
                            content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(int(decision.retry_after) + 1)
    return response


def _private_headers(response: HttpResponse, collection: ReaderCollection) -> HttpResponse:
    if not collection.is_public:
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "same-origin"  # the secret link never leaves the site
    return response


# ------------------------------------------------------------------------------------- pages


def mine(request: HttpRequest) -> HttpResponse:
    """The reader's collections, and a form to start one (``POST``)."""
    status = 200
    form = CollectionForm()
    if request.method == "POST":
        if not policy.can(request.user, "contribute", ReaderCollection):
            return HttpResponseRedirect(login_url(request))
        if (refused := _throttled(request)) is not None:
            return refused
        form = CollectionForm(request.POST)
        if form.is_valid():
            try:
                collection = services.create_collection(user=request.user, language=get_language() or "",
                                                        **form.cleaned_data)
            except services.Refused as exc:
                form.add_error(exc.field or None, str(exc))
            else:
                return HttpResponseRedirect(collection.get_absolute_url() + collection.link_query())
        status = 400
    context = {"collections": selectors.my_collections(request.user), "form": form,
               "login_url": login_url(request)}
    response = render(request, "saved/mine.html", context, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


def _collection_page(request: HttpRequest, collection: ReaderCollection, *, status: int = 200,
                     form: CollectionForm | None = None, note_errors: dict[int, NoteForm] | None = None
                     ) -> HttpResponse:
    owner = policy.can(request.user, "change", collection)
    entries = selectors.entries_for(request.user, collection)
    for entry in entries:
        entry.picture = iiif.entry_image_url(entry, size="!300,300")  # type: ignore[attr-defined]
        if not entry.picture:  # type: ignore[attr-defined]  # a whole item: its first page
            entry.picture = iiif.item_thumbnail_url(entry.item)  # type: ignore[attr-defined]
        bad = (note_errors or {}).get(entry.pk)
        entry.note_form = bad or NoteForm(initial={"note": entry.note}, prefix=f"e{entry.pk}")  # type: ignore[attr-defined]
    if owner and form is None:
        form = CollectionForm(initial={"name": collection.name, "description": collection.description,
                                       "sharing": collection.sharing})
    query = collection.link_query()
    context = {
        "collection": collection, "entries": entries, "owner": owner, "form": form if owner else None,
        "key_query": query,
        "manifest_url": iiif.manifest_url(collection),
        "iiif_collection_url": iiif.collection_url(collection),
        "share_url": absolute(collection.get_absolute_url()) + query,
        "has_images": any(e.picture or e.kind == SavedEntry.Kind.ITEM for e in entries),  # type: ignore[attr-defined]
        "can_report": policy.can(request.user, "report", collection),
        "report_url": reverse("discussion:report", args=[collection._meta.label_lower, collection.pk]),
        "report_reasons": Report.Reason.choices,
        "report_id": f"report-{collection.pid}",
        "report_next": collection.get_absolute_url(),
    }
    return _private_headers(render(request, "saved/collection.html", context, status=status), collection)


@require_safe
def collection(request: HttpRequest, pid: str) -> HttpResponse:
    return _collection_page(request, _visible(request, pid))


@require_POST
def edit(request: HttpRequest, pid: str) -> HttpResponse:
    found = _owned(request, pid)
    if (refused := _throttled(request)) is not None:
        return refused
    form = CollectionForm(request.POST)
    if form.is_valid():
        services.update_collection(found, user=request.user, **form.cleaned_data)
        return HttpResponseRedirect(found.get_absolute_url() + found.link_query())
    found.refresh_from_db()
    return _collection_page(request, found, status=400, form=form)


@require_POST
def new_link(request: HttpRequest, pid: str) -> HttpResponse:
    found = _owned(request, pid)
    services.new_link(found, user=request.user)
    return HttpResponseRedirect(found.get_absolute_url() + found.link_query())


@require_POST
def delete(request: HttpRequest, pid: str) -> HttpResponse:
    found = _owned(request, pid)
    services.delete_collection(found, user=request.user)
    return HttpResponseRedirect(resolve_url("saved:mine"))


def _entry(request: HttpRequest, pid: str, entry_id: int) -> SavedEntry:
    found = _owned(request, pid)
    entry = found.entries.filter(pk=entry_id).select_related("collection").first()
    if entry is None:
        raise Http404("No such entry.")
    return entry


@require_POST
def entry_note(request: HttpRequest, pid: str, entry_id: int) -> HttpResponse:
    entry = _entry(request, pid, entry_id)
    if (refused := _throttled(request)) is not None:
        return refused
    form = NoteForm(request.POST, prefix=f"e{entry.pk}")
    if not form.is_valid():
        return _collection_page(request, entry.collection, status=400, note_errors={entry.pk: form})
    services.update_note(entry, user=request.user, note=form.cleaned_data["note"])
    return HttpResponseRedirect(entry.collection.get_absolute_url() + entry.collection.link_query())


@require_POST
def entry_delete(request: HttpRequest, pid: str, entry_id: int) -> HttpResponse:
    entry = _entry(request, pid, entry_id)
    services.remove_entry(entry, user=request.user)
    return HttpResponseRedirect(entry.collection.get_absolute_url() + entry.collection.link_query())


# ------------------------------------------------------------------------------------- data


#: Readers' text never reaches a client as markup, even one that pastes JSON into HTML.
_JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def _json(collection: ReaderCollection, data: dict[str, Any]) -> HttpResponse:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESCAPES)
    response = HttpResponse(text, content_type=CONTENT_TYPE)
    response["Access-Control-Allow-Origin"] = "*"
    if collection.is_public:
        response["Cache-Control"] = "public, max-age=60"
    return _private_headers(response, collection)


def _json_error(status: int, message: str) -> HttpResponse:
    response = HttpResponse(json.dumps({"error": message, "status": status}, ensure_ascii=False),
                            content_type="application/json", status=status)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def manifest(request: HttpRequest, pid: str) -> HttpResponse:
    found = selectors.collection_for(request.user, pid, _key(request))
    if found is None:
        return _json_error(404, _("No such collection."))
    data = iiif.collection_manifest(found, selectors.entries_for(request.user, found))
    if data is None:
        return _json_error(404, _("This collection has no page with an image yet."))
    return _json(found, data)


@require_safe
def iiif_collection(request: HttpRequest, pid: str) -> HttpResponse:
    found = selectors.collection_for(request.user, pid, _key(request))
    if found is None:
        return _json_error(404, _("No such collection."))
    return _json(found, iiif.collection_collection(found, selectors.entries_for(request.user, found)))


@require_safe
def export_csv(request: HttpRequest, pid: str) -> HttpResponse:
    found = _visible(request, pid)
    body = exports.collection_csv(found, selectors.entries_for(request.user, found))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mogao-collection-{found.pid}.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    return _private_headers(response, found)


# ------------------------------------------------------------------------------------- save control


def save_context(request: HttpRequest, item: Any, form: SaveForm | None = None,
                 saved: SavedEntry | None = None) -> dict[str, Any]:
    """What the "Save" panel of an item page shows (shared with the item page's template tag)."""
    signed_in = policy.can(request.user, "contribute", ReaderCollection)
    collections = selectors.my_collections(request.user) if signed_in else []
    if signed_in and form is None:
        form = SaveForm(collections=collections, item=item)
    return {"item": item, "signed_in": signed_in, "save_form": form, "saved": saved,
            "login_url": login_url(request, item.get_absolute_url()), "request": request}


def save(request: HttpRequest, pid: str) -> HttpResponse:
    """``GET``: the "Save" panel (a page of its own without htmx); ``POST``: save, answer the panel."""
    item = item_detail(pid=pid)
    if item is None or not policy.can(request.user, "view", item):
        raise Http404("No such item.")
    template = "saved/_save_panel.html" if getattr(request, "htmx", False) else "saved/save_page.html"
    if request.method != "POST":
        return render(request, template, save_context(request, item))
    if not policy.can(request.user, "contribute", ReaderCollection):
        return HttpResponseRedirect(login_url(request, item.get_absolute_url()))
    if (refused := _throttled(request)) is not None:
        return refused
    form = SaveForm(request.POST, collections=selectors.my_collections(request.user), item=item)
    if form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.save_entry(
                user=request.user, collection=data["collection_obj"], new_name=data.get("new_name", ""),
                item=item, kind=data["target"], canvas=data["canvas"], region=data["region"], note=data["note"],
            )
        except services.Refused as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            fresh = SaveForm(collections=selectors.my_collections(request.user), item=item,
                             initial={"collection": entry.collection.pid})
            return render(request, template, save_context(request, item, fresh, saved=entry))
    return render(request, template, save_context(request, item, form), status=400)


# ------------------------------------------------------------------------------------- recommendations


@require_safe
def recommendations(request: HttpRequest) -> HttpResponse:
    """The reader's explained recommendations (a fragment); nothing for anonymous readers."""
    if not getattr(request.user, "is_authenticated", False):
        return HttpResponse(status=204)
    item = item_detail(pid=request.GET.get("item", "")[:80]) if request.GET.get("item") else None
    recs = recommendations_for(request.user, language=get_language(), exclude=item.pk if item else None,
                               limit=4 if item else 8)
    response = render(request, "saved/_recommendations.html",
                      {"recommendations": recs, "enabled": enabled(request.user), "compact": item is not None,
                       "in_section": request.GET.get("in") == "me"})
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def recommendations_switch(request: HttpRequest) -> HttpResponse:
    """Turn recommendations on or off (``Profile.recommendations``)."""
    profile = profile_of(request.user)
    if profile is None or not policy.can(request.user, "contribute", ReaderCollection):
        return HttpResponseRedirect(login_url(request, resolve_url("saved:mine")))
    profile.recommendations = request.POST.get("on") == "1"
    profile.save(update_fields=["recommendations"])
    back = request.POST.get("next", "")
    if not back.startswith("/") or back.startswith("//"):
        back = resolve_url("saved:mine")
    return HttpResponseRedirect(back)


