"""Reader groups for group-visible annotations: owners create them and add or remove members (#15).

Who may see or manage a group is the policy's decision (``community.readergroup`` in
:mod:`mogao.accounts.policy`); a group the reader is not in answers 404.
"""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from mogao.accounts import policy
from mogao.community.models import ReaderGroup
from mogao.security import ratelimit

GROUP_RATE = "20/day"


class GroupForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Group name"), max_length=120)

    def clean_name(self) -> str:
        from mogao.accounts.forms import refuse_controls

        return refuse_controls(self.cleaned_data.get("name") or "")


class MemberForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("Username"), max_length=150)


def my_groups(user: object) -> list[ReaderGroup]:
    qs = policy.scope(user, "view", ReaderGroup.objects.all())  # type: ignore[arg-type]
    return list(qs.prefetch_related("members").order_by("name"))


@login_required
@require_http_methods(["GET", "POST"])
def group_list(request: HttpRequest) -> HttpResponse:
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.hit("annotations:group", str(request.user.pk), GROUP_RATE).allowed:
            form.add_error("name", _("You have created many groups today: try again tomorrow."))
        else:
            name = form.cleaned_data["name"].strip()
            slug = f"{slugify(name)[:60] or 'group'}-{secrets.token_hex(4)}"
            owner: Any = request.user
            group = ReaderGroup.objects.create(name=name, slug=slug, owner=owner)
            group.members.add(owner)
            messages.success(request, _("Group created."))
            return HttpResponseRedirect(group_url(group))
    status = 400 if request.method == "POST" else 200
    return render(request, "annotations/groups.html", {"groups": my_groups(request.user), "form": form},
                  status=status)


def group_url(group: ReaderGroup) -> str:
    from django.urls import reverse

    return reverse("annotations:group", args=[group.slug])


def _group(request: HttpRequest, slug: str) -> ReaderGroup:
    group = ReaderGroup.objects.filter(slug=slug).first()
    if group is None or not policy.can(request.user, "view", group):
        raise Http404
    return group


@login_required
@require_http_methods(["GET", "POST"])
def group_detail(request: HttpRequest, slug: str) -> HttpResponse:
    group = _group(request, slug)
    manage = policy.can(request.user, "change", group)
    form = MemberForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not manage:
            raise Http404
        if form.is_valid():
            user = get_user_model().objects.filter(username=form.cleaned_data["username"], is_active=True).first()
            if user is None:
                form.add_error("username", _("There is no account with this username."))
            else:
                group.members.add(user)
                messages.success(request, _("Member added."))
                return HttpResponseRedirect(group_url(group))
        status = 400
    return render(request, "annotations/group.html",
                  {"group": group, "members": group.members.order_by("username"), "manage": manage, "form": form},
                  status=status)


@login_required
@require_POST
def group_remove(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    group = _group(request, slug)
    if not policy.can(request.user, "change", group):
        raise Http404
    if user_id != group.owner_id:
        group.members.remove(user_id)
        messages.success(request, _("Member removed."))
    return HttpResponseRedirect(group_url(group))
