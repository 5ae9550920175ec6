"""Fixtures of the digitization tests: two institutions, undigitized, partial, online and private items,
readers and curators of each institution."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from mogao.accounts.models import Curatorship
from mogao.catalogue import services
from mogao.catalogue.models import Canvas, Institution, Item, Visibility


@dataclass
class Lib:
    institutions: dict[str, Institution]
    items: dict[str, Item]
    users: dict[str, Any] = field(default_factory=dict)


def make_lib(settings: Any) -> Lib:
    settings.DIGITIZATION_REQUEST_RATE = "1000/hour"
    settings.DIGITIZATION_RECOMPUTE_MINUTES = 0
    cache.clear()
    inst = {
        "A": services.institution_upsert(code="DGA", name={"en": ["Library A"]})[0],
        "B": services.institution_upsert(code="DGB", name={"en": ["Library B"]})[0],
    }
    items: dict[str, Item] = {}

    def item(key: str, where: str, vis: str = Visibility.PUBLIC) -> Item:
        items[key] = services.item_upsert(institution=inst[where], shelfmark=f"DG-{key}",
                                          title={"en": [f"Digit item {key}"]}, visibility=vis)[0]
        return items[key]

    item("a", "A")
    item("a2", "A")
    item("b", "B")
    item("private", "A", Visibility.PRIVATE)
    online = item("online", "A")
    Canvas.objects.create(item=online, order=1, image_id="dg-online-1", width=10, height=10)
    partial = item("partial", "A")
    for order in (1, 2, 3, 4, 5):
        Canvas.objects.create(item=partial, order=order, image_id="dg-partial-1" if order in (1, 2, 5) else "",
                              width=10, height=10)
    lib = Lib(institutions=inst, items=items)
    user_model = get_user_model()
    specs = {"reader": {}, "reader2": {}, "curator_a": {"is_staff": True}, "curator_b": {"is_staff": True},
             "admin": {"is_staff": True, "is_superuser": True}}
    for role, flags in specs.items():
        user = user_model.objects.create_user(f"dg-{role}", email=f"{role}@example.org", **flags)
        lib.users[role] = user
    Curatorship.objects.create(user=lib.users["curator_a"], institution=inst["A"])
    Curatorship.objects.create(user=lib.users["curator_b"], institution=inst["B"])
    return lib


@pytest.fixture
def lib(db: None, settings: Any) -> Lib:
    return make_lib(settings)
