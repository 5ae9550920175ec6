"""The moderation queue page (``/moderation/``) and its decisions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from mogao.accounts import policy
from mogao.discussion import moderation
from mogao.discussion.sections import author_name

SHOWS = ("open", "pending", "reported", "decided")


def _door(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not moderation.may_moderate(request.user):
        raise PermissionDenied
    return None


@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    refused = _door(request)
    if refused is not None:
        return refused
    show = request.GET.get("show", "open")
    if show not in SHOWS:
        show = "open"
    entries = moderation.queue(request.user, show=show)
    for entry in entries:
        entry.author = author_name(entry.obj) if hasattr(entry.obj, "author") else ""  # type: ignore[attr-defined]
    return render(request, "discussion/moderation.html", {"entries": entries, "show": show, "shows": SHOWS})


@require_POST
def decide(request: HttpRequest, label: str, pk: int) -> HttpResponse:
    refused = _door(request)
    if refused is not None:
        return refused
    model = moderation.model_of(label)
    if model is None:
        raise Http404("No such kind of contribution.")
    obj = get_object_or_404(model, pk=pk)
    if not policy.can(request.user, "moderate", obj):
        raise Http404("No such contribution.")
    show = request.POST.get("show", "open")
    back = reverse("discussion:moderation") + (f"?show={show}" if show in SHOWS and show != "open" else "")
    try:
        moderation.decide(user=request.user, obj=obj, status=request.POST.get("status"),
                          reason=request.POST.get("reason", ""))
    except PermissionDenied:
        raise Http404("No such contribution.") from None
    except ValidationError as exc:
        errors = {name: " ".join(str(m) for m in msgs) for name, msgs in exc.message_dict.items()}
        entries = moderation.queue(request.user, show=show if show in SHOWS else "open")
        for entry in entries:
            entry.author = author_name(entry.obj) if hasattr(entry.obj, "author") else ""  # type: ignore[attr-defined]
        return render(request, "discussion/moderation.html",
                      {"entries": entries, "show": show, "shows": SHOWS, "errors": errors,
                       "error_key": f"{label}:{pk}"}, status=400)
    messages.success(request, _("Decision recorded."))
    return HttpResponseRedirect(back)
