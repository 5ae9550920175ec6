"""Thin web adapters of the community layer: reactions (#15)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mogao.accounts import policy
from mogao.community import reactions
from mogao.community.templatetags.community import reactions_context
from mogao.security import ratelimit


@require_http_methods(["GET", "POST"])
def react(request: HttpRequest, target: str, pk: int) -> HttpResponse:
    """GET: the reactions of a record (counts, and the reader's own); POST ``kind``: toggle one.

    htmx requests get the widget back; others are redirected to ``next`` (a page of this site).
    """
    obj = reactions.resolve(target, pk)
    if obj is None or not policy.can(request.user, "view", obj):
        raise Http404(_("No such record."))
    status = 200
    error = ""
    if request.method == "POST":
        if not request.user.is_authenticated:
            return HttpResponse(_("Sign in to react."), status=403, content_type="text/plain; charset=utf-8")
        try:
            reactions.toggle(request.user, obj, request.POST.get("kind", ""))
        except ValueError:
            status, error = 400, _("kind: unknown reaction.")
        except PermissionDenied as exc:
            status, error = 403, str(exc)
        except ratelimit.RateLimited as exc:
            status, error = 429, exc.message
        if status == 200 and not getattr(request, "htmx", False):
            next_url = request.POST.get("next", "")
            if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
                next_url = reactions.TARGETS[target].url(obj)
            return HttpResponseRedirect(next_url)
    context = reactions_context(request, obj, next_url=request.POST.get("next") or request.GET.get("next"))
    context["reaction_error"] = error
    return render(request, "community/_reactions.html", context, status=status)
