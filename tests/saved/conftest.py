"""A small library for the saved-collection tests: two holders, items sharing a work, readers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

from mogao.accounts.models import profile_of
from mogao.catalogue import services
from mogao.catalogue.models import Item
from mogao.saved.models import ReaderCollection, Sharing
from mogao.saved.services import create_collection, save_entry


@dataclass
class World:
    a: Item  # BL, two pages, work W
    b: Item  # BnF, same work W
    hidden: Item  # private item
    owner: Any
    other: Any
    trusted: Any

    def client(self, user: Any = None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    def collection(self, sharing: str = Sharing.PRIVATE, user: Any = None, name: str = "My sūtras") -> ReaderCollection:
        return create_collection(user=user or self.owner, name=name, sharing=sharing)


@pytest.fixture
def world(db: None) -> World:
    cache.clear()
    bl, _ = services.institution_upsert(code="BL", name={"en": ["British Library"]})
    bnf, _ = services.institution_upsert(code="BnF", name={"fr": ["Bibliothèque nationale de France"]})
    work, _ = services.work_upsert(key=("taisho", "T0235"), title={"en": ["Diamond Sūtra"], "zh-Hant": ["金剛經"]})
    a, _ = services.item_upsert(institution=bl, shelfmark="Or.8210/S.1", title={"en": ["Diamond Sūtra, part 1"]},
                                languages=["lzh"], digitization_status=Item.Status.DIGITIZED, works=[(work, "text")])
    b, _ = services.item_upsert(institution=bnf, shelfmark="Pelliot chinois 1", title={"fr": ["Sūtra du Diamant"]},
                                languages=["lzh"], digitization_status=Item.Status.DIGITIZED, works=[(work, "text")])
    hidden, _ = services.item_upsert(institution=bl, shelfmark="Or.8210/S.99", title={"en": ["Withdrawn"]},
                                     visibility="private")
    for item, prefix in ((a, "sv-a"), (b, "sv-b"), (hidden, "sv-h")):
        for order in (1, 2):
            services.canvas_upsert(item=item, order=order, image_id=f"{prefix}-{order}", width=1800, height=1200)
    users = get_user_model().objects
    owner = users.create_user("owner", "owner@example.org", "pw-owner-123")
    other = users.create_user("other", "other@example.org", "pw-other-123")
    trusted = users.create_user("trusted", "trusted@example.org", "pw-trusted-123")
    profile = profile_of(trusted)
    assert profile is not None
    profile.trusted = True
    profile.save()
    return World(a=a, b=b, hidden=hidden, owner=owner, other=other, trusted=trusted)


def saved(world: World, collection: ReaderCollection, item: Item | None = None, **kwargs: Any) -> Any:
    """Save ``item`` (default: world.a) into ``collection`` directly through the service."""
    return save_entry(user=collection.author, collection=collection, item=item or world.a,
                      kind=kwargs.pop("kind", "item"), **kwargs)
