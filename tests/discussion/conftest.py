"""Fixtures of the discussion tests: two institutions, items, a work, and every reader role."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from mogao.accounts.models import Curatorship, profile_of
from mogao.catalogue import services
from mogao.catalogue.models import Institution, Item, Visibility, Work

ROLES = ("anonymous", "reader", "author", "trusted", "moderator", "curator_a", "curator_b", "admin")


@dataclass
class World:
    institutions: dict[str, Institution]
    items: dict[str, Item]
    work: Work
    users: dict[str, Any] = field(default_factory=dict)

    def client(self, role: str) -> Client:
        client = Client()
        if role != "anonymous":
            client.force_login(self.users[role])
        return client


def make_user(name: str, **flags: Any) -> Any:
    User = get_user_model()
    staff = flags.pop("staff", False)
    superuser = flags.pop("superuser", False)
    if superuser:
        user = User.objects.create_superuser(name, f"{name}@example.org", "pw-" + name + "-123")
    else:
        user = User.objects.create_user(name, f"{name}@example.org", "pw-" + name + "-123", is_staff=staff)
    if flags:
        profile = profile_of(user)
        assert profile is not None
        for key, value in flags.items():
            setattr(profile, key, value)
        profile.save()
    return User.objects.get(pk=user.pk)


@pytest.fixture
def world(db: None, settings: Any) -> World:
    settings.COMMENT_RATE = "1000/min"
    settings.REPORT_RATE = "1000/min"
    institutions = {
        "A": services.institution_upsert(code="BL", name={"en": ["British Library"]})[0],
        "B": services.institution_upsert(code="BnF", name={"fr": ["Bibliothèque nationale de France"]})[0],
    }
    items = {
        "A": services.item_upsert(institution=institutions["A"], shelfmark="Or.8210/P.2",
                                  title={"en": ["Diamond Sutra"], "zh-Hant": ["金剛經"]})[0],
        "B": services.item_upsert(institution=institutions["B"], shelfmark="Pelliot chinois 2001",
                                  title={"fr": ["Mémoires"]})[0],
        "private": services.item_upsert(institution=institutions["A"], shelfmark="Or.private",
                                        title={"en": ["Private"]}, visibility=Visibility.PRIVATE)[0],
    }
    work = services.work_upsert(pid="diamond-sutra", title={"en": ["Diamond Sūtra"], "zh-Hant": ["金剛經"]})[0]
    users = {
        "reader": make_user("reader"),
        "author": make_user("author", display_name="Author"),
        "trusted": make_user("trusted", trusted=True),
        "moderator": make_user("moderator", moderator=True),
        "curator_a": make_user("curator_a", staff=True),
        "curator_b": make_user("curator_b", staff=True),
        "admin": make_user("admin", superuser=True),
    }
    Curatorship.objects.create(user=users["curator_a"], institution=institutions["A"])
    Curatorship.objects.create(user=users["curator_b"], institution=institutions["B"])
    return World(institutions=institutions, items=items, work=work, users=users)
