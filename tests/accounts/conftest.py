"""Fixtures of the authorization tests: two institutions, public and private items, every role."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache

from mogao.accounts.models import Curatorship
from mogao.api.services import token_create
from mogao.catalogue import services
from mogao.catalogue.models import Institution, Item, Join, Visibility

CURATORS_GROUP = "Curators"  # the demo's group name
ROLES = ("anonymous", "reader", "curator_a", "curator_b_nostaff", "curator_b", "admin")
INSTITUTIONS = ("A", "B")
VISIBILITIES = ("public", "private")


@dataclass
class World:
    institutions: dict[str, Institution]
    items: dict[tuple[str, str], Item]
    spare: dict[str, Item]
    users: dict[str, Any] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)

    def join(self, inst: str, vis: str) -> Join:
        """A join of the (inst, vis) item and a public item of the same institution."""
        return services.join_upsert(items=[self.items[(inst, vis)], self.spare[inst]],
                                    label_map={"en": [f"join {inst} {vis}"]})[0]


def curates(role: str, inst: str) -> bool:
    """The librarian's rule, written independently of the policy: who curates which institution."""
    return role == "admin" or (role == "curator_a" and inst == "A") or (role == "curator_b" and inst == "B")


@pytest.fixture
def world(db: None, settings: Any) -> World:
    settings.API_ANON_RATE = "100000/min"
    cache.clear()
    institutions = {
        "A": services.institution_upsert(code="BL", name={"en": ["British Library"]})[0],
        "B": services.institution_upsert(code="BnF", name={"fr": ["Bibliothèque nationale de France"]})[0],
    }
    items = {}
    for inst, institution in institutions.items():
        for vis in VISIBILITIES:
            items[(inst, vis)] = services.item_upsert(
                institution=institution, shelfmark=f"{inst}-{vis}", title={"en": [f"Item {inst} {vis}"]},
                visibility=Visibility.PUBLIC if vis == "public" else Visibility.PRIVATE,
            )[0]
    spare = {inst: services.item_upsert(institution=institution, shelfmark=f"{inst}-spare",
                                        title={"en": [f"Spare {inst}"]})[0]
             for inst, institution in institutions.items()}
    out = World(institutions=institutions, items=items, spare=spare)
    user_model = get_user_model()
    # Curators get the demo's group of model permissions too (as `mogao demo` sets them up): the
    # policy must hold even though the group grants catalogue-wide permissions.
    group, _ = Group.objects.get_or_create(name=CURATORS_GROUP)
    group.permissions.set(Permission.objects.filter(
        content_type__app_label__in=["catalogue", "knowledge", "ingest", "search"]))
    specs = {
        "reader": {}, "curator_a": {"is_staff": True}, "curator_b_nostaff": {}, "curator_b": {"is_staff": True},
        "admin": {"is_staff": True, "is_superuser": True},
    }
    for role, flags in specs.items():
        user = user_model.objects.create_user(role, **flags)  # no password: no slow hashing
        if role.startswith("curator"):
            user.groups.add(group)
        if role == "curator_a":
            Curatorship.objects.create(user=user, institution=institutions["A"])
        if role.startswith("curator_b"):
            Curatorship.objects.create(user=user, institution=institutions["B"])
        out.users[role] = user
        out.tokens[role] = token_create(user=user, name="tests")[1]
    return out
