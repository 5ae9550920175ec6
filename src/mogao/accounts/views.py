"""Reader account pages (#15): "My Mogao", the profile, account deletion and the privacy page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from mogao.accounts.forms import READ_LANGUAGES, DeleteAccountForm, ProfileForm
from mogao.accounts.models import profile_of
from mogao.community import deletion, mymogao


@login_required
@require_safe
def me(request: HttpRequest) -> HttpResponse:
    """"My Mogao": every registered section with something to show, in order."""
    shown: list[dict[str, Any]] = []
    for section in mymogao.sections():
        context = section.context(request)
        if context:
            html = render_to_string(section.template, context, request=request)
            shown.append({"key": section.key, "title": section.title, "html": html})
    return render(request, "accounts/me.html", {"sections": shown, "profile": profile_of(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """The signed-in reader's own profile (there is no way to name another's: nobody edits it)."""
    own = profile_of(request.user)
    form = ProfileForm(request.POST or None, instance=own)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Your profile is saved."))
            return HttpResponseRedirect(reverse("accounts:profile"))
        return render(request, "accounts/profile.html", {"form": form}, status=400)
    return render(request, "accounts/profile.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    """Delete one's own account after choosing what becomes of one's contributions."""
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "accounts/delete.html", {"form": form}, status=400)
        user = request.user
        logout(request)
        deletion.delete_account(user, form.cleaned_data["contributions"])
        messages.success(request, _("Your account is deleted."))
        return HttpResponseRedirect(reverse("catalogue:home"))
    return render(request, "accounts/delete.html", {"form": form})


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    """What Mogao keeps about readers, and what deleting an account does."""
    return render(request, "accounts/privacy.html", {"languages": READ_LANGUAGES})

