"""Notification pages (#17): one's notifications and e-mail settings, one notification, unsubscribe.

Only the recipient sees or marks a notification (the policy decides; anyone else gets 404). The
unsubscribe page is reached from a mail with a signed token: it shows nothing but the kind's label,
and a POST only ever turns that kind's mail off.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from mogao.accounts import policy
from mogao.notify import services
from mogao.notify.kinds import kinds, label_of
from mogao.notify.models import Notification, Preference

PER_PAGE = 30


def _own(request: HttpRequest, pk: int, action: str) -> Notification:
    """The notification ``pk`` when the policy lets ``request.user`` do ``action`` on it, else 404."""
    note = Notification.objects.filter(pk=pk).first()
    if note is None or not policy.can(request.user, action, note):
        raise Http404(_("No such notification."))
    return note


def _choices(user: Any) -> list[dict[str, Any]]:
    off = set(Preference.objects.filter(user_id=user.pk, email=False).values_list("kind", flat=True))
    return [{"kind": kind, "label": label, "email": kind not in off} for kind, label in kinds().items()]


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    """One's notifications (newest first) and, per registered kind, whether to receive e-mail."""
    if request.method == "POST":
        chosen = set(request.POST.getlist("email"))
        for kind in kinds():
            services.set_email(request.user, kind, kind in chosen)
        messages.success(request, _("Your notification settings are saved."))
        return HttpResponseRedirect(reverse("notify:settings"))
    mine = policy.scope(request.user, "view", Notification.objects.all())
    page = Paginator(mine.order_by("-created", "-pk"), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "notify/settings.html", {
        "page": page, "choices": _choices(request.user), "unread": services.unread_count(request.user),
    })


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    """Mark every notification of the signed-in person read."""
    count = services.mark_read(request.user)
    if count:
        messages.success(request, _("All your notifications are marked read."))
    return HttpResponseRedirect(reverse("notify:settings"))


@require_http_methods(["GET", "POST"])
def notification(request: HttpRequest, pk: int) -> HttpResponse:
    """One notification, for its recipient only; opening it marks it read (POST does the same)."""
    note = _own(request, pk, "view")
    if not policy.can(request.user, "change", note):
        raise Http404(_("No such notification."))
    if note.read_at is None:
        Notification.objects.filter(pk=note.pk, read_at__isnull=True).update(read_at=timezone.now())
    if request.method == "POST":
        return HttpResponseRedirect(reverse("notify:settings"))
    return render(request, "notify/notification.html", {"note": note, "kind_label": label_of(note.kind)})


def _csrf_refused(request: HttpRequest) -> HttpResponse | None:
    """Django's CSRF check, run by hand for the views that are exempt only in part."""
    return CsrfViewMiddleware(lambda r: HttpResponse()).process_view(request, None, (), {})  # type: ignore[arg-type]


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET: ask to confirm. POST: turn that kind's mail off for the token's account.

    A mail client's RFC 8058 one-click POST (body ``List-Unsubscribe=One-Click``) carries no CSRF
    token and needs none: the signed token is the proof, and it can do nothing but unsubscribe.
    Every other POST (the confirmation form) is checked for CSRF as usual.
    """
    found = services.read_unsubscribe_token(token)
    user = None
    if found is not None:
        user = get_user_model().objects.filter(pk=found[0]).first()
    if found is None or user is None:
        raise Http404(_("This unsubscribe link is not valid."))
    kind = found[1]
    context = {"kind_label": label_of(kind), "token": token, "done": False}
    if request.method == "POST":
        one_click = request.POST.get("List-Unsubscribe") == "One-Click"
        if not one_click:
            refused = _csrf_refused(request)
            if refused is not None:
                return refused
        services.set_email(user, kind, False)
        context["done"] = True
    response = render(request, "notify/unsubscribe.html", context)
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
