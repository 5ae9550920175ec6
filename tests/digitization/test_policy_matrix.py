"""Digitization through the one policy: role × action × own/other institution × public/private item,
asked of ``policy.can`` and ``policy.scope`` and of the real pages, against the rule written here."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from mogao.accounts import policy
from mogao.catalogue import services as catalogue
from mogao.catalogue.models import Visibility
from mogao.digitization.models import Pledge, Request, RequestReader, Status

from .conftest import Lib

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "reader", "curator_own", "curator_other", "admin")
ACTIONS = ("view", "request", "triage", "change", "admin", "history", "pledge", "add", "delete")
USERS = {"reader": "reader", "curator_own": "curator_a", "curator_other": "curator_b", "admin": "admin"}


def expected(role: str, action: str, own: bool, public: bool) -> bool:
    """The librarian's rule. ``own``: the item is held by the institution curator_own curates (A)."""
    curates = role == "admin" or (role == "curator_own" and own) or (role == "curator_other" and not own)
    if action == "view":
        return public or curates
    if action == "request":
        return role != "anonymous" and public
    if action in ("triage", "change", "admin", "history"):
        return curates
    if action == "pledge":  # another institution's curator, on a request they can see
        if role == "admin":
            return True
        other_partner = (role == "curator_own" and not own) or (role == "curator_other" and own)
        return other_partner and public
    return role == "admin"  # add, delete


@pytest.fixture
def cells(lib: Lib) -> dict[tuple[bool, bool], Request]:
    out = {}
    for own, inst in ((True, "A"), (False, "B")):
        for public in (True, False):
            item = catalogue.item_upsert(
                institution=lib.institutions[inst], shelfmark=f"DG-M-{inst}-{public}", title={"en": ["m"]},
                visibility=Visibility.PUBLIC if public else Visibility.PRIVATE)[0]
            req = Request.objects.create(item=item)
            RequestReader.objects.create(request=req, user=lib.users["reader2"], purpose="research")
            out[(own, public)] = req
    return out


def _user(lib: Lib, role: str) -> Any:
    return AnonymousUser() if role == "anonymous" else lib.users[USERS[role]]


def _client(lib: Lib, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(lib.users[USERS[role]])
    return client


@pytest.mark.parametrize("role", ROLES)
def test_policy_matrix(lib: Lib, cells: dict[tuple[bool, bool], Request], role: str) -> None:
    user = _user(lib, role)
    wrong = []
    for (own, public), req in cells.items():
        for action in ACTIONS:
            target = req.item if action == "request" else req
            got = policy.can(user, action, target)
            if got != expected(role, action, own, public):
                wrong.append((action, own, public, got))
            if action != "request":
                scoped = policy.scope(user, action, Request.objects.filter(pk=req.pk)).exists()
                if scoped != expected(role, action, own, public):
                    wrong.append(("scope", action, own, public, scoped))
    assert wrong == []


@pytest.mark.parametrize("role", ROLES)
def test_pages_follow_the_matrix(lib: Lib, cells: dict[tuple[bool, bool], Request], role: str) -> None:
    client = _client(lib, role)
    for (own, public), req in cells.items():
        page = client.get(req.get_absolute_url())
        assert page.status_code == (200 if expected(role, "view", own, public) else 404), (own, public)
        api = client.get(f"/api/v1/digitization/requests/{req.pk}")
        assert api.status_code == (200 if expected(role, "view", own, public) else 404)
        if page.status_code == 200:
            assert ("Curator actions" in page.content.decode()) == expected(role, "triage", own, public)
        act = client.post(reverse("digitization:act", args=[req.pk]), {"to": "accepted"})
        moved = Request.objects.get(pk=req.pk).status == Status.ACCEPTED
        assert moved == expected(role, "triage", own, public), (own, public, act.status_code)
        if role == "anonymous":
            assert act.status_code == 404 if not public else act.status_code in (400, 404)
        institution = lib.institutions["B" if own else "A"]
        before = Pledge.objects.count()
        client.post(reverse("digitization:pledge", args=[req.pk]), {"institution": institution.pk, "kind": "funding"})
        pledged = Pledge.objects.count() > before
        assert pledged == expected(role, "pledge", own, public), (own, public)
    queue = client.get(reverse("digitization:queue")).content.decode()
    for (own, public), req in cells.items():
        assert (f"DG-M-{'A' if own else 'B'}-{public}" in queue) == expected(role, "view", own, public)
