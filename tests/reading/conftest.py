"""Fixtures for the reading room: the demo's Diamond Sūtra (exact boxes) and users by role."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from mogao.catalogue.models import Institution, Item
from mogao.demo.loader import load_builtin, load_demo_pages

DIAMOND = "bl-or-8210-p-2"


@pytest.fixture
def diamond(db: None) -> Item:
    """The demo loaded (records and the two drawn pages of the Diamond Sūtra)."""
    load_builtin()
    load_demo_pages(echo=lambda *a, **k: None)
    return Item.objects.select_related("institution").get(pid=DIAMOND)


def _curator(username: str, institution: Institution) -> Any:
    from mogao.accounts.models import Curatorship

    user = get_user_model().objects.create_user(username=username, password="pw-123456", is_staff=True)
    Curatorship.objects.create(user=user, institution=institution)
    return user


@pytest.fixture
def reader(db: None) -> Any:
    return get_user_model().objects.create_user(username="reader", password="pw-123456")


@pytest.fixture
def curator(diamond: Item) -> Any:
    return _curator("bl-curator", diamond.institution)


@pytest.fixture
def other_curator(diamond: Item) -> Any:
    other = Institution.objects.exclude(pk=diamond.institution_id).first()
    assert other is not None
    return _curator("other-curator", other)
