"""Notifications are personal (#17): the policy lets only the recipient see or mark them, the admin
shows them read-only to administrators only, account deletion removes them, export leaves them out."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from mogao.accounts import policy
from mogao.accounts.models import Curatorship, Profile
from mogao.catalogue import services as catalogue
from mogao.community import deletion
from mogao.export.policy import NOT_EXPORTED
from mogao.notify import notify
from mogao.notify.models import Notification, Preference
from mogao.notify.services import set_email

from .conftest import KIND, TEMPLATE, make_reader, signed_in

pytestmark = pytest.mark.django_db
ROLES = ("anonymous", "recipient", "other_reader", "moderator", "curator", "admin", "inactive_recipient")


@pytest.fixture
def people() -> dict[str, Any]:
    users: dict[str, Any] = {"anonymous": None}
    users["recipient"] = make_reader("recipient")
    users["other_reader"] = make_reader("other")
    users["moderator"] = make_reader("moderator")
    Profile.objects.create(user=users["moderator"], moderator=True)
    institution = catalogue.institution_upsert(code="BL", name={"en": ["British Library"]})[0]
    users["curator"] = get_user_model().objects.create_user("curator", is_staff=True)
    Curatorship.objects.create(user=users["curator"], institution=institution)
    users["admin"] = get_user_model().objects.create_user("admin", is_staff=True, is_superuser=True)
    return users


def _note(user: Any) -> Notification:
    notify([user], KIND, template=TEMPLATE, context={"title": "t"}, url="/", email=False)
    return Notification.objects.filter(recipient=user).latest("pk")


def _expected(role: str, action: str) -> bool:
    """The rule, written apart from the policy: the recipient views and marks; administrators read
    in the admin; nobody else does anything, and nobody adds, deletes or changes one in the admin."""
    if action in ("view", "change"):
        return role == "recipient"
    if action in ("admin", "history"):
        return role == "admin"
    return False


@pytest.mark.parametrize("action", ["view", "change", "delete", "add", "admin", "history", "moderate", "report"])
def test_permission_matrix(people: dict[str, Any], action: str) -> None:
    from django.contrib.auth.models import AnonymousUser

    note = _note(people["recipient"])
    for role in ROLES:
        if role == "inactive_recipient":
            continue
        user = people[role] or AnonymousUser()
        assert policy.can(user, action, note) is _expected(role, action), (role, action)
        scoped = policy.scope(user, action, Notification.objects.all())
        assert list(scoped) == ([note] if _expected(role, action) else []), (role, action)
    people["recipient"].is_active = False
    people["recipient"].save()
    assert not policy.can(people["recipient"], "view", note)


def test_the_admin_is_read_only_and_for_administrators_only(people: dict[str, Any]) -> None:
    note = _note(people["recipient"])
    admin = signed_in(people["admin"])
    listing = admin.get("/admin/notify/notification/")
    assert listing.status_code == 200 and "recipient" in listing.content.decode()
    page = admin.get(f"/admin/notify/notification/{note.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert admin.get("/admin/notify/notification/add/").status_code == 403
    assert admin.post(f"/admin/notify/notification/{note.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Notification.objects.filter(pk=note.pk).exists()
    assert admin.get("/admin/notify/preference/").status_code == 200
    for role in ("curator", "moderator", "recipient"):
        client = signed_in(people[role])
        for path in ("/admin/notify/notification/", f"/admin/notify/notification/{note.pk}/change/",
                     "/admin/notify/preference/"):
            assert client.get(path).status_code in (302, 403, 404), (role, path)
    curator_admin = signed_in(people["curator"]).get("/admin/").content.decode()
    assert "/admin/notify/" not in curator_admin
    assert Client().get("/admin/notify/notification/").status_code == 302


@pytest.mark.parametrize("mode", ["anonymise", "remove"])
def test_account_deletion_removes_notifications_and_settings(mode: str) -> None:
    ann, bob = make_reader("ann"), make_reader("bob")
    _note(ann), _note(ann), _note(bob)
    set_email(ann, KIND, False)
    done = deletion.delete_account(ann, mode)  # type: ignore[arg-type]
    assert done["notify.notification"] == 2
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["bob"]
    assert not Preference.objects.exists()


def test_nothing_personal_is_exported() -> None:
    assert "notify.notification" in NOT_EXPORTED and "notify.preference" in NOT_EXPORTED
