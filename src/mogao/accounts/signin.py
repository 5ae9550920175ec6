"""How readers' accounts sign in (#15): the allauth adapter and the lockout's account name.

Curators keep the admin's sign-in (/admin/login/); readers use allauth's pages at /accounts/.
Both go through ``django.contrib.auth.authenticate``, so django-axes locks either after
``MOGAO_LOGIN_FAILURE_LIMIT`` failures for one account name from one address.
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.urls import reverse


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The account name an attempt is counted against: the admin's ``username``, allauth's
    ``username``/``email`` credentials, or the ``login`` field of the readers' sign-in form."""
    credentials = credentials or {}
    for key in ("username", "email"):
        value = credentials.get(key)
        if value:
            return str(value).strip().lower()
    posted = getattr(request, "POST", None)
    if posted is not None:
        value = posted.get("username") or posted.get("login")
        if value:
            return str(value).strip().lower()
    return None


class AccountAdapter(DefaultAccountAdapter):
    """Readers land on "My Mogao" after signing in or up (the admin's sign-in keeps its own landing)."""

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        return reverse("accounts:me")

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        return reverse("accounts:me")

    def get_logout_redirect_url(self, request: HttpRequest) -> str:
        return reverse("catalogue:home")
